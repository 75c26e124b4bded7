package io.voxgate.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DtmfDigitsTest {

    @Test
    void shouldAcceptExactlyTheSixteenDtmfCharactersAmongAllChars() {
        int accepted = 0;
        for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
            final boolean digit = DtmfDigits.isDigit((char) c);
            assertEquals("0123456789*#ABCD".indexOf(c) >= 0, digit, "char " + c);
            accepted += digit ? 1 : 0;
        }
        assertEquals(16, accepted);
    }

    @Test
    void shouldAcceptAStringOnlyWhenEveryCharacterIsADigit() {
        assertTrue(DtmfDigits.isDigits("0123456789*#ABCD"));
        assertFalse(DtmfDigits.isDigits("12a"), "lower case is not in the port's alphabet");
        assertFalse(DtmfDigits.isDigits("1 2"));
        assertFalse(DtmfDigits.isDigits(""));
        assertFalse(DtmfDigits.isDigits(null));
    }

    @Test
    void shouldGiveTheSameOneDigitStringEveryTime() {
        for (final char digit : DtmfDigits.ALPHABET.toCharArray()) {
            assertEquals(String.valueOf(digit), DtmfDigits.single(digit));
            assertSame(DtmfDigits.single(digit), DtmfDigits.single(digit));
        }
        assertNull(DtmfDigits.single('E'));
    }

    @Test
    void shouldTurnADigitIntoTheSharedRequestAndAnythingElseIntoItsOwnString() {
        assertSame(DtmfDigits.single('7'), DtmfDigits.request('7'));
        assertEquals("E", DtmfDigits.request('E'));
    }
}
