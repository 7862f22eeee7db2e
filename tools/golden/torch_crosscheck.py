"""PyTorch (CPU, float32) values of the core activations on a grid, with the exact (mpmath) value at each point.

Run: /usr/bin/python3 tools/golden/torch_crosscheck.py  (writes tests/Nonlinear.Tests/fixtures/activations_torch.json)
The test asserts our float32 forward is within 2 ulp of PyTorch's, or else closer to the exact value than PyTorch is.
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F
from act_defs import DEFS as CORE_DEFS, num, mp
from act_defs_piecewise import DEFS as PIECEWISE_DEFS
from act_defs_smooth import DEFS as SMOOTH_DEFS

DEFS = {**CORE_DEFS, **PIECEWISE_DEFS, **SMOOTH_DEFS}

TORCH = {
    'identity': lambda x: x,
    'relu': F.relu, 'leaky_relu': lambda x: F.leaky_relu(x, 0.01), 'sigmoid': torch.sigmoid, 'relu6': F.relu6,
    'elu': F.elu, 'selu': F.selu, 'celu': F.celu, 'gelu': F.gelu, 'gelu_tanh': lambda x: F.gelu(x, approximate='tanh'),
    'silu': F.silu, 'mish': F.mish, 'softplus': F.softplus, 'softsign': F.softsign, 'tanh': torch.tanh,
    'hard_sigmoid': F.hardsigmoid, 'hard_tanh': F.hardtanh, 'hard_swish': F.hardswish, 'log_sigmoid': F.logsigmoid,
    'tanhshrink': F.tanhshrink, 'softshrink': F.softshrink, 'hardshrink': F.hardshrink,
}

# Piecewise entries PyTorch has as one function (at the catalog defaults).
TORCH.update({
    'rrelu': lambda x: F.rrelu(x, 1 / 8, 1 / 3, training=False), 'threshold': lambda x: F.threshold(x, 0.1, 20.0),
    'prelu_fixed': lambda x: F.prelu(x, torch.tensor([0.25])), 'very_leaky_relu': lambda x: F.leaky_relu(x, 1 / 3),
    'lelelu': lambda x: F.leaky_relu(x, 0.01), 'bounded_relu': lambda x: F.hardtanh(x, 0.0, 1.0),
    'clipped_relu': lambda x: F.hardtanh(x, 0.0, 20.0), 'soft_threshold': lambda x: F.softshrink(x, 1.0),
    'shrink': lambda x: F.hardshrink(x, 0.5), 'displaced_relu': lambda x: torch.clamp(x, min=-0.05),
    'abs': torch.abs, 'sign': torch.sign, 'square': torch.square, 'cube': lambda x: torch.pow(x, 3),
    'heaviside': lambda x: torch.heaviside(x, torch.tensor(0.5)), 'round_ste': torch.round,
    'relu_squared': lambda x: torch.square(F.relu(x)), 'helu': F.relu, 'tlu': F.relu, 'relu_keras': F.relu,
    'asinh': torch.asinh, 'step_ste': lambda x: torch.heaviside(x, torch.tensor(1.0)),
})

# Smooth entries with a torch function (sinc: torch.sinc is the normalised sin(πx)/(πx), ours is sin(x)/x).
TORCH.update({
    'erf': torch.erf, 'arctan': torch.atan,  # exponential left out: exp(400) is inf in float32, which JSON cannot carry
    'sine': torch.sin, 'cosine': torch.cos, 'sinc': lambda x: torch.sinc(x / torch.pi),
})

rng = np.random.default_rng(7)
grid = np.concatenate([np.linspace(-12, 12, 1201), rng.normal(0, 3, 600), rng.normal(0, 1e-3, 100),
                       np.array([-400, -100, -30, -20, -10, -5, -1e-3, 0, 1e-3, 5, 10, 20, 30, 100, 400])]).astype(np.float32)

torch.set_num_threads(1)
out = {'generator': 'tools/golden/torch_crosscheck.py', 'torch': torch.__version__, 'x': [float(v) for v in grid], 'entries': {}}
x = torch.from_numpy(grid.copy())
for name, fn in TORCH.items():
    y = fn(x.clone()).numpy()
    f = DEFS[name][0]
    out['entries'][name] = {'torch': [float(v) for v in y], 'exact': [num(f(mp.mpf(float(v)))) for v in grid]}

path = os.path.join(os.path.dirname(__file__), '../../tests/Nonlinear.Tests/fixtures/activations_torch.json')
with open(path + '.tmp', 'w') as fh:
    json.dump(out, fh)
os.replace(path + '.tmp', path)
print('wrote', path, len(grid), 'points x', len(TORCH), 'activations')
