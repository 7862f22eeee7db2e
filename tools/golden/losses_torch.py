#!/usr/bin/python3
"""Golden values for Nonlinear's losses from PyTorch (run with /usr/bin/python3, torch 1.13).

Writes tests/Nonlinear.Tests/fixtures/losses_torch.json: cross_entropy (mean, with and without
label_smoothing), nll_loss and mse_loss values plus their input gradients, all computed in float64 from
float32-representable inputs so that the C# test can compare against them with float-rounding bounds.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261123)


def f32(t):
    # Round to float32 first: the C# side receives exactly these values as floats.
    return t.to(torch.float32).to(torch.float64)


def case_ce(name, batch, classes, eps, scale):
    x = f32(torch.randn(batch, classes) * scale).requires_grad_(True)
    t = torch.randint(0, classes, (batch,))
    loss = F.cross_entropy(x, t, reduction="mean", label_smoothing=eps)
    loss.backward()
    return {"name": name, "kind": "cross_entropy", "shape": [batch, classes], "label_smoothing": eps,
            "logits": x.detach().flatten().tolist(), "targets": t.tolist(),
            "loss": loss.item(), "grad": x.grad.flatten().tolist()}


def case_nll(name, batch, classes):
    x = f32(torch.log_softmax(torch.randn(batch, classes), dim=1)).requires_grad_(True)
    t = torch.randint(0, classes, (batch,))
    loss = F.nll_loss(x, t, reduction="mean")
    loss.backward()
    return {"name": name, "kind": "nll", "shape": [batch, classes], "logits": x.detach().flatten().tolist(),
            "targets": t.tolist(), "loss": loss.item(), "grad": x.grad.flatten().tolist()}


def case_mse(name, shape):
    p = f32(torch.randn(*shape)).requires_grad_(True)
    q = f32(torch.randn(*shape))
    loss = F.mse_loss(p, q, reduction="mean")
    loss.backward()
    return {"name": name, "kind": "mse", "shape": list(shape), "prediction": p.detach().flatten().tolist(),
            "target": q.flatten().tolist(), "loss": loss.item(), "grad": p.grad.flatten().tolist()}


cases = [
    case_ce("ce_4x5", 4, 5, 0.0, 1.0),
    case_ce("ce_4x5_ls0.1", 4, 5, 0.1, 1.0),
    case_ce("ce_16x10_ls0.1_wide", 16, 10, 0.1, 8.0),
    case_ce("ce_3x7_ls1", 3, 7, 1.0, 2.0),
    case_ce("ce_1x1", 1, 1, 0.0, 1.0),
    case_ce("ce_8x3_large_logits", 8, 3, 0.1, 40.0),
    case_nll("nll_6x4", 6, 4),
    case_mse("mse_3x4", (3, 4)),
]
out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "losses_torch.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/golden/losses_torch.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
