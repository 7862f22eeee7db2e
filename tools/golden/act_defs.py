"""Exact (mpmath) definitions of the core activations and their derivatives, with our kink conventions (PyTorch's).

Shared by activations.py (golden values) and torch_crosscheck.py. Parameters are the catalog defaults; values the
kernels store as float32 (leaky_relu's 0.01) are rounded to float32 here too, so the goldens test the formula and
not the parameter's storage.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
F32 = lambda v: mp.mpf(float(np.float32(v)))

SELU_A = mp.mpf('1.6732632423543772848170429916717')
SELU_L = mp.mpf('1.0507009873554804934193349852946')
K = mp.sqrt(2 / mp.pi)
C = mp.mpf('0.044715')  # the definition's constant (kernels round it to float32; their tests allow for that)

def sig(x): return 1 / (1 + mp.exp(-x))
def sp(x): return mp.log1p(mp.exp(x))
def Phi(x): return mp.erfc(-x / mp.sqrt(2)) / 2
def phi(x): return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)

def gelu_tanh(x):
    u = K * (x + C * x**3)
    return x * sig(2 * u)

def gelu_tanh_d(x):
    u = K * (x + C * x**3)
    return sig(2 * u) + x * 2 * sig(2 * u) * sig(-2 * u) * K * (1 + 3 * C * x * x)

def mish_d(x):
    s = sp(x)
    return mp.tanh(s) + x * sig(x) / mp.cosh(s)**2

LRELU = F32(0.01)

# name -> (f, f')
DEFS = {
    'identity': (lambda x: x, lambda x: mp.mpf(1)),
    'relu': (lambda x: max(x, 0), lambda x: mp.mpf(1 if x > 0 else 0)),
    'leaky_relu': (lambda x: x if x >= 0 else LRELU * x, lambda x: mp.mpf(1) if x > 0 else LRELU),
    'sigmoid': (sig, lambda x: sig(x) * sig(-x)),
    'relu6': (lambda x: min(max(x, 0), 6), lambda x: mp.mpf(1 if 0 < x < 6 else 0)),
    'elu': (lambda x: x if x > 0 else mp.expm1(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x)),
    'selu': (lambda x: SELU_L * (x if x > 0 else SELU_A * mp.expm1(x)), lambda x: SELU_L if x > 0 else SELU_L * SELU_A * mp.exp(x)),
    'celu': (lambda x: x if x > 0 else mp.expm1(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x)),
    'gelu': (lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x)),
    'gelu_tanh': (gelu_tanh, gelu_tanh_d),
    'silu': (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    'mish': (lambda x: x * mp.tanh(sp(x)), mish_d),
    'softplus': (lambda x: x if x > 20 else sp(x), lambda x: mp.mpf(1) if x > 20 else sig(x)),
    'softsign': (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x))**2),
    'tanh': (mp.tanh, lambda x: 1 / mp.cosh(x)**2),
    'hard_sigmoid': (lambda x: min(max(x + 3, 0), 6) / 6, lambda x: mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0)),
    'hard_tanh': (lambda x: min(max(x, -1), 1), lambda x: mp.mpf(1 if -1 < x < 1 else 0)),
    'hard_swish': (lambda x: x * min(max(x + 3, 0), 6) / 6, lambda x: mp.mpf(0) if x < -3 else (x / 3 + mp.mpf(1) / 2 if x <= 3 else mp.mpf(1))),
    'log_sigmoid': (lambda x: -sp(-x), lambda x: sig(-x)),
    'tanhshrink': (lambda x: x - mp.tanh(x), lambda x: mp.tanh(x)**2),
    'softshrink': (lambda x: x - mp.mpf(0.5) if x > 0.5 else (x + mp.mpf(0.5) if x < -0.5 else mp.mpf(0)), lambda x: mp.mpf(1 if abs(x) > 0.5 else 0)),
    'hardshrink': (lambda x: x if abs(x) > 0.5 else mp.mpf(0), lambda x: mp.mpf(1 if abs(x) > 0.5 else 0)),
}

KINKS = {'relu': [0], 'leaky_relu': [0], 'relu6': [0, 6], 'elu': [0], 'selu': [0], 'softplus': [20],
         'hard_sigmoid': [-3, 3], 'hard_tanh': [-1, 1], 'hard_swish': [-3, 3], 'softshrink': [-0.5, 0.5], 'hardshrink': [-0.5, 0.5]}


def num(v):
    """A double for JSON (mpmath → nearest double; -0.0 kept)."""
    return float(v)
