package io.voxgate.benchmarks.load.sip;

import io.voxgate.sip.srtp.SdesCryptoAttribute;
import java.net.InetSocketAddress;

/**
 * What the UAC needs from the gateway's SDP answer (RFC 4566): where to send RTP (the session or audio {@code c=}
 * address and the audio {@code m=} port), whether PCMU (PT 0) was accepted, and the gateway's SDES key when it
 * answered RTP/SAVP.
 *
 * @param rtp    the gateway's RTP address
 * @param pcmu   whether the audio line lists payload type 0
 * @param crypto the answer's usable {@code a=crypto} attribute, or null
 */
record SdpAnswer(InetSocketAddress rtp, boolean pcmu, SdesCryptoAttribute crypto) {

    /** Parses {@code sdp}; null when it has no audio line with a port or no connection address. */
    static SdpAnswer parse(final String sdp) {
        String address = null;
        int port = -1;
        boolean pcmu = false;
        boolean inAudio = false;
        SdesCryptoAttribute crypto = null;
        for (final String raw : sdp.split("\r?\n")) {
            final String line = raw.trim();
            if (line.startsWith("m=")) {
                inAudio = line.startsWith("m=audio ");
                if (inAudio && port < 0) {
                    final String[] parts = line.substring(2).split(" ");
                    try {
                        port = Integer.parseInt(parts[1]);
                    } catch (final NumberFormatException | ArrayIndexOutOfBoundsException ex) {
                        return null;
                    }
                    for (int i = 3; i < parts.length; i++) {
                        pcmu |= "0".equals(parts[i]);
                    }
                }
            } else if (inAudio && crypto == null && line.startsWith("a=crypto:")) {
                final SdesCryptoAttribute.Parsed parsed = SdesCryptoAttribute.parse(line.substring("a=crypto:".length()));
                crypto = parsed.accepted() ? parsed.attribute() : null;
            } else if (line.startsWith("c=") && (address == null || inAudio)) {
                final String[] parts = line.substring(2).split(" ");
                if (parts.length >= 3) {
                    final int slash = parts[2].indexOf('/');
                    address = slash < 0 ? parts[2] : parts[2].substring(0, slash);
                }
            }
        }
        if (address == null || port <= 0 || port > 65_535) {
            return null;
        }
        return new SdpAnswer(new InetSocketAddress(address, port), pcmu, crypto);
    }
}
