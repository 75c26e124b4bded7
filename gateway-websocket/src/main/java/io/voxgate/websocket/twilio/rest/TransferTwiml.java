package io.voxgate.websocket.twilio.rest;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import io.voxgate.core.transfer.TransferRequest;

/**
 * The TwiML that hands a Twilio call to a transfer's target: {@code <Say>} the announcement when there is one, then
 * {@code <Dial>} with {@code <Number>} for a {@code tel:} target (visual separators dropped: Twilio wants E.164) or
 * {@code <Sip>} for a {@code sip:}/{@code sips:} one. Built with the SDK's TwiML classes, which escape the text.
 *
 * <p>Stateless; safe on any thread.
 */
final class TransferTwiml {
    private TransferTwiml() {
    }

    /** The TwiML document for {@code request}. */
    static String of(final TransferRequest request) {
        final VoiceResponse.Builder response = new VoiceResponse.Builder();
        if (!request.announce().isEmpty()) {
            response.say(new Say.Builder(request.announce()).build());
        }
        final Dial.Builder dial = new Dial.Builder();
        if (request.targetIsNumber()) {
            dial.number(new Number.Builder(number(request.target())).build());
        } else {
            dial.sip(new Sip.Builder(request.target()).build());
        }
        response.dial(dial.build());
        try {
            return response.build().toXml();
        } catch (final TwiMLException ex) {
            throw new IllegalStateException("transfer TwiML could not be written", ex);
        }
    }

    /** The number of a {@code tel:} URI: its digits and a leading {@code +}, without parameters or separators. */
    static String number(final String telUri) {
        final String body = telUri.substring(4);
        final int parameters = body.indexOf(';');
        final String number = parameters < 0 ? body : body.substring(0, parameters);
        final StringBuilder out = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            final char c = number.charAt(i);
            if (c >= '0' && c <= '9' || c == '+' && out.length() == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
