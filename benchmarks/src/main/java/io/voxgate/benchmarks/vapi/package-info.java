/** JMH benchmarks of the Vapi transport's binary frame path. */
package io.voxgate.benchmarks.vapi;
