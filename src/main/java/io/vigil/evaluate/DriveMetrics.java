package io.vigil.evaluate;

import java.util.List;

/**
 * Drive-level quality of a failure detector. A failed drive counts as caught when first flagged at
 * least {@code minLeadDays} before its failure day; a healthy drive flagged on any day is a false
 * alarm. Precision = caught / (caught + false alarms): a failed drive flagged too late is neither.
 *
 * @param failed          failed drives evaluated
 * @param caught          failed drives flagged at least {@code minLeadDays} ahead
 * @param healthy         healthy drives evaluated
 * @param falseAlarms     healthy drives flagged at least once
 * @param medianLeadDays  median lead time of the caught drives (NaN when none)
 */
public record DriveMetrics(int minLeadDays, int failed, int caught, int healthy, int falseAlarms,
                           double medianLeadDays) {

    public static DriveMetrics of(List<DriveOutcome> outcomes, int minLeadDays) {
        int failed = 0;
        int healthy = 0;
        int falseAlarms = 0;
        List<Long> leads = new java.util.ArrayList<>();
        for (DriveOutcome o : outcomes) {
            if (o.failed()) {
                failed++;
                if (o.caught(minLeadDays)) {
                    leads.add(o.leadDays());
                }
            } else {
                healthy++;
                if (o.alerted()) {
                    falseAlarms++;
                }
            }
        }
        return new DriveMetrics(minLeadDays, failed, leads.size(), healthy, falseAlarms, median(leads));
    }

    public double recall() {
        return failed == 0 ? Double.NaN : (double) caught / failed;
    }

    /** Share of healthy drives ever alerted. */
    public double falseAlarmShare() {
        return healthy == 0 ? Double.NaN : (double) falseAlarms / healthy;
    }

    public double precision() {
        return caught + falseAlarms == 0 ? Double.NaN : (double) caught / (caught + falseAlarms);
    }

    static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
