"""Golden f and f' of every catalog activation at awkward points, from mpmath at 50 digits.

Run: /usr/bin/python3 tools/golden/activations.py
Each definitions module writes its own fixture, so families grow independently:
  act_defs.py           -> tests/Nonlinear.Tests/fixtures/activations_golden.json (core set)
  act_defs_piecewise.py -> fixtures/activations_golden_piecewise.json
  act_defs_smooth.py    -> fixtures/activations_golden_smooth.json
Points are float32 values (so the float kernels see exactly the same input); -0.0 is kept distinct.
A module may define POINTS = {name: [extra x values]} for entries whose interesting region lies elsewhere.
"""
import importlib, json, os
import numpy as np
from act_defs import num, mp

BASE = [-400, -20, -5, -1, -1e-3, -0.0, 0.0, 1e-3, 1, 3, 5, 20, 400]
MODULES = {'act_defs': 'activations_golden.json',
           'act_defs_piecewise': 'activations_golden_piecewise.json',
           'act_defs_smooth': 'activations_golden_smooth.json'}


def points(name, kinks, extra):
    xs = list(BASE) + list(extra.get(name, []))
    for k in kinks.get(name, []):
        xs += [k - 1e-3, k - 1e-6, k, k + 1e-6, k + 1e-3]
    return [float(np.float32(x)) for x in xs]


for module, fixture in MODULES.items():
    m = importlib.import_module(module)
    extra = getattr(m, 'POINTS', {})
    out = {}
    for name, (f, df) in m.DEFS.items():
        rows = []
        for x in points(name, m.KINKS, extra):
            xm = mp.mpf(x)
            fx = f(xm)  # mpmath has no signed zero: the sign of zero results is tested elsewhere, not here
            rows.append({'x': x, 'f': num(fx), 'df': num(df(xm))})
        out[name] = rows
    path = os.path.join(os.path.dirname(__file__), '../../tests/Nonlinear.Tests/fixtures', fixture)
    with open(path + '.tmp', 'w') as fh:
        json.dump({'generator': 'tools/golden/activations.py', 'module': module, 'mpmath_dps': 50, 'entries': out}, fh, indent=1)
    os.replace(path + '.tmp', path)
    print('wrote', path, sum(len(v) for v in out.values()), 'rows')
