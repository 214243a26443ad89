package dev.nabd.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantMathTest {

    @Test
    void nearestIntRoundsHalfToEven() {
        assertThat(QuantMath.nearestInt(0.5f)).isZero();
        assertThat(QuantMath.nearestInt(1.5f)).isEqualTo(2);
        assertThat(QuantMath.nearestInt(2.5f)).isEqualTo(2);
        assertThat(QuantMath.nearestInt(-2.5f)).isEqualTo(-2);
        assertThat(QuantMath.nearestInt(-3.5f)).isEqualTo(-4);
        assertThat(QuantMath.nearestInt(2.4999998f)).isEqualTo(2);
        assertThat(QuantMath.nearestInt(-0.0f)).isZero();
        assertThat(QuantMath.nearestInt(4194303f)).isEqualTo(4194303);
        assertThat(QuantMath.nearestInt(-4194303f)).isEqualTo(-4194303);
    }

    @Test
    void roundHalfAwayIsCsRoundf() {
        assertThat(QuantMath.roundHalfAway(0.5f)).isEqualTo(1);
        assertThat(QuantMath.roundHalfAway(-0.5f)).isEqualTo(-1);
        assertThat(QuantMath.roundHalfAway(2.5f)).isEqualTo(3);
        assertThat(QuantMath.roundHalfAway(-2.5f)).isEqualTo(-3);
        // 0.5 - 2^-25 + 0.5 would round up to 1 in float arithmetic; roundf gives 0
        assertThat(QuantMath.roundHalfAway(Math.nextDown(0.5f))).isZero();
        assertThat(QuantMath.roundHalfAway(-126.49999f)).isEqualTo(-126);
    }
}
