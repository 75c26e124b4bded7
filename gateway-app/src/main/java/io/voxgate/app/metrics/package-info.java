/** Prometheus exposition of the gateway's calls, frames, drops, latency and barge-ins, gathered at scrape time. */
package io.voxgate.app.metrics;
