/** Test peers for the SIP edge: the SIPp runner, a raw RTP endpoint and free-port lookup. */
package io.voxgate.sip.testing;
