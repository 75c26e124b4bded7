package io.voxgate.core.call;

/**
 * A listening-quality estimate from the ITU-T G.107 E-model, simplified the usual way for monitoring: every default
 * except the equipment impairment of the codec under packet loss and the delay impairment. {@code R = R0 - Id -
 * Ie-eff} with {@code R0 - Is = 93.2}; {@code Ie-eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)} (G.107 7-29) with
 * random loss ({@code BurstR = 1}); {@code Id} from the one-way delay by the piecewise-linear fit
 * {@code 0.024 d + 0.11 (d - 177.3) H(d - 177.3)} (Cole and Rosenbluth, SIGCOMM 2001); MOS from R by G.107 B-4.
 *
 * <p>G.711 has {@code Ie = 0}; its loss robustness {@code Bpl} is 4.3 without and 25.1 with packet loss concealment
 * (ITU-T G.113 Appendix I). The gateway repeats the last frame under a fade, not G.711 Appendix I's concealment,
 * so {@link #G711_BPL} takes the value without it: the estimate errs low, never high.
 *
 * <p>Stateless; safe on any thread.
 */
public final class EModel {
    /** G.711's equipment impairment (G.113 Appendix I). */
    public static final double G711_IE = 0.0;
    /** G.711's packet-loss robustness without Appendix I concealment (G.113 Appendix I). */
    public static final double G711_BPL = 4.3;
    private static final double R_DEFAULT = 93.2;

    private EModel() {
    }

    /**
     * The transmission rating R.
     *
     * @param lossPercent    packets lost or discarded, percent of those sent (0-100)
     * @param oneWayDelayMs  mouth-to-ear delay, ms
     * @param ie             the codec's equipment impairment
     * @param bpl            the codec's packet-loss robustness
     */
    public static double rating(final double lossPercent, final double oneWayDelayMs, final double ie, final double bpl) {
        final double ppl = Math.max(0.0, Math.min(100.0, lossPercent));
        final double d = Math.max(0.0, oneWayDelayMs);
        final double ieEff = ie + (95.0 - ie) * ppl / (ppl + bpl);
        final double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
        return R_DEFAULT - id - ieEff;
    }

    /** The mean opinion score (1.0 to 4.5) for rating {@code r} (G.107 B-4). */
    public static double mos(final double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /** The MOS of a G.711 call with {@code lossPercent} loss and {@code oneWayDelayMs} delay. */
    public static double g711Mos(final double lossPercent, final double oneWayDelayMs) {
        return mos(rating(lossPercent, oneWayDelayMs, G711_IE, G711_BPL));
    }
}
