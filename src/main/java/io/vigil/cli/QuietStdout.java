package io.vigil.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs a task with {@code System.out} discarded. SameDiff prints "Added differentiated op …" lines
 * straight to {@code System.out} while it builds the gradient graph; commands that own the console
 * (demo, bench) keep their own stream, captured before, and lose only those lines.
 */
final class QuietStdout {

    private QuietStdout() {
    }

    static <T> T during(Supplier<T> task) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return task.get();
        } finally {
            System.setOut(original);
        }
    }
}
