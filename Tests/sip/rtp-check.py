#!/usr/bin/env python3
"""Records the RTP a call sends to PORT for SECONDS, decodes it and compares it with WAV after G.711.

Usage: rtp-check.py PORT SECONDS WAV [READY-FILE]
(READY-FILE is created once the port is bound, so the call starts only then.)
Prints one line; exit status 0 when the stream carries the prompt exactly (µ-law, payload type 0),
at least 100 packets of 160 bytes arrived, and nothing else differs.
"""
import socket, struct, sys, time, wave

def mulaw(sample):
    """ITU-T G.711 µ-law, the reference encoder (bias 0x84, clip 32635)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, 32635) + 0x84
    exponent, mask = 7, 0x4000
    while exponent > 0 and not magnitude & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | exponent << 4 | mantissa) & 0xFF

def main():
    port, seconds, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    sock.settimeout(0.5)
    if len(sys.argv) > 4:
        open(sys.argv[4], "w").close()  # listening: the call may start
    packets, deadline = {}, time.monotonic() + seconds
    types = set()
    while time.monotonic() < deadline:
        try:
            data, _ = sock.recvfrom(2048)
        except socket.timeout:
            continue
        if len(data) < 12 or data[0] >> 6 != 2:
            continue
        csrc = data[0] & 0x0F
        pt = data[1] & 0x7F
        seq = struct.unpack("!H", data[2:4])[0]
        types.add(pt)
        packets[seq] = data[12 + 4 * csrc:]
    if len(packets) < 100:
        print(f"FAIL only {len(packets)} RTP packets arrived on port {port}")
        return 1
    if types != {0}:
        print(f"FAIL payload types {sorted(types)}, expected only 0 (PCMU)")
        return 1
    sizes = {len(p) for p in packets.values()}
    if sizes != {160}:
        print(f"FAIL packet sizes {sorted(sizes)}, expected 160 bytes (20 ms)")
        return 1
    # Sequence numbers in order (a wrap is not expected in a few seconds but handled).
    seqs = sorted(packets)
    if seqs[-1] - seqs[0] > 60000:
        seqs = sorted(packets, key=lambda s: (s + 32768) % 65536)
    stream = b"".join(packets[s] for s in seqs)
    with wave.open(path) as w:
        if w.getframerate() != 8000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            print(f"FAIL {path} is not 8 kHz mono 16-bit")
            return 1
        raw = w.readframes(w.getnframes())
    samples = struct.unpack(f"<{len(raw) // 2}h", raw)
    expected = bytes(mulaw(s) for s in samples)
    # The prompt starts on a frame boundary after the call is answered: find it.
    head = expected[:800]
    start = next((k for k in range(0, min(len(stream) - 800, 16000), 160) if stream[k:k + 800] == head), None)
    if start is None:
        print("FAIL the prompt's first 100 ms are nowhere in the first 2 s of the stream")
        return 1
    sent = stream[start:]
    compared = min(len(sent), len(expected))
    differing = sum(1 for a, b in zip(sent[:compared], expected[:compared]) if a != b)
    if differing:
        print(f"FAIL {differing} of {compared} samples differ from the prompt after G.711")
        return 1
    print(f"ok {len(packets)} packets, {compared} samples of {path} identical after G.711 (prompt from byte {start})")
    return 0

sys.exit(main())
