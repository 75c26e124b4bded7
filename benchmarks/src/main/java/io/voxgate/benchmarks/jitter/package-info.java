/** JMH benchmarks of the RTP jitter buffer. */
package io.voxgate.benchmarks.jitter;
