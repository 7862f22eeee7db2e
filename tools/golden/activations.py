"""Golden f and f' of every core activation at awkward points, from mpmath at 50 digits.

Run: /usr/bin/python3 tools/golden/activations.py  (writes tests/Nonlinear.Tests/fixtures/activations_golden.json)
Points are float32 values (so the float kernels see exactly the same input); -0.0 is kept distinct.
"""
import json, os
import numpy as np
from act_defs import DEFS, KINKS, num, mp

BASE = [-400, -20, -5, -1, -1e-3, -0.0, 0.0, 1e-3, 1, 3, 5, 20, 400]

def points(name):
    xs = list(BASE)
    for k in KINKS.get(name, []):
        xs += [k - 1e-3, k - 1e-6, k, k + 1e-6, k + 1e-3]
    return [float(np.float32(x)) for x in xs]

out = {}
for name, (f, df) in DEFS.items():
    rows = []
    for x in points(name):
        xm = mp.mpf(x)
        fx = f(xm)  # mpmath has no signed zero: the sign of zero results is tested elsewhere, not here
        rows.append({'x': x, 'f': num(fx), 'df': num(df(xm))})
    out[name] = rows

path = os.path.join(os.path.dirname(__file__), '../../tests/Nonlinear.Tests/fixtures/activations_golden.json')
with open(path + '.tmp', 'w') as fh:
    json.dump({'generator': 'tools/golden/activations.py', 'mpmath_dps': 50, 'entries': out}, fh, indent=1)
os.replace(path + '.tmp', path)
print('wrote', path, sum(len(v) for v in out.values()), 'rows')
