/**
 * Audio codecs: one {@link io.voxgate.core.codec.AudioCodec} object per sample-by-sample wire encoding (G.711
 * mu-law and A-law, bit-exact and table driven; PCM16 little-endian), the G.711 law-to-law transcoder, and the
 * stateful wideband frame codecs, one instance per stream (G.722 written from the ITU-T algorithm). Allocation
 * free per frame.
 */
package io.voxgate.core.codec;
