package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    private final DigestAuthenticator auth = new DigestAuthenticator("voxgate", "trunk", "s3cret", new byte[32]);

    private DigestAuthenticator.Credentials sign(final String password, final String nonce, final String qop) {
        final String ha1 = DigestAuthenticator.md5Hex("trunk:voxgate:" + password);
        final String ha2 = DigestAuthenticator.md5Hex("INVITE:sip:+1415@gw");
        final String response = qop == null ? DigestAuthenticator.md5Hex(ha1 + ":" + nonce + ":" + ha2)
            : DigestAuthenticator.md5Hex(ha1 + ":" + nonce + ":00000001:abc:" + qop + ":" + ha2);
        return new DigestAuthenticator.Credentials("trunk", "voxgate", nonce, "sip:+1415@gw", response, "abc", qop,
            "00000001");
    }

    @Test
    void shouldAcceptTheRightPasswordWithAndWithoutQop() {
        final String nonce = auth.nonce(NOW_MS);
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", sign("s3cret", nonce, "auth"), NOW_MS + 1000));
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", sign("s3cret", nonce, null), NOW_MS + 1000));
    }

    @Test
    void shouldRefuseAWrongPassword() {
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", sign("guess", auth.nonce(NOW_MS), "auth"), NOW_MS));
    }

    @Test
    void shouldRefuseANonceItDidNotIssue() {
        final String forged = Long.toHexString(NOW_MS) + ".00000000000000000000000000000000";
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", sign("s3cret", forged, "auth"), NOW_MS));
        final DigestAuthenticator other = new DigestAuthenticator("voxgate", "trunk", "s3cret", new byte[] {1, 2, 3});
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", sign("s3cret", other.nonce(NOW_MS), "auth"), NOW_MS));
    }

    @Test
    void shouldReportAnExpiredNonceAsStale() {
        final String nonce = auth.nonce(NOW_MS);
        assertEquals(DigestAuthenticator.Verdict.STALE, auth.verify("INVITE", sign("s3cret", nonce, "auth"),
            NOW_MS + DigestAuthenticator.NONCE_LIFETIME_MS + 1));
    }

    @Test
    void shouldRefuseAnotherUserRealmOrMethod() {
        final String nonce = auth.nonce(NOW_MS);
        final DigestAuthenticator.Credentials c = sign("s3cret", nonce, "auth");
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("BYE", c, NOW_MS));
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", new DigestAuthenticator.Credentials("root", c.realm,
            c.nonce, c.uri, c.response, c.cnonce, c.qop, c.nonceCount), NOW_MS));
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", new DigestAuthenticator.Credentials(c.username,
            "other", c.nonce, c.uri, c.response, c.cnonce, c.qop, c.nonceCount), NOW_MS));
        assertEquals(DigestAuthenticator.Verdict.BAD, auth.verify("INVITE", new DigestAuthenticator.Credentials(c.username,
            c.realm, c.nonce, c.uri, c.response, c.cnonce, "auth-int", c.nonceCount), NOW_MS));
    }

    @Test
    void shouldRefuseAReplayedNonceCount() {
        final String nonce = auth.nonce(NOW_MS);
        final DigestAuthenticator.Credentials first = sign("s3cret", nonce, "auth");
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", first, NOW_MS + 1000));
        assertEquals(DigestAuthenticator.Verdict.REPLAY, auth.verify("INVITE", first, NOW_MS + 2000));
    }

    @Test
    void shouldAcceptAHigherNonceCountOnTheSameNonce() {
        final String nonce = auth.nonce(NOW_MS);
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", sign("s3cret", nonce, "auth"), NOW_MS));
        final String ha1 = DigestAuthenticator.md5Hex("trunk:voxgate:s3cret");
        final String ha2 = DigestAuthenticator.md5Hex("INVITE:sip:+1415@gw");
        final String second = DigestAuthenticator.md5Hex(ha1 + ":" + nonce + ":00000002:abc:auth:" + ha2);
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", new DigestAuthenticator.Credentials("trunk",
            "voxgate", nonce, "sip:+1415@gw", second, "abc", "auth", "00000002"), NOW_MS));
    }

    @Test
    void shouldRefuseASecondUseOfANonceWithoutQop() {
        final String nonce = auth.nonce(NOW_MS);
        assertEquals(DigestAuthenticator.Verdict.OK, auth.verify("INVITE", sign("s3cret", nonce, null), NOW_MS));
        assertEquals(DigestAuthenticator.Verdict.REPLAY, auth.verify("INVITE", sign("s3cret", nonce, null), NOW_MS));
    }
}
