"""Exact (mpmath) definitions of the smooth catalog entries and their derivatives (see act_defs.py for conventions).

Written from the papers' formulas, independently of the C# kernels: derivatives are analytic where short and otherwise
mpmath's numerical differentiation (mp.diff, at 50 digits) of the formula itself.
DEFS: name -> (f, f'), with parameters at the catalog defaults (float32-rounded where the kernel stores them so).
KINKS: name -> points where f' jumps (goldens sample around them). POINTS: name -> extra sample points.
"""
from act_defs import mp, F32, sig, sp, Phi, phi

PI = mp.pi
def D(f):
    """f' by mpmath's numerical differentiation of the formula (50 digits, so ~40 correct)."""
    return lambda x: mp.diff(f, x)
def sech(x): return 1 / mp.cosh(x)

DEFS = {
    'bipolar_sigmoid': (lambda x: (1 - mp.exp(-x)) / (1 + mp.exp(-x)), lambda x: 2 * mp.exp(-x) / (1 + mp.exp(-x))**2),
    'scaled_tanh': (lambda x: F32(1.7159) * mp.tanh(F32(2/3) * x), lambda x: F32(1.7159) * F32(2/3) * sech(F32(2/3) * x)**2),
    'penalized_tanh': (lambda x: mp.tanh(x) if x > 0 else mp.mpf(0.25) * mp.tanh(x), lambda x: sech(x)**2 if x > 0 else mp.mpf(0.25) * sech(x)**2),
    'arctan': (mp.atan, lambda x: 1 / (1 + x * x)),
    'erf': (mp.erf, lambda x: 2 / mp.sqrt(PI) * mp.exp(-x * x)),
    'elliott': (lambda x: x / (2 * (1 + abs(x))) + mp.mpf(1) / 2, lambda x: 1 / (2 * (1 + abs(x))**2)),
    'gudermannian': (lambda x: 2 * mp.atan(mp.tanh(x / 2)), sech),
    'cloglog': (lambda x: -mp.expm1(-mp.exp(x)), lambda x: mp.exp(x - mp.exp(x))),
    'loglog': (lambda x: mp.exp(-mp.exp(-x)), lambda x: mp.exp(-x - mp.exp(-x))),
    'probit': (Phi, phi),
    'laplace': (lambda x: Phi((x - F32(mp.sqrt(0.5))) / F32(mp.sqrt(1 / (4 * PI)))), lambda x: phi((x - F32(mp.sqrt(0.5))) / F32(mp.sqrt(1 / (4 * PI)))) / F32(mp.sqrt(1 / (4 * PI)))),
    'hexpo': (lambda x: 1 - mp.exp(-x) if x >= 0 else mp.exp(x) - 1, lambda x: mp.exp(-abs(x))),
    'soft_root_sign': (lambda x: x / (x / 2 + mp.exp(-x / 3)), lambda x: mp.exp(-x / 3) * (1 + x / 3) / (x / 2 + mp.exp(-x / 3))**2),
    'dsilu': (lambda x: sig(x) * (1 + x * sig(-x)), lambda x: sig(x) * sig(-x) * (2 - x * mp.tanh(x / 2))),
    'cauchit': (lambda x: mp.mpf(1) / 2 + mp.atan(x) / PI, lambda x: 1 / (PI * (1 + x * x))),
    'apa_fixed': (lambda x: (mp.exp(-x) + 1)**(-1), lambda x: sig(x) * sig(-x)),
    'sech': (sech, lambda x: -mp.tanh(x) * sech(x)),
    'gaussian': (lambda x: mp.exp(-x * x / 2), lambda x: -x * mp.exp(-x * x / 2)),
    'mexican_hat': (lambda x: (1 - x * x) * mp.exp(-x * x / 2), lambda x: x * (x * x - 3) * mp.exp(-x * x / 2)),
    'morlet': (lambda x: mp.mpf(0) if abs(x) > 40 else mp.cos(5 * x) * mp.exp(-x * x / 2), lambda x: mp.mpf(0) if abs(x) > 40 else -(5 * mp.sin(5 * x) + x * mp.cos(5 * x)) * mp.exp(-x * x / 2)),
    'laplacian': (lambda x: mp.exp(-abs(x)), lambda x: -mp.sign(x) * mp.exp(-abs(x))),
    'cauchy': (lambda x: (x + 1) / (x * x + 1), lambda x: ((1 - x * x) - 2 * x) / (x * x + 1)**2),
    'golu': (lambda x: x * mp.exp(-mp.exp(-x)), lambda x: mp.exp(-mp.exp(-x)) * (1 + x * mp.exp(-x))),
    'quick_gelu': (lambda x: x * sig(F32(1.702) * x), lambda x: sig(F32(1.702) * x) * (1 + F32(1.702) * x * sig(-F32(1.702) * x))),
    'e_swish': (lambda x: mp.mpf(1.375) * x * sig(x), lambda x: mp.mpf(1.375) * sig(x) * (1 + x * sig(-x))),
    'flatten_t_swish': (lambda x: F32(-0.2) if x < 0 else x * sig(x) + F32(-0.2), lambda x: mp.mpf(0) if x < 0 else sig(x) * (1 + x * sig(-x))),
    'gcu': (lambda x: x * mp.cos(x), lambda x: mp.cos(x) - x * mp.sin(x)),
    'elish': (lambda x: x * sig(x) if x >= 0 else (mp.exp(x) - 1) * sig(x), lambda x: sig(x) * (1 + x * sig(-x)) if x >= 0 else sig(x) * (mp.exp(x) + (mp.exp(x) - 1) * sig(-x))),
    'lisht': (lambda x: x * mp.tanh(x), lambda x: mp.tanh(x) + x * sech(x)**2),
    'tanh_exp': (lambda x: x * mp.tanh(mp.exp(x)), lambda x: mp.tanh(mp.exp(x)) + x * mp.exp(x) * sech(mp.exp(x))**2),
    'serf': (lambda x: x * mp.erf(sp(x)), lambda x: mp.erf(sp(x)) + x * 2 / mp.sqrt(PI) * mp.exp(-sp(x)**2) * sig(x)),
    'logish': (lambda x: x * mp.log1p(sig(x)), lambda x: mp.log1p(sig(x)) + x * sig(x) * sig(-x) / (1 + sig(x))),
    'smish': (lambda x: x * mp.tanh(mp.log1p(sig(x))), D(lambda x: x * mp.tanh(mp.log1p(sig(x))))),
    'phish': (lambda x: x * mp.tanh(x * Phi(x)), lambda x: mp.tanh(x * Phi(x)) + x * sech(x * Phi(x))**2 * (Phi(x) + x * phi(x))),
    'smu': (lambda x: ((1 + F32(0.01)) * x + (1 - F32(0.01)) * x * mp.erf(F32(2.5) * (1 - F32(0.01)) * x)) / 2, D(lambda x: ((1 + F32(0.01)) * x + (1 - F32(0.01)) * x * mp.erf(F32(2.5) * (1 - F32(0.01)) * x)) / 2)),
    'mila': (lambda x: x * mp.tanh(sp(x - mp.mpf(0.25))), D(lambda x: x * mp.tanh(sp(x - mp.mpf(0.25))))),
    'sinlu': (lambda x: (x + mp.sin(x)) * sig(x), lambda x: (1 + mp.cos(x)) * sig(x) + (x + mp.sin(x)) * sig(x) * sig(-x)),
    'acon_c': (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    'atlu': (lambda x: x * (mp.mpf(1) / 2 + mp.atan(x) / PI), lambda x: mp.mpf(1) / 2 + mp.atan(x) / PI + x / (PI * (1 + x * x))),
    'xatlu': (lambda x: x * (mp.mpf(1) / 2 + mp.atan(x) / PI), lambda x: mp.mpf(1) / 2 + mp.atan(x) / PI + x / (PI * (1 + x * x))),
    'xgelu': (lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x)),
    'xsilu': (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    'aglu': (lambda x: x * (mp.exp(-x) + 1)**(-1), lambda x: sig(x) * (1 + x * sig(-x))),
    'erfact': (lambda x: x * mp.erf(F32(0.75) * mp.exp(F32(0.75) * x)), D(lambda x: x * mp.erf(F32(0.75) * mp.exp(F32(0.75) * x)))),
    'pserf': (lambda x: x * mp.erf(sp(x)), lambda x: mp.erf(sp(x)) + x * 2 / mp.sqrt(PI) * mp.exp(-sp(x)**2) * sig(x)),
    'loglogish': (lambda x: -x * mp.expm1(-mp.exp(x)), lambda x: -mp.expm1(-mp.exp(x)) + x * mp.exp(x - mp.exp(x))),
    'pelu': (lambda x: x if x > 0 else mp.expm1(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x)),
    'mpelu': (lambda x: x if x > 0 else mp.expm1(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x)),
    'ptelu': (lambda x: x if x > 0 else mp.tanh(x), lambda x: mp.mpf(1) if x > 0 else sech(x)**2),
    'serlu': (lambda x: F32(1.07862) * x if x >= 0 else F32(1.07862) * F32(2.90427) * x * mp.exp(x), lambda x: F32(1.07862) if x >= 0 else F32(1.07862) * F32(2.90427) * mp.exp(x) * (1 + x)),
    'reu': (lambda x: x if x > 0 else x * mp.exp(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x) * (1 + x)),
    'preu': (lambda x: x if x > 0 else x * mp.exp(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x) * (1 + x)),
    'exponential': (mp.exp, mp.exp),
    'soft_exponential': (lambda x: (mp.exp(x / 2) - 1) * 2 + mp.mpf(0.5), lambda x: mp.exp(x / 2)),
    'shifted_softplus': (lambda x: sp(x) - mp.log(2), sig),
    'slu': (lambda x: x if x >= 0 else 2 * (sp(x) - mp.log(2)), lambda x: mp.mpf(1) if x >= 0 else 2 * sig(x)),
    'soft_clipping': (lambda x: (mp.log1p(mp.exp(50 * x)) - mp.log1p(mp.exp(50 * (x - 1)))) / 50, lambda x: sig(50 * x) - sig(50 * (x - 1)) if x <= 0.5 else sig(-50 * (x - 1)) - sig(-50 * x)),
    'log_cosh': (lambda x: mp.log(mp.cosh(x)), mp.tanh),
    'sine': (mp.sin, mp.cos),
    'cosine': (mp.cos, lambda x: -mp.sin(x)),
    'snake_fixed': (lambda x: x + mp.sin(x)**2, lambda x: 1 + mp.sin(2 * x)),
    'x_plus_sin': (lambda x: x + mp.sin(x), lambda x: 1 + mp.cos(x)),
    'spder': (lambda x: mp.sin(x) * mp.sqrt(abs(x)), lambda x: mp.mpf(0) if x == 0 else mp.cos(x) * mp.sqrt(abs(x)) + mp.sin(abs(x)) / (2 * mp.sqrt(abs(x)))),
    'sinc': (lambda x: mp.mpf(1) if x == 0 else mp.sin(x) / x, lambda x: mp.mpf(0) if x == 0 else (mp.cos(x) - mp.sin(x) / x) / x),
    'ssu': (lambda x: mp.mpf(0) if x == 0 else PI * mp.sin(x - PI) / (x - PI), lambda x: PI * (mp.cos(x - PI) - mp.sin(x - PI) / (x - PI)) / (x - PI)),
    'dsu': (lambda x: (PI / 2) * (mp.sin(x - PI) / (x - PI) - mp.sin(x + PI) / (x + PI)), D(lambda x: (PI / 2) * (mp.sin(x - PI) / (x - PI) - mp.sin(x + PI) / (x + PI)))),
    'expsin': (lambda x: mp.exp(-mp.sin(x)), lambda x: -mp.cos(x) * mp.exp(-mp.sin(x))),
    'gabor': (lambda x: mp.mpf(0) if abs(10 * x) > 40 else mp.cos(20 * x) * mp.exp(-(10 * x)**2), lambda x: mp.mpf(0) if abs(10 * x) > 40 else -(20 * mp.sin(20 * x) + 200 * x * mp.cos(20 * x)) * mp.exp(-(10 * x)**2)),
}

KINKS = {
    'penalized_tanh': [0],
    'laplacian': [0],
    'flatten_t_swish': [0],
    'pelu': [0],
    'mpelu': [0],
    'ptelu': [0],
    'serlu': [0],
    'preu': [0],
}

POINTS = {
    'soft_clipping': [0.5, 0.98, 1.02, 0.01, -0.02, 1.5],
}
