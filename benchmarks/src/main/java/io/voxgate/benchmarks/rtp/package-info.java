/** JMH benchmarks of the SIP edge's RTP path: receive to playout, and paced frame to packet. */
package io.voxgate.benchmarks.rtp;
