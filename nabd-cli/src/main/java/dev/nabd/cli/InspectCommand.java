package dev.nabd.cli;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufTensorInfo;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nabd inspect}: a GGUF file's metadata and tensor table. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print a GGUF file's metadata and tensor table.")
final class InspectCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "GGUF file")
    Path file;

    @Option(names = "--array-items", paramLabel = "N", defaultValue = "8",
            description = "array elements shown before eliding the rest (default: ${DEFAULT-VALUE})")
    int arrayItems;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            throw new UserInputException(file + ": no such file");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile g = GgufFile.open(file)) {
            out.printf(Locale.ROOT, "%s: GGUF v%d, %d metadata entries, %d tensors, data at byte %d, alignment %d%n",
                    file, g.version(), g.metadata().asMap().size(), g.tensors().size(), g.dataOffset(), g.alignment());
            out.println();
            out.println("metadata:");
            for (Map.Entry<String, GgufValue> e : g.metadata().asMap().entrySet()) {
                out.printf(Locale.ROOT, "  %-40s %-8s %s%n", e.getKey(), typeName(e.getValue()), show(e.getValue()));
            }
            out.println();
            out.printf(Locale.ROOT, "tensors:%n  %-40s %-6s %-24s %14s%n", "name", "type", "shape", "bytes");
            long total = 0;
            long params = 0;
            for (GgufTensorInfo t : g.tensors()) {
                out.printf(Locale.ROOT, "  %-40s %-6s %-24s %14d%n", t.name(), t.type(), t.shapeString(), t.byteSize());
                total += t.byteSize();
                params += t.elementCount();
            }
            out.printf(Locale.ROOT, "  %d tensors, %d parameters, %d bytes%n", g.tensors().size(), params, total);
        }
        return 0;
    }

    private static String typeName(GgufValue v) {
        if (v.type() == GgufValueType.ARRAY) {
            GgufArray a = (GgufArray) v.value();
            return "[" + a.elementType().name().toLowerCase(Locale.ROOT) + "]";
        }
        return v.type().name().toLowerCase(Locale.ROOT);
    }

    private String show(GgufValue v) {
        return switch (v.type()) {
            case STRING -> quote((String) v.value(), 200);
            case ARRAY -> showArray((GgufArray) v.value());
            default -> v.toString();
        };
    }

    private String showArray(GgufArray a) {
        int n = a.length();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, arrayItems); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object e = Array.get(a.values(), i);
            sb.append(e instanceof String s ? quote(s, 40) : e instanceof GgufArray inner ? inner.toString() : String.valueOf(e));
        }
        if (n > arrayItems) {
            sb.append(", … ").append(n - arrayItems).append(" more");
        }
        return sb.append("] (").append(n).append(")").toString();
    }

    private static String quote(String s, int max) {
        String shown = s.length() > max ? s.substring(0, max) + "…" : s;
        return '"' + shown.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'
                + (s.length() > max ? " (" + s.length() + " chars)" : "");
    }
}
