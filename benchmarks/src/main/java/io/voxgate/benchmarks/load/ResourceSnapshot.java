package io.voxgate.benchmarks.load;

/**
 * The gateway process' resources at one moment; -1 where the mode cannot see a figure.
 *
 * @param wallNs               {@code System.nanoTime()} when taken
 * @param processCpuNs         CPU time of the whole process so far (user + system)
 * @param gatewayThreadCpuNs   CPU time of the gateway's own threads ({@code voxgate-*}), in-process only
 * @param generatorThreadCpuNs CPU time of the call simulator's threads, in-process only
 * @param heapUsedBytes        heap in use (not after a collection)
 * @param directUsedBytes      direct buffer memory in use
 */
record ResourceSnapshot(long wallNs, long processCpuNs, long gatewayThreadCpuNs, long generatorThreadCpuNs,
                        long heapUsedBytes, long directUsedBytes) {
}
