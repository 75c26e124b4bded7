/** Test peers for the SIP edge: the SIPp runner, a raw SIP client, a TLS SIP listener, an RTP endpoint, a TLS certificate, free ports. */
package io.voxgate.testkit.sip;
