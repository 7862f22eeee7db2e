#!/usr/bin/python3
"""PyTorch side of the checkpoint interop fixtures (tests/Nonlinear.Tests/Training/TorchInteropTests.cs).

    /usr/bin/python3 tools/torch-interop/torch_interop.py export   # torch → Nonlinear: torch models, inputs, torch logits
    /usr/bin/python3 tools/torch-interop/torch_interop.py import   # Nonlinear → torch: read our file, write torch's logits

`export` saves, with torch's own state_dict names and dtypes (num_batches_tracked is int64):
  seq_mlp.safetensors   nn.Sequential(Linear(64,32), ReLU, Linear(32,32), ReLU, Linear(32,10))  keys 0.weight … 4.bias
  attr_mlp.safetensors  a module with attributes fc1, fc2, fc3 and tanh between them               keys fc1.weight …
  bn_mlp.safetensors    nn.Sequential(Linear(64,32), BatchNorm1d(32), ReLU, Linear(32,10)) after 3 training-mode
                        forwards (so running statistics and num_batches_tracked = 3 are not their initial values)
  torch_io.safetensors  inputs [16, 64] and each model's logits in eval mode (float32)
`import` reads nonlinear_mlp.safetensors (written by the C# test's generator: ModelSpec "mlp:32,32", gelu, seed 7),
loads it strictly into the same torch architecture (nn.GELU(), erf form) and writes nonlinear_mlp.torch_logits.safetensors.

safetensors for Python is not installed, so the format (8-byte little-endian header length, JSON header padded with
spaces to a multiple of 8, little-endian data) is written and read here in a few lines with struct and json.
"""
import json
import os
import struct
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "golden"))
from safetensors_fixture import write as write_file  # noqa: E402  (one safetensors writer for both tools)
FIXTURES = os.path.join(HERE, "..", "..", "tests", "Nonlinear.Tests", "fixtures", "torch-interop")
DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}


def write_safetensors(path, tensors, metadata=None):
    items = []
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype, np_dtype = DTYPES[t.dtype]
        items.append((name, dtype, list(t.shape), t.numpy().astype(np_dtype).tobytes()))
    write_file(path, items, metadata)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    base, out = 8 + n, {}
    for name, e in header.items():
        assert e["dtype"] == "F32", f"{name}: {e['dtype']}"
        begin, end = e["data_offsets"]
        values = struct.unpack_from(f"<{(end - begin) // 4}f", raw, base + begin)
        out[name] = torch.tensor(values, dtype=torch.float32).reshape(e["shape"])
    return out


class AttrMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))


def mlp(act):
    return nn.Sequential(nn.Linear(64, 32), act(), nn.Linear(32, 32), act(), nn.Linear(32, 10))


def inputs():
    g = torch.Generator().manual_seed(2026)
    return torch.randn(16, 64, generator=g)


def export():
    torch.manual_seed(1)
    seq = mlp(nn.ReLU)
    attr = AttrMlp()
    bn = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 10))
    g = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for _ in range(3):
            bn(torch.randn(8, 64, generator=g) * 2 + 0.5)
    x = inputs()
    io = {"inputs": x}
    for name, model in [("seq_mlp", seq), ("attr_mlp", attr), ("bn_mlp", bn)]:
        model.eval()
        write_safetensors(os.path.join(FIXTURES, name + ".safetensors"), model.state_dict(), {"format": "pt"})
        with torch.no_grad():
            io[name + ".logits"] = model(x)
    write_safetensors(os.path.join(FIXTURES, "torch_io.safetensors"), io, {"torch": torch.__version__})
    print("num_batches_tracked:", int(bn[1].num_batches_tracked))


def import_ours():
    model = mlp(nn.GELU)
    model.load_state_dict(read_safetensors(os.path.join(FIXTURES, "nonlinear_mlp.safetensors")), strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(inputs())
    write_safetensors(os.path.join(FIXTURES, "nonlinear_mlp.torch_logits.safetensors"), {"logits": logits}, {"torch": torch.__version__})


if __name__ == "__main__":
    torch.set_num_threads(1)
    {"export": export, "import": import_ours}[sys.argv[1] if len(sys.argv) > 1 else "export"]()
