/** The load generator's SIP user agent client and RTP endpoints: cheap peers that place calls on the SIP edge. */
package io.voxgate.benchmarks.load.sip;
