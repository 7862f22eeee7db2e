#!/usr/bin/python3
"""Writes the safetensors fixtures used by tests/Nonlinear.Tests/IO/SafeTensorsTests.cs.

The `safetensors` Python package is not packaged for Debian, so this follows the format specification
(https://github.com/huggingface/safetensors#format) with plain struct/json, the way the reference Rust
implementation lays files out: u64 little-endian header length, compact JSON with "__metadata__" first,
padded with spaces to a multiple of 8, then the little-endian data in header order.

    /usr/bin/python3 tools/golden/safetensors_fixture.py            # write the fixtures
    /usr/bin/python3 tools/golden/safetensors_fixture.py --check F  # parse F and print every tensor
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[2] / "tests" / "Nonlinear.Tests" / "fixtures"


def write(path, tensors, metadata):
    """tensors: list of (name, dtype string, shape, raw little-endian bytes)."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def f32(name, array):
    a = np.array(array, dtype="<f4", order="C")  # keeps rank 0 (ascontiguousarray would not)
    return (name, "F32", a.shape, a.tobytes())


def read(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    np_types = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4"}
    end = 0
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        end = max(end, e)
        raw = body[b:e]
        if info["dtype"] == "BF16":
            values = torch.frombuffer(bytearray(raw), dtype=torch.bfloat16).float().numpy()
        else:
            values = np.frombuffer(raw, dtype=np_types[info["dtype"]])
        out[name] = values.reshape(info["shape"])
    assert end == len(body), f"trailing bytes: data ends at {end}, file body has {len(body)}"
    return out, metadata


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        tensors, metadata = read(sys.argv[2])
        print("metadata", metadata)
        for k, v in tensors.items():
            print(k, v.dtype, list(v.shape), v.ravel().tolist())
        return
    OUT.mkdir(parents=True, exist_ok=True)
    # sample.safetensors: F32 only, so our writer must reproduce it byte for byte.
    weight = np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.5) - np.float32(1.25)
    bias = np.array([1e-3, -2.5, 3.0e7], dtype=np.float32)
    special = np.array([0.0, -0.0, np.inf, -np.inf, 1.4e-45, 3.4028235e38], dtype=np.float32)
    write(OUT / "sample.safetensors",
          [f32("layers.0.weight", weight), f32("layers.0.bias", bias), f32("special", special),
           f32("scalar", np.array(42.0, dtype=np.float32)), f32("empty", np.zeros((0, 4), dtype=np.float32))],
          {"format": "pt", "epoch": "7", "note": "héllo"})
    # sample_dtypes.safetensors: the other dtypes the reader converts to float32.
    vals = [1.5, -2.25, 1024.0, 0.0078125]
    bf16 = torch.tensor(vals, dtype=torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()
    write(OUT / "sample_dtypes.safetensors",
          [("f64", "F64", [4], np.array(vals, dtype="<f8").tobytes()),
           ("f16", "F16", [2, 2], np.array(vals, dtype="<f2").tobytes()),
           ("bf16", "BF16", [4], bf16),
           ("i64", "I64", [2], np.array([-7, 123456], dtype="<i8").tobytes()),
           ("i32", "I32", [3], np.array([1, -2, 2147483647], dtype="<i4").tobytes())],
          None)


if __name__ == "__main__":
    main()
