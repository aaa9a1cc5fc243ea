package io.vigil.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Where a bench report came from, for its header: the whole command line that wrote it (every option,
 * defaults included, so the report can be regenerated from its own first line), the machine, and the
 * load average before and after the run. One instance per run, made before the run starts.
 */
final class BenchProvenance {

    /** What a shell passes through unquoted; anything else is single-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,=@+%-]+");

    private final String command;
    private final String loadBefore;

    private BenchProvenance(String command, String loadBefore) {
        this.command = command;
        this.loadBefore = loadBefore;
    }

    /** The provenance of the run {@code spec} (parsed) is about to start; reads the load average now. */
    static BenchProvenance of(CommandSpec spec) {
        return new BenchProvenance(commandLine(spec), loadAverage());
    }

    /** The command line, e.g. {@code vigil bench soak --minutes 10 ... --out target/soak}. */
    String command() {
        return command;
    }

    String loadBefore() {
        return loadBefore;
    }

    /** The header's first three lines (the load average after is read now, when the run is over). */
    List<String> header() {
        return List.of(command, "machine: " + machine(), "load average (1, 5, 15 min) before " + loadBefore + ", after " + loadAverage());
    }

    /**
     * The command's qualified name and every option it was given or defaulted to, in declaration
     * order, as typed (or as the default is written): a flag only when set, an option with a blank
     * value (an unset environment default) left out. Help and version options are left out.
     */
    static String commandLine(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> words = new ArrayList<>(List.of(spec.qualifiedName()));
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = option.longestName();
            if (option.arity().max() == 0) { // a flag
                if (Boolean.TRUE.equals(option.getValue())) {
                    words.add(name);
                }
                continue;
            }
            List<String> values = parsed != null && parsed.hasMatchedOption(option)
                    ? parsed.matchedOption(name).originalStringValues()
                    : option.defaultValue() == null ? List.of() : List.of(option.defaultValue());
            for (String value : values) {
                if (!value.isBlank()) {
                    words.add(name);
                    words.add(quoted(value));
                }
            }
        }
        return String.join(" ", words);
    }

    /** The machine line's content, without its label: CPU model and cores, max heap, JVM, and the settings that size native threads and memory. */
    static String machine() {
        return String.format(Locale.ROOT, "%s, %d cores; max heap %d MB; %s; OMP_NUM_THREADS=%s;"
                        + " javacpp maxbytes=%s maxphysicalbytes=%s",
                cpuModel(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getProperty("org.bytedeco.javacpp.maxbytes", "unset"),
                System.getProperty("org.bytedeco.javacpp.maxphysicalbytes", "unset"));
    }

    /** The CPU as {@code lscpu} names it ("Model name"), from /proc/cpuinfo. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "CPU model unknown";
        }
        return "CPU model unknown";
    }

    /** 1, 5 and 15 minute load averages, from /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /** {@code value} as a shell word: as it is when plain, else single-quoted. */
    static String quoted(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
