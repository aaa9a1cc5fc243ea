package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MetricsOptionsTest {

    @Test
    void anOutOfRangeMetricsPortIsAOneLineUsageError() {
        StringWriter err = new StringWriter();

        int exit = bridge(err, "--metrics-port", "70000");

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("vigil: --metrics-port must be 0..65535, got 70000");
    }

    @Test
    void aTakenMetricsPortIsAUsageErrorThatSaysWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();

            int exit = bridge(err, "--metrics-port", String.valueOf(taken.getLocalPort()));

            assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
            assertThat(err.toString().strip()).startsWith("vigil: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
                    .endsWith("(choose another with --metrics-port, or 0 for none)");
        }
    }

    private static int bridge(StringWriter err, String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "bridge";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }
}
