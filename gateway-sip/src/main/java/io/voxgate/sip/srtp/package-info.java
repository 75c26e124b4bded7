/**
 * SRTP and SRTCP (RFC 3711) with the AES counter-mode, HMAC-SHA1 suites and AEAD_AES_128_GCM (RFC 7714), keyed
 * by SDES (RFC 4568): key derivation, in-place protect and unprotect of packets in Agrona buffers, rollover
 * counters, replay windows and the {@code a=crypto} attribute.
 *
 * <p>Written on the JDK's AES and SHA-1 rather than Jitsi's {@code jitsi-srtp}: that library works on
 * {@code byte[]} (our packets live in pooled direct memory, so it would cost a copy each way), brings
 * Kotlin, JNA and Bouncy Castle with it, and its JDK HMAC path allocates per packet.
 */
package io.voxgate.sip.srtp;
