package io.voxgate.core.transfer;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request to hand a call to {@link #target()}: a {@code sip:}, {@code sips:} or {@code tel:} URI, checked here so
 * that no edge ever writes an unchecked string into a SIP header or TwiML. An optional short {@link #announce()}
 * text is what the caller is told first, where the edge can say it (Twilio {@code <Say>}).
 *
 * <p>Immutable; safe on any thread (it travels through a call's command ring and may be forwarded between nodes).
 */
public final class TransferRequest {
    /** Longest target accepted. */
    public static final int MAX_TARGET_CHARS = 256;
    /** Longest announcement accepted. */
    public static final int MAX_ANNOUNCE_CHARS = 500;

    /** Who asked for the transfer. */
    public enum Origin {
        /** An operator, through the admin API. */
        OPERATOR,
        /** The call's agent (for example Vapi's transfer tool). */
        AGENT;

        /** The lower-case name used in the API and the logs. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final String target;
    private final String announce;
    private final Origin origin;

    private TransferRequest(final String id, final String target, final String announce, final Origin origin) {
        this.id = id;
        this.target = target;
        this.announce = announce;
        this.origin = origin;
    }

    /**
     * A request with a new id.
     *
     * @param target   a {@code sip:}, {@code sips:} or {@code tel:} URI
     * @param announce what to tell the caller first, or null/empty for nothing
     * @throws IllegalArgumentException saying what is wrong with the target or the announcement (safe to show the
     *                                  requester: it never echoes the input)
     */
    public static TransferRequest of(final String target, final String announce, final Origin origin) {
        return new TransferRequest(newId(), checkedTarget(target), checkedAnnounce(announce), Objects.requireNonNull(origin));
    }

    /** Rebuilds a request forwarded from another node, keeping its id; the target and announcement are checked again. */
    public static TransferRequest forwarded(final String id, final String target, final String announce, final Origin origin) {
        if (id == null || !id.matches("TR[0-9a-f]{16}")) {
            throw new IllegalArgumentException("transfer id must be TR followed by 16 hex digits");
        }
        return new TransferRequest(id, checkedTarget(target), checkedAnnounce(announce), Objects.requireNonNull(origin));
    }

    private static String newId() {
        return String.format(Locale.ROOT, "TR%016x", ThreadLocalRandom.current().nextLong());
    }

    /** The target, or an exception saying why it is not one. */
    static String checkedTarget(final String target) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("\"to\" is required");
        }
        if (target.length() > MAX_TARGET_CHARS) {
            throw new IllegalArgumentException("\"to\" is longer than " + MAX_TARGET_CHARS + " characters");
        }
        final String lower = target.toLowerCase(Locale.ROOT);
        final int schemeEnd;
        if (lower.startsWith("sip:")) {
            schemeEnd = 4;
        } else if (lower.startsWith("sips:")) {
            schemeEnd = 5;
        } else if (lower.startsWith("tel:")) {
            schemeEnd = 4;
        } else {
            throw new IllegalArgumentException("\"to\" must be a sip:, sips: or tel: URI");
        }
        if (target.length() == schemeEnd) {
            throw new IllegalArgumentException("\"to\" has nothing after its scheme");
        }
        for (int i = 0; i < target.length(); i++) {
            if (!uriCharacter(target.charAt(i))) {
                throw new IllegalArgumentException("\"to\" holds a character a URI may not (position " + i + ")");
            }
        }
        if (lower.startsWith("tel:") && !target.substring(4).matches("\\+?[0-9][0-9().-]*(;[A-Za-z0-9=+.-]+)*")) {
            throw new IllegalArgumentException("\"to\" is not a tel: number");
        }
        if (!lower.startsWith("tel:") && target.indexOf('@') < 0) {
            throw new IllegalArgumentException("\"to\" needs user@host");
        }
        return target;
    }

    /** RFC 3986 unreserved, sub-delims, {@code : @ / ? %} and nothing else (no spaces, quotes, angle brackets, CR/LF). */
    private static boolean uriCharacter(final char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0;
    }

    private static String checkedAnnounce(final String announce) {
        if (announce == null) {
            return "";
        }
        if (announce.length() > MAX_ANNOUNCE_CHARS) {
            throw new IllegalArgumentException("\"announce\" is longer than " + MAX_ANNOUNCE_CHARS + " characters");
        }
        for (int i = 0; i < announce.length(); i++) {
            if (Character.isISOControl(announce.charAt(i))) {
                throw new IllegalArgumentException("\"announce\" holds a control character (position " + i + ")");
            }
        }
        return announce;
    }

    /** {@code TR} and 16 hex digits, unique enough to name the transfer in the API and the logs. */
    public String id() {
        return id;
    }

    /** The checked {@code sip:}, {@code sips:} or {@code tel:} URI. */
    public String target() {
        return target;
    }

    /** Whether the target is a {@code tel:} number (Twilio dials it with {@code <Number>}, SIP refers to it as is). */
    public boolean targetIsNumber() {
        return target.regionMatches(true, 0, "tel:", 0, 4);
    }

    /** What the caller is told first; empty for nothing. */
    public String announce() {
        return announce;
    }

    /** Who asked. */
    public Origin origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "transfer " + id + " to " + target + " (" + origin.label() + ")";
    }
}
