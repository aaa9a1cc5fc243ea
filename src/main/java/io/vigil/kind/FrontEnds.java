package io.vigil.kind;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind.FrontEndSpec;
import io.vigil.kind.SensorKind.Rolling;
import io.vigil.kind.SensorKind.Spectrum;
import java.util.Iterator;
import java.util.Set;

/** Reads and checks a topology's {@code frontEnd} block; every error names the file and the field. */
final class FrontEnds {

    private static final Set<String> SPECTRUM_FIELDS = Set.of("type", "rateHz", "frame", "frameHop", "bands", "lowHz",
            "highHz", "envelopeBands", "envelopeLowHz", "envelopeHighHz", "envelopeMaxHz");
    private static final Set<String> ROLLING_FIELDS = Set.of("type", "span");

    private FrontEnds() {
    }

    static FrontEndSpec read(SensorKindLoader.Fields f, JsonNode node) {
        f.requireObject(node, "frontEnd");
        String type = f.text(node, "frontEnd.type", null);
        return switch (type) {
            case "spectrum" -> spectrum(f, node);
            case "rolling" -> {
                known(f, node, ROLLING_FIELDS);
                int span = f.positiveInt(node, "frontEnd.span", null);
                if (span < 2) {
                    throw ConfigException.field(f.file(), "frontEnd.span", "at least 2 samples", span);
                }
                yield new Rolling(span);
            }
            default -> throw ConfigException.field(f.file(), "frontEnd.type", "one of spectrum, rolling", type);
        };
    }

    private static Spectrum spectrum(SensorKindLoader.Fields f, JsonNode node) {
        known(f, node, SPECTRUM_FIELDS);
        double rate = f.positiveNumber(node, "frontEnd.rateHz");
        int frame = f.positiveInt(node, "frontEnd.frame", null);
        if (frame < 16 || Integer.bitCount(frame) != 1) {
            throw ConfigException.field(f.file(), "frontEnd.frame", "a power of two, at least 16", frame);
        }
        int frameHop = f.positiveInt(node, "frontEnd.frameHop", frame / 2);
        if (frameHop > frame) {
            throw ConfigException.field(f.file(), "frontEnd.frameHop", "at most frame (" + frame + ")", frameHop);
        }
        double nyquist = rate / 2;
        double binHz = rate / frame;
        int bands = f.positiveInt(node, "frontEnd.bands", 8);
        double low = f.positiveNumber(node, "frontEnd.lowHz", binHz);
        double high = f.positiveNumber(node, "frontEnd.highHz", nyquist);
        if (!(low < high) || high > nyquist) {
            throw ConfigException.field(f.file(), "frontEnd.highHz", "above lowHz (" + num(low) + ") and at most half of "
                    + "rateHz (" + num(nyquist) + ")", node.get("highHz"));
        }
        // Log-spaced bands: the narrowest (the first) must hold at least one FFT bin.
        double firstHigh = low * Math.pow(high / low, 1.0 / bands);
        if (Math.ceil(low / binHz) >= firstHigh / binHz) {
            throw ConfigException.field(f.file(), "frontEnd.lowHz", "a first band (" + num(low) + "-"
                    + Math.round(firstHigh) + " Hz) at least one FFT bin (" + num(binHz) + " Hz) wide: raise lowHz or "
                    + "frame, or use fewer bands", node.get("lowHz"));
        }
        int envelopeBands = node.has("envelopeBands") && node.get("envelopeBands").asInt(-1) == 0 ? 0
                : f.positiveInt(node, "frontEnd.envelopeBands", 0);
        double envLow = 0;
        double envHigh = 0;
        double envMax = 0;
        if (envelopeBands > 0) {
            envLow = f.positiveNumber(node, "frontEnd.envelopeLowHz");
            envHigh = f.positiveNumber(node, "frontEnd.envelopeHighHz", nyquist);
            envMax = f.positiveNumber(node, "frontEnd.envelopeMaxHz");
            if (!(envLow < envHigh) || envHigh > nyquist) {
                throw ConfigException.field(f.file(), "frontEnd.envelopeHighHz", "above envelopeLowHz and at most "
                        + num(nyquist) + " Hz", node.get("envelopeHighHz"));
            }
            if (envMax / envelopeBands < binHz || envMax > nyquist) {
                throw ConfigException.field(f.file(), "frontEnd.envelopeMaxHz", "at most " + num(nyquist) + " Hz, with "
                        + "envelope bands at least one FFT bin (" + num(binHz) + " Hz) wide", node.get("envelopeMaxHz"));
            }
        }
        return new Spectrum(rate, frame, frameHop, bands, low, high, envelopeBands, envLow, envHigh, envMax);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void known(SensorKindLoader.Fields f, JsonNode node, Set<String> fields) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ConfigException.field(f.file(), "frontEnd." + name, "one of " + new java.util.TreeSet<>(fields),
                        "unknown");
            }
        }
    }
}
