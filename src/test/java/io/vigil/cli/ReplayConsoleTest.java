package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ReplayConsoleTest {

    @Test
    void barIsFilledByTheShareDoneAndTellsDaysRowsAndRate() {
        assertThat(ReplayConsole.bar(12 / 40.0, ReplayConsole.days(12, 40, 131_000, 12_800.4)))
                .isEqualTo("[######..............] 12/40 days  131,000 rows  12,800 rows/s");
        assertThat(ReplayConsole.bar(1, ReplayConsole.samples(120_000, 120_000, 1_200, 9_800)))
                .isEqualTo("[####################] 120,000/120,000 samples  1,200 readings  9,800 samples/s");
    }

    @Test
    void withoutATerminalEachLineStandsAloneAndTheLastIsAlwaysShown() {
        // given stderr that is not a terminal
        StringWriter err = new StringWriter();
        ReplayConsole console = new ReplayConsole(new PrintWriter(err), false);

        // when three days go by within a second, with a problem on the way
        console.progress(1, 3, "1/3 days");
        console.progress(2, 3, "2/3 days");
        console.problem("2013-04-11.csv:7: bad; row skipped");
        console.progress(3, 3, "3/3 days");
        console.finish();

        // then the first and the last day are shown (the second falls within the 5 s), the problem as met
        assertThat(err.toString()).isEqualTo("""
                [#######.............] 1/3 days
                2013-04-11.csv:7: bad; row skipped
                [####################] 3/3 days
                """);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndProblemsGoAboveIt() {
        StringWriter err = new StringWriter();
        ReplayConsole console = new ReplayConsole(new PrintWriter(err), true);

        console.progress(1, 2, "1/2 days");
        console.problem("a.csv:2: bad; row skipped");
        console.progress(2, 2, "2/2");
        console.finish();

        String bar1 = "[##########..........] 1/2 days";
        assertThat(err.toString()).isEqualTo("\r" + bar1
                + "\r" + " ".repeat(bar1.length()) + "\r" + "a.csv:2: bad; row skipped\n" + bar1
                + "\r[####################] 2/2" + " ".repeat(5) + "\n");
    }

    @Test
    void problemsBeyondTheFirstTwentyAreOnlyCounted() {
        StringWriter err = new StringWriter();
        ReplayConsole console = new ReplayConsole(new PrintWriter(err), false);

        for (int line = 2; line < 27; line++) {
            console.problem("a.csv:" + line + ": bad; row skipped");
        }
        console.finish();

        StringBuilder expected = new StringBuilder();
        for (int line = 2; line < 22; line++) {
            expected.append("a.csv:").append(line).append(": bad; row skipped\n");
        }
        expected.append("... and 5 more problems (the first 20 are above)\n");
        assertThat(err.toString()).isEqualTo(expected.toString());
    }
}
