#!/usr/bin/env python3
"""PReLU golden values from torch 1.13 (torch.nn.PReLU): forward and backward on fixed inputs.

Writes tests/Nonlinear.Tests/fixtures/prelu_torch.json. Run with Debian's python3 + torch:
    /usr/bin/python3 tools/golden/prelu_torch.py
Cases: a shared slope (num_parameters=1, torch's default init 0.25) on [4, 3]; one slope per channel
(num_parameters=3, custom weights incl. a negative one) on [2, 3, 5] (channel dim 1, as torch); inputs include
0, -0 and exact halves so the kink convention (x <= 0 uses the slope) is exercised.
"""
import json
import os

import torch


def case(x, weight, gout):
    m = torch.nn.PReLU(num_parameters=weight.numel())
    with torch.no_grad():
        m.weight.copy_(weight)
    xr = x.clone().requires_grad_()
    y = m(xr)
    y.backward(gout)
    return {"shape": list(x.shape), "x": x.flatten().tolist(), "w": weight.tolist(), "gout": gout.flatten().tolist(),
            "y": y.detach().flatten().tolist(), "gx": xr.grad.flatten().tolist(), "gw": m.weight.grad.tolist()}


def main():
    g = torch.Generator().manual_seed(1913)
    x1 = torch.randn(4, 3, generator=g) * 2
    x1[0, 0] = 0.0
    x1[1, 1] = -0.0
    x1[2, 2] = -1.5
    default = torch.nn.PReLU().weight.detach().clone()   # torch's init: 0.25
    c1 = case(x1, default, torch.randn(4, 3, generator=g))
    x2 = torch.randn(2, 3, 5, generator=g) * 3
    x2[0, 1, 2] = 0.0
    c2 = case(x2, torch.tensor([0.1, -0.3, 0.7]), torch.randn(2, 3, 5, generator=g))
    out = {"torch": torch.__version__, "shared": c1, "per_channel": c2}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "prelu_torch.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
