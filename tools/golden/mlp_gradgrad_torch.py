"""Golden values for the gradient-of-gradient through a 3-layer tanh MLP (tests/Nonlinear.Tests/HigherOrder/MlpGradGradGoldenTests.cs).

MLP 3 → 5 → 4 → 1 with tanh, weights and input from a fixed numpy seed, rounded to float32 (what the test loads).
y = Σ MLP(x); g = ∂y/∂x (create_graph); z = Σ g²; the fixture holds g and ∂z/∂(x, W1, b1, W2, b2, W3, b3),
computed by torch in float64. Run with /usr/bin/python3 (torch 1.13): python3 tools/golden/mlp_gradgrad_torch.py
"""
import json
import numpy as np
import torch

rng = np.random.default_rng(20261207)
shapes = {"W1": (5, 3), "b1": (5,), "W2": (4, 5), "b2": (4,), "W3": (1, 4), "b3": (1,)}
params = {k: rng.uniform(-0.9, 0.9, size=s).astype(np.float32) for k, s in shapes.items()}
x = rng.uniform(-1, 1, size=(4, 3)).astype(np.float32)

t = {k: torch.tensor(v.astype(np.float64), requires_grad=True) for k, v in params.items()}
tx = torch.tensor(x.astype(np.float64), requires_grad=True)
h = torch.tanh(tx @ t["W1"].T + t["b1"])
h = torch.tanh(h @ t["W2"].T + t["b2"])
y = (h @ t["W3"].T + t["b3"]).sum()
(g,) = torch.autograd.grad(y, tx, create_graph=True)
z = (g * g).sum()
grads = torch.autograd.grad(z, [tx] + [t[k] for k in shapes], allow_unused=True)
grads = [torch.zeros_like(p) if gr is None else gr for gr, p in zip(grads, [tx] + [t[k] for k in shapes])]  # b3 does not reach g

out = {
    "generator": "tools/golden/mlp_gradgrad_torch.py",
    "torch": torch.__version__,
    "x": x.ravel().tolist(),
    "params": {k: v.ravel().tolist() for k, v in params.items()},
    "shapes": {k: list(s) for k, s in shapes.items()},
    "g": g.detach().numpy().ravel().tolist(),
    "z": z.item(),
    "dz": {name: gr.detach().numpy().ravel().tolist() for name, gr in zip(["x"] + list(shapes), grads)},
}
with open("tests/Nonlinear.Tests/fixtures/mlp_gradgrad_torch.json", "w") as f:
    json.dump(out, f, indent=1)
print("z =", z.item())
