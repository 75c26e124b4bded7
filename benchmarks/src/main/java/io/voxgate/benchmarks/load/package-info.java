/** Load generator: many simulated Twilio calls against one gateway, with latency, loss and resource figures. */
package io.voxgate.benchmarks.load;
