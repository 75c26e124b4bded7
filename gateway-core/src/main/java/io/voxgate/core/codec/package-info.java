/**
 * Audio codecs: one {@link io.voxgate.core.codec.AudioCodec} object per wire encoding (G.711 mu-law and A-law,
 * bit-exact and table driven; PCM16 little-endian), and the G.711 law-to-law transcoder. Allocation free.
 */
package io.voxgate.core.codec;
