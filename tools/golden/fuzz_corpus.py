#!/usr/bin/env python3
"""Writes the seed corpus of the mutation fuzz tests (tests/Nonlinear.Tests/Fuzz) into
tests/Nonlinear.Tests/fixtures/fuzz/. Small on purpose: the fuzzer mutates these, so each file is a valid
example of its format with every feature the reader handles (metadata, several dtypes, a header row,
gzip). Deterministic (gzip mtime 0), so re-running it reproduces the committed bytes.

    python3 tools/golden/fuzz_corpus.py
"""
import gzip, json, os, struct

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "fuzz")


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw bytes) in data order."""
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(t[3] for t in tensors)


def idx(magic, dims, data):
    return struct.pack(">i", magic) + b"".join(struct.pack(">i", d) for d in dims) + bytes(data)


def gz(data):
    return gzip.compress(data, mtime=0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    f32 = struct.pack("<6f", -1.25, -0.75, -0.25, 0.25, 0.75, 1.25)
    write("model.safetensors", safetensors(
        [("layers.0.weight", "F32", [2, 3], f32), ("layers.0.bias", "F32", [3], struct.pack("<3f", 1e-3, -2.5, 3e7))],
        {"format": "nonlinear-checkpoint/1", "epochs_done": "3", "note": "h\u00e9llo"}))
    write("dtypes.safetensors", safetensors([
        ("f64", "F64", [2], struct.pack("<2d", 1.5, -2.25)), ("f16", "F16", [2], struct.pack("<2e", 1.5, -2.25)),
        ("bf16", "BF16", [1], b"\xc0\x3f"), ("i64", "I64", [1], struct.pack("<q", -7)),
        ("i32", "I32", [1], struct.pack("<i", 123456)), ("i16", "I16", [1], struct.pack("<h", -3)),
        ("u8", "U8", [2], b"\x00\xff"), ("i8", "I8", [1], b"\x80"), ("b", "BOOL", [1], b"\x01"),
        ("empty", "F32", [0, 4], b""), ("scalar", "F32", [], struct.pack("<f", 42.0))]))
    rows = [(0.5, -1.0, 2.0, 0), (1.5, 0.25, -3e2, 1), (-2.0, 1e-3, 7.0, 2), (0.0, 4.5, 1.0, 1), (3.25, -0.5, 0.125, 0)]
    body = "\n".join(",".join(repr(v) for v in r) for r in rows) + "\n"
    write("plain.csv", body.encode())
    header = "a,b,c,label\n" + body
    write("header.csv", header.encode())
    write("header.csv.gz", gz(header.encode()))
    write("sklearn.csv", ("5,3,setosa,versicolor,virginica\n" + body).encode())
    images = [(i * 37 + 11) % 256 for i in range(3 * 4 * 3)]
    write("images.idx", idx(0x803, [3, 4, 3], images))
    write("images.idx.gz", gz(idx(0x803, [3, 4, 3], images)))
    write("labels.idx", idx(0x801, [3], [0, 9, 4]))
    write("labels.idx.gz", gz(idx(0x801, [3], [0, 9, 4])))


if __name__ == "__main__":
    main()
