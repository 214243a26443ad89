package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.engine.Completion;
import dev.nabd.engine.GenerationEvent;
import dev.nabd.engine.TokenLogprobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/completions}: raw text completion of one or more prompts (strings or token ids), with
 * {@code echo} and the legacy log-probability format.
 */
final class CompletionsEndpoint {

    private CompletionsEndpoint() {
    }

    static void handle(Exchange ex, ServedModel m, JsonNode body) throws IOException, InterruptedException {
        Fields f = new Fields(body);
        OpenAiServer.checkModel(f, m);
        List<String> texts = new ArrayList<>();
        List<int[]> prompts = prompts(m, f.node("prompt"), texts);
        boolean echo = f.bool("echo", false);
        if (f.has("suffix")) {
            throw ApiException.invalid("suffix is not supported", "suffix");
        }
        GenerationParams p = GenerationParams.read(f, 16, false);
        if (f.has("best_of") && f.integer("best_of", 1, 1, GenerationParams.MAX_N) != p.n()) {
            throw ApiException.invalid("best_of other than n is not supported", "best_of");
        }
        if (echo && p.topLogprobs() >= 0) {
            throw ApiException.invalid("echo together with logprobs is not supported: prompt log-probabilities are not computed", "echo");
        }
        Choices choices = Choices.submit(m, prompts, p);
        String id = OpenAiServer.newId("cmpl-");
        long created = System.currentTimeMillis() / 1000;
        List<String> echoed = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            // The prompt as sent; token-id prompts are decoded.
            echoed.add(!echo ? "" : texts.get(i) != null ? texts.get(i) : m.tokenizer().decode(prompts.get(i), false));
        }
        if (p.stream()) {
            stream(ex, m, p, choices, echoed, id, created);
        } else {
            Json.send(ex, 200, whole(m, p, choices, echoed, id, created));
        }
    }

    /**
     * A string, a list of strings, a list of token ids, or a list of such lists; {@code texts} gets each
     * prompt's text, or null for token ids.
     */
    private static List<int[]> prompts(ServedModel m, JsonNode prompt, List<String> texts) {
        List<int[]> out = new ArrayList<>();
        String shape = "prompt must be a string, a list of strings, a list of token ids or a list of such lists";
        if (prompt == null) {
            throw ApiException.invalid("prompt is required", "prompt");
        }
        if (prompt.isTextual()) {
            out.add(m.tokenizer().encode(prompt.asText(), true, true));
            texts.add(prompt.asText());
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
            out.add(ids(prompt, shape));
            texts.add(null);
        } else if (prompt.isArray() && !prompt.isEmpty()) {
            for (JsonNode p : prompt) {
                if (p.isTextual()) {
                    out.add(m.tokenizer().encode(p.asText(), true, true));
                    texts.add(p.asText());
                } else if (p.isArray()) {
                    out.add(ids(p, shape));
                    texts.add(null);
                } else {
                    throw ApiException.invalid(shape, "prompt");
                }
            }
        } else {
            throw ApiException.invalid(shape, "prompt");
        }
        for (int[] ids : out) {
            if (ids.length == 0) {
                throw ApiException.invalid("a prompt must not be empty", "prompt");
            }
        }
        return out;
    }

    private static int[] ids(JsonNode list, String shape) {
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = list.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw ApiException.invalid(shape, "prompt");
            }
            ids[i] = t.asInt();
        }
        return ids;
    }

    private static ObjectNode whole(ServedModel m, GenerationParams p, Choices choices, List<String> echoed, String id,
                                    long created) throws InterruptedException {
        ObjectNode root = Json.header(m, id, created, "text_completion");
        ArrayNode list = root.putArray("choices");
        for (int i = 0; i < choices.size(); i++) {
            Completion c = choices.await(i);
            ObjectNode choice = list.addObject();
            choice.put("text", echoed.get(i / p.n()) + c.text());
            choice.put("index", i);
            if (p.topLogprobs() >= 0) {
                choice.set("logprobs", logprobs(m, c.logprobs(), 0));
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", c.finishReason().wireName());
        }
        root.set("usage", Json.usage(choices.usage()));
        return root;
    }

    /** The legacy format: parallel lists of tokens, their log-probabilities, alternatives and text offsets. */
    private static ObjectNode logprobs(ServedModel m, List<TokenLogprobs> lps, int textOffset) {
        ObjectNode n = Json.object();
        ArrayNode tokens = n.putArray("tokens");
        ArrayNode values = n.putArray("token_logprobs");
        ArrayNode top = n.putArray("top_logprobs");
        ArrayNode offsets = n.putArray("text_offset");
        int offset = textOffset;
        for (TokenLogprobs lp : lps) {
            String text = m.tokenText(lp.token());
            tokens.add(text);
            values.add(lp.logprob());
            ObjectNode alternatives = top.addObject();
            for (int i = 0; i < lp.topTokens().length; i++) {
                alternatives.put(m.tokenText(lp.topTokens()[i]), lp.topLogprobs()[i]);
            }
            offsets.add(offset);
            offset += text.length();
        }
        return n;
    }

    private static void stream(Exchange ex, ServedModel m, GenerationParams p, Choices choices, List<String> echoed, String id,
                               long created) throws IOException, InterruptedException {
        OutputStream os = ex.stream(200, "text/event-stream; charset=utf-8");
        int[] offsets = new int[choices.size()];   // text offsets of the legacy log-probabilities
        try {
            for (int i = 0; i < choices.size(); i++) {
                String e = echoed.get(i / p.n());
                if (!e.isEmpty()) {
                    Json.event(os, chunk(m, p, id, created, i, e, null, null));
                    offsets[i] = e.length();
                }
            }
        } catch (IOException gone) {
            choices.cancelAll();
            os.close();
            throw gone;
        }
        SseStream.follow(os, choices, new SseStream.Shape() {
            @Override
            public void token(OutputStream out, int index, GenerationEvent.Token t) throws IOException {
                if (!t.text().isEmpty() || t.logprobs() != null) {
                    ObjectNode lp = t.logprobs() == null ? null : logprobs(m, List.of(t.logprobs()), offsets[index]);
                    Json.event(out, chunk(m, p, id, created, index, t.text(), lp, null));
                    offsets[index] += t.text().length();
                }
            }

            @Override
            public void done(OutputStream out, int index, GenerationEvent.Done d) throws IOException {
                Json.event(out, chunk(m, p, id, created, index, d.text(), null, d.reason().wireName()));
            }
        }, !p.includeUsage() ? null : usage -> Json.usageChunk(m, id, created, "text_completion", usage));
    }

    private static ObjectNode chunk(ServedModel m, GenerationParams p, String id, long created, int index, String text,
                                    ObjectNode logprobs, String finish) {
        ObjectNode root = Json.header(m, id, created, "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", index);
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs);
        }
        choice.put("finish_reason", finish);
        if (p.includeUsage()) {
            root.putNull("usage");
        }
        return root;
    }
}
