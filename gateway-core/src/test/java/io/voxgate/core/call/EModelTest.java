package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EModelTest {

    @Test
    void shouldRateALosslessShortG711CallAtTheDefaultR() {
        assertEquals(93.2, EModel.rating(0, 0, EModel.G711_IE, EModel.G711_BPL), 1e-9);
        assertEquals(4.41, EModel.g711Mos(0, 0), 0.005, "G.107's best narrowband score");
    }

    @Test
    void shouldApplyTheEffectiveEquipmentImpairmentOfRandomLoss() {
        // Ie-eff = 95 * 2 / (2 + 4.3) = 30.16; R = 93.2 - 30.16
        assertEquals(63.04, EModel.rating(2, 0, EModel.G711_IE, EModel.G711_BPL), 0.01);
    }

    @Test
    void shouldChargeDelayMoreSteeplyPastTheKnee() {
        final double below = 93.2 - EModel.rating(0, 150, 0, EModel.G711_BPL);
        final double above = 93.2 - EModel.rating(0, 277.3, 0, EModel.G711_BPL);

        assertEquals(0.024 * 150, below, 1e-9);
        assertEquals(0.024 * 277.3 + 0.11 * 100, above, 1e-9);
    }

    @Test
    void shouldMapRToMosOnTheG107Curve() {
        assertEquals(1.0, EModel.mos(-5), 0.0);
        assertEquals(4.5, EModel.mos(120), 0.0);
        assertEquals(3.10, EModel.mos(60), 0.005, "1 + 0.035 * 60 + 0");
        assertTrue(EModel.mos(80) > EModel.mos(70), "monotonic over the useful range");
    }

    @Test
    void shouldClampLossToAPercentage() {
        assertEquals(EModel.rating(100, 0, 0, EModel.G711_BPL), EModel.rating(250, 0, 0, EModel.G711_BPL), 0.0);
    }
}
