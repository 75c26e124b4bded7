package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SrtpKeyDerivationTest {
    private final byte[] masterKey = SrtpFixtures.vector("b3.masterKey");
    private final byte[] masterSalt = SrtpFixtures.vector("b3.masterSalt");

    @Test
    void shouldDeriveTheRfc3711AppendixB3CipherKey() {
        assertArrayEquals(SrtpFixtures.vector("b3.cipherKey"),
            SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16));
    }

    @Test
    void shouldDeriveTheRfc3711AppendixB3CipherSalt() {
        assertArrayEquals(SrtpFixtures.vector("b3.cipherSalt"),
            SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14));
    }

    @Test
    void shouldDeriveTheRfc3711AppendixB3AuthenticationKeyIn94Octets() {
        assertArrayEquals(SrtpFixtures.vector("b3.authKey94"),
            SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, 94));
    }
}
