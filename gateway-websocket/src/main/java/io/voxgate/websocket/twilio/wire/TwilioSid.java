package io.voxgate.websocket.twilio.wire;

import java.util.regex.Pattern;

/**
 * The shape of a Twilio SID (CallSid, StreamSid) this edge accepts: 2 to 64 letters and digits, so a SID is safe in
 * URLs, JSON and logs.
 *
 * <p>Stateless; safe on any thread.
 */
public final class TwilioSid {
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");

    private TwilioSid() {
    }

    /** Whether {@code sid} has the shape of a Twilio SID. */
    public static boolean isValid(final String sid) {
        return SID.matcher(sid).matches();
    }
}
