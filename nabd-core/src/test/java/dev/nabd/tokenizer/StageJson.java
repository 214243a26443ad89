package dev.nabd.tokenizer;

import dev.nabd.json.JsonReader;

/** Builds single stages from tokenizer.json snippets, for the unit tests of each stage. */
final class StageJson {
    private StageJson() {
    }

    static JsonNode node(String json) {
        return JsonNode.root("test.json", JsonReader.parse(json));
    }

    static Normalizer normalizer(String json) {
        return JsonStages.normalizer(node(json));
    }

    static PreTokenizer preTokenizer(String json) {
        return JsonStages.preTokenizer(node(json));
    }

    static Decoder decoder(String json) {
        return JsonStages.decoder(node(json));
    }

    static PostProcessor postProcessor(String json) {
        return JsonStages.postProcessor(node(json));
    }

    /** A whole tokenizer from tokenizer.json text written with single quotes for readability. */
    static Tokenizer tokenizer(String json) {
        return TokenizerJson.parse(json.replace('\'', '"'), null, "test.json");
    }
}
