package io.voxgate.core.jitter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Deterministic arrival-trace replay: a sender emits packets on its clock, a seeded network model delays, drops,
 * duplicates or reorders them, and a receiver polls the jitter buffer every 20 ms of its own clock. Each payload
 * carries the packet's index so playout order can be checked.
 */
final class TraceReplay {
    static final long MS = 1_000_000L;
    static final long FRAME_NS = 20 * MS;
    static final int FRAME_TICKS = 160;
    static final int PAYLOAD_BYTES = 160;

    /** One packet as the sender emits it. */
    static final class Packet {
        final int index;
        int ssrc;
        int sequence;
        long timestamp;
        boolean marker;
        long sendNs;

        Packet(final int index, final int ssrc, final int sequence, final long timestamp, final boolean marker,
            final long sendNs) {
            this.index = index;
            this.ssrc = ssrc;
            this.sequence = sequence & 0xFFFF;
            this.timestamp = timestamp & 0xFFFF_FFFFL;
            this.marker = marker;
            this.sendNs = sendNs;
        }
    }

    /** Network model: calls {@code arrival} once per copy delivered (zero times drops the packet). */
    interface Network {
        void deliver(Packet packet, Random random, LongConsumer arrival);
    }

    private TraceReplay() {
    }

    /** Continuous speech: one packet per frame, sender frame interval {@code intervalNs} on the receiver clock. */
    static List<Packet> continuous(final int count, final int ssrc, final int firstSequence, final long firstTimestamp,
        final long intervalNs) {
        final List<Packet> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            packets.add(new Packet(i, ssrc, firstSequence + i, firstTimestamp + (long) i * FRAME_TICKS, i == 0,
                i * intervalNs));
        }
        return packets;
    }

    /**
     * Talkspurts with silence suppression: seeded talkspurt and gap lengths (in frames); sequence numbers run on,
     * timestamps and send times jump over the gaps, and the first packet of each talkspurt carries the marker.
     */
    static List<Packet> talkspurts(final Random random, final int spurts, final int minTalk, final int maxTalk,
        final int minGap, final int maxGap) {
        final List<Packet> packets = new ArrayList<>();
        int index = 0;
        long frame = 0;
        for (int s = 0; s < spurts; s++) {
            final int talk = minTalk + random.nextInt(maxTalk - minTalk + 1);
            for (int i = 0; i < talk; i++) {
                packets.add(new Packet(index, 0x1234, 1000 + index, 5000 + frame * FRAME_TICKS, i == 0, frame * FRAME_NS));
                index++;
                frame++;
            }
            frame += minGap + random.nextInt(maxGap - minGap + 1);
        }
        return packets;
    }

    /** A fixed one-way delay. */
    static Network fixed(final long delayNs) {
        return (p, r, arrival) -> arrival.accept(p.sendNs + delayNs);
    }

    /** A base delay plus uniform jitter in [0, jitterNs]. */
    static Network uniform(final long baseNs, final long jitterNs) {
        return (p, r, arrival) -> arrival.accept(p.sendNs + baseNs + (long) (r.nextDouble() * jitterNs));
    }

    /** What the receiver saw. */
    static final class Result {
        final List<Integer> played = new ArrayList<>();
        final List<Long> addedDelayNs = new ArrayList<>();
        final List<Long> playNs = new ArrayList<>();
        final List<Long> targetDelayNsPerPoll = new ArrayList<>();
        final List<Long> currentDelayNsPerPoll = new ArrayList<>();
        final List<PlayoutStatus> statuses = new ArrayList<>();
        final Map<PlayoutStatus, Integer> statusCounts = new EnumMap<>(PlayoutStatus.class);
        final Map<OfferResult, Integer> offerCounts = new EnumMap<>(OfferResult.class);
        int copiesDelivered;
        int maxConcealedRun;
        JitterBufferStats stats;

        int status(final PlayoutStatus status) {
            return statusCounts.getOrDefault(status, 0);
        }

        int offers(final OfferResult result) {
            return offerCounts.getOrDefault(result, 0);
        }

        double meanAddedDelayMs() {
            return addedDelayNs.stream().mapToLong(Long::longValue).average().orElse(0) / MS;
        }

        double maxAddedDelayMs() {
            return addedDelayNs.stream().mapToLong(Long::longValue).max().orElse(0) / (double) MS;
        }

        double minAddedDelayMs() {
            return addedDelayNs.stream().mapToLong(Long::longValue).min().orElse(0) / (double) MS;
        }

        boolean playedInStrictOrder() {
            for (int i = 1; i < played.size(); i++) {
                if (played.get(i) <= played.get(i - 1)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "played=" + played.size() + " statuses=" + statusCounts + " offers=" + offerCounts
                + String.format(" addedDelayMs mean=%.1f min=%.1f max=%.1f", meanAddedDelayMs(), minAddedDelayMs(),
                maxAddedDelayMs()) + " maxConcealedRun=" + maxConcealedRun + " " + stats;
        }
    }

    /**
     * Replays {@code packets} through {@code network}; the receiver polls every 20 ms starting at
     * {@code firstPollNs} until {@code tailNs} after the last arrival.
     */
    static Result replay(final JitterBuffer buffer, final List<Packet> packets, final Network network, final long seed,
        final long firstPollNs) {
        final Random random = new Random(seed);
        final List<long[]> arrivals = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            final int packetIndex = i;
            network.deliver(packets.get(i), random, at -> arrivals.add(new long[] {at, packetIndex}));
        }
        arrivals.sort((a, b) -> Long.compare(a[0], b[0]));
        final long[] firstArrivalNs = new long[packets.size()];
        Arrays.fill(firstArrivalNs, Long.MAX_VALUE);
        for (final long[] a : arrivals) {
            final int i = (int) a[1];
            firstArrivalNs[i] = Math.min(firstArrivalNs[i], a[0]);
        }

        final Result result = new Result();
        result.copiesDelivered = arrivals.size();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
        final long endNs = (arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1)[0]) + 1000 * MS;
        int next = 0;
        int run = 0;
        for (long now = firstPollNs; now <= endNs; now += FRAME_NS) {
            while (next < arrivals.size() && arrivals.get(next)[0] <= now) {
                final Packet p = packets.get((int) arrivals.get(next)[1]);
                payload.putInt(0, p.index);
                payload.setMemory(4, PAYLOAD_BYTES - 4, (byte) p.index);
                final OfferResult r = buffer.offer(p.ssrc, p.sequence, p.timestamp, p.marker, payload, 0, PAYLOAD_BYTES,
                    arrivals.get(next)[0]);
                result.offerCounts.merge(r, 1, Integer::sum);
                next++;
            }
            final PlayoutStatus status = buffer.poll(now);
            result.statuses.add(status);
            result.statusCounts.merge(status, 1, Integer::sum);
            result.targetDelayNsPerPoll.add(buffer.stats().targetDelayNs());
            result.currentDelayNsPerPoll.add(buffer.stats().currentDelayNs());
            run = status == PlayoutStatus.CONCEALED ? run + 1 : 0;
            result.maxConcealedRun = Math.max(result.maxConcealedRun, run);
            if (status == PlayoutStatus.FRAME) {
                final int index = buffer.payload().getInt(0);
                result.played.add(index);
                result.playNs.add(now);
                result.addedDelayNs.add(now - firstArrivalNs[index]);
                if (buffer.lastPayloadLength() != PAYLOAD_BYTES || buffer.payload().getByte(PAYLOAD_BYTES - 1) != (byte) index) {
                    throw new AssertionError("payload of packet " + index + " corrupted");
                }
            }
        }
        result.stats = buffer.stats();
        return result;
    }
}
