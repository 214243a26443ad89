package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken tokenizer.json fails with a TokenizerException naming the file and the place, never a crash. */
class MalformedTokenizerJsonTest {
    private static final String MODEL = "'model': {'type': 'BPE', 'vocab': {'a': 0, 'b': 1, 'ab': 2}, 'merges': ['a b']}";

    @TempDir
    Path dir;

    private static void fails(String json, String... messageParts) {
        var assertion = assertThatThrownBy(() -> StageJson.tokenizer(json)).isInstanceOf(TokenizerException.class)
                .hasMessageStartingWith("test.json: ");
        for (String part : messageParts) {
            assertion.hasMessageContaining(part);
        }
    }

    /** The real Qwen3 file cut short: the JSON error says where. */
    @Test
    void truncatedJson() {
        String whole = TokenizerTestData.read(TokenizerTestData.shared("tokenizers/qwen3/tokenizer.json.gz"));
        String cut = whole.substring(0, whole.length() / 2);
        assertThatThrownBy(() -> TokenizerJson.parse(cut, null, "tokenizer.json"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageStartingWith("tokenizer.json: not valid JSON: unexpected end of input")
                .hasMessageContaining("at line ");
        fails("{'model': {'type': 'BPE', 'vocab': {", "not valid JSON", "line 1, column 37");
        fails("", "not valid JSON");
    }

    @Test
    void wrongTypes() {
        fails("[]", "expected an object, found an array");
        fails("{'model': {'type': 'BPE', 'vocab': ['a'], 'merges': []}}", "model.vocab: expected an object, found an array");
        fails("{'model': {'type': 'BPE', 'vocab': {'a': 'zero'}, 'merges': []}}", "model.vocab.a: expected an integer, found a string");
        fails("{'model': {'type': 'BPE', 'vocab': {'a': 0}, 'merges': [42]}}", "model.merges[0]: expected a string");
        fails("{'model': {'type': 'BPE', 'vocab': {'a': 0}, 'merges': 'a b'}}", "model.merges: expected an array, found a string");
        fails("{" + MODEL + ", 'added_tokens': [{'id': 3, 'content': 7}]}", "added_tokens[0].content: expected a string, found the integer 7");
        fails("{" + MODEL + ", 'added_tokens': [{'id': 3, 'content': 'x', 'special': 'yes'}]}",
                "added_tokens[0].special: expected true or false, found a string");
        fails("{" + MODEL + ", 'normalizer': {'type': 'Strip', 'strip_left': 1}}", "normalizer.strip_left: expected true or false");
        fails("{" + MODEL + ", 'pre_tokenizer': {'type': 'Split', 'pattern': 'x', 'behavior': 'Isolated'}}",
                "pre_tokenizer.pattern: expected {\"String\": ...} or {\"Regex\": ...}");
        fails("{" + MODEL + ", 'pre_tokenizer': {'type': 'Split', 'pattern': {'String': 'x'}, 'behavior': 'Sideways'}}",
                "pre_tokenizer.behavior: unknown split behavior 'Sideways'");
        fails("{'model': {'type': 'Unigram', 'vocab': [['a', 'high']], 'unk_id': 0}}", "model.vocab[0][1]: expected a number");
    }

    @Test
    void missingParts() {
        fails("{}", "model: missing, expected an object");
        fails("{'model': {'type': 'BPE', 'merges': []}}", "model.vocab: missing, expected an object");
        fails("{" + MODEL + ", 'normalizer': {'strip_left': true}}", "normalizer.type: missing, expected a string");
    }

    @Test
    void unknownTypesListTheSupportedOnes() {
        fails("{'model': {'type': 'Klingon', 'vocab': {}}}", "model.type: unsupported model type 'Klingon'; supported: BPE, WordPiece");
        fails("{" + MODEL + ", 'normalizer': {'type': 'Precompiled', 'precompiled_charsmap': 'AAAA'}}",
                "normalizer.type: unsupported normalizer type 'Precompiled'");
        fails("{" + MODEL + ", 'pre_tokenizer': {'type': 'UnicodeScripts'}}", "unsupported pre-tokenizer type 'UnicodeScripts'");
        fails("{" + MODEL + ", 'post_processor': {'type': 'Magic'}}", "unsupported post-processor type 'Magic'");
        fails("{" + MODEL + ", 'decoder': {'type': 'CTC'}}", "decoder.type: unsupported decoder type 'CTC'");
    }

    @Test
    void inconsistentContent() {
        fails("{'model': {'type': 'BPE', 'vocab': {'a': 0, 'b': 0}, 'merges': []}}", "id 0 is given to both 'a' and 'b'");
        fails("{'model': {'type': 'BPE', 'vocab': {'a': -1}, 'merges': []}}", "model.vocab.a: negative token id -1");
        fails("{" + MODEL + ", 'pre_tokenizer': {'type': 'Split', 'pattern': {'Regex': '(unclosed'}, 'behavior': 'Isolated'}}",
                "unsupported regular expression /(unclosed/");
        fails("{" + MODEL + ", 'post_processor': {'type': 'TemplateProcessing', 'single': [{'SpecialToken': {'id': '<s>'}}],"
                + " 'special_tokens': {}}}", "special token '<s>' is not in special_tokens");
    }

    @Test
    void filesThatAreNotTokenizers() throws IOException {
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("nothing-here.json")))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.json: no such file");
        Path binary = Files.write(dir.resolve("random.bin"), new byte[] {0, 1, 2, (byte) 0xFF, 3});
        assertThatThrownBy(() -> Tokenizers.load(binary))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("random.bin: not valid JSON");
        Path config = Files.writeString(dir.resolve("tokenizer.json"), "{" + MODEL.replace('\'', '"') + "}",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": ", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Tokenizers.load(config))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer_config.json: not valid JSON");
    }
}
