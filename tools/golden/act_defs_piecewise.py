"""Exact (mpmath) definitions of the piecewise catalog entries and their derivatives (see act_defs.py for conventions).

Written from the papers' definitions, not from the C# code. Parameters are the catalog defaults, float32-rounded where the
kernels store them so. At kinks the derivative is the catalog's documented convention (mostly PyTorch's: the branch
that excludes the kink). Straight-through entries (helu, sign_ste, round_ste, dorefa_quantize) list their exact f′ here;
their surrogate backward rules are tested against the C# ReferenceBackward, not against goldens.

DEFS: name -> (f, f'). KINKS: name -> points where f' jumps (goldens sample around them). POINTS: extra sample points.
"""
from act_defs import mp, F32

ONE, ZERO, HALF = mp.mpf(1), mp.mpf(0), mp.mpf(1) / 2


def sign(x): return mp.mpf(1) if x > 0 else (mp.mpf(-1) if x < 0 else ZERO)
def clip(x, lo, hi): return min(max(x, lo), hi)
def relu(x): return max(x, ZERO)
def step(cond): return ONE if cond else ZERO


def round_even(v):
    f = mp.floor(v)
    d = v - f
    if d > HALF or (d == HALF and int(f) % 2 == 1):
        return f + 1
    return f


# parameter defaults (float32 where the kernel keeps float32)
TAU, M = F32(1), F32(1)
RR_SLOPE = (F32(0.125) + F32(1 / 3)) / 2
TH, TH_V = F32(0.1), F32(20)
SME_B = F32(1)
PLU_A, PLU_C = F32(0.1), F32(1)
HELU_A = F32(0.05)
CR_EPS = F32(0.01)
PRELU_A = F32(0.25)
VLR = F32(mp.mpf(1) / 3)  # the kernel stores the slope in float, as leaky_relu (act_defs.py convention)
SR_TL, SR_AL, SR_TR, SR_AR = F32(-1), F32(0.2), F32(1), F32(0.5)
DR_D = F32(0.05)
AL_A = F32(0.01)
BL_N, BL_S = F32(1), F32(0.1)
STAR_S, STAR_B = F32(0.8944271909999159), F32(-0.4472135954999579)
HS_A, HS_B = F32(0.2), F32(0.5)
FIRM_L1, FIRM_L2 = F32(0.5), F32(1)


def srelu(x):
    if x >= SR_TR: return SR_TR + SR_AR * (x - SR_TR)
    if x <= SR_TL: return SR_TL + SR_AL * (x - SR_TL)
    return x


def firm(x):
    a = abs(x)
    if a <= FIRM_L1: return ZERO
    if a >= FIRM_L2: return x
    return sign(x) * FIRM_L2 * (a - FIRM_L1) / (FIRM_L2 - FIRM_L1)


def hard_elish(x):
    h = clip((x + 1) / 2, 0, 1)
    return (mp.exp(x) - 1) * h if x < 0 else x * h


def hard_elish_d(x):
    h = clip((x + 1) / 2, 0, 1)
    dh = HALF if -1 < x < 1 else ZERO
    return mp.exp(x) * h + (mp.exp(x) - 1) * dh if x < 0 else h + x * dh


def smooth_step(x, g=ONE):
    if x <= -g / 2: return ZERO
    if x >= g / 2: return ONE
    return -2 * x**3 / g**3 + 3 * x / (2 * g) + HALF


def smooth_step_d(x, g=ONE):
    return 3 / (2 * g) - 6 * x**2 / g**3 if abs(x) < g / 2 else ZERO


def dorefa(x, k=2):
    n = 2**k - 1
    return round_even(clip(x, 0, 1) * n) / n


def squareplus(x):
    # x + √(x² + 4) cancels for x ≪ 0 (at x = −1e20 it loses 40 of the 50 digits): evaluate with 120 digits.
    with mp.workdps(120):
        return (x + mp.sqrt(x * x + 4)) / 2


def squareplus_d(x):
    with mp.workdps(120):
        return (1 + x / mp.sqrt(x * x + 4)) / 2


def pact(x, alpha=F32(10), k=4):
    n = 2**k - 1
    return round_even(clip(x, 0, alpha) * n / alpha) * alpha / n


def lsq(x, s=F32(0.25), k=3):
    return round_even(clip(x / s, 0, 2**k - 1)) * s


SCAD_L, SCAD_A = F32(1), F32(3.7)


def scad(x):
    a = abs(x)
    if a <= 2 * SCAD_L: return sign(x) * relu(a - SCAD_L)
    if a <= SCAD_A * SCAD_L: return ((SCAD_A - 1) * x - sign(x) * SCAD_A * SCAD_L) / (SCAD_A - 2)
    return x


