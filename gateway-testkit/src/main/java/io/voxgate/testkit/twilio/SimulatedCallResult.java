package io.voxgate.testkit.twilio;

import java.util.List;
import java.util.Map;

/**
 * What happened on one simulated call, as the caller saw it.
 *
 * @param callSid            the call
 * @param webhookStatus      the webhook's HTTP status (0 when it never answered)
 * @param streamUrl          the {@code <Stream url>} of the TwiML, or empty
 * @param streamParameters   the TwiML's {@code <Parameter>}s, in order
 * @param upgradeStatus      the upgrade's HTTP status (101 when upgraded, 0 when not attempted)
 * @param framesSent         media messages sent
 * @param framesReceived     media messages received
 * @param bytesReceived      mu-law bytes received
 * @param firstAudioNs       from the first media sent to the first media received, or -1
 * @param marksReceived      marks received from the gateway
 * @param marksEchoed        marks echoed back (after their audio played, or at once when nothing was buffered or on
 *                           clear)
 * @param clearTimesNs       when each {@code clear} arrived, relative to the stream's start
 * @param dtmfSent           DTMF messages sent
 * @param protocolViolations gateway messages outside the documented shapes (unknown event, extra or missing fields,
 *                           other streamSid, binary frames)
 * @param playoutOverflows   audio bytes dropped because more than the playout buffer was queued
 * @param closeCode          the gateway's close code, or -1 when the connection ended without one
 * @param closeReason        the gateway's close reason, or empty
 * @param heard              what the caller heard, mu-law, with silence where nothing played, one byte per 1/8 ms
 * @param received           the mu-law bytes of every media message from the gateway, in arrival order, without
 *                           the silence playout inserts when the gateway falls behind real time
 * @param error              why the call failed before or during streaming, or {@code null}
 */
public record SimulatedCallResult(
    String callSid,
    int webhookStatus,
    String streamUrl,
    Map<String, String> streamParameters,
    int upgradeStatus,
    long framesSent,
    long framesReceived,
    long bytesReceived,
    long firstAudioNs,
    long marksReceived,
    long marksEchoed,
    List<Long> clearTimesNs,
    long dtmfSent,
    long protocolViolations,
    long playoutOverflows,
    int closeCode,
    String closeReason,
    byte[] heard,
    byte[] received,
    String error) {

    /** Whether the call streamed and the gateway closed it normally (1000) with no protocol violation. */
    public boolean ok() {
        return error == null && upgradeStatus == 101 && closeCode == 1000 && protocolViolations == 0;
    }
}
