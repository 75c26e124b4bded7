package io.voxgate.benchmarks.load;

/**
 * The gateway's memory and call count at one moment of a run; -1 where the mode cannot see a figure.
 *
 * @param seconds           since the first measured call was placed
 * @param activeCalls       calls the gateway holds (its registry, or {@code voxgate_calls_active} of the Twilio edge)
 * @param heapUsedBytes     heap in use now, garbage included
 * @param heapAfterGcBytes  heap in use right after the most recent collection: what grows when something leaks
 * @param directUsedBytes   direct buffer memory in use
 * @param rssBytes          resident set size of the gateway's process ({@code VmRSS} of {@code /proc/<pid>/status})
 */
record SoakSample(double seconds, long activeCalls, long heapUsedBytes, long heapAfterGcBytes, long directUsedBytes, long rssBytes) {
}
