package dev.nabd.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nabd chat} with piped stdin, through the launcher: turns, commands, and the prefix cache at work. */
class ChatIT {

    record Chat(int code, String out, String err) {
    }

    static Chat chat(String input, String... args) throws Exception {
        Path root = CliTest.root();
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/nabd").toString(), "chat"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root.toFile()).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Chat(p.exitValue(), out, err);
    }

    /** Per answer: {reused, prompt} from the stats line on stderr. */
    static List<int[]> reuse(String err) {
        List<int[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("reused (\\d+) of (\\d+) prompt tokens").matcher(err);
        while (m.find()) {
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return out;
    }

    @Test
    void twoTurnsAResetAndTheSecondTurnReusesTheFirst() throws Exception {
        String input = "Once upon a time\nThe dog ran to the park\n/reset\nOnce upon a time\n/exit\n";
        Chat c = chat(input, "--temp", "0", "-n", "16");
        assertThat(c.code()).as(c.err()).isZero();
        String[] parts = c.out().split("\\(conversation forgotten\\)\n");
        assertThat(parts).hasSize(2);
        // Answers may span lines; after /reset the first question gets the first answer again.
        assertThat(parts[1]).isNotBlank();
        assertThat(parts[0]).startsWith(parts[1]).hasSizeGreaterThan(parts[1].length());
        List<int[]> reuse = reuse(c.err());
        assertThat(reuse).hasSize(3);
        assertThat(reuse.get(0)[0]).isZero();
        // The second prompt is the first conversation plus a turn: all of the first prompt comes from the cache.
        assertThat(reuse.get(1)[0]).isGreaterThanOrEqualTo(reuse.get(0)[1]);
        assertThat(reuse.get(1)[1]).isGreaterThan(reuse.get(1)[0]);
    }

    @Test
    void commandsSaveLoadParamsAndErrorsDoNotEndTheChat(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path saved = dir.resolve("chat.json");
        String input = "Hello\n/save " + saved + "\n/params temp=abc\n/params top_k=5 max_tokens=4\n/bogus\n/load "
                + dir.resolve("missing.json") + "\n/load " + saved + "\n/stats\n/help\n";
        Chat c = chat(input, "--temp", "0", "-n", "8", "--seed", "3");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("(saved 2 messages to " + saved + ")")
                .contains("not changed:")
                .contains("top_k=5").contains("max_tokens=4")
                .contains("unknown command /bogus")
                .contains("cannot read it")
                .contains("(loaded 2 messages from " + saved + ")")
                .contains("last answer: ")
                .contains("/system TEXT");
        String json = Files.readString(saved);
        assertThat(json).contains("\"role\" : \"user\"").contains("\"content\" : \"Hello\"").contains("\"role\" : \"assistant\"");
    }

    @Test
    void aMissingOrTruncatedModelIsOneLineAndExitCodeOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Chat missing = chat("Hello\n", "-m", "/nonexistent/model.gguf");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("nabd: error: /nonexistent/model.gguf: no such file\n");
        Path cut = dir.resolve("cut.gguf");
        byte[] whole = Files.readAllBytes(CliTest.root().resolve("models/stories260K.gguf"));
        Files.write(cut, java.util.Arrays.copyOf(whole, 1000));
        Chat truncated = chat("Hello\n", "-m", cut.toString());
        assertThat(truncated.code()).isEqualTo(1);
        assertThat(truncated.err()).startsWith("nabd: error: ").contains("cut.gguf").doesNotContain("\tat ");
    }

    @Test
    void aConversationLongerThanTheContextSaysSoAndTheChatGoesOn() throws Exception {
        String longLine = "Once upon a time there was a little dog who liked to run. ".repeat(60);
        Chat c = chat(longLine + "\n/stats\n", "--temp", "0", "-n", "4");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).contains("no longer fits the context").contains("512");
        assertThat(c.out()).contains("(no answer yet)");
    }

    @Test
    void multiLineMessagesAndArabicPassThrough() throws Exception {
        String input = "مرحبا \\\nبالعالم\n\"\"\"\nline one\nline two\n\"\"\"\n";
        Chat c = chat(input, "--temp", "0", "-n", "4");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(reuse(c.err())).hasSize(2);
    }
}
