/** One SIP call's media on its event loop: the RTP caller leg of a core call session, its commands and its tick. */
package io.voxgate.sip.call;
