package io.vigil.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A simulated fleet, read from {@code simulator/<name>.yaml} by {@link ScenarioLoader}: how many
 * bearings, their sample rate, noise and run length, and which of them fail how.
 *
 * @param name            scenario name (for logs and progress lines)
 * @param seed            fleet seed; every device's seed is derived from it
 * @param topology        sensor kind (topology file) the samples belong to, e.g. {@code vibration}
 * @param deviceCount     number of devices
 * @param idPrefix        device ids are the prefix plus a 1-based, zero-padded number ({@code bearing-01})
 * @param rateHz          samples per second per device
 * @param durationSeconds default run length
 * @param noiseStd        standard deviation of Gaussian measurement noise (0 = none)
 * @param faults          faulty devices and their schedules; every other device is healthy
 */
public record Scenario(String name, long seed, String topology, int deviceCount, String idPrefix, double rateHz,
                       double durationSeconds, double noiseStd, List<DeviceFault> faults) {

    /** The fault schedule of some devices. */
    public record DeviceFault(List<String> devices, FaultSchedule schedule) {
        public DeviceFault {
            devices = List.copyOf(devices);
        }
    }

    public Scenario {
        if (deviceCount < 1 || !(rateHz > 0) || !(durationSeconds > 0) || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("scenario " + name + ": needs deviceCount >= 1, rateHz > 0, "
                    + "durationSeconds > 0 and noiseStd >= 0");
        }
        faults = List.copyOf(faults);
        // fields are assigned only after the compact constructor, so ids come from the parameters
        Set<String> ids = Set.copyOf(deviceIds(deviceCount, idPrefix));
        for (DeviceFault fault : faults) {
            for (String device : fault.devices()) {
                if (!ids.contains(device)) {
                    throw new IllegalArgumentException("scenario " + name + ": fault names unknown device " + device);
                }
            }
        }
    }

    /** Device ids in order: {@code prefix01 … prefixNN} (at least two digits). */
    public List<String> deviceIds() {
        return deviceIds(deviceCount, idPrefix);
    }

    private static List<String> deviceIds(int count, String prefix) {
        int width = Math.max(2, String.valueOf(count).length());
        return IntStream.rangeClosed(1, count)
                .mapToObj(n -> prefix + String.format(Locale.ROOT, "%0" + width + "d", n))
                .toList();
    }

    /** The schedule of {@code device}; {@link FaultSchedule.None} when no fault names it. */
    public FaultSchedule scheduleOf(String device) {
        return faultsByDevice().getOrDefault(device, new FaultSchedule.None());
    }

    /** Samples per device in {@code seconds}, rounded to the nearest sample. */
    public long samplesIn(double seconds) {
        return Math.round(seconds * rateHz);
    }

    private Map<String, FaultSchedule> faultsByDevice() {
        return faults.stream()
                .flatMap(f -> f.devices().stream().map(d -> Map.entry(d, f.schedule())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }
}
