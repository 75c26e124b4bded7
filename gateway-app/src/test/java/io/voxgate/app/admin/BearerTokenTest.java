package io.voxgate.app.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
    private final BearerToken token = new BearerToken("s3cret");

    @Test
    void shouldAcceptTheConfiguredTokenInEitherCaseOfTheScheme() {
        assertTrue(token.accepts("Bearer s3cret"));
        assertTrue(token.accepts("bearer s3cret"));
    }

    @Test
    void shouldRefuseAMissingWrongOrOtherSchemeCredential() {
        assertFalse(token.accepts(null));
        assertFalse(token.accepts("Bearer s3cre"));
        assertFalse(token.accepts("Bearer s3cret2"));
        assertFalse(token.accepts("Basic s3cret"));
        assertFalse(token.accepts("s3cret"));
    }

    @Test
    void shouldRefuseAHeaderLongerThanAnyToken() {
        assertFalse(token.accepts("Bearer s3cret" + " ".repeat(2_000)));
    }

    @Test
    void shouldRefuseEverythingWhenNoTokenIsConfigured() {
        final BearerToken none = new BearerToken(null);

        assertFalse(none.accepts("Bearer "));
        assertFalse(none.accepts("Bearer anything"));
    }
}
