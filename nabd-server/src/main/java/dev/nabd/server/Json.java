package dev.nabd.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.engine.TokenLogprobs;
import dev.nabd.engine.Usage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON in and out: parsing request bodies, writing responses, SSE events and error objects. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TYPE = "application/json; charset=utf-8";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private Json() {
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid("the request body is empty; send a JSON object", null);
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the request body is not valid JSON: " + e.getOriginalMessage(), null, "invalid_json");
        } catch (IOException e) {
            throw ApiException.invalid("the request body could not be read: " + e.getMessage(), null);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static void send(Exchange ex, int status, JsonNode body) throws IOException {
        ex.respond(status, TYPE, bytes(body), Map.of());
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SSE event: {@code data: <json>\n\n}, flushed so it leaves at once. */
    static void event(OutputStream os, JsonNode node) throws IOException {
        os.write("data: ".getBytes(StandardCharsets.UTF_8));
        os.write(bytes(node));
        os.write("\n\n".getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    static void done(OutputStream os) throws IOException {
        os.write(DONE);
        os.flush();
    }

    static ObjectNode error(ApiException e) {
        ObjectNode err = object();
        err.put("message", e.getMessage());
        err.put("type", e.type);
        err.put("param", e.param);
        err.put("code", e.code);
        ObjectNode root = object();
        root.set("error", err);
        return root;
    }

    /** The fields every completion object and chunk starts with. */
    static ObjectNode header(ServedModel m, String id, long created, String object) {
        ObjectNode root = object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", m.id());
        root.put("system_fingerprint", OpenAiServer.FINGERPRINT);
        return root;
    }

    /** The last chunk of a stream that asked for usage: no choices, the request's token counts. */
    static ObjectNode usageChunk(ServedModel m, String id, long created, String object, Usage u) {
        ObjectNode last = header(m, id, created, object);
        last.putArray("choices");
        last.set("usage", usage(u));
        return last;
    }

    static ObjectNode usage(Usage u) {
        ObjectNode n = object();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        n.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        return n;
    }

    /** A chat completion's log-probability entry: token, logprob, bytes and top_logprobs. */
    static ObjectNode chatLogprob(ServedModel m, TokenLogprobs lp) {
        ObjectNode n = tokenEntry(m, lp.token(), lp.logprob());
        ArrayNode top = n.putArray("top_logprobs");
        for (int i = 0; i < lp.topTokens().length; i++) {
            top.add(tokenEntry(m, lp.topTokens()[i], lp.topLogprobs()[i]));
        }
        return n;
    }

    private static ObjectNode tokenEntry(ServedModel m, int token, float logprob) {
        ObjectNode n = object();
        n.put("token", m.tokenText(token));
        n.put("logprob", logprob);
        ArrayNode bytes = n.putArray("bytes");
        for (byte b : m.tokenBytes(token)) {
            bytes.add(b & 0xff);
        }
        return n;
    }
}
