/** The RTP jitter buffer: RFC 3550 sequence and timestamp arithmetic, adaptive playout and loss concealment. */
package io.voxgate.core.jitter;
