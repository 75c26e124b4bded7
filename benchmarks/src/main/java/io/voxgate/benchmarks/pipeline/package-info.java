/** JMH benchmarks of the per-call media pipelines: the whole frame path in each direction. */
package io.voxgate.benchmarks.pipeline;
