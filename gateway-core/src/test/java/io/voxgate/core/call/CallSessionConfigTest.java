package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CallSessionConfigTest {

    private static void assertRejectedNaming(final String option, final Executable setting) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, setting);
        assertTrue(ex.getMessage().startsWith(option), ex.getMessage());
    }

    @Test
    void shouldDefaultToTheDocumentedValues() {
        final CallSessionConfig config = CallSessionConfig.defaults();
        assertEquals(80, config.outboundLeadMs());
        assertEquals(5_000, config.outboundQueueCapacityMs());
        assertEquals(2_000, config.preConnectBufferMs());
        assertTrue(config.bargeInVad());
        assertEquals(14_400, config.maxCallDurationSeconds());
        assertEquals(30, config.idleTimeoutSeconds());
    }

    @Test
    void shouldAcceptALeadOfZeroForRtp() {
        assertEquals(0, CallSessionConfig.defaults().withOutboundLeadMs(0).outboundLeadMs());
    }

    @Test
    void shouldKeepOtherOptionsWhenOneChanges() {
        final CallSessionConfig config = CallSessionConfig.defaults().withOutboundLeadMs(40).withBargeInVad(false);
        assertEquals(40, config.outboundLeadMs());
        assertFalse(config.bargeInVad());
        assertEquals(2_000, config.preConnectBufferMs());
    }

    @Test
    void shouldRejectOutOfRangeValuesNamingTheOption() {
        final CallSessionConfig d = CallSessionConfig.defaults();
        assertRejectedNaming("outboundLeadMs", () -> d.withOutboundLeadMs(-1));
        assertRejectedNaming("outboundLeadMs", () -> d.withOutboundLeadMs(1_001));
        assertRejectedNaming("outboundQueueCapacityMs", () -> d.withOutboundQueueCapacityMs(59));
        assertRejectedNaming("preConnectBufferMs", () -> d.withPreConnectBufferMs(-5));
        assertRejectedNaming("preConnectBufferMs", () -> d.withPreConnectBufferMs(10_001));
        assertRejectedNaming("vadConfig", () -> d.withVadConfig(null));
        assertRejectedNaming("maxCallDurationSeconds", () -> d.withMaxCallDurationSeconds(0));
        assertRejectedNaming("idleTimeoutSeconds", () -> d.withIdleTimeoutSeconds(0));
        assertRejectedNaming("commandRingCapacity", () -> d.withCommandRingCapacity(1));
    }
}
