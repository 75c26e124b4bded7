/** JMH benchmarks of the G.711 codecs, the mu-law/A-law transcoder and pcm_s16le transfer in {@code io.voxgate.core.codec}. */
package io.voxgate.benchmarks.codec;
