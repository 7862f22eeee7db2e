#!/usr/bin/python3
"""Cross-check values for Nonlinear's Conv2d, MaxPool2d, AvgPool2d and Unfold from PyTorch (run with /usr/bin/python3, torch 1.13).

Writes tests/Nonlinear.Tests/fixtures/conv_torch.json. Inputs are float32 values; outputs and gradients are computed in
float64 from them (torch CPU conv2d in double), so the C# test compares its float32 results with a float-rounding bound.
The upstream gradient is a fixed random tensor g, i.e. the loss is sum(g * y).
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261123)


def f32(t):
    return t.to(torch.float32).to(torch.float64)


def geometry(kh, kw, sh, sw, ph, pw, dh, dw):
    return {"kernel": [kh, kw], "stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw]}


def conv_case(name, n, c, h, w, o, kh, kw, sh=1, sw=1, ph=0, pw=0, dh=1, dw=1, bias=True):
    x = f32(torch.randn(n, c, h, w)).requires_grad_(True)
    wt = f32(torch.randn(o, c, kh, kw) * 0.5).requires_grad_(True)
    b = f32(torch.randn(o)).requires_grad_(True) if bias else None
    y = F.conv2d(x, wt, b, stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw))
    g = f32(torch.randn_like(y))
    (y * g).sum().backward()
    d = {"name": name, "op": "conv2d", "x_shape": [n, c, h, w], "w_shape": [o, c, kh, kw],
         **geometry(kh, kw, sh, sw, ph, pw, dh, dw),
         "x": x.detach().flatten().tolist(), "w": wt.detach().flatten().tolist(),
         "b": b.detach().tolist() if bias else None, "g": g.flatten().tolist(), "y_shape": list(y.shape),
         "y": y.detach().flatten().tolist(), "dx": x.grad.flatten().tolist(), "dw": wt.grad.flatten().tolist(),
         "db": b.grad.tolist() if bias else None}
    return d


def pool_case(name, op, n, c, h, w, kh, kw, sh, sw, ph=0, pw=0, dh=1, dw=1):
    x = f32(torch.randn(n, c, h, w)).requires_grad_(True)
    if op == "max_pool2d":
        y = F.max_pool2d(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw))
    elif op == "avg_pool2d":
        y = F.avg_pool2d(x, (kh, kw), (sh, sw), (ph, pw), count_include_pad=True)
    else:
        y = F.unfold(x, (kh, kw), dilation=(dh, dw), padding=(ph, pw), stride=(sh, sw))
    g = f32(torch.randn_like(y))
    (y * g).sum().backward()
    return {"name": name, "op": op, "x_shape": [n, c, h, w], **geometry(kh, kw, sh, sw, ph, pw, dh, dw),
            "x": x.detach().flatten().tolist(), "g": g.flatten().tolist(), "y_shape": list(y.shape),
            "y": y.detach().flatten().tolist(), "dx": x.grad.flatten().tolist()}


cases = [
    conv_case("3x3 valid", 2, 3, 7, 6, 4, 3, 3),
    conv_case("3x3 same padding", 2, 2, 8, 8, 5, 3, 3, ph=1, pw=1),
    conv_case("stride 2, padding 1", 1, 3, 9, 7, 2, 3, 3, sh=2, sw=2, ph=1, pw=1),
    conv_case("dilation 2, rectangular", 2, 2, 9, 10, 3, 2, 3, sh=1, sw=2, ph=2, pw=1, dh=2, dw=2),
    conv_case("1x1 no bias", 3, 4, 5, 5, 6, 1, 1, bias=False),
    conv_case("5x5 same padding", 2, 1, 14, 14, 4, 5, 5, ph=2, pw=2),
    pool_case("max 2x2 stride 2", "max_pool2d", 2, 3, 8, 8, 2, 2, 2, 2),
    pool_case("max 3x3 stride 2 padding 1", "max_pool2d", 1, 2, 9, 7, 3, 3, 2, 2, 1, 1),
    pool_case("max dilated", "max_pool2d", 1, 2, 10, 9, 3, 2, 2, 1, 1, 1, 2, 3),
    pool_case("avg 2x2 stride 2", "avg_pool2d", 2, 3, 8, 8, 2, 2, 2, 2),
    pool_case("avg 3x3 stride 1 padding 1", "avg_pool2d", 1, 2, 6, 7, 3, 3, 1, 1, 1, 1),
    pool_case("unfold 3x3 stride 2 padding 1 dilation 2", "unfold", 2, 3, 9, 8, 3, 3, 2, 2, 1, 1, 2, 2),
]

out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "conv_torch.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/golden/conv_torch.py", "torch": torch.__version__, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
