/** SIP signalling over jain-sip: the only package that touches {@code javax.sip}; its types never leave it. */
package io.voxgate.sip.signaling;
