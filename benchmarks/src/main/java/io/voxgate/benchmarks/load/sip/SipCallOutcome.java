package io.voxgate.benchmarks.load.sip;

/**
 * How one load call went, as seen by the UAC and its RTP endpoint. Times are {@code System.nanoTime()} values,
 * 0 when the event never happened.
 *
 * @param status           final status of the INVITE (200 when answered), 0 when none arrived
 * @param error            why the call failed, null when it went through
 * @param inviteNs         when the INVITE was first sent
 * @param answeredNs       when the 200 OK arrived
 * @param firstRtpNs       when the gateway's first RTP packet arrived
 * @param byeFromGateway   whether the gateway hung up before the UAC did
 * @param byeStatus        final status of the UAC's BYE, 0 when none was sent or none arrived
 * @param toneSent         tone frames sent
 * @param toneEchoed       non-silent frames received and paired with a sent tone frame
 * @param unpaired         non-silent frames received with no tone frame waiting for its echo
 * @param silentReceived   silent audio frames received (the gateway's silence between turns, and echoed silence)
 * @param packetsReceived  RTP packets received from the gateway's media address (any payload type)
 * @param packetsForeign   datagrams received from elsewhere or not RTP audio (e.g. RTCP), ignored
 * @param ringOverrun      tone frames sent while too many were awaiting their echo (never paired)
 * @param retransmissions  INVITE and BYE retransmissions (Timers A and E)
 */
public record SipCallOutcome(int status, String error, long inviteNs, long answeredNs, long firstRtpNs, boolean byeFromGateway,
                             int byeStatus, long toneSent, long toneEchoed, long unpaired, long silentReceived, long packetsReceived,
                             long packetsForeign, long ringOverrun, long retransmissions) {

    /** Whether the call was answered, carried media and ended by the UAC's BYE with a 200. */
    public boolean ok() {
        return error == null && status == 200 && byeStatus == 200 && !byeFromGateway && firstRtpNs != 0;
    }

    /** Tone frames sent and never echoed. */
    public long lost() {
        return Math.max(0, toneSent - toneEchoed);
    }
}
