package dev.nabd.tokenizer;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the normalizer, pre-tokenizer, post-processor and decoder stages from their tokenizer.json
 * objects ({@code {"type": "...", ...}}), with Hugging Face's defaults for missing fields. An unknown
 * or unsupported type fails with the list of supported ones.
 */
final class JsonStages {
    private JsonStages() {
    }

    static Normalizer normalizer(JsonNode n) {
        if (n.isNull()) {
            return Normalizer.NONE;
        }
        String type = n.type();
        return switch (type) {
            case "NFC" -> new Normalizers.Unicode(Form.NFC);
            case "NFD" -> new Normalizers.Unicode(Form.NFD);
            case "NFKC" -> new Normalizers.Unicode(Form.NFKC);
            case "NFKD" -> new Normalizers.Unicode(Form.NFKD);
            case "Lowercase" -> new Normalizers.Lowercase();
            case "Strip" -> new Normalizers.Strip(n.get("strip_left").bool(true), n.get("strip_right").bool(true));
            case "StripAccents" -> new Normalizers.StripAccents();
            case "Replace" -> replaceNormalizer(n);
            case "Prepend" -> new Normalizers.Prepend(n.get("prepend").string());
            case "ByteLevel" -> new Normalizers.ByteLevel();
            case "BertNormalizer" -> {
                boolean lowercase = n.get("lowercase").bool(true);
                yield new BertNormalizer(n.get("clean_text").bool(true), n.get("handle_chinese_chars").bool(true),
                        n.get("strip_accents").bool(lowercase), lowercase);
            }
            case "Sequence" -> {
                List<Normalizer> parts = new ArrayList<>();
                for (JsonNode p : n.get("normalizers").list()) {
                    parts.add(normalizer(p));
                }
                yield new Normalizers.Sequence(parts);
            }
            default -> throw unsupported(n.get("type"), "normalizer", type,
                    "NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Replace, Prepend, ByteLevel, BertNormalizer, Sequence");
        };
    }

    private static Normalizer replaceNormalizer(JsonNode n) {
        JsonNode pattern = n.get("pattern");
        String content = n.get("content").string();
        return pattern.has("Regex") ? new Normalizers.Replace(regex(pattern.get("Regex")), content)
                : Normalizers.Replace.literal(pattern.get("String").string(), content);
    }

    static PreTokenizer preTokenizer(JsonNode n) {
        if (n.isNull()) {
            return PreTokenizer.sequence(List.of());
        }
        String type = n.type();
        return switch (type) {
            case "ByteLevel" -> new ByteLevelPreTokenizer(n.get("add_prefix_space").bool(true), n.get("use_regex").bool(true));
            case "Split" -> new Split(splitPattern(n.get("pattern")), behavior(n.get("behavior")), n.get("invert").bool(false));
            case "Metaspace" -> new Metaspace(replacement(n), prependScheme(n), n.get("split").bool(true));
            case "Whitespace" -> PreTokenizers.whitespace();
            case "WhitespaceSplit" -> PreTokenizers.whitespaceSplit();
            case "BertPreTokenizer" -> PreTokenizers.bert();
            case "Punctuation" -> PreTokenizers.punctuation(n.has("behavior") ? behavior(n.get("behavior")) : Split.Behavior.ISOLATED);
            case "Digits" -> PreTokenizers.digits(n.get("individual_digits").bool(false));
            case "CharDelimiterSplit" -> {
                String d = n.get("delimiter").string();
                if (d.codePointCount(0, d.length()) != 1) {
                    throw n.get("delimiter").error("expected one character");
                }
                yield PreTokenizers.charDelimiter(d.codePointAt(0));
            }
            case "Sequence" -> {
                List<PreTokenizer> parts = new ArrayList<>();
                for (JsonNode p : n.get("pretokenizers").list()) {
                    parts.add(preTokenizer(p));
                }
                yield PreTokenizer.sequence(parts);
            }
            default -> throw unsupported(n.get("type"), "pre-tokenizer", type,
                    "ByteLevel, Split, Metaspace, Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits,"
                            + " CharDelimiterSplit, Sequence");
        };
    }

    private static SplitPattern splitPattern(JsonNode pattern) {
        if (pattern.has("Regex")) {
            return SplitPattern.regex(regex(pattern.get("Regex")));
        }
        if (pattern.has("String")) {
            return SplitPattern.literal(pattern.get("String").string());
        }
        throw pattern.error("expected {\"String\": ...} or {\"Regex\": ...}");
    }

    private static Split.Behavior behavior(JsonNode b) {
        return switch (b.string()) {
            case "Removed" -> Split.Behavior.REMOVED;
            case "Isolated" -> Split.Behavior.ISOLATED;
            case "MergedWithPrevious" -> Split.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> Split.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> Split.Behavior.CONTIGUOUS;
            default -> throw b.error("unknown split behavior '" + b.string()
                    + "'; expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous");
        };
    }

    private static char replacement(JsonNode n) {
        JsonNode r = n.get("replacement");
        String s = r.string("\u2581");
        if (s.length() != 1) {
            throw r.error("expected one character");
        }
        return s.charAt(0);
    }

    /** {@code prepend_scheme}, or for older files {@code add_prefix_space} (true: always). */
    private static Metaspace.Prepend prependScheme(JsonNode n) {
        if (!n.has("prepend_scheme")) {
            return n.get("add_prefix_space").bool(true) ? Metaspace.Prepend.ALWAYS : Metaspace.Prepend.NEVER;
        }
        JsonNode p = n.get("prepend_scheme");
        return switch (p.string()) {
            case "always" -> Metaspace.Prepend.ALWAYS;
            case "first" -> Metaspace.Prepend.FIRST;
            case "never" -> Metaspace.Prepend.NEVER;
            default -> throw p.error("unknown prepend_scheme '" + p.string() + "'; expected always, first or never");
        };
    }

