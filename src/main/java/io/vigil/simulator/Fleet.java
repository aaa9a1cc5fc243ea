package io.vigil.simulator;

import io.vigil.reading.DeviceSeries;
import java.util.List;

/**
 * The devices of a {@link Scenario}, each with a seed derived from the scenario seed and its
 * position, so the same scenario always yields the same samples. Immutable: every
 * {@link #start} or {@link #generate} begins a fresh run from sample 0.
 */
public final class Fleet {

    /**
     * Where offline data (training, scoring, tests) starts, so a scenario always yields the same
     * samples: 2023-11-14T22:13:20Z.
     */
    public static final long REPRODUCIBLE_START_MS = 1_700_000_000_000L;

    private final Scenario scenario;

    private Fleet(Scenario scenario) {
        this.scenario = scenario;
    }

    public static Fleet of(Scenario scenario) {
        return new Fleet(scenario);
    }

    public Scenario scenario() {
        return scenario;
    }

    public List<String> deviceIds() {
        return scenario.deviceIds();
    }

    /** Every device's first {@link Scenario#durationSeconds()} of samples, the first at {@code startMs}. */
    public List<DeviceSeries> generate(long startMs) {
        return generate(startMs, scenario.durationSeconds());
    }

    /** Every device's first {@code seconds} of samples, the first at {@code startMs}; in device order. */
    public List<DeviceSeries> generate(long startMs, double seconds) {
        long samples = scenario.samplesIn(seconds);
        if (samples > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(seconds + " s is too long for one in-memory series; use start()");
        }
        return start(startMs).next((int) samples);
    }

    /** A live run: call {@link Run#next} for consecutive chunks. */
    public Run start(long startMs) {
        List<DeviceSimulator> devices = new java.util.ArrayList<>();
        List<String> ids = deviceIds();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            devices.add(new DeviceSimulator(id, deviceSeed(scenario.seed(), i), scenario.scheduleOf(id),
                    scenario.rateHz(), scenario.noiseStd(), startMs));
        }
        return new Run(List.copyOf(devices));
    }

    /**
     * Seed of the device at {@code index}: the scenario seed and the index mixed (SplitMix64
     * finaliser), so neighbouring devices and neighbouring scenario seeds share no streams.
     */
    static long deviceSeed(long scenarioSeed, int index) {
        long z = scenarioSeed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A fleet in progress; not thread-safe. */
    public static final class Run {

        private final List<DeviceSimulator> devices;

        private Run(List<DeviceSimulator> devices) {
            this.devices = devices;
        }

        /** The next {@code samplesPerDevice} samples of every device, in device order. */
        public List<DeviceSeries> next(int samplesPerDevice) {
            return devices.stream().map(d -> d.next(samplesPerDevice)).toList();
        }

        /** Samples each device has produced so far. */
        public long samplesPerDevice() {
            return devices.get(0).samplesProduced();
        }
    }
}