def scad_d(x):
    a = abs(x)
    if a <= SCAD_L: return ZERO
    if a <= 2 * SCAD_L: return ONE
    if a <= SCAD_A * SCAD_L: return (SCAD_A - 1) / (SCAD_A - 2)
    return ONE


def mcp(x, l=ONE, g=mp.mpf(3)):
    a = abs(x)
    if a <= l: return ZERO
    if a <= g * l: return sign(x) * (a - l) * g / (g - 1)
    return x


EPS_H = F32(0.001)


DEFS = {
    'shifted_relu': (lambda x: relu(x - TAU), lambda x: step(x > TAU)),
    'shifted_relu_clipped': (lambda x: min(relu(x - TAU), M), lambda x: step(0 < x - TAU < M)),
    'relu_squared': (lambda x: relu(x)**2, lambda x: 2 * relu(x)),
    'rrelu': (lambda x: x if x >= 0 else RR_SLOPE * x, lambda x: ONE if x > 0 else RR_SLOPE),
    'threshold': (lambda x: x if x > TH else TH_V, lambda x: step(x > TH)),
    'thresholded_relu': (lambda x: x if x > 1 else ZERO, lambda x: step(x > 1)),
    'bounded_relu': (lambda x: clip(x, 0, 1), lambda x: step(0 < x < 1)),
    'clipped_relu': (lambda x: clip(x, 0, 20), lambda x: step(0 < x < 20)),
    'smelu': (lambda x: ZERO if x <= -SME_B else (x if x >= SME_B else (x + SME_B)**2 / (4 * SME_B)),
              lambda x: ZERO if x <= -SME_B else (ONE if x >= SME_B else (x + SME_B) / (2 * SME_B))),
    'sparse_plus': (lambda x: ZERO if x <= -1 else (x if x >= 1 else (x + 1)**2 / 4),
                    lambda x: ZERO if x <= -1 else (ONE if x >= 1 else (x + 1) / 2)),
    'sparse_sigmoid': (lambda x: clip((x + 1) / 2, 0, 1), lambda x: HALF if -1 < x < 1 else ZERO),
    'plu': (lambda x: max(PLU_A * (x + PLU_C) - PLU_C, min(PLU_A * (x - PLU_C) + PLU_C, x)),
            lambda x: PLU_A if abs(x) > PLU_C else ONE),
    'helu': (relu, lambda x: step(x > 0)),
    'crrelu': (lambda x: relu(x) + CR_EPS * x * mp.exp(-x * x / 2),
               lambda x: step(x > 0) + CR_EPS * (1 - x * x) * mp.exp(-x * x / 2)),
    'nlrelu': (lambda x: mp.log(relu(x) + 1), lambda x: 1 / (1 + x) if x > 0 else ZERO),
    'prelu_fixed': (lambda x: x if x >= 0 else PRELU_A * x, lambda x: ONE if x > 0 else PRELU_A),
    'very_leaky_relu': (lambda x: x if x >= 0 else VLR * x, lambda x: ONE if x > 0 else VLR),
    'srelu': (srelu, lambda x: SR_AR if x >= SR_TR else (SR_AL if x <= SR_TL else ONE)),
    'displaced_relu': (lambda x: max(x, -DR_D), lambda x: step(x > -DR_D)),
    'alrelu': (lambda x: x if x > 0 else abs(AL_A * x), lambda x: ONE if x > 0 else -AL_A),
    'bounded_leaky_relu': (lambda x: BL_S * x if x <= 0 else (BL_N + BL_S * (x - BL_N) if x >= BL_N else x),
                           lambda x: ONE if 0 < x < BL_N else BL_S),
    'star_relu': (lambda x: STAR_S * relu(x)**2 + STAR_B, lambda x: 2 * STAR_S * relu(x)),
    'lelelu': (lambda x: x if x >= 0 else x / 100, lambda x: ONE if x > 0 else ONE / 100),
    'tlu': (relu, lambda x: step(x > 0)),
    'relu_keras': (relu, lambda x: step(x > 0)),
    'soft_threshold': (lambda x: sign(x) * relu(abs(x) - TAU), lambda x: step(abs(x) > TAU)),
    'soft_threshold_clipped': (lambda x: sign(x) * min(relu(abs(x) - TAU), M), lambda x: step(0 < abs(x) - TAU < M)),
    'garrote': (lambda x: x - TAU**2 / x if abs(x) > TAU else ZERO, lambda x: 1 + TAU**2 / x**2 if abs(x) > TAU else ZERO),
    'firm_threshold': (firm, lambda x: ONE if abs(x) >= FIRM_L2 else (FIRM_L2 / (FIRM_L2 - FIRM_L1) if abs(x) > FIRM_L1 else ZERO)),
    'shrink': (lambda x: x if abs(x) > HALF else ZERO, lambda x: step(abs(x) > HALF)),
    'hard_sigmoid_keras': (lambda x: clip(HS_A * x + HS_B, 0, 1), lambda x: HS_A if 0 < HS_A * x + HS_B < 1 else ZERO),
    'hard_elish': (hard_elish, hard_elish_d),
    'hard_mish': (lambda x: x / 2 * clip(x + 2, 0, 2), lambda x: ZERO if x <= -2 else (x + 1 if x < 0 else ONE)),
    'smooth_step': (smooth_step, smooth_step_d),
    'sqnl': (lambda x: ONE if x > 2 else (-ONE if x < -2 else (x - x * x / 4 if x >= 0 else x + x * x / 4)),
             lambda x: 1 - abs(x) / 2 if abs(x) < 2 else ZERO),
    'sqlu': (lambda x: x if x > 0 else (-ONE if x < -2 else x + x * x / 4), lambda x: ONE if x > 0 else (ZERO if x < -2 else 1 + x / 2)),
    'binary_step': (lambda x: step(x >= 0), lambda x: ZERO),
    'heaviside': (lambda x: ONE if x > 0 else (ZERO if x < 0 else HALF), lambda x: ZERO),
    'sign': (sign, lambda x: ZERO),
    'symmetric_step': (lambda x: ONE if x >= 0 else -ONE, lambda x: ZERO),
    'sign_ste': (lambda x: ONE if x >= 0 else -ONE, lambda x: ZERO),
    'round_ste': (round_even, lambda x: ZERO),
    'dorefa_quantize': (dorefa, lambda x: ZERO),
    'pact': (pact, lambda x: ZERO),
    'lsq_quantize': (lsq, lambda x: ZERO),
    'ternary_ste': (lambda x: ONE if x > HALF else (-ONE if x < -HALF else ZERO), lambda x: ZERO),
    'signrelu': (lambda x: x if x >= 0 else x / (1 + abs(x)), lambda x: ONE if x >= 0 else 1 / (1 + abs(x))**2),
    'scad_threshold': (scad, scad_d),
    'mcp_threshold': (mcp, lambda x: ZERO if abs(x) <= 1 else (mp.mpf(3) / 2 if abs(x) <= 3 else ONE)),
    'signed_sqrt': (lambda x: sign(x) * (mp.sqrt(abs(x) + 1) - 1) + EPS_H * x, lambda x: 1 / (2 * mp.sqrt(abs(x) + 1)) + EPS_H),
    'tent': (lambda x: relu(1 - abs(x)), lambda x: (-sign(x) if abs(x) < 1 else ZERO)),
    'step_ste': (lambda x: step(x >= 0), lambda x: ZERO),
    'symmetric_quantize': (lambda x: round_even(clip(x, -1, 1) * 7) / 7, lambda x: ZERO),
    'cubic_soft_clip': (lambda x: sign(x) * mp.mpf(2) / 3 if abs(x) >= 1 else x - x**3 / 3, lambda x: 1 - x * x if abs(x) < 1 else ZERO),
    'elastic_net_threshold': (lambda x: sign(x) * relu(abs(x) - 1) / 2, lambda x: HALF if abs(x) > 1 else ZERO),
    'asinh': (mp.asinh, lambda x: 1 / mp.sqrt(x * x + 1)),
    'hermite2': (lambda x: (x * x - 1) / mp.sqrt(2), lambda x: mp.sqrt(2) * x),
    'hermite3': (lambda x: (x**3 - 3 * x) / mp.sqrt(6), lambda x: 3 * (x * x - 1) / mp.sqrt(6)),
    'smoother_step': (lambda x: (lambda t: 6 * t**5 - 15 * t**4 + 10 * t**3)(clip(x + HALF, 0, 1)),
                      lambda x: (lambda t: 30 * t**2 * (1 - t)**2)(clip(x + HALF, 0, 1))),
    'square': (lambda x: x * x, lambda x: 2 * x),
    'cube': (lambda x: x**3, lambda x: 3 * x * x),
    'abs': (abs, sign),
    'bifiring': (lambda x: x * x / 2 if abs(x) <= 1 else abs(x) - HALF, lambda x: x if abs(x) <= 1 else sign(x)),
    'repu': (lambda x: relu(x)**3, lambda x: 3 * relu(x)**2),
    'isru': (lambda x: x / mp.sqrt(1 + x * x), lambda x: (1 + x * x)**(-mp.mpf(3) / 2)),
    'isrlu': (lambda x: x if x >= 0 else x / mp.sqrt(1 + x * x), lambda x: ONE if x >= 0 else (1 + x * x)**(-mp.mpf(3) / 2)),
    'bent_identity': (lambda x: (mp.sqrt(x * x + 1) - 1) / 2 + x, lambda x: x / (2 * mp.sqrt(x * x + 1)) + 1),
    'squareplus': (squareplus, squareplus_d),
    'elephant': (lambda x: 1 / (1 + abs(x)**4), lambda x: -4 * x**3 / (1 + x**4)**2),
    'symlog': (lambda x: sign(x) * mp.log1p(abs(x)), lambda x: 1 / (1 + abs(x))),
}