    static PostProcessor postProcessor(JsonNode n) {
        if (n.isNull()) {
            return PostProcessor.NONE;
        }
        String type = n.type();
        return switch (type) {
            case "ByteLevel" -> PostProcessor.NONE;
            case "TemplateProcessing" -> template(n);
            case "BertProcessing" -> PostProcessor.Template.around(
                    new int[] {specialPair(n.get("cls"))}, new int[] {specialPair(n.get("sep"))});
            case "RobertaProcessing" -> PostProcessor.Template.around(
                    new int[] {specialPair(n.get("cls"))}, new int[] {specialPair(n.get("sep"))});
            case "Sequence" -> {
                List<PostProcessor> parts = new ArrayList<>();
                for (JsonNode p : n.get("processors").list()) {
                    parts.add(postProcessor(p));
                }
                yield new PostProcessor.Sequence(parts);
            }
            default -> throw unsupported(n.get("type"), "post-processor", type,
                    "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence");
        };
    }

    /** {@code ["[CLS]", 101]}: the id as written (Hugging Face does not look the text up). */
    private static int specialPair(JsonNode pair) {
        List<JsonNode> parts = pair.list();
        if (parts.size() != 2) {
            throw pair.error("expected [token, id]");
        }
        return parts.get(1).integer();
    }

    /** TemplateProcessing's {@code single} template: special tokens around {@code $A}. */
    private static PostProcessor template(JsonNode n) {
        JsonNode special = n.get("special_tokens");
        IntList before = new IntList(2);
        IntList after = new IntList(2);
        boolean sequenceSeen = false;
        JsonNode single = n.get("single");
        List<JsonNode> pieces = single.isString() ? stringTemplate(single) : single.list();
        for (JsonNode piece : pieces) {
            if (piece.has("Sequence")) {
                if (sequenceSeen) {
                    throw piece.error("the single-sequence template names a sequence twice");
                }
                sequenceSeen = true;
            } else if (piece.has("SpecialToken")) {
                JsonNode name = piece.get("SpecialToken").get("id");
                JsonNode entry = special.get(name.string());
                if (entry.isNull()) {
                    throw name.error("special token '" + name.string() + "' is not in special_tokens");
                }
                for (JsonNode id : entry.get("ids").list()) {
                    (sequenceSeen ? after : before).add(id.integer());
                }
            } else {
                throw piece.error("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
            }
        }
        return new PostProcessor.Template(before.toArray(), after.toArray(), sequenceSeen);
    }

    /** The string form of a template, {@code "[CLS] $A [SEP]"}, as the piece objects. */
    private static List<JsonNode> stringTemplate(JsonNode single) {
        List<Object> pieces = new ArrayList<>();
        for (String part : single.string().trim().split("\\s+")) {
            if (part.startsWith("$")) {
                pieces.add(java.util.Map.of("Sequence", java.util.Map.of("id", "A")));
            } else {
                String name = part.contains(":") ? part.substring(0, part.lastIndexOf(':')) : part;
                pieces.add(java.util.Map.of("SpecialToken", java.util.Map.of("id", name)));
            }
        }
        return JsonNode.root("template", pieces).list();
    }

    /** The decoder, or {@code null} for {@code "decoder": null}. */
    static Decoder decoder(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        String type = n.type();
        return switch (type) {
            case "ByteLevel" -> new Decoders.ByteLevel();
            case "ByteFallback" -> new Decoders.ByteFallback();
            case "Fuse" -> new Decoders.Fuse();
            case "Strip" -> {
                String content = n.get("content").string();
                if (content.codePointCount(0, content.length()) != 1) {
                    throw n.get("content").error("expected one character");
                }
                yield new Decoders.Strip(content.codePointAt(0), n.get("start").integer(0), n.get("stop").integer(0));
            }
            case "Replace" -> {
                JsonNode pattern = n.get("pattern");
                String content = n.get("content").string();
                yield pattern.has("Regex")
                        ? new Decoders.Replace(regex(pattern.get("Regex")), content)
                        : Decoders.Replace.literal(pattern.get("String").string(), content);
            }
            case "Metaspace" -> new Decoders.Metaspace(replacement(n), prependScheme(n) != Metaspace.Prepend.NEVER);
            case "WordPiece" -> new Decoders.WordPiece(n.get("prefix").string("##"), n.get("cleanup").bool(true));
            case "BPEDecoder" -> new Decoders.BpeSuffix(n.get("suffix").string("</w>"));
            case "Sequence" -> {
                List<Decoder> parts = new ArrayList<>();
                for (JsonNode p : n.get("decoders").list()) {
                    parts.add(decoder(p));
                }
                yield new Decoders.Sequence(parts);
            }
            default -> throw unsupported(n.get("type"), "decoder", type,
                    "ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, WordPiece, BPEDecoder, Sequence");
        };
    }

    /** A pattern's Oniguruma regex, compiled; an error names where it is. */
    private static java.util.regex.Pattern regex(JsonNode regex) {
        try {
            return OnigRegex.compile(regex.string());
        } catch (TokenizerException e) {
            throw regex.error(e.getMessage());
        }
    }

    static TokenizerException unsupported(JsonNode at, String what, String type, String supported) {
        return at.error("unsupported " + what + " type '" + type + "'; supported: " + supported);
    }
}
