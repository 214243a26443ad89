package dev.nabd.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The decoders of Hugging Face {@code tokenizers}, one small record each, with their Rust semantics. */
final class Decoders {
    private Decoders() {
    }

    /**
     * {@code ByteLevel}: GPT-2 characters back to bytes, all tokens together, then UTF-8 with U+FFFD for
     * invalid sequences. A token with any character outside the 256 mapped ones (an added token such as
     * DeepSeek's {@code <｜User｜>}) is taken as its own UTF-8 bytes.
     */
    record ByteLevel() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String t : tokens) {
                bytes.writeBytes(pieceBytes(t));
            }
            return List.of(bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public byte[] pieceBytes(String token) {
            byte[] out = new byte[token.length()];
            for (int i = 0; i < token.length(); i++) {
                int b = ByteUnicode.byteOf(token.charAt(i));
                if (b < 0) {
                    return token.getBytes(StandardCharsets.UTF_8);
                }
                out[i] = (byte) b;
            }
            return out;
        }
    }

    /**
     * {@code ByteFallback}: runs of {@code <0xXX>} tokens become the text of their bytes, or one U+FFFD per
     * byte when the run is not valid UTF-8.
     */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (String t : tokens) {
                int b = byteOf(t);
                if (b >= 0) {
                    run.write(b);
                    continue;
                }
                flush(run, out);
                out.add(t);
            }
            flush(run, out);
            return out;
        }

        private static void flush(ByteArrayOutputStream run, List<String> out) {
            if (run.size() == 0) {
                return;
            }
            byte[] bytes = run.toByteArray();
            run.reset();
            try {
                out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                for (int i = 0; i < bytes.length; i++) {
                    out.add("\uFFFD");
                }
            }
        }

        /** The byte of a {@code <0xXX>} token (hex digits of either case), or -1. */
        static int byteOf(String t) {
            if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') {
                return -1;
            }
            int hi = Character.digit(t.charAt(3), 16);
            int lo = Character.digit(t.charAt(4), 16);
            return hi < 0 || lo < 0 || t.charAt(3) > 'f' || t.charAt(4) > 'f' ? -1 : hi * 16 + lo;
        }

        @Override
        public byte[] pieceBytes(String token) {
            int b = byteOf(token);
            return b < 0 ? null : new byte[] {(byte) b};
        }
    }

    /** {@code Fuse}: all tokens into one string. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /**
     * {@code Strip}: up to {@code start} leading and {@code stop} trailing {@code content} characters off
     * each token. Usually after Fuse, so it trims the text; a piece in the middle of a text keeps them.
     */
    record Strip(int content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int[] cps = t.codePoints().toArray();
                int from = 0;
                for (int i = 0; i < Math.min(start, cps.length) && cps[i] == content; i++) {
                    from = i + 1;
                }
                int to = cps.length;
                for (int i = 0; i < Math.min(stop, cps.length) && cps[cps.length - 1 - i] == content; i++) {
                    to = cps.length - 1 - i;
                }
                out.add(from >= to ? "" : new String(cps, from, to - from));
            }
            return out;
        }
    }

    /** {@code Replace}: every match of a literal string or regex in each token replaced by {@code content}. */
    record Replace(Pattern pattern, String content) implements Decoder {
        static Replace literal(String pattern, String content) {
            return new Replace(pattern.isEmpty() ? null : Pattern.compile(Pattern.quote(pattern)), content);
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            if (pattern == null) {
                return tokens;
            }
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                out.add(Normalizers.replaceAll(pattern, t, content));
            }
            return out;
        }

        @Override
        public String pieceText(String token) {
            return pattern == null ? token : Normalizers.replaceAll(pattern, token, content);
        }
    }

    /**
     * {@code Metaspace}: the replacement character becomes a space, except that in the first token every
     * replacement character is dropped when a prefix was added while encoding (prepend_scheme not
     * "never") — Hugging Face's code drops them all, not just the leading one.
     */
    record Metaspace(char replacement, boolean prependsSpace) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                out.add(i == 0 && prependsSpace ? t.replace(String.valueOf(replacement), "") : t.replace(replacement, ' '));
            }
            return out;
        }

        @Override
        public String pieceText(String token) {
            return token.replace(replacement, ' ');
        }
    }

    /**
     * {@code WordPiece}: a token after the first loses its {@code ##} prefix, or gets a space in front;
     * with {@code cleanup}, each token gets BERT's clean-up of spaces before punctuation and in
     * contractions.
     */
    record WordPiece(String prefix, boolean cleanup) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i > 0) {
                    t = t.startsWith(prefix) ? t.replaceFirst(Pattern.quote(prefix), "") : " " + t;
                }
                out.add(cleanup ? cleanup(t) : t);
            }
            return out;
        }

        @Override
        public String pieceText(String token) {
            String t = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            return cleanup ? cleanup(t) : t;
        }

        /** Hugging Face's {@code wordpiece::cleanup}, replacement by replacement. */
        static String cleanup(String s) {
            return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                    .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                    .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
        }
    }

    /** {@code BPEDecoder}: the end-of-word suffix becomes a space (none after the last token). */
    record BpeSuffix(String suffix) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        }

        @Override
        public String pieceText(String token) {
            return token.replace(suffix, " ");
        }
    }

    /** The decoders in order; a piece goes through them until one turns it into raw bytes. */
    record Sequence(List<Decoder> decoders) implements Decoder {
        Sequence {
            decoders = List.copyOf(decoders);
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder d : decoders) {
                tokens = d.decodeChain(tokens);
            }
            return tokens;
        }

        @Override
        public byte[] piece(String token) {
            String text = token;
            for (Decoder d : decoders) {
                byte[] raw = d.pieceBytes(text);
                if (raw != null) {
                    return raw;
                }
                text = d.pieceText(text);
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
