/** The Vapi voice agent over Vapi's WebSocket transport, and the handling of Vapi server-URL webhooks. */
package io.voxgate.websocket.vapi;
