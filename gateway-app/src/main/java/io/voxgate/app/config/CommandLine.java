package io.voxgate.app.config;

import io.voxgate.app.metrics.BuildInfo;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The parsed command line: which command to run and which options the operator typed.
 *
 * <p>picocli parses {@code voxgate [OPTIONS] COMMAND [OPTIONS]}: the subcommands {@code run} and {@code demo} and the
 * top level take every option, so {@code voxgate --http-port=1 demo} and {@code voxgate demo --http-port 1} mean the
 * same (an option given in both places takes the later one). The option set is generated from {@link GatewayOption},
 * so help text, flags, config keys and environment variables always agree. Immutable; safe on any thread.
 */
public final class CommandLine {
    /** The commands the launcher knows. */
    public static final List<String> COMMANDS = List.of("run", "demo");
    /** Help lines up to 110 columns: the examples and variable descriptions fit without wrapping. */
    private static final int USAGE_WIDTH = 110;

    private final String command;
    private final Map<GatewayOption, String> flags;
    private final Path configFile;
    private final boolean helpRequested;
    private final boolean versionRequested;
    private final String usage;

    private CommandLine(final String command, final Map<GatewayOption, String> flags, final Path configFile,
                        final boolean helpRequested, final boolean versionRequested, final String usage) {
        this.command = command;
        this.flags = flags;
        this.configFile = configFile;
        this.helpRequested = helpRequested;
        this.versionRequested = versionRequested;
        this.usage = usage;
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the unknown command or option, or the option missing its value
     */
    public static CommandLine parse(final String... args) {
        final picocli.CommandLine cli = new picocli.CommandLine(spec("voxgate", true));
        cli.addSubcommand("run", new picocli.CommandLine(spec("run", false)));
        cli.addSubcommand("demo", new picocli.CommandLine(spec("demo", false)));
        final String rootUsage = cli.getUsageMessage();
        if (args.length == 0 || "help".equals(args[0])) {
            return new CommandLine("help", Collections.emptyMap(), null, true, false, rootUsage);
        }
        final ParseResult root;
        try {
            root = cli.parseArgs(args);
        } catch (final UnmatchedArgumentException ex) {
            final List<String> unmatched = ex.getUnmatched();
            if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
                throw new IllegalArgumentException("unknown command '" + unmatched.get(0) + "' (commands: "
                    + String.join(", ", COMMANDS) + ")", ex);
            }
            throw new IllegalArgumentException(ex.getMessage(), ex);
        } catch (final ParameterException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        final ParseResult sub = root.subcommand();
        if (root.isVersionHelpRequested()) {
            return new CommandLine("version", Collections.emptyMap(), null, false, true, rootUsage);
        }
        if (root.isUsageHelpRequested() || sub != null && sub.isUsageHelpRequested()) {
            return new CommandLine(sub == null ? "help" : sub.commandSpec().name(), Collections.emptyMap(), null, true, false,
                sub == null ? rootUsage : sub.commandSpec().commandLine().getUsageMessage());
        }
        if (sub == null) {
            throw new IllegalArgumentException("no command given (commands: " + String.join(", ", COMMANDS) + ")");
        }
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        collect(root, flags);
        collect(sub, flags);
        final String config = sub.hasMatchedOption("--config") ? sub.matchedOptionValue("--config", null)
            : root.matchedOptionValue("--config", null);
        return new CommandLine(sub.commandSpec().name(), Collections.unmodifiableMap(flags),
            config == null ? null : Path.of(config), false, false, rootUsage);
    }

    private static void collect(final ParseResult result, final Map<GatewayOption, String> flags) {
        for (final GatewayOption option : GatewayOption.values()) {
            if (result.hasMatchedOption(option.flag())) {
                final Object value = result.matchedOptionValue(option.flag(), null);
                // A repeatable flag arrives as a list; the config layers carry it comma-separated.
                flags.put(option, value instanceof List<?> ? String.join(",", ((List<?>) value).stream().map(String::valueOf)
                    .toArray(String[]::new)) : String.valueOf(value));
            }
        }
    }

    private static CommandSpec spec(final String name, final boolean root) {
        final CommandSpec spec = CommandSpec.create().name(root ? "voxgate" : name);
        if (root) {
            spec.usageMessage().description("Voxgate real-time voice media gateway: Twilio Media Streams and SIP trunks to "
                + "voice agents.");
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("print the version and exit")
                .build());
        } else {
            spec.usageMessage().description("run".equals(name)
                ? "Serve calls until SIGTERM, then drain (--drain-timeout) and exit 0. Exit 2: configuration error."
                : "Run a loopback gateway, place simulated calls through it and print a report; exit 0 when all went well.");
        }
        spec.usageMessage().width(USAGE_WIDTH).footerHeading("%n").footer(footer());
        spec.addOption(OptionSpec.builder("--config").paramLabel("PATH").type(String.class)
            .description("properties file of options (keys are the option names without dashes)").build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help and exit").build());
        for (final GatewayOption option : GatewayOption.values()) {
            final String defaultText = option.defaultValue() == null ? "" : " (default " + option.defaultValue() + ")";
            final OptionSpec.Builder builder = OptionSpec.builder(option.flag())
                .description(option.description() + defaultText + "; env " + option.environmentVariable());
            if (option == GatewayOption.SIP_REQUIRE_HEADER) {
                builder.type(List.class).auxiliaryTypes(String.class).paramLabel(placeholder(option));
            } else if (option.kind() == OptionKind.BOOLEAN) {
                builder.type(String.class).arity("0..1").fallbackValue("true").paramLabel(placeholder(option));
            } else {
                builder.type(String.class).paramLabel(placeholder(option));
            }
            spec.addOption(builder.build());
        }
        return spec;
    }

    /** What an option's value looks like in help: its type, or its allowed words. */
    static String placeholder(final GatewayOption option) {
        if (option.kind() == OptionKind.CHOICE) {
            return String.join("|", option.choices());
        }
        if (option.kind() == OptionKind.BOOLEAN) {
            return "true|false";
        }
        final String key = option.key();
        if (key.endsWith("-port")) {
            return "PORT";
        }
        if (key.endsWith("-ms")) {
            return "MS";
        }
        if (key.endsWith("-url")) {
            return option == GatewayOption.HEP_URL ? "udp://HOST:PORT" : "URL";
        }
        if (key.endsWith("-file") || key.endsWith("-cert") || key.endsWith("-key") || key.endsWith("-ca")) {
            return "PATH";
        }
        switch (option) {
            case BIND:
            case ADMIN_BIND:
            case EXTERNAL_IP:
                return "ADDR";
            case TRUST_PROXY:
                return "CIDR[,CIDR...]";
            case SIP_ALLOW:
                return "CIDR|twilio[,...]";
            case RTP_PORTS:
                return "LOW-HIGH";
            case SIP_TRANSPORT:
                return "udp,tcp[,tls]";
            case SIP_REQUIRE_HEADER:
                return "NAME=VALUE";
            case SIP_DIGEST_USER:
                return "USER";
            case VAPI_DTMF_MESSAGE:
                return "JSON";
            case MEDIA_TIMEOUT:
            case DRAIN_TIMEOUT:
            case REQUEST_TIMEOUT:
                return "SECONDS";
            case AGENT_FALLBACK:
                return "hangup|transfer:URI|agent:NAME";
            case CODECS:
                return "CODEC[,CODEC...]";
            case NODE_ID:
                return "NAME";
            case RECORDING_DIR:
                return "DIR";
            default:
                return option.kind() == OptionKind.INTEGER ? "N" : "VALUE";
        }
    }

    private static String footer() {
        final StringBuilder sb = new StringBuilder();
        sb.append("Options also come from --config PATH and from VOXGATE_<NAME> variables (e.g. VOXGATE_HTTP_PORT);%n")
            .append("flags override the file, which overrides the environment, which overrides the defaults.%n%n")
            .append("Secrets come from the environment only (never flags or files, never logged):%n");
        for (final Map.Entry<String, String> e : Secrets.VARIABLES.entrySet()) {
            sb.append(String.format("  %-28s %s%%n", e.getKey(), e.getValue()));
        }
        return sb.append("%nExamples:%n")
            .append("  voxgate demo                                   loopback gateway and simulated calls%n")
            .append("  voxgate --http-port=0 demo                     the same on a free port%n")
            .append("  TWILIO_AUTH_TOKEN=... voxgate run --public-url https://voice.example.com       Twilio%n")
            .append("  voxgate run --sip-port 5060 --sip-allow twilio --external-ip 203.0.113.7       SIP only%n")
            .append("  voxgate run --config /etc/voxgate/voxgate.properties --cdr-file /var/log/voxgate/cdr.jsonl%n")
            .append("%nExit status: 0 done (run: drained after SIGTERM), 1 demo saw a problem, 2 configuration error.%n")
            .toString();
    }

    /** {@code run}, {@code demo}, {@code help} or {@code version}. */
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

    /** Whether {@code --version} was asked for. */
    public boolean versionRequested() {
        return versionRequested;
    }

    /** The version text: version, git commit and Java runtime. */
    public static String version() {
        return "voxgate " + BuildInfo.version() + " (commit " + BuildInfo.commit() + "), Java " + Runtime.version()
            + System.lineSeparator();
    }

    /** The generated help text of the command asked about (the top level's for {@code voxgate --help}). */
    public String usage() {
        return usage;
    }
}
