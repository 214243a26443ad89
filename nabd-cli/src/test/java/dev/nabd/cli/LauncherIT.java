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
}
