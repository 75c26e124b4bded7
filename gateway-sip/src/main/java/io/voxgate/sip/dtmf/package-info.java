/** RFC 4733 telephone-event DTMF: decoding caller digits and encoding digits the agent sends. */
package io.voxgate.sip.dtmf;
