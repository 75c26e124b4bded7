/**
 * The Twilio REST API as the edge uses it: a live call updated with new TwiML (a transfer's {@code <Dial>}) through
 * the Twilio Java SDK, off the event loops.
 */
package io.voxgate.websocket.twilio.rest;
