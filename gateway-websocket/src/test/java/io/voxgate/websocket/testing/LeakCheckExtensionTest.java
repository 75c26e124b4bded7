package io.voxgate.websocket.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakCheckExtensionTest {

    @Test
    void shouldReportABufferThatWasNeverReleased() throws InterruptedException {
        leakOne();
        final List<String> leaks = LeakCheckExtension.collectLeaks();
        assertFalse(leaks.isEmpty(), "the leaked buffer must be reported");
        assertTrue(leaks.get(0).startsWith("LEAK"), leaks.get(0));
    }

    private static void leakOne() {
        final ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(42);
    }
}
