package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One entry point for every file a user may have: a folder, tokenizer.json plain or gzipped, a GGUF. */
class TokenizersTest {
    /** Case pub-special-001 of tokenizers/qwen3/cases.jsonl, with Hugging Face's ids. */
    private static final String TEXT = "<|im_start|>user\nHi<|im_end|>";
    private static final int[] IDS = {151644, 872, 198, 13048, 151645};

    @TempDir
    Path dir;

    @Test
    void everyFormOfTheSameTokenizerGivesTheSameIds() throws IOException {
        Path folder = TokenizerTestData.shared("tokenizers/qwen3");
        Path plain = Files.writeString(dir.resolve("tokenizer.json"),
                TokenizerTestData.read(folder.resolve("tokenizer.json.gz")), StandardCharsets.UTF_8);
        Path gguf = TokenizerTestData.shared("golden/tokenizer/qwen3-real-vocab.gguf");
        for (Path p : new Path[] {folder, folder.resolve("tokenizer.json.gz"), plain, dir, gguf}) {
            assertThat(Tokenizers.load(p).encode(TEXT, false, true)).as(p.toString()).containsExactly(IDS);
        }
    }

    /** A gzipped file is recognised by its content, whatever its name. */
    @Test
    void gzipIsRecognisedByContent() throws IOException {
        Path renamed = Files.copy(TokenizerTestData.shared("tokenizers/qwen3/tokenizer.json.gz"), dir.resolve("qwen.json"));
        assertThat(Tokenizers.load(renamed).encode(TEXT, false, true)).containsExactly(IDS);
    }

    /** tokenizer_config.json beside the file names BOS and EOS. */
    @Test
    void configNamesBosAndEos() {
        Tokenizer llama = Tokenizers.load(TokenizerTestData.shared("tokenizers/llama3_1"));
        assertThat(llama.bosId()).isEqualTo(128000);
        assertThat(llama.eosId()).isEqualTo(128009);
        assertThat(llama.addsBos()).isTrue();
        assertThat(llama.isEndOfGeneration(128009)).isTrue();
        Tokenizer gemma = Tokenizers.load(TokenizerTestData.shared("tokenizers/gemma3"));
        assertThat(gemma.bosId()).isEqualTo(2);
        assertThat(gemma.eosId()).isEqualTo(106);
        assertThat(gemma.endOfGenerationIds()).contains(106);
    }
}
