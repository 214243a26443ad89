package dev.nabd.kernel;

import dev.nabd.model.Architecture;
import dev.nabd.model.FileType;
import dev.nabd.model.SyntheticModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernels and a forward pass give the same bits interpreted and compiled. The Vector API computes in
 * plain Java until C2 compiles a method, then with intrinsics; where the two could differ (lane
 * reductions, exponentials) nabd uses its own fixed steps. {@link JitProbe} runs in a child JVM with
 * {@code -Xint}, in one with C2 only ({@code -XX:-TieredCompilation -Xbatch}, looped until the kernels are
 * compiled, which the child's compilation log must confirm), and warm in this JVM: every value, every
 * bit, the same.
 */
class JitInvarianceTest {
    @TempDir
    Path dir;

    @Test
    void interpretedAndCompiledGiveTheSameBits() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        // Small enough for the interpreter: one layer of width 64, Q8_0 matrices.
        new SyntheticModel(Architecture.QWEN3, 64, 1, 2, 1, 32, 128, 300, 64, true, FileType.Q8_0, 1_000_000f, 5, null)
                .write(model);

        List<String> warm = JitProbe.format(JitProbe.compute(model, 1000));

        Path interpretedOut = dir.resolve("interpreted.txt");
        run(List.of("-Xint"), 1, interpretedOut, model);
        Path compiledOut = dir.resolve("compiled.txt");
        // FloatOps' methods are kept out of their callers, so that each is compiled on its own and shows in
        // the log; what they call (the lane sums, the exponential) is still inlined into them.
        String log = run(List.of("-XX:-TieredCompilation", "-Xbatch", "-XX:CompileThreshold=200", "-XX:+PrintCompilation",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,dev.nabd.kernel.PanamaFloatOps::*"), 400, compiledOut, model);
        if (FloatOpsProvider.get() instanceof PanamaFloatOps) {
            // Proof that the compiled child measured compiled kernels, not the interpreter again.
            assertThat(log).contains("dev.nabd.kernel.PanamaFloatOps::dot ", "dev.nabd.kernel.PanamaRows$Q4_K::dot ",
                    "dev.nabd.kernel.PanamaFloatOps::dot4x4 ", "dev.nabd.kernel.PanamaFloatOps::expSum ",
                    "dev.nabd.kernel.PanamaFloatOps::siluMul ");
        }

        List<String> interpreted = Files.readAllLines(interpretedOut);
        List<String> compiled = Files.readAllLines(compiledOut);
        assertThat(warm).hasSizeGreaterThan(20);
        for (int i = 0; i < warm.size(); i++) {
            String label = warm.get(i).substring(0, warm.get(i).indexOf(' ', warm.get(i).indexOf(' ') + 1) + 1);
            assertThat(interpreted.get(i)).as("-Xint, %s", label).isEqualTo(warm.get(i));
            assertThat(compiled.get(i)).as("C2, %s", label).isEqualTo(warm.get(i));
        }
        assertThat(interpreted).hasSameSizeAs(warm);
        assertThat(compiled).hasSameSizeAs(warm);
    }

    /** Runs {@link JitProbe} in a child JVM with {@code flags}; returns its standard output. */
    private static String run(List<String> flags, int rounds, Path out, Path model) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JitProbe.class.getName());
        cmd.add(Integer.toString(rounds));
        cmd.add(out.toString());
        cmd.add(model.toString());
        Path log = Files.createTempFile(out.getParent(), "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM " + flags + " did not finish");
        }
        String output = Files.readString(log);
        assertThat(p.exitValue()).as("child JVM %s exit; output:%n%s", flags, output).isZero();
        return output;
    }
}
