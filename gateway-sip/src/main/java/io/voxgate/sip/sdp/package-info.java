/** SDP (RFC 4566) parsing and RFC 3264 offer/answer for the G.711 audio streams the trunk edge carries. */
package io.voxgate.sip.sdp;
