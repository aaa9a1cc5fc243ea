package io.vigil.model;

import io.vigil.config.ConfigException;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ND4J backend and device the networks run on. Logged once per process when the first
 * network is built; {@code VIGIL_BACKEND=gpu} (or {@code cpu}) makes a mismatch a one-line error
 * instead of a silent fallback.
 */
public final class Backend {

    /** Environment variable naming the backend the user expects: {@code cpu}, {@code gpu} or {@code auto}. */
    public static final String ENV = "VIGIL_BACKEND";

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
    private static volatile boolean checked;

    private Backend() {
    }

    /** True when this build runs ND4J's CUDA backend. */
    public static boolean isGpu() {
        return Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT).contains("jcublas");
    }

    /** One line: backend, device and threads. */
    public static String describe() {
        String device = isGpu() ? "GPU (CUDA), " + Nd4j.getAffinityManager().getNumberOfDevices() + " device(s)"
                : "CPU, " + Runtime.getRuntime().availableProcessors() + " cores, OMP_NUM_THREADS="
                        + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset");
        return "ND4J backend " + Nd4j.getBackend().getClass().getSimpleName() + " on " + device;
    }

    /** Logs the backend once and fails fast when {@link #ENV} asks for another one. */
    public static void check() {
        if (checked) {
            return;
        }
        String wanted = System.getenv().getOrDefault(ENV, "auto").toLowerCase(Locale.ROOT);
        check(wanted, isGpu());
        LOG.info("{}", describe());
        checked = true;
    }

    static void check(String wanted, boolean gpu) {
        switch (wanted) {
            case "auto" -> { }
            case "gpu" -> {
                if (!gpu) {
                    throw new ConfigException(ENV + "=gpu, but this build has the CPU backend (nd4j-native): "
                            + "build with 'mvn -Pgpu package' on a machine with an NVIDIA GPU and CUDA 11.6");
                }
            }
            case "cpu" -> {
                if (gpu) {
                    throw new ConfigException(ENV + "=cpu, but this build has the CUDA backend: build without -Pgpu");
                }
            }
            default -> throw new ConfigException(ENV + ": expected cpu, gpu or auto, got '" + wanted + "'");
        }
    }
}
