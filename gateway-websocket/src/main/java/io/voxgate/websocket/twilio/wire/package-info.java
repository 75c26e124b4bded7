/**
 * The Media Streams wire format: the allocation-free reader of inbound messages, the encoder of outbound ones, the
 * base64 they carry and the shape of a Twilio SID.
 */
package io.voxgate.websocket.twilio.wire;
