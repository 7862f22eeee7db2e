#!/usr/bin/python3
"""torch's tensor and module reprs as golden strings for Nonlinear's ToString (run with /usr/bin/python3, torch 1.13).

Writes tests/Nonlinear.Tests/fixtures/tensor_repr_torch.json. Each tensor case holds float32 values (exact as
Python floats), a shape, a mode ("plain", "requires_grad", or "mul2": the repr of x * 2 for a leaf x that requires
grad, whose grad_fn MulBackward0 our op 'mul' is named after) and torch's repr. Module cases hold torch's repr of
a module tree the C# test builds the same way.
"""
import json
import math
import os

import torch
import torch.nn as nn

torch.manual_seed(20261207)
cases = []


def add(name, t, mode="plain"):
    t = t.to(torch.float32)
    x = t.clone().requires_grad_(mode != "plain")
    shown = x * 2 if mode == "mul2" else x
    vals = [v if math.isfinite(v) else str(v) for v in t.flatten().tolist()]
    cases.append({"name": name, "shape": list(t.shape), "values": vals, "mode": mode, "repr": repr(shown)})


add("matrix", torch.tensor([[0.1, 0.2], [0.3, 0.4]]))
add("integers", torch.tensor([1.0, 2.0, 3.0]))
add("integers_negative_zero", torch.tensor([-0.0, 0.0, 5.0]))
add("zeros", torch.zeros(2, 3))
add("sci_small", torch.tensor([1e-5, 1.0, 1000.0]))
add("sci_ratio_integers", torch.tensor([1.0, 100000.0]))
add("sci_large", torch.tensor([1.5e9, -2.25]))
add("ties_half_even_fixed", torch.tensor([0.03125, -0.03125, 1.5, 0.15625, 0.46875]))
add("ties_half_even_sci", torch.tensor([1.03125, -1.09375, 1e-5, 98765.4321]))
add("nonfinite", torch.tensor([float("nan"), float("inf"), float("-inf"), 1.5]))
add("nonfinite_integers", torch.tensor([float("nan"), 2.0]))
add("scalar", torch.tensor(3.5))
add("scalar_integer", torch.tensor(-2.0))
add("empty_1d", torch.zeros(0))
add("empty_2d", torch.zeros(0, 3))
add("wrapped_vector", torch.arange(30, dtype=torch.float32) * 1.1)
add("three_d", torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 8)
add("summarized_matrix", torch.arange(1200, dtype=torch.float32).reshape(30, 40) / 7)
add("summarized_vector", torch.linspace(-1, 1, 1500))
add("summarized_3d", torch.randn(11, 10, 12))
add("edge_of_threshold", torch.arange(1000, dtype=torch.float32))
add("random_normal", torch.randn(4, 5))
add("requires_grad_leaf", torch.tensor([[1.25, -2.5]]), "requires_grad")
add("grad_fn", torch.tensor([0.5, 1.25]), "mul2")
add("grad_fn_wraps_suffix", torch.arange(14, dtype=torch.float32) / 3, "mul2")

torch.manual_seed(0)
modules = [
    {"name": "mlp", "repr": repr(nn.Sequential(nn.Linear(64, 128), nn.Dropout(0.25), nn.Linear(128, 10, bias=False)))},
    {"name": "nested", "repr": repr(nn.Sequential(nn.Sequential(nn.Linear(2, 3), nn.LayerNorm(3)), nn.BatchNorm1d(3), nn.Flatten()))},
    {"name": "cnn", "repr": repr(nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3, stride=2, bias=False), nn.AvgPool2d(2)))},
    {"name": "empty_sequential", "repr": repr(nn.Sequential())},
]

out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "tensor_repr_torch.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/golden/tensor_repr_torch.py", "torch": torch.__version__, "tensors": cases, "modules": modules}, f, indent=1)
print(f"wrote {len(cases)} tensor and {len(modules)} module reprs to {out}")
