package io.voxgate.app.demo;

import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import java.nio.file.Path;

/**
 * One scripted caller of the demo: what it says and when, and when its barge-in starts.
 *
 * <p>Immutable; safe on any thread.
 */
final class DemoCall {
    private final String name;
    private final CallPlan plan;
    private final int bargeInAtMs;
    private final int speechEndMs;

    private DemoCall(final String name, final CallPlan plan, final int bargeInAtMs, final int speechEndMs) {
        this.name = name;
        this.plan = plan;
        this.bargeInAtMs = bargeInAtMs;
        this.speechEndMs = speechEndMs;
    }

    /** The caller asks something, then listens while the agent answers. */
    static DemoCall conversation(final SimulatedAudio question, final Path recording) {
        return new DemoCall("conversation", plan(SimulatedAudio.concat(question, SimulatedAudio.silence(4_000)), recording, false),
            -1, question.durationMs());
    }

    /** The caller asks, and talks over the agent's answer once it has started. */
    static DemoCall bargeIn(final SimulatedAudio question, final SimulatedAudio interruption, final Path recording) {
        final int pauseMs = 1_400;
        final SimulatedAudio said =
            SimulatedAudio.concat(question, SimulatedAudio.silence(pauseMs), interruption, SimulatedAudio.silence(2_500));
        return new DemoCall("barge-in", plan(said, recording, false), question.durationMs() + pauseMs, question.durationMs());
    }

    /** The caller says something and presses keys. */
    static DemoCall digits(final SimulatedAudio said, final Path recording) {
        return new DemoCall("dtmf", plan(SimulatedAudio.concat(said, SimulatedAudio.silence(3_000)), recording, true), -1,
            said.durationMs());
    }

    private static CallPlan plan(final SimulatedAudio said, final Path recording, final boolean digits) {
        final CallPlan.Builder plan = CallPlan.builder().audio(said).listenAfterMs(0).hangUp(true).recording(recording);
        if (digits) {
            plan.dtmf('4', 600).dtmf('2', 900).dtmf('#', 1_200);
        }
        return plan.build();
    }


    String name() {
        return name;
    }

    CallPlan plan() {
        return plan;
    }

    /** When, from the first frame sent, the caller starts talking over the agent; -1 when it does not. */
    int bargeInAtMs() {
        return bargeInAtMs;
    }

    /** When, from the first frame sent, the caller's first sentence ends. */
    int speechEndMs() {
        return speechEndMs;
    }
}
