/**
 * The Twilio edge: {@link io.voxgate.websocket.twilio.TwilioEdge} wires the signed voice webhook answering TwiML
 * ({@code webhook}) and the Media Streams WebSocket bridged to a call session ({@code stream}), which speaks the
 * Media Streams messages of {@code wire}; the edge's settings, its one read view of the counters and the per-call log
 * lines both sides share live here.
 */
package io.voxgate.websocket.twilio;
