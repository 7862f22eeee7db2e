#!/usr/bin/env python3
"""Golden B-spline values for the KAN tests, exactly: Cox-de Boor in rational arithmetic (fractions.Fraction)
on float32 knots and float32 sample points, rounded to double only at the end.

    /usr/bin/python3 tools/golden/kan_bspline_golden.py > tests/Nonlinear.Tests/fixtures/kan_bspline_golden.json

Cases: pykan's default grid (G=5, k=3 over [-1,1], extended by k), a quadratic (k=2, G=4 over [-0.5,2]) and a
non-uniform grid (points as after a grid update, extended with the end spacing like pykan's extend_grid).
Each case lists the knots (float32 values, as the library stores them), x values (float32) and for each x the
G+k basis values B_j(x) and derivatives B'_j(x).
"""
import json
import struct
from fractions import Fraction


def f32(v):
    return struct.unpack("f", struct.pack("f", float(v)))[0]


def extend(points, k):
    g = len(points) - 1
    h = (points[-1] - points[0]) / g
    return [points[0] + (m - k) * h if m < k else points[-1] + (m - k - g) * h if m > k + g else points[m - k]
            for m in range(g + 2 * k + 1)]


def cox_de_boor(t, m, p, x):
    if p == 0:
        return Fraction(1) if t[m] <= x < t[m + 1] else Fraction(0)
    a = (x - t[m]) / (t[m + p] - t[m]) * cox_de_boor(t, m, p - 1, x) if t[m + p] > t[m] else Fraction(0)
    b = (t[m + p + 1] - x) / (t[m + p + 1] - t[m + 1]) * cox_de_boor(t, m + 1, p - 1, x) if t[m + p + 1] > t[m + 1] else Fraction(0)
    return a + b


def derivative(t, m, p, x):
    a = Fraction(p) / (t[m + p] - t[m]) * cox_de_boor(t, m, p - 1, x) if t[m + p] > t[m] else Fraction(0)
    b = Fraction(p) / (t[m + p + 1] - t[m + 1]) * cox_de_boor(t, m + 1, p - 1, x) if t[m + p + 1] > t[m + 1] else Fraction(0)
    return a - b


def case(name, points, k, xs):
    g = len(points) - 1
    # The library computes the extension in double and stores float32 knots; do the same, then go exact.
    knots = [f32(v) for v in extend([float(f32(p)) for p in points], k)]
    t = [Fraction(v) for v in knots]
    xs = [f32(x) for x in xs]
    values, derivs = [], []
    for x in xs:
        fx = Fraction(x)
        values.append([float(cox_de_boor(t, j, k, fx)) for j in range(g + k)])
        derivs.append([float(derivative(t, j, k, fx)) for j in range(g + k)])
    return {"name": name, "grid_size": g, "order": k, "points": [f32(p) for p in points], "knots": knots,
            "x": xs, "values": values, "derivatives": derivs}


def main():
    xs = [-2.1, -1.7, -1.3, -1.0, -0.999, -0.61, -0.6, -0.2, 0.0, 0.123, 0.2, 0.59, 0.6, 0.99, 1.0, 1.2, 1.55, 1.9, 2.5]
    cases = [
        case("pykan_default_G5_k3", [-1 + 0.4 * g for g in range(6)], 3, xs),
        case("quadratic_G4_k2", [-0.5 + 0.625 * g for g in range(5)], 2, xs),
        case("nonuniform_G5_k3", [-0.9, -0.35, -0.1, 0.05, 0.4, 1.1], 3, xs),
    ]
    print(json.dumps({"generator": "tools/golden/kan_bspline_golden.py", "method": "exact rational Cox-de Boor",
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
