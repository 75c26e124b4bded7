package io.voxgate.sip.rtp;

import java.util.ArrayList;
import java.util.List;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Test sink that keeps a copy of every packet sent. */
final class RecordingPacketSink implements RtpSendStage.PacketSink {
    final List<byte[]> packets = new ArrayList<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1500]);

    @Override
    public MutableDirectBuffer claim(final int length) {
        return scratch;
    }

    @Override
    public void commit(final int length) {
        final byte[] copy = new byte[length];
        scratch.getBytes(0, copy);
        packets.add(copy);
    }

    RtpPacketFlyweight packet(final int index) {
        final RtpPacketFlyweight f = new RtpPacketFlyweight();
        final byte[] b = packets.get(index);
        if (f.wrap(new UnsafeBuffer(b), 0, b.length) != RtpPacketFlyweight.VALID) {
            throw new AssertionError("packet " + index + " is not valid RTP");
        }
        return f;
    }
}
