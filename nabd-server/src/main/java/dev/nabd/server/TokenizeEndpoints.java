package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * {@code POST /tokenize} and {@code POST /detokenize}, shaped as llama.cpp's server: {@code content} in,
 * {@code tokens} out, and back.
 */
final class TokenizeEndpoints {
    private TokenizeEndpoints() {
    }

    static void tokenize(Exchange ex, ServedModel m, JsonNode body) throws IOException {
        Fields f = new Fields(body);
        String content = f.string("content", null);
        if (content == null) {
            throw ApiException.invalid("content is required", "content");
        }
        int[] ids = m.tokenizer().encode(content, f.bool("add_special", false), f.bool("parse_special", true));
        boolean pieces = f.bool("with_pieces", false);
        ObjectNode out = Json.object();
        ArrayNode tokens = out.putArray("tokens");
        for (int id : ids) {
            if (pieces) {
                tokens.addObject().put("id", id).put("piece", m.tokenText(id));
            } else {
                tokens.add(id);
            }
        }
        Json.send(ex, 200, out);
    }

    static void detokenize(Exchange ex, ServedModel m, JsonNode body) throws IOException {
        JsonNode list = new Fields(body).node("tokens");
        if (list == null || !list.isArray()) {
            throw ApiException.invalid("tokens must be a list of token ids", "tokens");
        }
        int vocab = m.tokenizer().vocabSize();
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = list.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.asInt() < 0 || t.asInt() >= vocab) {
                throw ApiException.invalid("tokens[" + i + "] is not a token id (0 to " + (vocab - 1) + "): " + t, "tokens");
            }
            ids[i] = t.asInt();
        }
        ObjectNode out = Json.object();
        out.put("content", m.tokenizer().decode(ids, true));
        Json.send(ex, 200, out);
    }
}
