package dev.nabd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The npm {@code openai} package under node: {@code src/test/node/clients.mjs} talks to nabd servers on
 * loopback ports and prints one JSON summary, checked here. The package is installed by this test with
 * {@code npm install} from the committed {@code package-lock.json}, so node 20+ and npm must be on the PATH.
 */
class NodeOpenAiClientTest {
    private static final long NPM_INSTALL_SECONDS = 300;
    private static final long SCRIPT_SECONDS = 120;
    private static ItServer server;
    private static ItServer keyed;
    private static JsonNode summary;

    @BeforeAll
    static void runScript() throws Exception {
        Path dir = ItServer.projectRoot().resolve("nabd-it/src/test/node");
        Path logs = ItServer.projectRoot().resolve("nabd-it/target/node");
        Files.createDirectories(logs);
        int major = nodeMajorVersion(logs);
        if (major < 20) {
            throw new AssertionError("NodeOpenAiClientTest needs Node.js 20 or newer (the openai 6.x package); found major version " + major);
        }
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-update-notifier"), dir, logs.resolve("npm-install"),
                NPM_INSTALL_SECONDS);

        server = ItServer.start(null);
        keyed = ItServer.start("sk-nabd-test");
        String out = run(List.of("node", "clients.mjs", server.baseUrl(), keyed.baseUrl()), dir, logs.resolve("clients"),
                SCRIPT_SECONDS);
        summary = new ObjectMapper().readTree(out);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (keyed != null) {
            keyed.close();
        }
    }

    private static int nodeMajorVersion(Path logs) throws Exception {
        String v = run(List.of("node", "--version"), logs, logs.resolve("node-version"), 30).strip();
        if (!v.matches("v\\d+\\..*")) {
            throw new AssertionError("`node --version` printed '" + v + "'");
        }
        return Integer.parseInt(v.substring(1, v.indexOf('.')));
    }

    /** Runs a command to completion and returns its stdout; stdout and stderr are kept in {@code log}.out/.err. */
    private static String run(List<String> command, Path dir, Path log, long timeoutSeconds) throws Exception {
        Path stdout = Path.of(log + ".out");
        Path stderr = Path.of(log + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("NO_UPDATE_NOTIFIER", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run `" + command.getFirst() + "`: NodeOpenAiClientTest needs Node.js 20 or newer and npm"
                    + " on the PATH (Debian: apt-get install nodejs npm). " + e.getMessage(), e);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("`" + String.join(" ", command) + "` did not finish in " + timeoutSeconds + " s; stderr:\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("`" + String.join(" ", command) + "` exited with " + p.exitValue() + "\nstdout:\n" + out
                    + "\nstderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void theLockedClientRanOnNode20OrNewer() {
        assertThat(summary.get("openai").asText()).startsWith("6.");
        assertThat(summary.get("node").asText()).startsWith("v");
    }

    @Test
    void blockingChat() {
        JsonNode chat = summary.get("chat");
        assertThat(chat.get("id").asText()).startsWith("chatcmpl-");
        assertThat(chat.get("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.get("model").asText()).isEqualTo(ItServer.MODEL);
        assertThat(chat.get("role").asText()).isEqualTo("assistant");
        assertThat(chat.get("text").asText()).isNotBlank();
        assertThat(chat.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = chat.get("usage");
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 32);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void streamedChatEqualsBlockingChat() {
        JsonNode chat = summary.get("chat");
        JsonNode stream = summary.get("stream");
        assertThat(stream.get("chunks").asInt()).isGreaterThan(2);
        assertThat(stream.get("ids").asInt()).isEqualTo(1);
        assertThat(strings(stream.get("roles"))).containsExactly("assistant");
        assertThat(stream.get("text").asText()).isEqualTo(chat.get("text").asText());
        assertThat(strings(stream.get("finish_reasons"))).containsExactly(chat.get("finish_reason").asText());
        // include_usage: a last chunk with no choices carries the usage.
        assertThat(stream.get("last_choices").asInt()).isZero();
        assertThat(stream.get("usage").get("completion_tokens")).isEqualTo(chat.get("usage").get("completion_tokens"));
        assertThat(stream.get("usage").get("prompt_tokens")).isEqualTo(chat.get("usage").get("prompt_tokens"));
    }

    @Test
    void streamHelperFoldsTwoChoicesIntoTheBlockingAnswer() {
        JsonNode chat = summary.get("chat");
        JsonNode helper = summary.get("stream_helper");
        // Greedy: both choices are the blocking answer.
        assertThat(strings(helper.get("texts"))).containsExactly(chat.get("text").asText(), chat.get("text").asText());
        assertThat(strings(helper.get("finish_reasons"))).containsExactly(chat.get("finish_reason").asText(),
                chat.get("finish_reason").asText());
    }

    @Test
    void textCompletionBlockingAndStreamed() {
        JsonNode completion = summary.get("completion");
        assertThat(completion.get("object").asText()).isEqualTo("text_completion");
        assertThat(completion.get("text").asText()).isNotBlank();
        assertThat(completion.get("finish_reason").asText()).isIn("stop", "length");
        assertThat(completion.get("usage").get("completion_tokens").asInt()).isBetween(1, 20);
        JsonNode streamed = summary.get("completion_stream");
        assertThat(streamed.get("text").asText()).isEqualTo(completion.get("text").asText());
        assertThat(strings(streamed.get("finish_reasons"))).containsExactly(completion.get("finish_reason").asText());
    }

    @Test
    void modelsListAndRetrieve() {
        assertThat(strings(summary.get("models"))).containsExactly(ItServer.MODEL);
        assertThat(summary.get("model").asText()).isEqualTo(ItServer.MODEL);
    }

    @Test
    void errorsAreTheClientsTypedErrors() {
        JsonNode errors = summary.get("errors");
        JsonNode unknown = errors.get("unknown_model");
        assertThat(unknown.get("not_found").asBoolean()).as("%s", unknown).isTrue();
        assertThat(unknown.get("status").asInt()).isEqualTo(404);
        assertThat(unknown.get("code").asText()).isEqualTo("model_not_found");
        JsonNode bad = errors.get("bad_parameter");
        assertThat(bad.get("bad_request").asBoolean()).as("%s", bad).isTrue();
        assertThat(bad.get("status").asInt()).isEqualTo(400);
        assertThat(bad.get("param").asText()).isEqualTo("temperature");
        JsonNode unknownStream = errors.get("unknown_model_stream");
        assertThat(unknownStream.get("not_found").asBoolean()).as("%s", unknownStream).isTrue();
    }

    @Test
    void apiKeyIsChecked() {
        JsonNode wrong = summary.get("errors").get("wrong_key");
        assertThat(wrong.get("authentication").asBoolean()).as("%s", wrong).isTrue();
        assertThat(wrong.get("status").asInt()).isEqualTo(401);
        assertThat(strings(summary.get("keyed_models"))).containsExactly(ItServer.MODEL);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
