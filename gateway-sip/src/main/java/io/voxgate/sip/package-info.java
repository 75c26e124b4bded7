/** The SIP trunk edge: signalling, SDP, RTP/RTCP and DTMF. */
package io.voxgate.sip;
