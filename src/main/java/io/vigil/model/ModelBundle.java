package io.vigil.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model in one file: a zip holding {@code bundle.json} ({@link BundleMetadata}: version,
 * topology, window, features, normalizer, threshold, training summary) and {@code weights.bin}
 * (every trainable parameter by name). Loading rebuilds the network from the spec and restores
 * the weights.
 */
public final class ModelBundle {

    public static final int FORMAT = 1;
    static final String METADATA_ENTRY = "bundle.json";
    static final String WEIGHTS_ENTRY = "weights.bin";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final BundleMetadata metadata;
    private final Autoencoder network;

    public ModelBundle(BundleMetadata metadata, Autoencoder network) {
        this.metadata = metadata;
        this.network = network;
    }

    public BundleMetadata metadata() {
        return metadata;
    }

    public Autoencoder network() {
        return network;
    }

    /** A scorer over this bundle's network; not thread-safe, like the network. */
    public BundleScorer scorer() {
        return new BundleScorer(this);
    }

    /** Builds an empty network of the given engine and spec. */
    public static Autoencoder newNetwork(String engine, AutoencoderSpec spec) {
        Backend.check();
        return switch (engine) {
            case "samediff" -> new SameDiffAutoencoder(spec);
            case "layers" -> new LayerAutoencoder(spec);
            default -> throw new IllegalArgumentException("unknown engine '" + engine + "': expected samediff or layers");
        };
    }

    /** Writes the bundle atomically (temp file, then move). */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".bundle", ".tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
            zip.write(JSON.writeValueAsBytes(metadata));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(WEIGHTS_ENTRY));
            DataOutputStream out = new DataOutputStream(zip);
            Map<String, INDArray> params = network.parameters();
            out.writeInt(params.size());
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] values = e.getValue().dup('c').data().asFloat();
                for (float v : values) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            zip.closeEntry();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads a bundle; a missing or broken file fails with one line naming the file and what is wrong. */
    public static ModelBundle load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": model bundle not found (train one with 'vigil train')");
        } catch (IOException e) {
            throw new ConfigException(file + ": not a readable model bundle (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a bundle from its bytes, as published on the models topic; a broken one fails with one line
     * naming {@code source} and what is wrong.
     */
    public static ModelBundle fromBytes(byte[] bytes, String source) {
        try {
            return read(new ByteArrayInputStream(bytes), Path.of(source));
        } catch (IOException e) {
            throw new ConfigException(source + ": not a readable model bundle (" + e.getMessage() + ")");
        }
    }

    private static ModelBundle read(InputStream in, Path file) throws IOException {
        BundleMetadata metadata = null;
        Map<String, INDArray> weights = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(METADATA_ENTRY)) {
                    metadata = readMetadata(file, zip.readAllBytes());
                } else if (entry.getName().equals(WEIGHTS_ENTRY)) {
                    weights = readWeights(file, zip);
                }
            }
        }
        if (metadata == null || weights == null) {
            throw new ConfigException(file + ": not a model bundle: expected entries " + METADATA_ENTRY + " and "
                    + WEIGHTS_ENTRY);
        }
        Autoencoder network;
        try {
            network = newNetwork(metadata.engine(), metadata.spec());
            network.setParameters(weights);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + WEIGHTS_ENTRY + " does not fit the network in " + METADATA_ENTRY
                    + ": " + e.getMessage());
        }
        return new ModelBundle(metadata, network);
    }

    private static BundleMetadata readMetadata(Path file, byte[] bytes) {
        BundleMetadata m;
        try {
            m = JSON.readValue(bytes, BundleMetadata.class);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + METADATA_ENTRY + " is not valid bundle metadata: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Path where = Path.of(file + "!" + METADATA_ENTRY);
        if (m.format() != FORMAT) {
            throw ConfigException.field(where, "format", "bundle format " + FORMAT, m.format());
        }
        require(where, "version", m.version() != null && !m.version().isBlank(), "a version id", m.version());
        require(where, "features", m.features() != null && !m.features().isEmpty(), "a list of feature names",
                m.features());
        require(where, "spec", m.spec() != null && m.spec().features() == m.features().size()
                && m.spec().window() == m.window(), "a network spec matching features and window", m.spec());
        require(where, "normalizer", m.normalizer() != null && m.normalizer().features() == m.features().size(),
                "mean and std for each of the " + m.features().size() + " features", m.normalizer());
        require(where, "calibration.threshold", m.calibration() != null && m.calibration().threshold() > 0
                && Double.isFinite(m.calibration().threshold()), "a positive threshold", m.calibration());
        return m;
    }

    private static void require(Path where, String field, boolean ok, String expected, Object got) {
        if (!ok) {
            throw ConfigException.field(where, field, expected, got);
        }
    }

    private static Map<String, INDArray> readWeights(Path file, InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int count = in.readInt();
        if (count < 1 || count > 1000) {
            throw new ConfigException(file + ": " + WEIGHTS_ENTRY + " is corrupt (" + count + " parameters)");
        }
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                size *= shape[d];
            }
            if (size < 1 || size > 50_000_000) {
                throw new ConfigException(file + ": " + WEIGHTS_ENTRY + " is corrupt (parameter " + name + ")");
            }
            float[] values = new float[(int) size];
            for (int v = 0; v < values.length; v++) {
                values[v] = in.readFloat();
            }
            weights.put(name, Nd4j.create(values, shape, 'c').castTo(DataType.FLOAT));
        }
        return weights;
    }

    /** Fails with one line when this bundle was not trained for the topology's features and window. */
    public void checkCompatible(SensorKind kind, Path file) {
        if (!metadata.features().equals(kind.modelFeatures())) {
            throw new ConfigException(file + ": model features " + metadata.features() + " do not match topology '"
                    + kind.name() + "' features " + kind.modelFeatures());
        }
        // Bundles written before front-ends carry no description; their blocks are checked below.
        if (metadata.frontEnd() != null && !metadata.frontEnd().equals(kind.frontEnd().describe())) {
            throw new ConfigException(file + ": model front-end '" + metadata.frontEnd() + "' does not match topology '"
                    + kind.name() + "' front-end '" + kind.frontEnd().describe() + "'; retrain with 'vigil train'");
        }
        if (metadata.window() != kind.window() || metadata.block() != kind.preprocess().block()) {
            throw new ConfigException(file + ": model window " + metadata.window() + " (block " + metadata.block()
                    + ") does not match topology '" + kind.name() + "' window " + kind.window()
                    + " (block " + kind.preprocess().block() + "); retrain with 'vigil train'");
        }
    }
}
