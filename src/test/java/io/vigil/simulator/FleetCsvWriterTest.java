package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.Decimals;
import io.vigil.kind.SensorKind.CsvMapping;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetCsvWriterTest {

    private static final long START_MS = 1_700_000_000_000L;

    @Test
    void writesHeaderAndTimeOrderedRowsWithLabels() throws IOException {
        // given two devices, the second broken from 0.02 s, no noise
        Scenario tiny = new Scenario("tiny", 7, "vibration", 2, "b-", 100, 1, 0, List.of(
                new Scenario.DeviceFault(List.of("b-02"), new FaultSchedule.Sudden(0.02))));
        FleetCsvWriter writer = new FleetCsvWriter(List.of("x", "y", "z"), new CsvMapping("ts", "device", "label"));
        StringWriter out = new StringWriter();
        List<Long> progress = new ArrayList<>();

        // when 3 samples per device are written in chunks of 2
        long rows = writer.write(Fleet.of(tiny).start(START_MS), 3, 2, out, progress::add);

        // then (a golden output on purpose: a change here changes every model's training data)
        assertThat(out.toString()).isEqualTo(GOLDEN);
        assertThat(rows).isEqualTo(6);
        assertThat(progress).containsExactly(2L, 3L);
    }

    @Test
    void headerFollowsTheTopologyColumnNames() {
        FleetCsvWriter writer = new FleetCsvWriter(List.of("ax", "ay", "az"), new CsvMapping("time", "id", "anomaly"));

        assertThat(writer.header()).isEqualTo("time,id,ax,ay,az,anomaly");
    }

    @Test
    void decimalsAreFixedSixPlaces() {
        assertThat(List.of(0.0, 1.5, -2.25, -0.0000004, 12.3456789, 1e-7, -19.9999996))
                .map(v -> Decimals.appendFixed6(new StringBuilder(), v).toString())
                .containsExactly("0.000000", "1.500000", "-2.250000", "0.000000", "12.345679", "0.000000",
                        "-20.000000");
    }

    private static final String GOLDEN = """
            ts,device,x,y,z,label
            1700000000000,b-01,-2.689473,-4.954538,10.906302,0
            1700000000000,b-02,2.664780,5.190953,8.430550,0
            1700000000010,b-01,-2.870678,-5.307466,10.795522,0
            1700000000010,b-02,2.866874,5.598251,8.379094,0
            1700000000020,b-01,-3.065621,-5.686945,10.704690,0
            1700000000020,b-02,3.522404,8.924290,8.004935,1
            """;
}
