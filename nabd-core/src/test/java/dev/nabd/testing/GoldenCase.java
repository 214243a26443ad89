package dev.nabd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One llama.cpp reference case from {@code ../shared/golden} (see its README): the model file, the prompt
 * ids, the logits at every prompt position, the greedy continuation and its logits.
 */
public record GoldenCase(String name, String arch, String quant, Path model, String promptText, int[] promptIds,
                         int vocab, float[] logits, float[] genLogits, int[] greedyIds, float[] deqLogits,
                         int[] deqGreedyIds, float[] greedyMargins) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every case listed in {@code golden/index.json} whose architecture is one of {@code archs}. */
    public static List<GoldenCase> all(String... archs) {
        try {
            JsonNode index = JSON.readTree(SharedData.golden("index.json").toFile());
            List<GoldenCase> out = new ArrayList<>();
            for (JsonNode c : index.get("cases")) {
                String rel = c.asText();
                String arch = rel.substring(0, rel.indexOf('/'));
                if (List.of(archs).contains(arch)) {
                    out.add(load(SharedData.golden(rel)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCase load(Path json) throws IOException {
        JsonNode j = JSON.readTree(json.toFile());
        Path dir = json.getParent();
        boolean quantized = j.has("deq_logits_file");
        return new GoldenCase(
                json.getFileName().toString().replace(".json", ""),
                j.get("arch").asText(),
                j.get("quant").asText(),
                dir.resolve(j.get("model_file").asText()),
                j.get("prompt_text").asText(),
                ints(j.get("prompt_ids")),
                j.get("n_vocab").asInt(),
                floats(dir.resolve(j.get("logits_file").asText())),
                floats(dir.resolve(j.get("gen_logits_file").asText())),
                ints(j.get("greedy_ids")),
                quantized ? floats(dir.resolve(j.get("deq_logits_file").asText())) : null,
                quantized ? ints(j.get("deq_greedy_ids")) : null,
                j.has("greedy_top1_top2_margins") ? floatArray(j.get("greedy_top1_top2_margins")) : null);
    }

    /** Whether the weights are quantised (the exact reference is then {@link #deqLogits}). */
    public boolean quantized() {
        return deqLogits != null;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static float[] floatArray(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    /** Reads a raw little-endian float32 file. */
    public static float[] floats(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
