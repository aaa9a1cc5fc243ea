package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FleetTest {

    private static final long START_MS = 1_700_000_000_000L;

    @Test
    void sameSeedGivesIdenticalSeries() {
        // given two fleets of the same scenario
        Scenario scenario = scenario(42, 0.1, List.of());

        // when both generate 5 s
        List<DeviceSeries> first = Fleet.of(scenario).generate(START_MS, 5);
        List<DeviceSeries> second = Fleet.of(scenario).generate(START_MS, 5);

        // then every timestamp, value and label is equal
        assertThat(first).hasSize(3);
        for (int d = 0; d < first.size(); d++) {
            assertThat(second.get(d).device()).isEqualTo(first.get(d).device());
            assertThat(second.get(d).ts()).isEqualTo(first.get(d).ts());
            assertThat(second.get(d).values()).isDeepEqualTo(first.get(d).values());
            assertThat(second.get(d).labels()).isEqualTo(first.get(d).labels());
        }
    }

    @Test
    void differentSeedsGiveDifferentSeries() {
        // when
        DeviceSeries seed1 = Fleet.of(scenario(1, 0, List.of())).generate(START_MS, 1).get(0);
        DeviceSeries seed2 = Fleet.of(scenario(2, 0, List.of())).generate(START_MS, 1).get(0);

        // then
        assertThat(seed2.values()[0]).isNotEqualTo(seed1.values()[0]);
    }

    @Test
    void devicesOfOneFleetAreOutOfPhase() {
        // when
        List<DeviceSeries> fleet = Fleet.of(scenario(7, 0, List.of())).generate(START_MS, 1);

        // then no two devices start at the same state
        List<List<Double>> firstSamples = fleet.stream()
                .map(s -> Arrays.stream(s.values()[0]).boxed().toList()).toList();
        assertThat(firstSamples).doesNotHaveDuplicates();
    }

    @Test
    void chunkedRunEqualsOneWholeGeneration() {
        // given
        Fleet fleet = Fleet.of(scenario(42, 0.1, List.of()));

        // when the live API is asked for 3 chunks of 100 samples
        Fleet.Run run = fleet.start(START_MS);
        List<List<DeviceSeries>> chunks = List.of(run.next(100), run.next(100), run.next(100));
        List<DeviceSeries> whole = fleet.generate(START_MS, 3);

        // then the chunks concatenate into the whole series
        double[][] chunked = chunks.stream().flatMap(c -> Arrays.stream(c.get(1).values())).toArray(double[][]::new);
        assertThat(chunked).isDeepEqualTo(whole.get(1).values());
        assertThat(chunks.get(2).get(1).ts()[0]).isEqualTo(START_MS + 2_000);
        assertThat(run.samplesPerDevice()).isEqualTo(300);
    }

    @Test
    void healthyTrainingFleetCoversTheScenarioDuration() {
        // given the shipped training scenario
        Scenario healthy = ScenarioLoader.load(java.nio.file.Path.of("simulator/healthy.yaml"));

        // when
        List<DeviceSeries> series = Fleet.of(healthy).generate(START_MS);

        // then 8 devices x 120 s x 100 Hz, all labelled normal
        assertThat(series).extracting(DeviceSeries::device)
                .containsExactly("train-01", "train-02", "train-03", "train-04", "train-05", "train-06",
                        "train-07", "train-08");
        assertThat(series).allSatisfy(s -> {
            assertThat(s.size()).isEqualTo(12_000);
            assertThat(s.labels()).containsOnly(0);
        });
    }

    @Test
    void timestampsAreSpacedByTheSampleRate() {
        // when a 100 Hz fleet generates 50 ms
        DeviceSeries series = Fleet.of(scenario(3, 0, List.of())).generate(START_MS, 0.05).get(0);

        // then
        assertThat(series.ts()).containsExactly(START_MS, START_MS + 10, START_MS + 20, START_MS + 30, START_MS + 40);
    }

    @Test
    void labelsMarkTheFaultyDeviceFromItsFaultTime() {
        // given bearing-02 fails suddenly at 0.03 s
        Scenario scenario = scenario(5, 0, List.of(
                new Scenario.DeviceFault(List.of("bearing-02"), new FaultSchedule.Sudden(0.03))));

        // when
        List<DeviceSeries> fleet = Fleet.of(scenario).generate(START_MS, 0.06);

        // then
        assertThat(fleet.stream().map(s -> Arrays.stream(s.labels()).boxed().toList()).toList()).containsExactly(
                List.of(0, 0, 0, 0, 0, 0),
                List.of(0, 0, 0, 1, 1, 1),
                List.of(0, 0, 0, 0, 0, 0));
    }

    @Test
    void aBrokenDeviceSwingsWiderThanAHealthyOne() {
        // given bearing-01 broken from the start
        Scenario scenario = scenario(9, 0, List.of(
                new Scenario.DeviceFault(List.of("bearing-01"), new FaultSchedule.Sudden(0))));

        // when 60 s are generated
        List<DeviceSeries> fleet = Fleet.of(scenario).generate(START_MS, 60);

        // then
        assertThat(stdOfX(fleet.get(0)) / stdOfX(fleet.get(1))).isGreaterThan(2.5);
    }

    @Test
    void noiseChangesValuesButNotTheTrajectory() {
        // given the same scenario with and without noise
        DeviceSeries clean = Fleet.of(scenario(11, 0, List.of())).generate(START_MS, 1).get(0);
        DeviceSeries noisy = Fleet.of(scenario(11, 0.1, List.of())).generate(START_MS, 1).get(0);

        // then the difference is small noise around the same path
        double[] differences = IntStream.range(0, clean.size())
                .mapToDouble(i -> noisy.values()[i][0] - clean.values()[i][0]).toArray();
        double std = Math.sqrt(Arrays.stream(differences).map(d -> d * d).average().orElseThrow());
        assertThat(std).isBetween(0.07, 0.13);
    }

    private static Scenario scenario(long seed, double noise, List<Scenario.DeviceFault> faults) {
        return new Scenario("test", seed, "vibration", 3, "bearing-", 100, 10, noise, faults);
    }

    private static double stdOfX(DeviceSeries series) {
        double[] x = Arrays.stream(series.values()).mapToDouble(v -> v[0]).toArray();
        double mean = Arrays.stream(x).average().orElseThrow();
        return Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
    }
}
