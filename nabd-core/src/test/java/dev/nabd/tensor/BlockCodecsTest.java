package dev.nabd.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockCodecsTest {

    @Test
    void everySupportedTypeAndQ8_KHasACodecOfThatType() {
        for (GgmlType type : GgmlType.values()) {
            if (type.supported() || type == GgmlType.Q8_K) {
                assertThat(BlockCodecs.of(type).type()).isEqualTo(type);
            }
        }
    }

    @Test
    void unsupportedTypesAreRejectedByName() {
        for (GgmlType type : GgmlType.values()) {
            if (!type.supported() && type != GgmlType.Q8_K) {
                assertThatThrownBy(() -> BlockCodecs.of(type))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(type.name());
            }
        }
    }
}
