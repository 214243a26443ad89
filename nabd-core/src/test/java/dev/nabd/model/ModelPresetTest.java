package dev.nabd.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The presets give each tensor the type llama-quantize gives it: their sizes equal those of the files
 * llama.cpp was benchmarked on ({@code ../shared/REFERENCE-BENCH.md}, "size MiB", rounded to 1 MiB).
 */
class ModelPresetTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "qwen2.5-0.5b, F16, 942", "qwen2.5-0.5b, Q8_0, 501", "qwen2.5-0.5b, Q4_0, 330", "qwen2.5-0.5b, Q4_K_M, 374",
            "qwen3-0.6b, F16, 1137", "qwen3-0.6b, Q8_0, 604", "qwen3-0.6b, Q4_0, 358", "qwen3-0.6b, Q4_K_M, 373",
            "llama3.2-1b, F16, 2357", "llama3.2-1b, Q8_0, 1252", "llama3.2-1b, Q4_0, 728", "llama3.2-1b, Q4_K_M, 763"})
    void sizesMatchTheReferenceFiles(String preset, String type, int mib) {
        SyntheticModel m = ModelPreset.byName(preset).synthetic(FileType.byName(type), 1);
        assertThat(m.weightBytes() / 1048576.0).isCloseTo(mib, org.assertj.core.data.Offset.offset(0.6));
    }
}
