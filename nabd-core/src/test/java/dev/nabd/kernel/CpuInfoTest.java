package dev.nabd.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CpuInfoTest {

    @Test
    void hyperThreadsOfOneCoreCountOnce() {
        List<String> twoSocketsTwoCoresHyperThreaded = List.of(
                "processor\t: 0", "physical id\t: 0", "core id\t\t: 0",
                "processor\t: 1", "physical id\t: 0", "core id\t\t: 0",
                "processor\t: 2", "physical id\t: 0", "core id\t\t: 1",
                "processor\t: 3", "physical id\t: 0", "core id\t\t: 1",
                "processor\t: 4", "physical id\t: 1", "core id\t\t: 0",
                "processor\t: 5", "physical id\t: 1", "core id\t\t: 1");
        assertThat(CpuInfo.coresIn(twoSocketsTwoCoresHyperThreaded)).isEqualTo(4);
        assertThat(CpuInfo.coresIn(List.of("processor : 0", "model name : something"))).isZero();
    }

    @Test
    void theDefaultIsBetweenOneAndTheAvailableProcessors() {
        assertThat(CpuInfo.physicalCores()).isBetween(1, Runtime.getRuntime().availableProcessors());
    }
}
