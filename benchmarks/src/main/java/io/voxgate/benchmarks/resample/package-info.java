/** Benchmarks of the streaming polyphase resampler. */
package io.voxgate.benchmarks.resample;
