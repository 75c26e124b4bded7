package io.voxgate.websocket.twilio;

import java.util.Map;

/**
 * What a media stream's accepted {@code start} message said, as handed to the {@link StreamCallFactory}.
 *
 * @param callSid    the call (equal to the one in the stream URL)
 * @param streamSid  the stream
 * @param accountSid the Twilio account
 * @param metadata   the {@code customParameters} without the call token, plus {@code streamSid} and
 *                   {@code accountSid}; read-only
 */
record StreamStart(String callSid, String streamSid, String accountSid, Map<String, String> metadata) {
}
