package io.voxgate.sip.call;

import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.sdp.NegotiatedMedia;
import java.util.Objects;

/**
 * What signalling (or the edge) asks of a SIP call from another thread, through the call's
 * {@link io.voxgate.core.call.CallCommandProxy}: answered, media changed, ended, hang up, send digits, transfer progress.
 *
 * <p>Immutable; safe on any thread.
 */
public final class SipCallCommand {
    /** What the call is asked to do. */
    public enum Kind {
        /** Offer/answer completed: start media and the session. */
        ANSWERED,
        /** A re-INVITE or UPDATE changed direction or address. */
        MEDIA_CHANGED,
        /** The caller's side ended the call. */
        ENDED,
        /** The gateway ends the call (shutdown, admin). */
        HANG_UP,
        /** Send RFC 4733 digits to the caller. */
        DIGITS,
        /** Signalling reports how the call's REFER goes. */
        TRANSFER_PROGRESS
    }

    private final Kind kind;
    private final NegotiatedMedia media;
    private final String text;
    private final String transferId;
    private final TransferState transferState;

    private SipCallCommand(final Kind kind, final NegotiatedMedia media, final String text) {
        this(kind, media, text, null, null);
    }

    private SipCallCommand(final Kind kind, final NegotiatedMedia media, final String text, final String transferId,
                           final TransferState transferState) {
        this.kind = kind;
        this.media = media;
        this.text = text;
        this.transferId = transferId;
        this.transferState = transferState;
    }

    /** Transfer {@code transferId} reached {@code state}, for {@code detail}. */
    public static SipCallCommand transferProgress(final String transferId, final TransferState state, final String detail) {
        return new SipCallCommand(Kind.TRANSFER_PROGRESS, null, Objects.requireNonNull(detail, "detail"),
            Objects.requireNonNull(transferId, "transferId"), Objects.requireNonNull(state, "state"));
    }

    /** The transfer of TRANSFER_PROGRESS, else {@code null}. */
    public String transferId() {
        return transferId;
    }

    /** The state of TRANSFER_PROGRESS, else {@code null}. */
    public TransferState transferState() {
        return transferState;
    }

    /** Offer/answer completed with {@code media}. */
    public static SipCallCommand answered(final NegotiatedMedia media) {
        return new SipCallCommand(Kind.ANSWERED, Objects.requireNonNull(media, "media"), null);
    }

    /** The media changed to {@code media}. */
    public static SipCallCommand mediaChanged(final NegotiatedMedia media) {
        return new SipCallCommand(Kind.MEDIA_CHANGED, Objects.requireNonNull(media, "media"), null);
    }

    /** The caller's side ended the call, for {@code reason}. */
    public static SipCallCommand ended(final String reason) {
        return new SipCallCommand(Kind.ENDED, null, Objects.requireNonNull(reason, "reason"));
    }

    /** The gateway hangs the call up, for {@code reason}. */
    public static SipCallCommand hangUp(final String reason) {
        return new SipCallCommand(Kind.HANG_UP, null, Objects.requireNonNull(reason, "reason"));
    }

    /** Send {@code digits} to the caller as RFC 4733 events. */
    public static SipCallCommand digits(final String digits) {
        return new SipCallCommand(Kind.DIGITS, null, Objects.requireNonNull(digits, "digits"));
    }

    /** What to do. */
    public Kind kind() {
        return kind;
    }

    /** The negotiated media of ANSWERED and MEDIA_CHANGED, else {@code null}. */
    public NegotiatedMedia media() {
        return media;
    }

    /** The reason of ENDED and HANG_UP, the digits of DIGITS, or the detail of TRANSFER_PROGRESS. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
