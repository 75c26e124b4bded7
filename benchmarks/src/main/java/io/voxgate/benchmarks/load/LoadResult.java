package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The figures of one load run, as the test and the summary need them, plus the whole machine-readable result.
 *
 * @param callsPlaced    calls the generator placed
 * @param callsOk        calls that streamed, got media back and were closed normally without a protocol violation
 * @param framesSent     media frames the callers sent
 * @param framesReceived media frames the callers received
 * @param framesLost     frames sent and never echoed, summed per call, less those the gateway still held in its paced
 *                       outbound queue when the caller hung up (echo agent only; 0 otherwise)
 * @param framesHeld     frames the gateway still held for paced playout at hang-up (in-process only): after a stall
 *                       longer than the outbound lead the echo runs late by the excess and the caller hangs up before
 *                       hearing the last of it, as a real caller would
 * @param framesUnpaired frames received with no sent frame waiting for its echo (echo agent only)
 * @param roundTripUs    per-frame round trip through the gateway and the echo agent, µs (empty unless echo)
 * @param setupUs        per-call webhook POST to first media received, µs
 * @param soakFailed     whether a sustained run's memory was judged not flat (see {@link SoakVerdict})
 * @param json           everything, as written to {@code result.json}
 */
record LoadResult(int callsPlaced, int callsOk, long framesSent, long framesReceived, long framesLost, long framesHeld,
                  long framesUnpaired,
                  Histogram roundTripUs, Histogram setupUs, boolean soakFailed, ObjectNode json) {

    /** Whether every call went through, no frame was lost or unpaired, and a soak's memory stayed flat. */
    boolean clean() {
        return callsOk == callsPlaced && framesLost == 0 && framesUnpaired == 0 && !soakFailed;
    }
}
