/**
 * The Twilio Media Streams endpoint: the upgrade route and its authentication, the per-connection handler that opens
 * and drives the call, the caller leg that sends audio, marks and clears, and the mark ledger.
 */
package io.voxgate.websocket.twilio.stream;
