"""Goldens for the formula language's special functions (src/Nonlinear/Symbolic/SpecialFunctions.cs, MathFunction).

Run: /usr/bin/python3 tools/golden/special_functions.py  (mpmath, 40 digits) -> tests/Nonlinear.Tests/fixtures/special_functions_golden.json
"""
import json, os
import mpmath as mp

mp.mp.dps = 40
xs_all = [-30.5, -7.25, -3.7, -2.5, -1.5, -0.75, -0.3, -1e-3, 1e-6, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.5, 2.0, 2.5, 3.3, 4.75,
          7.9, 8.1, 12.0, 15.5, 24.9, 25.1, 40.0, 100.5]
fns = {
    "erf": (mp.erf, lambda x: abs(x) < 30),
    "erfc": (mp.erfc, lambda x: -10 < x < 27),
    "gamma": (mp.gamma, lambda x: x < 171 and x > -30),
    "lgamma": (lambda x: mp.log(abs(mp.gamma(x))), lambda x: True),
    "digamma": (mp.digamma, lambda x: True),
    "trigamma": (lambda x: mp.psi(1, x), lambda x: True),
    "j0": (lambda x: mp.besselj(0, x), lambda x: True),
    "j1": (lambda x: mp.besselj(1, x), lambda x: True),
    "sinc": (lambda x: mp.sin(mp.pi * x) / (mp.pi * x), lambda x: True),
}
cases = []
for name, (f, ok) in fns.items():
    for x in xs_all:
        if not ok(x):
            continue
        y = f(mp.mpf(x))
        cases.append({"fn": name, "x": x, "y": float(y)})
out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "special_functions_golden.json")
with open(out, "w") as fh:
    json.dump({"generator": "tools/golden/special_functions.py (mpmath %s, dps 40)" % mp.__version__, "cases": cases}, fh, indent=0)
print(len(cases), "cases ->", out)
