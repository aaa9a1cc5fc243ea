package io.vigil.evaluate;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One test drive under one detector: when it failed (null = it did not) and when the detector first
 * flagged it (null = never, up to its last day).
 */
public record DriveOutcome(String serial, String model, LocalDate failureDate, LocalDate firstAlert) {

    public boolean failed() {
        return failureDate != null;
    }

    public boolean alerted() {
        return firstAlert != null;
    }

    /** Days between the first alert and the failure; null unless a failed drive was alerted. */
    public Long leadDays() {
        return failed() && alerted() ? ChronoUnit.DAYS.between(firstAlert, failureDate) : null;
    }

    /** A failed drive flagged at least {@code minLeadDays} before its failure day. */
    public boolean caught(int minLeadDays) {
        Long lead = leadDays();
        return lead != null && lead >= minLeadDays;
    }
}
