package io.voxgate.sip.signaling;

import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.sdp.NegotiatedMedia;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** Test handler: admits per a rule and records what signalling reports. */
final class RecordingCallHandler implements SipCallHandler {
    final List<InboundCall> admitted = new CopyOnWriteArrayList<>();
    final Map<String, NegotiatedMedia> answered = new ConcurrentHashMap<>();
    final List<NegotiatedMedia> mediaChanges = new CopyOnWriteArrayList<>();
    final Map<String, String> ended = new ConcurrentHashMap<>();
    final CountDownLatch answeredLatch;
    final CountDownLatch endedLatch;
    volatile Function<InboundCall, Admission> rule = c -> Admission.accept(40_000);
    volatile SipSignaling hangUpOnAnswer;

    RecordingCallHandler(final int expectedCalls) {
        this.answeredLatch = new CountDownLatch(expectedCalls);
        this.endedLatch = new CountDownLatch(expectedCalls);
    }

    @Override
    public CompletionStage<Admission> admit(final InboundCall call) {
        final Admission a = rule.apply(call);
        if (a.accepted()) {
            admitted.add(call);
        }
        return CompletableFuture.completedFuture(a);
    }

    @Override
    public void onAnswered(final String callId, final NegotiatedMedia media) {
        answered.put(callId, media);
        answeredLatch.countDown();
        final SipSignaling s = hangUpOnAnswer;
        if (s != null) {
            s.hangUp(callId, "agent hung up", 480);
        }
    }

    @Override
    public void onMediaChanged(final String callId, final NegotiatedMedia media) {
        mediaChanges.add(media);
    }

    /** Transfer progress as {@code callId transferId state detail}. */
    final List<String> transfers = new CopyOnWriteArrayList<>();

    @Override
    public void onTransferProgress(final String callId, final String transferId, final TransferState state,
                                   final String detail) {
        transfers.add(callId + " " + transferId + " " + state + " " + detail);
    }

    @Override
    public void onEnded(final String callId, final String reason) {
        ended.put(callId, reason);
        endedLatch.countDown();
    }
}
