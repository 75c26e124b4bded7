/** Benchmarks of the Twilio Media Streams wire path: inbound parse and decode, outbound encode. */
package io.voxgate.benchmarks.twilio;
