package io.voxgate.websocket.twilio;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock tests move by hand. */
final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(final Instant start) {
        this.now = start;
    }

    void advanceSeconds(final long seconds) {
        now = now.plusSeconds(seconds);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
