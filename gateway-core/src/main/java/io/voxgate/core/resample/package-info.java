/** Streaming polyphase resampling between 8, 16 and 24 kHz with state kept across frames. */
package io.voxgate.core.resample;
