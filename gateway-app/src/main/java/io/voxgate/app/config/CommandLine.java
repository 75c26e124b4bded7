package io.voxgate.app.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The parsed command line: which command to run and which options the operator typed.
 *
 * <p>The flag set is generated from {@link GatewayOption}, so help text, flags, config keys and environment
 * variables always agree. Immutable; safe on any thread.
 */
public final class CommandLine {
    /** The commands the launcher knows. */
    public static final List<String> COMMANDS = List.of("run", "demo");

    private final String command;
    private final Map<GatewayOption, String> flags;
    private final Path configFile;
    private final boolean helpRequested;
    private final String usage;

    private CommandLine(final String command, final Map<GatewayOption, String> flags, final Path configFile,
                        final boolean helpRequested, final String usage) {
        this.command = command;
        this.flags = flags;
        this.configFile = configFile;
        this.helpRequested = helpRequested;
        this.usage = usage;
    }

    /**
     * Parses {@code args} ({@code COMMAND [--option value]...}).
     *
     * @throws IllegalArgumentException naming the unknown command or option, or the option missing its value
     */
    public static CommandLine parse(final String... args) {
        final CommandSpec spec = spec();
        final picocli.CommandLine cli = new picocli.CommandLine(spec);
        final String usage = cli.getUsageMessage();
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])) {
            return new CommandLine("help", Collections.emptyMap(), null, true, usage);
        }
        final String command = args[0];
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("unknown command '" + command + "' (commands: " + String.join(", ", COMMANDS) + ")");
        }
        final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        final ParseResult result;
        try {
            result = cli.parseArgs(rest);
        } catch (final ParameterException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        if (result.isUsageHelpRequested()) {
            return new CommandLine(command, Collections.emptyMap(), null, true, usage);
        }
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        for (final GatewayOption option : GatewayOption.values()) {
            if (result.hasMatchedOption(option.flag())) {
                final Object value = result.matchedOptionValue(option.flag(), null);
                // A repeatable flag arrives as a list; the config layers carry it comma-separated.
                flags.put(option, value instanceof List<?> ? String.join(",", ((List<?>) value).stream().map(String::valueOf)
                    .toArray(String[]::new)) : String.valueOf(value));
            }
        }
        final Path config = result.hasMatchedOption("--config") ? Path.of(result.<String>matchedOptionValue("--config", null)) : null;
        return new CommandLine(command, Collections.unmodifiableMap(flags), config, false, usage);
    }

    private static CommandSpec spec() {
        final CommandSpec spec = CommandSpec.create().name("voxgate");
        spec.usageMessage().description("Voxgate real-time voice media gateway.",
            "Commands: run (serve calls until SIGTERM), demo (loopback gateway plus simulated calls).",
            "Options may also come from --config FILE (key = value, keys are the option names) and VOXGATE_* variables;",
            "flags override the file, which overrides the environment, which overrides the defaults.");
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
            .description("properties file of options").build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
        for (final GatewayOption option : GatewayOption.values()) {
            final String defaultText = option.defaultValue() == null ? "" : " (default " + option.defaultValue() + ")";
            final OptionSpec.Builder builder = OptionSpec.builder(option.flag())
                .description(option.description() + defaultText + "; env " + option.environmentVariable());
            if (option == GatewayOption.SIP_REQUIRE_HEADER) {
                builder.type(List.class).auxiliaryTypes(String.class).paramLabel("NAME=VALUE");
            } else if (option.kind() == OptionKind.BOOLEAN) {
                builder.type(String.class).arity("0..1").fallbackValue("true").paramLabel("true|false");
            } else {
                builder.type(String.class).paramLabel(option.kind() == OptionKind.CHOICE
                    ? String.join("|", option.choices()) : "VALUE");
            }
            spec.addOption(builder.build());
        }
        return spec;
    }

    /** {@code run}, {@code demo} or {@code help}. */
    public String command() {
        return command;
    }

    /** The options typed on the command line. */
    public Map<GatewayOption, String> flags() {
        return flags;
    }

    /** The {@code --config} file, or {@code null}. */
    public Path configFile() {
        return configFile;
    }

    /** Whether help was asked for. */
    public boolean helpRequested() {
        return helpRequested;
    }

    /** The generated help text. */
    public String usage() {
        return usage;
    }
}
