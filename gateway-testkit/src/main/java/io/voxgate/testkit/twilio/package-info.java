/** A stand-in for Twilio that places signed calls against the gateway, for the demo, the load generator and tests. */
package io.voxgate.testkit.twilio;
