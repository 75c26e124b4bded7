/** The Twilio edge: signed voice webhook answering TwiML, and the Media Streams WebSocket bridged to a call session. */
package io.voxgate.websocket.twilio;
