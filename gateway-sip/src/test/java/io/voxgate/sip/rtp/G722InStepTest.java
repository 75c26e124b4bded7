package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.Pcm16LittleEndian;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A G.722 call's decoder must see every frame the caller's encoder coded, from the stream's first packet: ADPCM
 * state follows every code, and a decoder that missed one is out of step with the encoder, which is heard as about
 * 150 ms of a loud, distorted onset (what BaresipWidebandIT measured as a tone only 6 dB over the rest when the
 * caller's first packet beat the ACK to the gateway). Each test plays what the chain hands the session against a
 * reference decoder that decoded every frame.
 */
class G722InStepTest {
    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 20000);
    private static final long FRAME_NS = 20_000_000L;
    private static final int FRAMES = 40;

    /** The caller's stream: 20 ms G.722 packets of a -12 dBFS 1 kHz tone that starts abruptly, as a WAV file would. */
    private static List<byte[]> callerPackets() {
        final G722Encoder encoder = new G722Encoder();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[160]);
        final short[] pcm = new short[320];
        final List<byte[]> packets = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            for (int i = 0; i < 320; i++) {
                pcm[i] = (short) Math.round(8_000 * Math.sin(2 * Math.PI * 1_000 * (f * 320 + i) / 16_000));
            }
            encoder.encode(pcm, 0, payload, 0, 320);
            final byte[] packet = new byte[172];
            final UnsafeBuffer p = new UnsafeBuffer(packet);
            RtpPacketFlyweight.writeHeader(p, 0, f == 0, 9, f, f * 160L, 0x0722);
            p.putBytes(12, payload, 0, 160);
            packets.add(packet);
        }
        return packets;
    }

    /** Every frame decoded in order: what the caller's encoder meant. */
    private static short[][] reference(final List<byte[]> packets) {
        final G722Decoder decoder = new G722Decoder();
        final short[][] frames = new short[packets.size()][320];
        for (int f = 0; f < packets.size(); f++) {
            decoder.decode(new UnsafeBuffer(packets.get(f)), 12, 160, frames[f], 0);
        }
        return frames;
    }

    /** What reached the session, frame by frame, and the sequence number each came from. */
    private final List<short[]> heard = new ArrayList<>();
    private final List<Integer> heardSequence = new ArrayList<>();
    private final RtpReceptionStatistics reception = new RtpReceptionStatistics();

    private RtpInboundChain chain() {
        return chain(JitterBufferConfig.builder().slotCapacityBytes(400).build());
    }

    private RtpInboundChain chain(final JitterBufferConfig jitter) {
        final RtpPlayoutStage playout = new RtpPlayoutStage(jitter, new G722Decoder(), AudioFormat.PCM16_16K);
        final RtpInboundChain chain = new RtpInboundChain(playout, 8_000, reception, new RtcpReporter(1, "test", reception, 7, 0),
            false, 5 * FRAME_NS, (audio, offset, length, nowNs) -> {
                final short[] pcm = new short[length / 2];
                Pcm16LittleEndian.read(audio, offset, pcm, 0, pcm.length);
                heard.add(pcm);
            }, (digit, nowNs) -> { });
        chain.receive().configure(CALLER, 9, -1);
        return chain;
    }

    /**
     * One playout tick; keeps a frame that reached the session only when it was decoded from a packet (not a
     * concealment or silence), with the packet's sequence number.
     */
    private void play(final RtpInboundChain chain, final long tickNs) {
        final int before = heard.size();
        final long playedBefore = chain.playout().framesPlayed();
        chain.playTick(tickNs);
        if (heard.size() > before) {
            if (chain.playout().framesPlayed() > playedBefore) {
                heardSequence.add(chain.playout().jitter().lastSequenceNumber());
            } else {
                heard.remove(heard.size() - 1);
            }
        }
    }

    @Test
    void shouldDecodeTheCallersFirstPacketsHeldBeforeTheAnswer() {
        final List<byte[]> packets = callerPackets();
        final short[][] reference = reference(packets);
        // Two packets arrive between our 200 OK and the caller's ACK; media (the chain) starts at the ACK.
        final PreAnswerPackets early = new PreAnswerPackets();
        for (int f = 0; f < 2; f++) {
            assertTrue(early.hold(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS));
        }
        final RtpInboundChain chain = chain();
        early.replay(chain::onDatagram);
        for (int f = 2; f < FRAMES; f++) {
            chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS);
            play(chain, f * FRAME_NS + FRAME_NS / 2);
        }
        assertTrue(heard.size() > FRAMES - 6, "frames heard " + heard.size());
        assertEquals(0, heardSequence.get(0), "playout starts at the stream's first packet");
        for (int i = 0; i < heard.size(); i++) {
            assertArrayEquals(reference[heardSequence.get(i)], heard.get(i), "packet " + heardSequence.get(i)
                + " decoded in step with the encoder");
        }
    }

    @Test
    void shouldBeOutOfStepWhenTheFirstPacketsAreNeverDecoded() {
        // The failure the held packets prevent: the same stream without its first two packets.
        final List<byte[]> packets = callerPackets();
        final short[][] reference = reference(packets);
        final RtpInboundChain chain = chain();
        for (int f = 2; f < FRAMES; f++) {
            chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS);
            play(chain, f * FRAME_NS + FRAME_NS / 2);
        }
        assertEquals(2, heardSequence.get(0));
        assertFalse(Arrays.equals(reference[2], heard.get(0)), "the first frame heard is not what the caller's encoder coded");
    }

    /**
     * Our side as a G.722 call sends: idle ticks, a turn, a pause, a turn. {@code silence} makes the idle ticks'
     * frames; {@code encoder} codes the turns. Returns what a far decoder fed every packet plays, frame by frame.
     */
    private static short[][] farEnd(final G722Encoder encoder, final RtpSendStage.SilenceSource silence) {
        final RecordingPacketSink sink = new RecordingPacketSink();
        final RtpSendStage send = new RtpSendStage(sink, RtpSendStage.IdlePolicy.SEND_SILENCE, 0x0722, 0, 0, 160, 9, silence,
            160);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[160]);
        for (int tick = 0; tick < SCRIPT.length; tick++) {
            send.beginTick();
            if (SCRIPT[tick] && send.admitAudio()) {
                encoder.encode(tonePcm(tick), 0, payload, 0, 320);
                send.sendAudio(payload, 0, 160);
            }
            send.endTick();
        }
        final G722Decoder far = new G722Decoder();
        final short[][] heardFar = new short[sink.packets.size()][320];
        for (int i = 0; i < sink.packets.size(); i++) {
            far.decode(new UnsafeBuffer(sink.packets.get(i)), 12, 160, heardFar[i], 0);
        }
        return heardFar;
    }

    /** Which ticks carry a turn: 5 idle, 10 speaking, 3 idle, 10 speaking. */
    private static final boolean[] SCRIPT = new boolean[28];

    static {
        for (int t = 0; t < SCRIPT.length; t++) {
            SCRIPT[t] = t >= 5 && t < 15 || t >= 18;
        }
    }

    private static short[] tonePcm(final int tick) {
        final short[] pcm = new short[320];
        for (int i = 0; i < 320; i++) {
            pcm[i] = (short) Math.round(8_000 * Math.sin(2 * Math.PI * 1_000 * (tick * 320 + i) / 16_000));
        }
        return pcm;
    }

    /** The same ticks through one encoder and one decoder, silence coded as zeros: what the far end should hear. */
    private static short[][] inStep() {
        final G722Encoder encoder = new G722Encoder();
        final G722Decoder decoder = new G722Decoder();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[160]);
        final short[][] frames = new short[SCRIPT.length][320];
        for (int tick = 0; tick < SCRIPT.length; tick++) {
            encoder.encode(SCRIPT[tick] ? tonePcm(tick) : new short[320], 0, payload, 0, 320);
            decoder.decode(payload, 0, 160, frames[tick], 0);
        }
        return frames;
    }

    @Test
    void shouldCodeIdleTicksWithTheCallsOwnEncoderSoTheFarDecoderStaysInStep() {
        final G722Encoder callEncoder = new G722Encoder();
        final short[][] heardFar = farEnd(callEncoder,
            (out, offset, maxLength) -> callEncoder.encode(new short[320], 0, 320, out, offset, maxLength));
        final short[][] expected = inStep();
        assertEquals(SCRIPT.length, heardFar.length);
        for (int tick = 0; tick < SCRIPT.length; tick++) {
            assertArrayEquals(expected[tick], heardFar[tick], "tick " + tick);
        }
    }

    @Test
    void shouldBeOutOfStepWhenIdleTicksRepeatAFrameFromAnotherEncoder() {
        // What the call did before: a silence frame prepared once by a separate encoder, repeated on idle ticks.
        final G722Encoder other = new G722Encoder();
        final UnsafeBuffer prepared = new UnsafeBuffer(new byte[160]);
        for (int i = 0; i < 5; i++) {
            other.encode(new short[320], 0, prepared, 0, 320);
        }
        final byte[] frame = prepared.byteArray().clone();
        final short[][] heardFar = farEnd(new G722Encoder(), (out, offset, maxLength) -> {
            out.putBytes(offset, frame);
            return frame.length;
        });
        final short[][] expected = inStep();
        assertFalse(Arrays.equals(expected[5], heardFar[5]), "the turn's first frame decodes out of step");
    }

    @Test
    void shouldDecodeALatePacketUnheardWhenItIsTheNextInSequence() {
        final List<byte[]> packets = callerPackets();
        final short[][] reference = reference(packets);
        final RtpInboundChain chain = chain();
        for (int f = 0; f < FRAMES; f++) {
            if (f != 10) {
                chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS);
            }
            if (f == 13) {
                // Packet 10 comes after its slot was concealed, before packet 11 is played.
                chain.onDatagram(new UnsafeBuffer(packets.get(10)), 0, 172, CALLER, f * FRAME_NS);
            }
            play(chain, f * FRAME_NS + FRAME_NS / 2);
        }
        assertEquals(1, chain.playout().jitter().stats().packetsLate(), "packet 10 came after its slot");
        assertEquals(1, chain.playout().lateDecodedInStep());
        assertFalse(heardSequence.contains(10));
        for (int i = 0; i < heard.size(); i++) {
            assertArrayEquals(reference[heardSequence.get(i)], heard.get(i), "packet " + heardSequence.get(i)
                + " decoded in step with the encoder after the late one");
        }
    }

    @Test
    void shouldKeepTheDecoderInStepThroughTicksTheLoopWasTooLateFor() {
        final List<byte[]> packets = callerPackets();
        final short[][] reference = reference(packets);
        final RtpInboundChain chain = chain();
        for (int f = 0; f < FRAMES; f++) {
            chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS);
            final long tickNs = f * FRAME_NS + FRAME_NS / 2;
            if (f >= 10 && f < 13) {
                chain.skipTick(tickNs);
            } else {
                play(chain, tickNs);
            }
        }
        assertEquals(3, chain.playout().framesSkipped());
        assertEquals(heard.size() + 3, heardSequence.get(heard.size() - 1) + 1, "three packets were passed unheard");
        for (int i = 0; i < heard.size(); i++) {
            assertArrayEquals(reference[heardSequence.get(i)], heard.get(i), "packet " + heardSequence.get(i)
                + " decoded in step with the encoder after three skipped ticks");
        }
    }

    @Test
    void shouldDecodeAFrameTheJitterBufferSkipsToShortenItsDelay() {
        final List<byte[]> packets = callerPackets();
        final short[][] reference = reference(packets);
        final RtpInboundChain chain = chain(JitterBufferConfig.builder().slotCapacityBytes(400).speechAdaptIntervalMs(0).build());
        // The first eight packets arrive in one burst (a network that held them), the rest at real time: the buffer
        // starts with more delay than it needs and sheds it during the tone by skipping received frames.
        for (int f = 0; f < 8; f++) {
            chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, 7 * FRAME_NS);
        }
        for (int f = 8; f < FRAMES + 8; f++) {
            if (f < FRAMES) {
                chain.onDatagram(new UnsafeBuffer(packets.get(f)), 0, 172, CALLER, f * FRAME_NS);
            }
            play(chain, f * FRAME_NS + FRAME_NS / 2);
        }
        assertTrue(chain.playout().jitter().stats().framesRemoved() > 0, "the buffer shortened its delay in speech");
        assertEquals(chain.playout().jitter().stats().framesRemoved(), chain.playout().skippedDecodedInStep());
        for (int i = 0; i < heard.size(); i++) {
            assertArrayEquals(reference[heardSequence.get(i)], heard.get(i), "packet " + heardSequence.get(i)
                + " decoded in step with the encoder after a skipped one");
        }
    }
}
