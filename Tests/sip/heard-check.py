#!/usr/bin/env python3
"""Checks that a recording of what a softphone heard (8 kHz mono WAV) carries a prompt.

Usage: heard-check.py HEARD.wav PROMPT.wav
The softphone decodes G.711 with its own tables and buffering, so the check is a correlation of the
first half second of sound in both, at the best alignment within ±5 ms: at least 0.99.
"""
import math, struct, sys, wave

def samples(path):
    with wave.open(path) as w:
        if w.getframerate() != 8000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"FAIL {path} is not 8 kHz mono 16-bit")
        return struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes()))

def correlation(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    num = sum((u - mx) * (v - my) for u, v in zip(x, y))
    den = math.sqrt(sum((u - mx) ** 2 for u in x) * sum((v - my) ** 2 for v in y))
    return num / den if den else 0.0

heard, prompt = samples(sys.argv[1]), samples(sys.argv[2])
first = lambda s: next((i for i, x in enumerate(s) if abs(x) > 100), None)
a, b = first(heard), first(prompt)
if a is None:
    print(f"FAIL {sys.argv[1]} is silence")
    sys.exit(1)
window = 4000
best = max(correlation(heard[a + d:a + d + window], prompt[b:b + window]) for d in range(-40, 41) if a + d >= 0)
if best < 0.99:
    print(f"FAIL what was heard does not match {sys.argv[2]} (correlation {best:.3f})")
    sys.exit(1)
print(f"ok the softphone heard {sys.argv[2]} (correlation {best:.4f})")
