package io.voxgate.websocket.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The address blocks of the proxies whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed
 * ({@code --trust-proxy}). The server removes those headers from every request that comes from anywhere else, so no
 * route can be fooled by a client that writes them itself; trusted proxies are also exempt from the per-source
 * connection limit, as they carry every caller's traffic.
 *
 * <p>Immutable; safe on any thread.
 */
public final class TrustedProxies implements Predicate<InetAddress> {
    /** Trusts no one: forwarded headers are always removed. */
    public static final TrustedProxies NONE = new TrustedProxies(Collections.emptyList());

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Block> blocks;

    private TrustedProxies(final List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses a comma list of CIDRs, e.g. {@code 10.0.0.0/8,2001:db8::/32}; a bare address means that one host.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IP literal with a valid prefix
     */
    public static TrustedProxies parse(final String cidrs) {
        final List<Block> blocks = new ArrayList<>();
        for (final String part : cidrs.split(",")) {
            final String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int slash = entry.indexOf('/');
            final String address = slash < 0 ? entry : entry.substring(0, slash);
            if (!IP_LITERAL.matcher(address).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not a CIDR (ADDRESS/PREFIX)");
            }
            final byte[] network;
            try {
                network = InetAddress.getByName(address).getAddress();
            } catch (final UnknownHostException ex) {
                throw new IllegalArgumentException("'" + entry + "' is not a CIDR (ADDRESS/PREFIX)", ex);
            }
            final int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("'" + entry + "' has a non-numeric prefix", ex);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix outside 0.." + network.length * 8);
            }
            blocks.add(new Block(network, prefix));
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no CIDR given");
        }
        return new TrustedProxies(Collections.unmodifiableList(blocks));
    }

    /** Whether {@code address} lies in one of the blocks. */
    @Override
    public boolean test(final InetAddress address) {
        final byte[] bytes = address.getAddress();
        for (final Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any proxy is trusted. */
    public boolean any() {
        return !blocks.isEmpty();
    }

    private record Block(byte[] network, int prefix) {
        boolean contains(final byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            final int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            final int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            final int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
