package io.vigil.model;

import io.vigil.reading.DeviceSeries;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers that turn series into windows and windows into network input. */
public final class Windows {

    private Windows() {
    }

    /** Every window of a series, cut by the shared {@link Windower} exactly as the stream cuts them. */
    public static List<Window> cut(DeviceSeries series, Windower.Shape shape) {
        Windower windower = new Windower(shape);
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            windower.add(series.ts()[i], series.values()[i], windows::add);
        }
        return windows;
    }

    /** A normalized batch {@code [batch, features, time]} of the given windows. */
    public static INDArray batch(List<Window> windows, Normalizer normalizer) {
        int features = windows.get(0).features();
        int length = windows.get(0).length();
        float[] data = new float[windows.size() * features * length];
        normalizeInto(windows, normalizer, data);
        return Nd4j.create(data, new long[] {windows.size(), features, length}, 'c');
    }

    /** The windows normalized into {@code out}, laid out {@code [batch, features, time]} from index 0. */
    static void normalizeInto(List<Window> windows, Normalizer normalizer, float[] out) {
        int size = windows.get(0).features() * windows.get(0).length();
        for (int i = 0; i < windows.size(); i++) {
            normalizer.normalizeInto(windows.get(i), out, i * size);
        }
    }
}
