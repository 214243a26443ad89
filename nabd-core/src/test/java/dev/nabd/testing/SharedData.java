package dev.nabd.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared reference data ({@code ../shared} beside the project root) for tests. */
public final class SharedData {
    private SharedData() {
    }

    /** The project root: from surefire's {@code nabd.projectRoot}, else the nearest folder with a {@code .ci} folder. */
    public static Path projectRoot() {
        String prop = System.getProperty("nabd.projectRoot");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve(".ci"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code ../shared} relative to the project root. */
    public static Path shared() {
        Path s = projectRoot().resolve("../shared").normalize();
        if (!Files.isDirectory(s)) {
            throw new IllegalStateException("shared reference data not found at " + s);
        }
        return s;
    }

    /** A file under {@code ../shared/golden}. */
    public static Path golden(String relative) {
        return shared().resolve("golden").resolve(relative);
    }
}
