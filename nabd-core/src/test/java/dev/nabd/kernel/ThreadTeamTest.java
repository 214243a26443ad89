package dev.nabd.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadTeamTest {

    /** Every participant runs every step once, with its own index, and the call returns after all of them. */
    @Test
    void everyIndexRunsEachStep() {
        try (ThreadTeam team = new ThreadTeam(3)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            for (int step = 0; step < 1000; step++) {
                team.run((index, size) -> {
                    assertThat(size).isEqualTo(3);
                    runs.incrementAndGet(index);
                });
                for (int i = 0; i < 3; i++) {
                    assertThat(runs.get(i)).as("after step %d, index %d", step, i).isEqualTo(step + 1);
                }
            }
        }
    }

    /** A worker's failure reaches the caller, and the team goes on serving steps. */
    @Test
    void aWorkersFailureIsThrownToTheCaller() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            assertThatThrownBy(() -> team.run((index, size) -> {
                if (index == 1) {
                    throw new IllegalStateException("worker failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("worker failed");
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            team.run((index, size) -> runs.incrementAndGet(index));
            assertThat(runs.get(0) + runs.get(1)).isEqualTo(2);
        }
    }

    /** Per-worker scratch: one array each, with at least 128 bytes past the values asked for. */
    @Test
    void perWorkerArraysAreSeparateAndPadded() {
        float[][] a = ThreadTeam.perWorker(3, 10);
        assertThat(a).hasNumberOfRows(3);
        for (float[] row : a) {
            assertThat(row.length - 10).isGreaterThanOrEqualTo(128 / Float.BYTES);
        }
        assertThat(a[0]).isNotSameAs(a[1]);
    }
}
