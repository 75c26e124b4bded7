package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.text.ParseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class DialogsTest {
    private static final String CALLER = "127.0.0.1";

    private static Request request(final String method, final String fromTag, final String toTag, final String source)
        throws ParseException, PeerUnavailableException, java.net.UnknownHostException {
        final SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        final MessageFactory messages = factory.createMessageFactory();
        final Request r = messages.createRequest(method + " sip:voxgate@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-invite\r\n"
            + "From: <sip:caller@127.0.0.1>;tag=" + fromTag + "\r\n"
            + "To: <sip:voxgate@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
            + "Call-ID: dialog-1\r\n"
            + "CSeq: 2 " + method + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n");
        ((SIPMessage) r).setRemoteAddress(InetAddress.getByName(source));
        return r;
    }

    private static DialogCall call() throws Exception {
        final Request invite = request(Request.INVITE, "caller-tag", null, CALLER);
        return new DialogCall("dialog-1", InetAddress.getByName(CALLER), null, invite, "our-tag", false, "udp");
    }

    @Test
    void shouldMatchARequestWithBothTagsFromTheInvitesSource() throws Exception {
        final DialogCall call = call();
        final Request bye = request(Request.BYE, "caller-tag", "our-tag", CALLER);
        assertEquals(Dialogs.Match.FOUND, Dialogs.match(call, bye, SipRequests.toTag(bye), call.toTag));
    }

    @Test
    void shouldNotMatchAWrongLocalTag() throws Exception {
        final DialogCall call = call();
        final Request bye = request(Request.BYE, "caller-tag", "guessed", CALLER);
        assertEquals(Dialogs.Match.UNKNOWN, Dialogs.match(call, bye, SipRequests.toTag(bye), call.toTag));
    }

    @Test
    void shouldNotMatchAWrongRemoteTag() throws Exception {
        final DialogCall call = call();
        final Request bye = request(Request.BYE, "other", "our-tag", CALLER);
        assertEquals(Dialogs.Match.UNKNOWN, Dialogs.match(call, bye, SipRequests.toTag(bye), call.toTag));
    }

    @Test
    void shouldRefuseTheRightTagsFromAnotherAddress() throws Exception {
        final DialogCall call = call();
        final Request bye = request(Request.BYE, "caller-tag", "our-tag", "127.0.0.2");
        assertEquals(Dialogs.Match.WRONG_SENDER, Dialogs.match(call, bye, SipRequests.toTag(bye), call.toTag));
    }

    @Test
    void shouldMatchACancelByTheInvitesBranch() throws Exception {
        final DialogCall call = call();
        final Request cancel = request(Request.CANCEL, "caller-tag", null, CALLER);
        assertEquals(Dialogs.Match.FOUND, Dialogs.match(call, cancel, SipRequests.branch(cancel), call.inviteBranch));
    }
}
