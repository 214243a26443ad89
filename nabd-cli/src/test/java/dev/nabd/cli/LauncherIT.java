package dev.nabd.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command through the real launcher and the packaged jar (runs after {@code package},
 * in the integration-test phase): JDK discovery, the Vector API flag, the bundled model.
 */
class LauncherIT {

    record Run(int code, String out, String err) {
    }

    static Run launch(String... args) throws IOException, InterruptedException {
        Path root = CliTest.root();
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("bin/nabd").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("LC_ALL", "C");   // output must be UTF-8 whatever the locale
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeCommandRunsTheBundledModel() throws Exception {
        Run r = launch("run", "-p", "Once upon a time", "--temp", "0", "-n", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(CliTest.P1_GREEDY + "\n");
        assertThat(r.err()).startsWith("nabd: llama | ").contains("Vector API").doesNotContain("WARNING: Using incubator modules");
    }

    @Test
    void badInputThroughTheLauncherIsOneLineAndExitCodeOne() throws Exception {
        Run r = launch("run", "-m", "/nonexistent/model.gguf", "-p", "hi");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nabd: error: /nonexistent/model.gguf: no such file\n");
    }

    /** Without the incubator module nabd still runs, and says loudly that it runs scalar code. */
    @Test
    void withoutTheVectorApiItWarnsAndStillWorks() throws Exception {
        Path root = CliTest.root();
        Path jar;
        try (var jars = java.nio.file.Files.list(root.resolve("nabd-cli/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("nabd-cli-.*\\.jar")).findFirst().orElseThrow();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dnabd.home=" + root, "-jar", jar.toString(),
                "run", "-p", "Once upon a time", "--temp", "0", "-n", "64").start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).isEqualTo(CliTest.P1_GREEDY + "\n");
        assertThat(err).contains("scalar (no Vector API)").contains("WARNING: the Vector API is not available");
    }
}