KINKS = {
    'shifted_relu': [1], 'shifted_relu_clipped': [1, 2], 'rrelu': [0], 'threshold': [0.1], 'thresholded_relu': [1],
    'bounded_relu': [0, 1], 'clipped_relu': [0, 20], 'sparse_sigmoid': [-1, 1], 'plu': [-1, 1], 'helu': [0], 'crrelu': [0],
    'nlrelu': [0], 'prelu_fixed': [0], 'very_leaky_relu': [0], 'srelu': [-1, 1], 'displaced_relu': [-0.05], 'alrelu': [0],
    'bounded_leaky_relu': [0, 1], 'lelelu': [0], 'tlu': [0], 'relu_keras': [0],
    'soft_threshold': [-1, 1], 'soft_threshold_clipped': [-2, -1, 1, 2], 'garrote': [-1, 1], 'firm_threshold': [-1, -0.5, 0.5, 1],
    'shrink': [-0.5, 0.5], 'hard_sigmoid_keras': [-2.5, 2.5], 'hard_elish': [-1, 1], 'hard_mish': [-2],
    'binary_step': [0], 'heaviside': [0], 'sign': [0], 'symmetric_step': [0], 'sign_ste': [0],
    'round_ste': [k + 0.5 for k in range(-13, 13)], 'dorefa_quantize': [1 / 6, 0.5, 5 / 6], 'abs': [0],
    'smelu': [-1, 1], 'sparse_plus': [-1, 1], 'smooth_step': [-0.5, 0.5], 'sqnl': [-2, 0, 2], 'sqlu': [-2, 0],
    'bifiring': [-1, 1], 'pact': [(j + 0.5) / 1.5 for j in range(15)], 'lsq_quantize': [(j + 0.5) * 0.25 for j in range(7)],
    'ternary_ste': [-0.5, 0.5], 'step_ste': [0], 'symmetric_quantize': [(j + 0.5) / 7 for j in range(-7, 7)],
    'elastic_net_threshold': [-1, 1], 'cubic_soft_clip': [-1, 1], 'smoother_step': [-0.5, 0.5], 'scad_threshold': [-3.7, -2, -1, 1, 2, 3.7], 'mcp_threshold': [-3, -1, 1, 3], 'tent': [-1, 0, 1],
}

