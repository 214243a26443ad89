package dev.nabd.kernel;

/**
 * Chooses the {@link FloatOps} implementation once, at first use: the Vector API one when the
 * {@code jdk.incubator.vector} module is in the boot layer, the scalar one otherwise. The choice and its
 * reason are available for the start-up line, so a slow scalar run is never silent.
 */
public final class FloatOpsProvider {
    private static final FloatOps OPS;
    private static final String REASON;

    static {
        FloatOps chosen;
        String reason;
        if (Boolean.getBoolean("nabd.scalar")) {
            chosen = new ScalarFloatOps();
            reason = "scalar forced by -Dnabd.scalar=true";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            chosen = new ScalarFloatOps();
            reason = "WARNING: the Vector API is not available (run with --add-modules jdk.incubator.vector); "
                    + "using slow scalar code";
        } else {
            chosen = loadPanama();
            reason = chosen instanceof ScalarFloatOps
                    ? "WARNING: the Vector API failed to initialise; using slow scalar code"
                    : "";
        }
        OPS = chosen;
        REASON = reason;
    }

    private FloatOpsProvider() {
    }

    private static FloatOps loadPanama() {
        try {
            // Loaded reflectively so that no class outside this one links against the incubator module.
            return (FloatOps) Class.forName("dev.nabd.kernel.PanamaFloatOps").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarFloatOps();
        }
    }

    /** The implementation in use. */
    public static FloatOps get() {
        return OPS;
    }

    /** The scalar implementation (for tests comparing against it). */
    public static FloatOps scalar() {
        return new ScalarFloatOps();
    }

    /** Empty when the Vector API is in use; otherwise a warning saying why it is not. */
    public static String warning() {
        return REASON;
    }
}
