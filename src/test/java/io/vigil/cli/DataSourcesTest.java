package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import io.vigil.testkit.SharedData;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What train and score read from Backblaze data: score must see the drives that failed. */
class DataSourcesTest {

    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");

    @Test
    void smartDataKeepsFailedDrivesLabelledOnTheirFailureDayAndTrainingLeavesThemOut(@TempDir Path tmp)
            throws Exception {
        // given the first 7 days of the 2013 data, and the drives whose row says failure = 1 (read here
        // with a plain split, not through the reader under test)
        Path days = Files.createDirectories(tmp.resolve("days"));
        Set<String> failed = new TreeSet<>();
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().limit(7).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
                List<String> lines = Files.readAllLines(f);
                List<String> header = Arrays.asList(lines.get(0).split(","));
                int serial = header.indexOf("serial_number");
                int failure = header.indexOf("failure");
                lines.stream().skip(1).map(l -> l.split(",", -1)).filter(c -> c[failure].equals("1"))
                        .forEach(c -> failed.add(c[serial]));
            }
        }

        // when
        List<DeviceSeries> all = DataSources.read(List.of(days), SMART);
        List<DeviceSeries> healthy = DataSources.healthyOnly(all);

        // then every failed drive is there, labelled 1 on its last reading (2013-04-16) and 0 before;
        // training's healthy set is everything else
        long failureDay = LocalDate.of(2013, 4, 16).toEpochDay() * 86_400_000L;
        assertThat(failed).isNotEmpty();
        List<DeviceSeries> labelled = all.stream().filter(s -> Arrays.stream(s.labels()).anyMatch(l -> l == 1)).toList();
        Set<String> labelledIds = labelled.stream().map(DeviceSeries::device)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(labelledIds).isEqualTo(failed);
        assertThat(labelled).allSatisfy(s -> {
            assertThat(s.ts()[s.size() - 1]).isEqualTo(failureDay);
            assertThat(Arrays.stream(s.labels()).sum()).isEqualTo(1);
            assertThat(s.labels()[s.size() - 1]).isEqualTo(1);
        });
        assertThat(healthy).hasSize(all.size() - failed.size())
                .noneMatch(s -> failed.contains(s.device()));
    }
}
