package io.voxgate.benchmarks.srtp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The road not taken for AEAD_AES_128_GCM: the JDK's {@code AES/GCM/NoPadding} {@code Cipher} sealing the same
 * 172-octet RTP packet as {@link SrtpBenchmark}, in a direct buffer. Every packet has a new IV, and the JDK takes a
 * new IV only through {@code init} with a new {@code GCMParameterSpec}, so this is what per-packet re-keying costs
 * in time and bytes allocated ({@code -prof gc}), against the gateway's own allocation-free GCM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JdkGcmBenchmark {
    private static final int HEADER = 12;
    private static final int RTP_LENGTH = 172;

    private Cipher cipher;
    private SecretKeySpec key;
    private final byte[] iv = new byte[12];
    private ByteBuffer in;
    private ByteBuffer out;
    private long index;

    /** A key and one packet; the output buffer has room for the tag. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        final byte[] k = new byte[16];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        in = ByteBuffer.allocateDirect(RTP_LENGTH);
        out = ByteBuffer.allocateDirect(RTP_LENGTH + 16);
    }

    /** One packet sealed: init with the packet's IV, the header as associated data, the payload encrypted. */
    @Benchmark
    public int seal() throws GeneralSecurityException {
        index++;
        for (int k = 0; k < 6; k++) {
            iv[6 + k] = (byte) (index >>> (40 - 8 * k));
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        in.clear().limit(HEADER);
        cipher.updateAAD(in);
        in.limit(RTP_LENGTH);
        out.clear();
        return cipher.doFinal(in, out);
    }
}
