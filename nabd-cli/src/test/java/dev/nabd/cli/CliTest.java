package dev.nabd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands, run in-process on the bundled model and on the golden files. */
class CliTest {
    /** Greedy continuation of "Once upon a time" by llama.cpp on stories260K ({@code stories260K-p1.json}). */
    static final String P1_GREEDY = ", there was a little girl named Lily. She loved to play outside in the park. "
            + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\nLily's mom said";

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result nabd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path root() {
        return Path.of(System.getProperty("nabd.projectRoot", "..")).toAbsolutePath().normalize();
    }

    static Path golden(String rel) {
        return root().resolve("../shared/golden").resolve(rel).normalize();
    }

    static String bundled() {
        return root().resolve(ModelOptions.BUNDLED_MODEL).toString();
    }

    @Test
    void runGeneratesTheGoldenStoryGreedily() {
        Result r = nabd("run", "-m", bundled(), "-p", "Once upon a time", "--temp", "0", "-n", "64", "-t", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(P1_GREEDY + "\n");
        String[] errLines = r.err().split("\n");
        assertThat(errLines[0]).startsWith("nabd: llama | ").contains("params", "F32", "ctx 512", "2 threads", "JIT");
        assertThat(r.err()).containsPattern("load: \\d+ ms \\| prompt: 5 tokens, [0-9.]+ tokens/s \\| generation: 64 tokens, [0-9.]+ tokens/s \\| stop: length");
    }

    @Test
    void theSameSeedGivesTheSameTextAndEchoPrintsThePrompt() {
        String[] args = {"run", "-m", bundled(), "-p", "Lily and Tom", "-n", "40", "--seed", "1234", "--temp", "0.9",
                "--top-k", "20", "--top-p", "0.9", "--min-p", "0.02", "--repeat-penalty", "1.1", "--echo"};
        Result a = nabd(args);
        Result b = nabd(args);
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).startsWith("Lily and Tom").isEqualTo(b.out());
        assertThat(a.err()).contains("seed: 1234");
    }

    @Test
    void generationStopsAtTheEndOfTheContextWithReasonLength() {
        Result r = nabd("run", "-m", bundled(), "-p", "Once upon a time", "--temp", "0", "-c", "16");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("generation: 11 tokens").contains("stop: length");
    }

    @Test
    void aPromptLongerThanTheContextIsAClearError() {
        Result r = nabd("run", "-m", bundled(), "-p", "Once upon a time there was a big dog and a small cat", "-c", "8");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("\nnabd: error: the prompt does not fit: it needs 18 positions but the context holds 8");
    }

    @Test
    void promptFromAFile() throws IOException {
        Path p = dir.resolve("prompt.txt");
        Files.writeString(p, "Once upon a time");
        Result r = nabd("run", "-m", bundled(), "-f", p.toString(), "--temp", "0", "-n", "64");
        assertThat(r.out()).isEqualTo(P1_GREEDY + "\n");
    }

    @Test
    void badInputGivesOneLineAndExitCodeOne() throws IOException {
        Result missing = nabd("run", "-m", dir.resolve("nope.gguf").toString(), "-p", "hi");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("nabd: error: " + dir.resolve("nope.gguf") + ": no such file\n");

        byte[] whole = Files.readAllBytes(Path.of(bundled()));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(whole, 5000));
        Result truncated = nabd("run", "-m", cut.toString(), "-p", "hi");
        assertThat(truncated.code()).isEqualTo(1);
        assertThat(truncated.err()).startsWith("nabd: error: " + cut + ": truncated").hasLineCount(1);

        Result notGguf = nabd("inspect", dir.resolve("prompt.txt").toString());
        assertThat(notGguf.code()).isEqualTo(1);

        Result noPrompt = nabd("run", "-m", bundled());
        assertThat(noPrompt.code()).isEqualTo(1);
        assertThat(noPrompt.err()).contains("give a prompt with -p TEXT or -f FILE");

        Result badTemp = nabd("run", "-m", bundled(), "-p", "x", "--top-p", "2");
        assertThat(badTemp.code()).isEqualTo(1);
        assertThat(badTemp.err()).contains("top-p 2.0");

        Result badToken = nabd("logits", "-m", bundled(), "--tokens", "1,99999", "--top", "3");
        assertThat(badToken.code()).isEqualTo(1);
        assertThat(badToken.err()).contains("token id 99999 is outside the vocabulary");
    }

    @Test
    void inspectPrintsMetadataAndTensors() {
        Result r = nabd("inspect", golden("qwen3/tiny-qwen3-Q4_K_M.gguf").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("GGUF v3")
                .containsPattern("general.architecture\\s+string\\s+\"qwen3\"")
                .containsPattern("tokenizer.ggml.tokens\\s+\\[string\\]\\s+\\[.*\\] \\(438\\)")
                .containsPattern("blk.0.attn_q.weight\\s+Q4_K\\s+\\[256, 512\\]\\s+73728")
                .containsPattern("token_embd.weight\\s+Q6_K");
    }

    @Test
    void logitsMatchLlamaCppAtEveryPosition() throws IOException {
        int[] ids = {1, 403, 407, 261, 378};
        Path out = dir.resolve("logits.f32");
        Result r = nabd("logits", "-m", bundled(), "--tokens", "1,403,407,261,378", "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        float[] ours = floats(out);
        float[] theirs = floats(golden("stories260K/stories260K-p1.logits.f32"));
        assertThat(ours).hasSize(ids.length * 512).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.length; i++) {
            assertThat(Math.abs(ours[i] - theirs[i])).as("logit %d", i).isLessThan(1e-3f);
        }
        Result top = nabd("logits", "-m", bundled(), "-p", "Once upon a time", "--top", "3");
        assertThat(top.out().split("\n")).hasSize(5);
        // After "time" the model's best next token is ",", id 432 (the golden greedy continuation starts with it).
        assertThat(top.out().split("\n")[4]).containsPattern("-> +432 ','");
    }

    @Test
    void noArgumentsPrintsHelpWithExamples() {
        Result r = nabd();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: nabd", "run", "inspect", "logits", "Examples:");
    }

    private static float[] floats(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
