#!/usr/bin/env python3
"""Resamples a mono 16-bit WAV to 8000 Hz with a Blackman-windowed sinc low-pass (cut-off 3600 Hz).

Standard library only, so the clips can be regenerated anywhere: resample_to_8k.py in.wav out.wav
"""
import math
import struct
import sys
import wave

OUT_RATE = 8000
CUTOFF_HZ = 3600.0
HALF_TAPS = 32


def main(src, dst):
    with wave.open(src, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(src + ": expected mono 16-bit PCM")
        rate = w.getframerate()
        data = w.readframes(w.getnframes())
    x = struct.unpack("<%dh" % (len(data) // 2), data)
    step = rate / OUT_RATE
    fc = CUTOFF_HZ / rate
    out = []
    n_out = int(len(x) / step)
    for k in range(n_out):
        centre = k * step
        base = int(math.floor(centre))
        acc = 0.0
        for i in range(base - HALF_TAPS * 3, base + HALF_TAPS * 3 + 1):
            if i < 0 or i >= len(x):
                continue
            t = i - centre
            span = HALF_TAPS * 3
            if abs(t) > span:
                continue
            win = 0.42 + 0.5 * math.cos(math.pi * t / span) + 0.08 * math.cos(2 * math.pi * t / span)
            arg = 2.0 * fc * t
            sinc = 1.0 if t == 0 else math.sin(math.pi * arg) / (math.pi * arg)
            acc += x[i] * 2.0 * fc * sinc * win
        out.append(max(-32768, min(32767, int(round(acc)))))
    with wave.open(dst, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(OUT_RATE)
        w.writeframes(struct.pack("<%dh" % len(out), *out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
