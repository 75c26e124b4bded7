/** RTCP (RFC 3550 §6): reception statistics and the sender/receiver reports and BYE the gateway emits. */
package io.voxgate.sip.rtcp;
