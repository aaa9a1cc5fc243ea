package io.vigil.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * SameDiff prints "Added differentiated op …" lines straight to {@code System.out} while it builds
 * the gradient graph; {@code Vigil.main} filters them out of the whole process.
 */
final class QuietStdout {

    private QuietStdout() {
    }

    /** SameDiff's chatter, printed once per trained network. */
    static final String SAMEDIFF_CHATTER = "Added differentiated op ";

    /**
     * {@code out} without SameDiff's chatter lines, for the whole process: every command's console
     * (train, evaluate, bench) stays readable. Other output passes through unchanged.
     */
    static PrintStream withoutSameDiffChatter(PrintStream out) {
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                line.write(b);
                if (b == '\n') {
                    String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                    if (!text.startsWith(SAMEDIFF_CHATTER)) {
                        out.print(text);
                        out.flush();
                    }
                    line.reset();
                }
            }

            @Override
            public synchronized void flush() {
                if (line.size() > 0 && !line.toString(java.nio.charset.StandardCharsets.UTF_8)
                        .startsWith(SAMEDIFF_CHATTER.substring(0, Math.min(line.size(), SAMEDIFF_CHATTER.length())))) {
                    out.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                    line.reset();
                }
                out.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }
}
