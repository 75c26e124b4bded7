package io.voxgate.benchmarks.srtp;

import io.voxgate.sip.srtp.SrtpContext;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP on one 172-octet RTP packet (12-octet header, 160 octets of PCMU: 20 ms of G.711), as a call's loop runs it
 * 50 times a second each way, in pooled direct memory (as the Netty path hands it over) or on the heap.
 * {@code protect} encrypts and tags; {@code protectThenUnprotect} is one sender's packet through one receiver
 * (authenticate, replay check, decrypt), so unprotect alone costs the difference. Unprotect cannot be measured
 * alone without replaying the same index, which the receiver rightly refuses before doing the work. The
 * AEAD_AES_128_GCM rows are the gateway's own GCM (AES/ECB counter blocks and a table GHASH); {@link JdkGcmBenchmark}
 * measures the JDK's GCM {@code Cipher} re-initialised per packet for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SrtpBenchmark {
    private static final int RTP_LENGTH = 172;

    /** Where the packet lives. */
    @Param({"direct", "heap"})
    public String memory;

    /** The negotiated suite. */
    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_128_GCM"})
    public String suite;

    private SrtpContext sender;
    private SrtpContext receiver;
    private UnsafeBuffer packet;
    private int sequence;
    private int srtpLength;

    /** One call's two contexts and one packet buffer with room for the tag. */
    @Setup(Level.Trial)
    public void setUp() {
        final SrtpMasterKey key = SrtpMasterKey.generate(new SecureRandom());
        final SrtpCryptoSuite chosen = SrtpCryptoSuite.valueOf(suite);
        sender = new SrtpContext(chosen, key);
        receiver = new SrtpContext(chosen, key);
        packet = "direct".equals(memory) ? new UnsafeBuffer(ByteBuffer.allocateDirect(256))
            : new UnsafeBuffer(new byte[256]);
        packet.putByte(0, (byte) 0x80);
        packet.putInt(8, 0x0BAD_CAFE, ByteOrder.BIG_ENDIAN);
        for (int i = 12; i < RTP_LENGTH; i++) {
            packet.putByte(i, (byte) 0xFF);
        }
        srtpLength = RTP_LENGTH + chosen.srtpAuthTagLength();
    }

    /** Encrypt the payload and append the tag. */
    @Benchmark
    public int protect() {
        packet.putShort(2, (short) sequence++, ByteOrder.BIG_ENDIAN);
        return sender.protectRtp(packet, 0, RTP_LENGTH);
    }

    /** Protect, then authenticate, replay-check and decrypt on the receiving side. */
    @Benchmark
    public int protectThenUnprotect() {
        packet.putShort(2, (short) sequence++, ByteOrder.BIG_ENDIAN);
        sender.protectRtp(packet, 0, RTP_LENGTH);
        return receiver.unprotectRtp(packet, 0, srtpLength);
    }
}
