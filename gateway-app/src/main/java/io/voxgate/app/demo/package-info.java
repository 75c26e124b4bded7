/** {@code ./voxgate demo}: a loopback gateway, simulated Twilio callers, and a per-call report. */
package io.voxgate.app.demo;
