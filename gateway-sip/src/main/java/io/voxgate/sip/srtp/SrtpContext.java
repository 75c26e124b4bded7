package io.voxgate.sip.srtp;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One direction of an SRTP session (RFC 3711 §3.2): the session keys derived from one master key, and per SSRC
 * the rollover counter, the SRTCP index and the replay windows. The AES_CM suites encrypt with AES counter mode
 * and authenticate with HMAC-SHA1 (RFC 3711 §4); AEAD_AES_128_GCM does both in one pass with {@link AesGcm}, its
 * tag covering the header as associated data (RFC 7714 §8 and §9). A call has two: one keyed with our master key to
 * {@link #protectRtp protect} what we send, one keyed with the peer's to {@link #unprotectRtp unprotect} what we
 * receive.
 *
 * <p>Packets are transformed in place in a caller-owned Agrona buffer, so the RTP path can hand over the Netty
 * memory it already wraps (pooled direct memory) without a copy. Each method returns the packet's new length, or
 * a negative result code and bumps the matching counter; nothing throws on bad input. An unauthenticated packet
 * changes no state. Protect needs room for the trailer after the packet: {@link SrtpCryptoSuite#srtpAuthTagLength}
 * octets for RTP, {@link SrtpCryptoSuite#srtcpOverhead} for RTCP.
 *
 * <p>State is kept for up to {@link #MAX_STREAMS} SSRCs; a new one, once authenticated, takes the slot used least
 * recently (counted in {@link #streamsEvicted}).
 *
 * <p>Threading: confined to one thread (the call's event loop); the counters may be read from any thread and may
 * be slightly stale. Allocates only at construction. Holds key material and never prints it.
 */
public final class SrtpContext {
    /** SSRCs tracked at once: one caller stream, plus room for a mid-call source change. */
    public static final int MAX_STREAMS = 4;

    /** Shorter than a header and the trailer. */
    public static final int TOO_SHORT = -1;
    /** Not RTP or RTCP version 2, or a CSRC list or header extension runs past the end. */
    public static final int MALFORMED = -2;
    /** Longer than an RTP packet can be, or no room after it for the trailer. */
    public static final int OVERSIZED = -3;
    /** The authentication tag does not match: forged, corrupted or keyed with another master key. */
    public static final int AUTH_FAILED = -4;
    /** An index already received. */
    public static final int REPLAYED = -5;
    /** An index below the replay window: too late to tell from a replay. */
    public static final int TOO_OLD = -6;
    /** An authentic SRTCP packet with its E flag clear: we never agree to unencrypted SRTCP. */
    public static final int NOT_ENCRYPTED = -7;
    /** The SRTCP index would pass 2^31 - 1: the master key must be replaced (RFC 3711 §9.2). */
    public static final int INDEX_EXHAUSTED = -8;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int MAX_SRTCP_INDEX = 0x7FFF_FFFF;
    private static final int E_FLAG = 0x8000_0000;

    private final SrtpCryptoSuite suite;
    /** The AES_CM suites' ciphers and authenticators; null for AES-GCM. */
    private final AesCounterKeystream rtpCipher;
    private final HmacSha1 rtpAuth;
    private final AesCounterKeystream rtcpCipher;
    private final HmacSha1 rtcpAuth;
    /** AES-GCM's ciphers; null for the AES_CM suites. */
    private final AesGcm rtpAead;
    private final AesGcm rtcpAead;
    /** SRTCP's associated data under AES-GCM: the first header and SSRC, then the E flag and index word. */
    private final UnsafeBuffer rtcpAad = new UnsafeBuffer(new byte[RTCP_HEADER + 4]);
    private final Stream[] streams = new Stream[MAX_STREAMS];
    private final byte[] scratch = new byte[AesCounterKeystream.MAX_LENGTH + 32];
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] word = new byte[4];
    private long useClock;

    private long rtpProtected;
    private long rtpUnprotected;
    private long rtcpProtected;
    private long rtcpUnprotected;
    private long authFailures;
    private long replays;
    private long tooOld;
    private long tooShort;
    private long malformed;
    private long oversized;
    private long notEncrypted;
    private long indexExhausted;
    private long streamsEvicted;

    /**
     * A context for one direction, with the replay windows at {@link ReplayWindow#DEFAULT_SIZE}.
     *
     * @param suite     the negotiated crypto suite
     * @param masterKey the master key and salt of the side that protects this direction, as long as the suite
     *                  takes or longer (a longer one is cut to it, see {@link SrtpMasterKey#forSuite})
     */
    public SrtpContext(final SrtpCryptoSuite suite, final SrtpMasterKey masterKey) {
        this(suite, masterKey, ReplayWindow.DEFAULT_SIZE);
    }

    /**
     * A context for one direction.
     *
     * @param replayWindowSize indices each replay window remembers, a positive multiple of 64
     */
    public SrtpContext(final SrtpCryptoSuite suite, final SrtpMasterKey masterKey, final int replayWindowSize) {
        this.suite = suite;
        final SrtpMasterKey suiteKey = masterKey.forSuite(suite);
        final byte[] key = suiteKey.key();
        final byte[] salt = suiteKey.salt();
        // AES-GCM's 12-octet master salt enters the same AES-CM PRF, zero-padded to 14 octets (as libsrtp keys it).
        final SrtpKeyDerivation kdf = new SrtpKeyDerivation(key, salt);
        for (int i = 0; i < MAX_STREAMS; i++) {
            streams[i] = new Stream(replayWindowSize);
        }
        if (suite.aead()) {
            final int saltLength = suite.masterSaltLength();
            rtpAead = new AesGcm(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, SrtpCryptoSuite.MASTER_KEY_LENGTH),
                kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, saltLength));
            rtcpAead = new AesGcm(kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, SrtpCryptoSuite.MASTER_KEY_LENGTH),
                kdf.derive(SrtpKeyDerivation.LABEL_RTCP_SALT, saltLength));
            rtpCipher = null;
            rtpAuth = null;
            rtcpCipher = null;
            rtcpAuth = null;
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(salt, (byte) 0);
            return;
        }
        rtpAead = null;
        rtcpAead = null;
        rtpCipher = new AesCounterKeystream(
            kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, SrtpCryptoSuite.MASTER_KEY_LENGTH),
            kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, SrtpCryptoSuite.MASTER_SALT_LENGTH));
        rtpAuth = new HmacSha1(kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, SrtpCryptoSuite.AUTH_KEY_LENGTH));
        rtcpCipher = new AesCounterKeystream(
            kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, SrtpCryptoSuite.MASTER_KEY_LENGTH),
            kdf.derive(SrtpKeyDerivation.LABEL_RTCP_SALT, SrtpCryptoSuite.MASTER_SALT_LENGTH));
        rtcpAuth = new HmacSha1(kdf.derive(SrtpKeyDerivation.LABEL_RTCP_AUTHENTICATION, SrtpCryptoSuite.AUTH_KEY_LENGTH));
        java.util.Arrays.fill(key, (byte) 0);
        java.util.Arrays.fill(salt, (byte) 0);
    }

    /** The suite this context was built for. */
    public SrtpCryptoSuite suite() {
        return suite;
    }

    /**
     * Encrypts an RTP packet's payload and appends the authentication tag (RFC 3711 §3.3).
     *
     * @param buffer holds the packet at {@code offset}; the tag is written after it
     * @return the SRTP packet's length, or {@link #TOO_SHORT}, {@link #MALFORMED} or {@link #OVERSIZED}
     */
    public int protectRtp(final MutableDirectBuffer buffer, final int offset, final int length) {
        final int tagLength = suite.srtpAuthTagLength();
        final int header = rtpHeaderLength(buffer, offset, length);
        if (header < 0) {
            return header;
        }
        if (length > AesCounterKeystream.MAX_LENGTH || offset + length + tagLength > buffer.capacity()) {
            oversized++;
            return OVERSIZED;
        }
        final int ssrc = buffer.getInt(offset + 8, ByteOrder.BIG_ENDIAN);
        final int sequence = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        Stream stream = find(ssrc);
        if (stream == null) {
            stream = claim(ssrc);
        }
        stream.lastUse = ++useClock;
        final long index = SrtpIndex.estimate(stream.rtpSent, sequence);
        if (index > stream.rtpSent) {
            stream.rtpSent = index;
        }
        if (rtpAead != null) {
            rtpAead.seal(ssrc, Math.max(index, 0), buffer, offset, header, buffer, offset + header, length - header);
            rtpProtected++;
            return length + tagLength;
        }
        rtpCipher.apply(buffer, offset + header, length - header, ssrc, Math.max(index, 0));
        rtpTag(buffer, offset, length, SrtpIndex.rolloverCounter(Math.max(index, 0)));
        buffer.putBytes(offset + length, mac, 0, tagLength);
        rtpProtected++;
        return length + tagLength;
    }

    /**
     * Checks an SRTP packet's tag and replay status, then decrypts its payload in place.
     *
     * @return the RTP packet's length (the tag dropped), or {@link #TOO_SHORT}, {@link #MALFORMED},
     *         {@link #OVERSIZED}, {@link #AUTH_FAILED}, {@link #REPLAYED} or {@link #TOO_OLD}
     */
    public int unprotectRtp(final MutableDirectBuffer buffer, final int offset, final int length) {
        final int tagLength = suite.srtpAuthTagLength();
        if (length > AesCounterKeystream.MAX_LENGTH) {
            oversized++;
            return OVERSIZED;
        }
        final int rtpLength = length - tagLength;
        final int header = rtpHeaderLength(buffer, offset, rtpLength);
        if (header < 0) {
            return header;
        }
        final int ssrc = buffer.getInt(offset + 8, ByteOrder.BIG_ENDIAN);
        final int sequence = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final Stream stream = find(ssrc);
        final long index = SrtpIndex.estimate(stream == null ? -1 : stream.rtpWindow.highest(), sequence);
        final int replay = stream == null ? ReplayWindow.FRESH : stream.rtpWindow.check(index);
        if (replay != ReplayWindow.FRESH) {
            return refuseReplay(replay);
        }
        if (rtpAead != null) {
            if (!rtpAead.open(ssrc, index, buffer, offset, header, buffer, offset + header, rtpLength - header)) {
                authFailures++;
                return AUTH_FAILED;
            }
        } else {
            rtpTag(buffer, offset, rtpLength, SrtpIndex.rolloverCounter(index));
            if (!tagMatches(buffer, offset + rtpLength, tagLength)) {
                authFailures++;
                return AUTH_FAILED;
            }
            rtpCipher.apply(buffer, offset + header, rtpLength - header, ssrc, index);
        }
        final Stream accepted = stream == null ? claim(ssrc) : stream;
        accepted.lastUse = ++useClock;
        accepted.rtpWindow.accept(index);
        rtpUnprotected++;
        return rtpLength;
    }

    /**
     * Encrypts a (compound) RTCP packet after its first header and SSRC, appends the E flag with the SRTCP index,
     * then the tag (RFC 3711 §3.4).
     *
     * @return the SRTCP packet's length, or {@link #TOO_SHORT}, {@link #MALFORMED}, {@link #OVERSIZED} or
     *         {@link #INDEX_EXHAUSTED}
     */
    public int protectRtcp(final MutableDirectBuffer buffer, final int offset, final int length) {
        final int check = rtcpHeaderCheck(buffer, offset, length);
        if (check < 0) {
            return check;
        }
        if (length > AesCounterKeystream.MAX_LENGTH || offset + length + suite.srtcpOverhead() > buffer.capacity()) {
            oversized++;
            return OVERSIZED;
        }
        final int ssrc = buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN);
        Stream stream = find(ssrc);
        if (stream == null) {
            stream = claim(ssrc);
        }
        if (stream.rtcpNext > MAX_SRTCP_INDEX) {
            indexExhausted++;
            return INDEX_EXHAUSTED;
        }
        stream.lastUse = ++useClock;
        // The first SRTCP packet carries index 0 (RFC 3711 §3.4).
        final int index = (int) stream.rtcpNext++;
        if (rtcpAead != null) {
            // RFC 7714 §9: header, ciphertext, tag, then the E flag and index, which the associated data covers.
            rtcpAad.putBytes(0, buffer, offset, RTCP_HEADER);
            rtcpAad.putInt(RTCP_HEADER, E_FLAG | index, ByteOrder.BIG_ENDIAN);
            rtcpAead.seal(ssrc, index, rtcpAad, 0, rtcpAad.capacity(), buffer, offset + RTCP_HEADER, length - RTCP_HEADER);
            buffer.putInt(offset + length + AesGcm.TAG_LENGTH, E_FLAG | index, ByteOrder.BIG_ENDIAN);
            rtcpProtected++;
            return length + suite.srtcpOverhead();
        }
        rtcpCipher.apply(buffer, offset + RTCP_HEADER, length - RTCP_HEADER, ssrc, index);
        buffer.putInt(offset + length, E_FLAG | index, ByteOrder.BIG_ENDIAN);
        final int authenticated = length + 4;
        tag(rtcpAuth, buffer, offset, authenticated);
        rtcpAuth.finish(mac, 0);
        buffer.putBytes(offset + authenticated, mac, 0, SrtpCryptoSuite.SRTCP_AUTH_TAG_LENGTH);
        rtcpProtected++;
        return authenticated + SrtpCryptoSuite.SRTCP_AUTH_TAG_LENGTH;
    }

    /**
     * Checks an SRTCP packet's tag and replay status, then decrypts it in place.
     *
     * @return the RTCP packet's length (index word and tag dropped), or {@link #TOO_SHORT}, {@link #MALFORMED},
     *         {@link #OVERSIZED}, {@link #AUTH_FAILED}, {@link #REPLAYED}, {@link #TOO_OLD} or
     *         {@link #NOT_ENCRYPTED}
     */
    public int unprotectRtcp(final MutableDirectBuffer buffer, final int offset, final int length) {
        if (length > AesCounterKeystream.MAX_LENGTH + suite.srtcpOverhead()) {
            oversized++;
            return OVERSIZED;
        }
        final int rtcpLength = length - suite.srtcpOverhead();
        final int check = rtcpHeaderCheck(buffer, offset, rtcpLength);
        if (check < 0) {
            return check;
        }
        if (rtcpAead != null) {
            return unprotectRtcpAead(buffer, offset, rtcpLength);
        }
        final int authenticated = rtcpLength + 4;
        final int flagAndIndex = buffer.getInt(offset + rtcpLength, ByteOrder.BIG_ENDIAN);
        final int index = flagAndIndex & MAX_SRTCP_INDEX;
        final int ssrc = buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN);
        final Stream stream = find(ssrc);
        final int replay = stream == null ? ReplayWindow.FRESH : stream.rtcpWindow.check(index);
        if (replay != ReplayWindow.FRESH) {
            return refuseReplay(replay);
        }
        tag(rtcpAuth, buffer, offset, authenticated);
        rtcpAuth.finish(mac, 0);
        if (!tagMatches(buffer, offset + authenticated, SrtpCryptoSuite.SRTCP_AUTH_TAG_LENGTH)) {
            authFailures++;
            return AUTH_FAILED;
        }
        if ((flagAndIndex & E_FLAG) == 0) {
            notEncrypted++;
            return NOT_ENCRYPTED;
        }
        rtcpCipher.apply(buffer, offset + RTCP_HEADER, rtcpLength - RTCP_HEADER, ssrc, index);
        final Stream accepted = stream == null ? claim(ssrc) : stream;
        accepted.lastUse = ++useClock;
        accepted.rtcpWindow.accept(index);
        rtcpUnprotected++;
        return rtcpLength;
    }

    /**
     * SRTCP under AES-GCM (RFC 7714 §9): the E flag and index after the tag; an unencrypted packet (E clear) is
     * refused before any work, since we never agree to unencrypted SRTCP.
     */
    private int unprotectRtcpAead(final MutableDirectBuffer buffer, final int offset, final int rtcpLength) {
        final int flagAndIndex = buffer.getInt(offset + rtcpLength + AesGcm.TAG_LENGTH, ByteOrder.BIG_ENDIAN);
        if ((flagAndIndex & E_FLAG) == 0) {
            notEncrypted++;
            return NOT_ENCRYPTED;
        }
        final int index = flagAndIndex & MAX_SRTCP_INDEX;
        final int ssrc = buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN);
        final Stream stream = find(ssrc);
        final int replay = stream == null ? ReplayWindow.FRESH : stream.rtcpWindow.check(index);
        if (replay != ReplayWindow.FRESH) {
            return refuseReplay(replay);
        }
        rtcpAad.putBytes(0, buffer, offset, RTCP_HEADER);
        rtcpAad.putInt(RTCP_HEADER, flagAndIndex, ByteOrder.BIG_ENDIAN);
        if (!rtcpAead.open(ssrc, index, rtcpAad, 0, rtcpAad.capacity(), buffer, offset + RTCP_HEADER,
                rtcpLength - RTCP_HEADER)) {
            authFailures++;
            return AUTH_FAILED;
        }
        final Stream accepted = stream == null ? claim(ssrc) : stream;
        accepted.lastUse = ++useClock;
        accepted.rtcpWindow.accept(index);
        rtcpUnprotected++;
        return rtcpLength;
    }

    /** RTP packets protected. */
    public long rtpProtected() {
        return rtpProtected;
    }

    /** SRTP packets authenticated and decrypted. */
    public long rtpUnprotected() {
        return rtpUnprotected;
    }

    /** RTCP packets protected. */
    public long rtcpProtected() {
        return rtcpProtected;
    }

    /** SRTCP packets authenticated and decrypted. */
    public long rtcpUnprotected() {
        return rtcpUnprotected;
    }

    /** Packets refused because their tag did not match. */
    public long authFailures() {
        return authFailures;
    }

    /** Packets refused because their index had been received. */
    public long replays() {
        return replays;
    }

    /** Packets refused because their index was below the replay window. */
    public long tooOld() {
        return tooOld;
    }

    /** Packets refused because they were shorter than a header and the trailer. */
    public long tooShort() {
        return tooShort;
    }

    /** Packets refused because their header was not RTP/RTCP version 2 or ran past the end. */
    public long malformed() {
        return malformed;
    }

    /** Packets refused because they were too long, or had no room for the trailer. */
    public long oversized() {
        return oversized;
    }

    /** Authentic SRTCP packets refused because they were not encrypted. */
    public long notEncrypted() {
        return notEncrypted;
    }

    /** RTCP packets refused because the SRTCP index ran out. */
    public long indexExhausted() {
        return indexExhausted;
    }

    /** SSRC states dropped to make room for a new SSRC. */
    public long streamsEvicted() {
        return streamsEvicted;
    }

    @Override
    public String toString() {
        return "SrtpContext[" + suite.sdesName() + ", keys redacted]";
    }

    private int rtpHeaderLength(final MutableDirectBuffer buffer, final int offset, final int length) {
        if (length < RTP_HEADER) {
            tooShort++;
            return TOO_SHORT;
        }
        final int first = buffer.getByte(offset) & 0xFF;
        if (first >>> 6 != 2) {
            malformed++;
            return MALFORMED;
        }
        int header = RTP_HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (header + 4 > length) {
                malformed++;
                return MALFORMED;
            }
            header += 4 + 4 * (buffer.getShort(offset + header + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        }
        if (header > length) {
            malformed++;
            return MALFORMED;
        }
        return header;
    }

    private int rtcpHeaderCheck(final MutableDirectBuffer buffer, final int offset, final int length) {
        if (length < RTCP_HEADER) {
            tooShort++;
            return TOO_SHORT;
        }
        if ((buffer.getByte(offset) & 0xFF) >>> 6 != 2) {
            malformed++;
            return MALFORMED;
        }
        return 0;
    }

    private int refuseReplay(final int replay) {
        if (replay == ReplayWindow.DUPLICATE) {
            replays++;
            return REPLAYED;
        }
        tooOld++;
        return TOO_OLD;
    }

    /** HMAC over the RTP packet, then the rollover counter (RFC 3711 §4.2), into {@link #mac}. */
    private void rtpTag(final MutableDirectBuffer buffer, final int offset, final int length, final int roc) {
        tag(rtpAuth, buffer, offset, length);
        word[0] = (byte) (roc >>> 24);
        word[1] = (byte) (roc >>> 16);
        word[2] = (byte) (roc >>> 8);
        word[3] = (byte) roc;
        rtpAuth.update(word, 0, 4);
        rtpAuth.finish(mac, 0);
    }

    /** Starts an HMAC over {@code length} octets of the buffer, reading a heap array directly, else a copy. */
    private void tag(final HmacSha1 hmac, final MutableDirectBuffer buffer, final int offset, final int length) {
        hmac.start();
        final byte[] array = buffer.byteArray();
        if (array != null) {
            hmac.update(array, buffer.wrapAdjustment() + offset, length);
        } else {
            buffer.getBytes(offset, scratch, 0, length);
            hmac.update(scratch, 0, length);
        }
    }

    /** Compares the computed tag with the packet's in constant time. */
    private boolean tagMatches(final MutableDirectBuffer buffer, final int at, final int tagLength) {
        int difference = 0;
        for (int i = 0; i < tagLength; i++) {
            difference |= mac[i] ^ buffer.getByte(at + i);
        }
        return difference == 0;
    }

    private Stream find(final int ssrc) {
        for (final Stream stream : streams) {
            if (stream.inUse && stream.ssrc == ssrc) {
                return stream;
            }
        }
        return null;
    }

    private Stream claim(final int ssrc) {
        Stream chosen = streams[0];
        for (final Stream stream : streams) {
            if (!stream.inUse) {
                chosen = stream;
                break;
            }
            if (stream.lastUse < chosen.lastUse) {
                chosen = stream;
            }
        }
        if (chosen.inUse) {
            streamsEvicted++;
        }
        chosen.reset(ssrc);
        return chosen;
    }

    /** What one SSRC's packets have moved: the highest index sent, the next SRTCP index and the replay windows. */
    private static final class Stream {
        private final ReplayWindow rtpWindow;
        private final ReplayWindow rtcpWindow;
        private boolean inUse;
        private int ssrc;
        private long lastUse;
        private long rtpSent = -1;
        private long rtcpNext;

        Stream(final int replayWindowSize) {
            rtpWindow = new ReplayWindow(replayWindowSize);
            rtcpWindow = new ReplayWindow(replayWindowSize);
        }

        void reset(final int newSsrc) {
            inUse = true;
            ssrc = newSsrc;
            rtpSent = -1;
            rtcpNext = 0;
            rtpWindow.reset();
            rtcpWindow.reset();
        }
    }
}
