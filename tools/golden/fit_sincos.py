"""Minimax-style float32 coefficients for VMath.Sin/Cos/Atan (reduced ranges), by iteratively reweighted least squares.

Run: /usr/bin/python3 tools/golden/fit_sincos.py
  sin(r) = r + r³·S(r²), |r| ≤ π/4·1.01 (a little past π/4: the quadrant comes from a rounded product)
  cos(r) = 1 − r²/2 + r⁴·C(r²), same range
  atan(t) = t + t³·A(t²), |t| ≤ tan(π/8)·1.01
Coefficients are rounded to float32 one at a time, the rest refitted, so the rounding of each is absorbed by the others.
"""
import numpy as np, mpmath as mp
mp.mp.dps = 40


def fit(g, b, deg, npts=4000, relw=None):
    """Fits g(u) ≈ Σ c_k u^k on u = r² for r in (0, b]; weights 1/relw(r) (relative to the final function value)."""
    rs = (np.cos(np.linspace(0, np.pi, npts)) + 1) / 2 * (b - 1e-4) + 1e-4
    ys = np.array([float(g(mp.mpf(r))) for r in rs])
    w = 1 / np.array([float(relw(mp.mpf(r))) for r in rs])
    A = np.array([[(r * r) ** k for k in range(deg + 1)] for r in rs])
    fixed = []
    for k in range(deg + 1):
        res = ys - (A[:, :k] @ np.array(fixed) if k else 0)
        c = np.linalg.lstsq(A[:, k:] * w[:, None], res * w, rcond=None)[0]
        for _ in range(60):
            e = np.abs((A[:, k:] @ c - res) * w)
            ww = w * (e / e.max() + 1e-2)
            c = np.linalg.lstsq(A[:, k:] * ww[:, None], res * ww, rcond=None)[0]
        fixed.append(float(np.float32(c[0])))
    c32 = np.array(fixed)
    return c32, np.abs((A @ c32 - ys) * w).max()


B = float(mp.pi / 4) * 1.01
# sin: (sin r − r)/r³ = S(r²); error of r³·S relative to sin r.
c, e = fit(lambda r: (mp.sin(r) - r) / r**3, B, 3, relw=lambda r: mp.sin(r) / r**3)
print('sin', e, [repr(np.float32(v)) for v in c])
# cos: (cos r − 1 + r²/2)/r⁴ = C(r²); error relative to cos r.
c, e = fit(lambda r: (mp.cos(r) - 1 + r * r / 2) / r**4, B, 2, relw=lambda r: mp.cos(r) / r**4)
print('cos', e, [repr(np.float32(v)) for v in c])
T = float(mp.tan(mp.pi / 8)) * 1.01
c, e = fit(lambda t: (mp.atan(t) - t) / t**3, T, 4, relw=lambda t: mp.atan(t) / t**3)
print('atan', e, [repr(np.float32(v)) for v in c])
