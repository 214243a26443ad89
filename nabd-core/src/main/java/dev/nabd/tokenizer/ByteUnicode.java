package dev.nabd.tokenizer;

/**
 * GPT-2's reversible byte ↔ unicode mapping: byte-level BPE vocabularies store every byte as a
 * printable character so that tokens are readable strings. Printable Latin-1 bytes ({@code !..~},
 * {@code ¡..¬}, {@code ®..ÿ}) stand for themselves; the other 68 bytes take the code points from
 * U+0100 upwards in byte order (space is {@code Ġ} U+0120, newline {@code Ċ} U+010A).
 */
final class ByteUnicode {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Code point (< 0x144) → byte, or -1 for characters outside the mapping. */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteUnicode() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte code point {@code cp} stands for, or -1 if it is not one of the 256 mapped characters. */
    static int byteOf(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }

    /** The mapped form of {@code bytes[from..to)}: one character per byte. */
    static String encode(byte[] bytes, int from, int to) {
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }
}
