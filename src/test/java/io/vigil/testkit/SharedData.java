package io.vigil.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real recordings in {@code ../shared/data} (override with {@code -Dvigil.data.dir}); tests skip without them. */
public final class SharedData {

    private SharedData() {
    }

    public static Path folder(String name) {
        Path dir = Path.of(System.getProperty("vigil.data.dir", "../shared/data")).resolve(name);
        assumeTrue(Files.isDirectory(dir), "real data folder " + dir.toAbsolutePath()
                + " is absent; set -Dvigil.data.dir=<folder holding " + name + "/> to run this test");
        return dir;
    }
}
