/** Retained heap per active call, measured by walking the object graph of live calls. */
package io.voxgate.benchmarks.call;
