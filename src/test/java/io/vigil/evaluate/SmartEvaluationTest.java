package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AutoencoderSpec;
import io.vigil.model.Trainer;
import io.vigil.replay.DriveHistory;
import io.vigil.testkit.SharedData;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test on a slice of the real 2013 data: 6 days, a small quickly trained model, a full report. */
class SmartEvaluationTest {

    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");

    static final Trainer.Settings QUICK = Trainer.Settings.defaults(SMART).withEpochs(2).withMaxTrainWindows(2000)
            .withSpec(new AutoencoderSpec(SMART.featureCount(), 5, 8, 4, 0.01, 42));

    @Test
    void sixRealDaysGiveAReportWithVigilAndTheRuleOnTheSameDrives(@TempDir Path tmp) throws Exception {
        // given the first 6 days (several windows per drive, no failure yet: this checks the plumbing, not quality)
        Path days = firstDays(tmp, 6);
        Trainer.Settings trainer = QUICK;
        List<String> lines = new ArrayList<>();

        // when
        SmartEvaluation.Result r = new SmartEvaluation(SMART, new SmartEvaluation.Settings(0.5, trainer), lines::add)
                .run(days, null);
        Path report = SmartReport.write(r, tmp.resolve("report"), days.toString(), "vigil evaluate --test");

        // then every test drive is judged by both detectors, the failed ones are those of the slice's test half
        assertThat(r.read().days()).isEqualTo(6);
        assertThat(r.vigil().failed() + r.vigil().healthy()).isEqualTo(r.testDrives());
        assertThat(r.ruleSameDays().failed()).isEqualTo(r.vigil().failed());
        assertThat(r.ruleAllDays().healthy()).isEqualTo(r.vigil().healthy());
        assertThat(r.drives()).allSatisfy(d -> assertThat(d.windows().size()).isLessThanOrEqualTo(Math.max(0, d.history().days() - (SMART.window() - 1))));
        assertThat(r.trainDrives() + r.testDrives()).isBetween(10_000, 11_500);
        assertThat(r.sweep()).isNotEmpty();
        assertThat(lines).anyMatch(l -> l.startsWith("read 6/6 days"));
        String md = Files.readString(report);
        assertThat(md).contains("| Vigil (calibrated threshold) |", "| Backblaze rule, same days as Vigil |",
                "![](precision-recall.png)");
        assertThat(tmp.resolve("report/precision-recall.png")).isNotEmptyFile();
    }

    @Test
    void selectionJudgesTheTrainingHalfsFailedAndHeldOutHealthyDrivesNeverATestDrive(@TempDir Path tmp)
            throws Exception {
        // given the first 7 days: five drives fail on 2013-04-16, the 7th day
        Path days = firstDays(tmp, 7);

        // when the same model is judged on the selection drives
        SmartEvaluation.Result r = new SmartEvaluation(SMART, new SmartEvaluation.Settings(0.5, QUICK, true), l -> { })
                .run(days, null);
        Path report = SmartReport.write(r, tmp.resolve("report"), days.toString(), "vigil evaluate --test");

        // then every judged drive is a training-half drive: its failed ones, and the healthy ones held out
        // for validation (a fifth of the healthy training drives)
        DriveSplit split = new DriveSplit(0.5);
        assertThat(r.judged()).isEqualTo("selection");
        assertThat(r.drives()).noneMatch(d -> split.isTest(d.history().serial()));
        assertThat(r.vigil().healthy()).isCloseTo((int) Math.round(r.trainDrives() * 0.2), org.assertj.core.data.Offset.offset(1));
        assertThat(r.vigil().failed()).isEqualTo(r.drives().stream().filter(d -> d.history().failed()).count())
                .isPositive();
        assertThat(Files.readString(report)).contains("selection drives", "## Failed selection drives");
    }

    @Test
    void sectorCountGrewFlagsTheFirstRiseAboveAnEarlierValueOnTheJudgedDays() {
        // given a drive (columns smart_5, smart_197) with 3 reallocated sectors from its first day, a pending
        // count that falls from 2 to 0 on day 2, an unreported day, and a rise of pending from 0 to 1 on day 5
        List<String> columns = List.of("smart_5_raw", "smart_197_raw");
        float nan = Float.NaN;
        int first = (int) java.time.LocalDate.of(2013, 4, 10).toEpochDay();
        int[] days = {first, first + 1, first + 2, first + 3, first + 4, first + 5};
        float[] values = {3, 2, 3, 0, 3, 0, nan, nan, 3, 1, 4, 1};
        DriveHistory drive = new DriveHistory("D", "M", 0, days, values, 2, null);

        // then: all days: day 5 (pending 1 > its low 0; its first day's 2 is no growth); only the days
        // from day 6 on: day 6 (reallocated 4 > 3), although day 5's rise came before the judged days
        assertThat(SmartEvaluation.grewAlert(drive, columns, null)).isEqualTo(java.time.LocalDate.of(2013, 4, 14));
        assertThat(SmartEvaluation.grewAlert(drive, columns, java.util.Set.of(first + 5)))
                .isEqualTo(java.time.LocalDate.of(2013, 4, 15));
        assertThat(SmartEvaluation.grewAlert(drive, columns, java.util.Set.of(first, first + 1, first + 2)))
                .isNull();
    }

    static Path firstDays(Path tmp, int n) throws java.io.IOException {
        Path days = Files.createDirectories(tmp.resolve("days"));
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().limit(n).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
            }
        }
        return days;
    }
}
