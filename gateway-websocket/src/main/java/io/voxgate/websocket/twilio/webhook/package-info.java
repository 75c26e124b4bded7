/**
 * The Twilio webhooks: the voice webhook answering TwiML with a per-call token, the stream status callback, the
 * request signatures they check, and the record of admitted calls that the stream side consults.
 */
package io.voxgate.websocket.twilio.webhook;
