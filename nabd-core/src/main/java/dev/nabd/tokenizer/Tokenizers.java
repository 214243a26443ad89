package dev.nabd.tokenizer;

import dev.nabd.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a tokenizer from whatever file the user has: a GGUF model or vocabulary ({@link GgufTokenizers}),
 * a Hugging Face {@code tokenizer.json}, plain or gzipped, or a folder holding one ({@link TokenizerJson}).
 * GGUF files are recognised by their magic bytes, not their name.
 */
public final class Tokenizers {
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    private Tokenizers() {
    }

    /**
     * @throws TokenizerException when the path does not hold a tokenizer this package can build; the
     *                            message names the file and what is wrong
     * @throws dev.nabd.gguf.GgufException when a GGUF file is malformed
     * @throws UncheckedIOException when a file cannot be read
     */
    public static Tokenizer load(Path path) {
        if (!Files.exists(path)) {
            throw new TokenizerException(path + ": no such file or folder");
        }
        if (Files.isRegularFile(path) && isGguf(path)) {
            try (GgufFile file = GgufFile.open(path)) {
                return GgufTokenizers.load(file.metadata());
            } catch (TokenizerException e) {
                throw new TokenizerException(path + ": " + e.getMessage(), e);
            }
        }
        return TokenizerJson.load(path);
    }

    private static boolean isGguf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), GGUF_MAGIC);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