POINTS = {
    'threshold': [0.05, 0.15], 'garrote': [1.5, -1.5, 1e30, -1e30], 'isru': [1e20, -1e20, 0.3], 'isrlu': [-1e20, -0.3],
    'bent_identity': [1e20, -1e20, -0.7], 'squareplus': [1e20, -1e20, -0.7, -50], 'elephant': [0.5, -0.9, 1.2, 2],
    'dorefa_quantize': [0.3, 0.6, 0.9], 'symlog': [1e30, -1e30], 'crrelu': [-0.7, 2.5, -3], 'smooth_step': [0.2, -0.3],
    'hard_elish': [-0.5, 0.5], 'pact': [4.2, 9.9, 10.5], 'signrelu': [-1e35, -0.3], 'scad_threshold': [2.5, -3, 5],
    'mcp_threshold': [2, -2.5], 'asinh': [1e20, -1e20, 0.3, -2.5], 'hermite2': [1.0001, 0.9999, -1.0001], 'hermite3': [1.7320508, -1.7320508, 0.5],
    'smoother_step': [0.3, -0.2, 0.45, -0.45], 'cubic_soft_clip': [0.5, -0.9], 'symmetric_quantize': [0.3, -0.6], 'signed_sqrt': [1e35, -1e35, 0.7], 'tent': [0.4, -0.6], 'hard_mish': [-1, -0.3], 'sqnl': [1.5, -0.7], 'sqlu': [-1.2],
}
