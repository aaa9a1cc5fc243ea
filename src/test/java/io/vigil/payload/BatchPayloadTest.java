package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind.PayloadMapping;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPayloadTest {

    private static final PayloadMapping VIBRATION = new PayloadMapping("ts", Map.of("x", "x", "y", "y", "z", "z"),
            "samples", "rateHz");

    @Test
    void batchIsTheTopologysJsonShape() {
        // given
        DeviceSeries series = new DeviceSeries("bearing-01", new long[] {1000, 1010, 1020},
                new double[][] {{1, 2, 3}, {-4.5, 0.1234567, 6}, {7, 8, 9}}, new int[] {0, 0, 0});

        // when samples 0 and 1 are packed
        String json = new String(new BatchPayload(VIBRATION, 100).json(series, 0, 2), StandardCharsets.UTF_8);

        // then
        assertThat(json).isEqualTo("{\"ts\":1000,\"rateHz\":100,\"samples\":"
                + "[[1.000000,2.000000,3.000000],[-4.500000,0.123457,6.000000]]}");
    }

    @Test
    void fieldNamesComeFromTheMappingAndFractionalRatesStayExact() {
        PayloadMapping renamed = new PayloadMapping("time", Map.of("x", "x"), "data", "hz");
        DeviceSeries series = new DeviceSeries("d", new long[] {5}, new double[][] {{1}}, null);

        String json = new String(new BatchPayload(renamed, 12.5).json(series, 0, 1), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"time\":5,\"hz\":12.5,\"data\":[[1.000000]]}");
    }
}
