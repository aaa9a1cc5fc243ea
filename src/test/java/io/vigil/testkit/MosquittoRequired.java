package io.vigil.testkit;

import io.vigil.embedded.MosquittoProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * For integration tests that run Debian's mosquitto and its clients ({@code mosquitto_pub},
 * {@code mosquitto_passwd}): when they are missing, the first such test class fails with one line
 * naming the packages to install, and every later one is aborted with a pointer to that line. A
 * missing broker is a set-up error, not a test result: never a skip that lets the build pass, never
 * the same stack trace once per test. {@code ./vigil test} installs the packages before Maven starts.
 * {@link RealBrokers} checks before it starts mosquitto, and before all tests of a class that uses it.
 */
final class MosquittoRequired {

    /** The executables these tests run, and the Debian package of each. */
    static final List<List<String>> TOOLS = List.of(
            List.of("mosquitto", "mosquitto"),
            List.of("mosquitto_passwd", "mosquitto"),
            List.of("mosquitto_pub", "mosquitto-clients"));

    /** The class that reported the missing packages; null until one has. */
    private static final AtomicReference<String> REPORTED_BY = new AtomicReference<>();

    private MosquittoRequired() {
    }

    /** Returns when the packages are installed; otherwise fails or aborts the test class of {@code context}. */
    static void check(ExtensionContext context) {
        List<String> missing = missingPackages();
        if (missing.isEmpty()) {
            return;
        }
        String testClass = context.getRequiredTestClass().getSimpleName();
        if (REPORTED_BY.compareAndSet(null, testClass)) {
            throw new NotInstalled(message(missing));
        }
        throw new TestAbortedException("mosquitto is not installed: see " + REPORTED_BY.get() + "'s failure");
    }

    /** The one line: what is missing and the command that installs it. */
    static String message(List<String> packages) {
        String names = String.join(" ", packages);
        return "the MQTT integration tests need Debian's " + names + ", not installed: run ./vigil test,"
                + " which installs it, or apt-get install " + names;
    }

    /** The Debian packages whose executables are missing (the broker may be in /usr/sbin, off a user's PATH). */
    static List<String> missingPackages() {
        List<String> packages = new ArrayList<>();
        for (List<String> tool : TOOLS) {
            boolean found = tool.get(0).equals("mosquitto") ? MosquittoProcess.executable().isPresent()
                    : onPath(tool.get(0));
            if (!found && !packages.contains(tool.get(1))) {
                packages.add(tool.get(1));
            }
        }
        return packages;
    }

    private static boolean onPath(String name) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/bin", "/usr/sbin"))
                .filter(dir -> !dir.isBlank())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
    }

    /** A set-up error reported as its message alone: a stack trace would only point here. */
    static final class NotInstalled extends RuntimeException {
        NotInstalled(String message) {
            super(message, null, false, false);
        }
    }
}
