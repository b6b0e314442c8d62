#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/).

Seeds: the captured RabbitMQ / Go client streams in codec/tests/data/, each
frame of them alone, and hand-made edge cases. frame_stream inputs start with
two control bytes (frame_max / 16, read size); round_trip inputs are plain
streams. Run from the repository root; existing files are kept.
"""
import hashlib
import os
import struct

DATA = "codec/tests/data"
OUT = "fuzz/corpus"


def frames(stream):
    """Splits a stream (after an optional protocol header) into frames."""
    if stream.startswith(b"AMQP"):
        stream = stream[8:]
    out = []
    while len(stream) >= 8:
        size = struct.unpack(">I", stream[3:7])[0]
        out.append(stream[: size + 8])
        stream = stream[size + 8 :]
    return out


def frame(ftype, channel, payload, end=0xCE, size=None):
    size = len(payload) if size is None else size
    return struct.pack(">BHI", ftype, channel, size) + payload + bytes([end])


def table(entries):
    body = b"".join(bytes([len(k)]) + k + v for k, v in entries)
    return struct.pack(">I", len(body)) + body


def nested_arrays(depth):
    inner = b""
    for _ in range(depth):
        inner = b"A" + struct.pack(">I", len(inner)) + inner
    return inner


edge = {
    "heartbeat": frame(8, 0, b""),
    "heartbeat-with-payload": frame(8, 0, b"\x01"),
    "unknown-frame-type": frame(0x42, 9, b"\x00\x01"),
    "bad-frame-end": frame(1, 0, b"\x00\x0a\x00\x33", end=0),
    "size-lies-long": frame(3, 1, b"abc", size=0xFFFFFFF0),
    "unknown-method": frame(1, 1, b"\x03\xe7\x00\x01\xde\xad"),
    "publish-truncated": frame(1, 1, b"\x00\x3c\x00\x28\x00\x00\x02e1\x09q1Key"),
    "close-ok-trailing": frame(1, 1, b"\x00\x14\x00\x29\xff"),
    "header-all-flags": frame(2, 1, b"\x00\x3c\x00\x00" + b"\x00" * 8 + b"\xff\xff"),
    "declare-every-field-type": frame(
        1,
        1,
        b"\x00\x32\x00\x0a\x00\x00\x01q\x02"
        + table(
            [
                (b"t", b"t\x01"), (b"b", b"b\xff"), (b"B", b"B\x01"), (b"s", b"s\xff\xfe"),
                (b"u", b"u\x00\x02"), (b"I", b"I\xff\xff\xff\xfd"), (b"i", b"i\x00\x00\x00\x04"),
                (b"l", b"l" + b"\xff" * 8), (b"L", b"L" + b"\x01" * 8), (b"f", b"f\x3f\x80\x00\x00"),
                (b"d", b"d\x3f\xf0" + b"\x00" * 6), (b"D", b"D\x02\x00\x00\x01\x00"),
                (b"S", b"S\x00\x00\x00\x02hi"), (b"x", b"x\x00\x00\x00\x01\x00"),
                (b"A", b"A\x00\x00\x00\x02V" + b"V"), (b"T", b"T" + b"\x00" * 8),
                (b"F", b"F" + table([(b"k", b"V")])), (b"V", b"V"),
            ]
        ),
    ),
    "deep-nesting": frame(
        1, 1, b"\x00\x32\x00\x0a\x00\x00\x01q\x00" + table([(b"k", nested_arrays(40))])
    ),
    "table-length-lies": frame(1, 1, b"\x00\x32\x00\x0a\x00\x00\x01q\x00\x7f\xff\xff\xff"),
    "protocol-header-1-0": b"AMQP\x00\x01\x00\x00",
}


def write(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


streams = [open(os.path.join(DATA, n), "rb").read() for n in sorted(os.listdir(DATA)) if n.endswith(".bin")]
seeds = list(edge.values()) + streams + [f for s in streams for f in frames(s)]
for s in seeds:
    write("round_trip", s)
    for control in (b"\x00\x01", b"\x00\x40", b"\x01\x07", b"\xff\xff", b"\x80\x03"):
        write("frame_stream", control + s)
print({t: len(os.listdir(os.path.join(OUT, t))) for t in ("frame_stream", "round_trip")})
