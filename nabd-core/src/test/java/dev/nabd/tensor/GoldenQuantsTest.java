package dev.nabd.tensor;

import static dev.nabd.tensor.TensorTestSupport.relativeRmsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufTensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quantised tensors llama-quantize wrote into the tiny qwen3 files, against their F32 originals:
 * dequantising must come close to the original, and re-quantising the original with our reference
 * quantisers must give llama-quantize's bytes (no importance matrix was used, so llama-quantize ran
 * ggml's {@code quantize_row_*_ref}).
 */
class GoldenQuantsTest {
    /** Bounds on RMS(dequantised - original) / RMS(original) for the random N(0, 1/fan_in) weights. */
    private static final Map<GgmlType, Double> DEQUANT_BOUND = Map.of(
            GgmlType.Q8_0, 0.01,
            GgmlType.Q6_K, 0.03,
            GgmlType.Q4_K, 0.09,
            GgmlType.Q4_0, 0.12);

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0", "Q4_K_M"})
    void quantisedTensorsMatchTheirF32OriginalsAndOurQuantiser(String variant) {
        Path dir = TensorTestSupport.goldenDir().resolve("qwen3");
        Path quantPath = dir.resolve("tiny-qwen3-" + variant + ".gguf");
        Path f32Path = dir.resolve("tiny-qwen3-F32.gguf");

        Map<GgmlType, int[]> blocks = new EnumMap<>(GgmlType.class); // {identical, total}
        try (GgufFile quant = GgufFile.open(quantPath);
             GgufFile f32 = GgufFile.open(f32Path);
             Arena arena = Arena.ofConfined()) {
            for (GgufTensorInfo info : quant.tensors()) {
                GgmlType type = info.type();
                if (!type.quantized()) {
                    continue;
                }
                GgufTensorInfo originalInfo = f32.tensor(info.name());
                assertThat(originalInfo).as(info.name()).isNotNull();
                int n = Math.toIntExact(info.elementCount());
                assertThat(originalInfo.elementCount()).isEqualTo(n);

                float[] original = new float[n];
                BlockCodecs.of(originalInfo.type()).dequantize(f32.tensorData(originalInfo), 0, original, 0, n);
                MemorySegment stored = quant.tensorData(info);
                BlockCodec codec = BlockCodecs.of(type);

                float[] dequantised = new float[n];
                codec.dequantize(stored, 0, dequantised, 0, n);
                assertThat(relativeRmsError(dequantised, original))
                        .as("%s (%s) dequantised vs F32", info.name(), type)
                        .isLessThanOrEqualTo(DEQUANT_BOUND.get(type));

                MemorySegment requantised = arena.allocate(stored.byteSize());
                codec.quantize(original, 0, requantised, 0, n);
                int bytes = type.bytesPerBlock();
                int[] counts = blocks.computeIfAbsent(type, t -> new int[2]);
                for (long b = 0; b < n / type.blockSize(); b++) {
                    long at = b * bytes;
                    if (requantised.asSlice(at, bytes).mismatch(stored.asSlice(at, bytes)) == -1) {
                        counts[0]++;
                    }
                    counts[1]++;
                }
            }
        }
        assertThat(blocks).isNotEmpty();
        blocks.forEach((type, c) -> System.out.printf(
                "tiny-qwen3-%s: %s blocks identical to llama-quantize's: %d of %d%n", variant, type, c[0], c[1]));
        blocks.forEach((type, c) -> assertThat(c[0]).as("%s blocks identical in %s", type, variant).isEqualTo(c[1]));
    }
}
