package dev.nabd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nabd serve} through the launcher: it listens, loads, answers, and stops on a signal. */
class ServeIT {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void serveAnswersAChatCompletionAndStopsOnSigterm() throws Exception {
        Path root = CliTest.root();
        Process p = new ProcessBuilder(root.resolve("bin/nabd").toString(), "serve", "--port", "0", "--parallel", "2")
                .directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            int port = -1;
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("nabd: ready")) {
                Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(line).as("the ready line").isNotNull();
            assertThat(port).isPositive();
            HttpClient client = HttpClient.newHttpClient();
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":8,\"seed\":1}";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"object\":\"chat.completion\"").contains("\"model\":\"stories260K\"");
        } finally {
            p.destroy();   // SIGTERM: the shutdown hook closes the server
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMissingModelIsOneLineAndExitCodeOne() throws Exception {
        LauncherIT.Run r = LauncherIT.launch("serve", "-m", "/nonexistent/model.gguf", "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nabd: error: /nonexistent/model.gguf: no such file\n");
    }

    @Test
    void aTruncatedModelIsOneLineAndExitCodeOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.gguf");
        byte[] whole = java.nio.file.Files.readAllBytes(CliTest.root().resolve("models/stories260K.gguf"));
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
        LauncherIT.Run r = LauncherIT.launch("serve", "-m", cut.toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("nabd: error: ").contains("cut.gguf").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            LauncherIT.Run r = LauncherIT.launch("serve", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("nabd: error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
