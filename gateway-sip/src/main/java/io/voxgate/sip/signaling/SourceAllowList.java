package io.voxgate.sip.signaling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which source addresses may signal to the gateway: a list of CIDR blocks, with the preset {@code twilio}
 * standing for Twilio Elastic SIP Trunking's documented signalling ranges (protocols.md §4.3, all edges,
 * because any edge may be used on failover).
 *
 * <p>Immutable; safe on any thread.
 */
public final class SourceAllowList {
    /** The name of the Twilio preset. */
    public static final String TWILIO_PRESET = "twilio";
    /** The default: loopback only, so a fresh install answers nobody but itself. */
    public static final String DEFAULT = "127.0.0.0/8,::1/128";
    /** Twilio's signalling ranges (https://www.twilio.com/docs/sip-trunking/ip-addresses). */
    static final List<String> TWILIO_SIGNALLING_CIDRS = List.of(
        "54.172.60.0/30",
        "54.244.51.0/30",
        "54.171.127.192/30",
        "35.156.191.128/30",
        "54.65.63.192/30",
        "54.169.127.128/30",
        "54.252.254.64/30",
        "177.71.206.192/30");

    private static final SourceAllowList TWILIO = parse(TWILIO_PRESET);

    private final List<byte[]> networks;
    private final int[] prefixLengths;
    private final String text;

    private SourceAllowList(final List<byte[]> networks, final List<Integer> prefixes, final String text) {
        this.networks = List.copyOf(networks);
        this.prefixLengths = prefixes.stream().mapToInt(Integer::intValue).toArray();
        this.text = text;
    }

    /**
     * Parses a comma list of CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, a bare address for one
     * host) and the preset {@code twilio}.
     *
     * @throws IllegalArgumentException naming the entry that is not a CIDR block or preset
     */
    public static SourceAllowList parse(final String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("--sip-allow must list at least one CIDR block or the preset 'twilio'");
        }
        final List<byte[]> networks = new ArrayList<>();
        final List<Integer> prefixes = new ArrayList<>();
        for (final String raw : list.split(",")) {
            final String entry = raw.trim();
            if (entry.toLowerCase(Locale.ROOT).equals(TWILIO_PRESET)) {
                for (final String cidr : TWILIO_SIGNALLING_CIDRS) {
                    add(cidr, networks, prefixes);
                }
            } else {
                add(entry, networks, prefixes);
            }
        }
        return new SourceAllowList(networks, prefixes, list);
    }

    private static void add(final String cidr, final List<byte[]> networks, final List<Integer> prefixes) {
        final int slash = cidr.indexOf('/');
        final String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!isLiteral(addressText)) {
            throw new IllegalArgumentException("--sip-allow entry '" + cidr + "' is not a CIDR block (e.g. 10.0.0.0/8) "
                + "or the preset 'twilio'");
        }
        final byte[] address;
        try {
            address = InetAddress.getByName(addressText).getAddress();
        } catch (final UnknownHostException ex) {
            throw new IllegalArgumentException("--sip-allow entry '" + cidr + "' has an invalid address", ex);
        }
        final int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("--sip-allow entry '" + cidr + "' has a non-numeric prefix length", ex);
            }
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("--sip-allow entry '" + cidr + "' has prefix length outside 0-" + maxPrefix);
        }
        networks.add(address);
        prefixes.add(prefix);
    }

    private static boolean isLiteral(final String text) {
        if (text.isEmpty()) {
            return false;
        }
        final boolean ipv6 = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            final char ch = text.charAt(i);
            final boolean digit = ch >= '0' && ch <= '9' || ch == '.';
            final boolean hex = ch == ':' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F';
            if (!(digit || ipv6 && hex)) {
                return false;
            }
        }
        // Never hand InetAddress something it might resolve through DNS.
        return ipv6 || text.chars().filter(c -> c == '.').count() == 3;
    }

    /** Whether {@code source} lies in one of the blocks. */
    public boolean allows(final InetAddress source) {
        final byte[] candidate = source.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixLengths[i], candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code source} is one of Twilio's signalling addresses (they cannot answer digest challenges). */
    public static boolean isTwilio(final InetAddress source) {
        return TWILIO.allows(source);
    }

    private static boolean matches(final byte[] network, final int prefix, final byte[] candidate) {
        if (network.length != candidate.length) {
            return false;
        }
        final int fullBytes = prefix / 8;
        for (int b = 0; b < fullBytes; b++) {
            if (network[b] != candidate[b]) {
                return false;
            }
        }
        final int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        final int mask = 0xFF << 8 - rest & 0xFF;
        return (network[fullBytes] & mask) == (candidate[fullBytes] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
