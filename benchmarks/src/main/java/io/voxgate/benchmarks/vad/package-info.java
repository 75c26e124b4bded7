/** JMH benchmarks of the barge-in voice activity detector ({@code io.voxgate.core.vad}). */
package io.voxgate.benchmarks.vad;
