#!/usr/bin/env python3
"""Linear and RBF CKA golden values for Nonlinear.Interpret.Similarity.Cka, from numpy.

Writes tests/Nonlinear.Tests/fixtures/cka_numpy.json. Run with Debian's python3 (numpy):
    /usr/bin/python3 tools/golden/cka_numpy.py
The functions below are Kornblith et al. 2019's reference implementation (google-research/representation_similarity,
Demo.ipynb), restated: Gram matrices (linear, or RBF with bandwidth sigma = threshold * sqrt(median squared distance),
the median taken over all n*n entries including the zero diagonal), centred with H K H (biased) or U-centred
(unbiased, Song et al. 2012 / Nguyen et al. 2021), CKA = <Kc, Lc> / (|Kc| |Lc|). Everything in float64.
Inputs are float32 values (stored exactly in the JSON), so the C# side reads the same numbers.
"""
import json
import os

import numpy as np


def gram_linear(x):
    return x.dot(x.T)


def gram_rbf(x, threshold=1.0):
    dot_products = x.dot(x.T)
    sq_norms = np.diag(dot_products)
    sq_distances = -2 * dot_products + sq_norms[:, None] + sq_norms[None, :]
    sq_median_distance = np.median(sq_distances)
    return np.exp(-sq_distances / (2 * threshold ** 2 * sq_median_distance))


def center_gram(gram, unbiased=False):
    gram = gram.copy()
    if unbiased:
        n = gram.shape[0]
        np.fill_diagonal(gram, 0)
        means = np.sum(gram, 0, dtype=np.float64) / (n - 2)
        means -= np.sum(means) / (2 * (n - 1))
        gram -= means[:, None]
        gram -= means[None, :]
        np.fill_diagonal(gram, 0)
    else:
        means = np.mean(gram, 0, dtype=np.float64)
        means -= np.mean(means) / 2
        gram -= means[:, None]
        gram -= means[None, :]
    return gram


def cka(gram_x, gram_y, debiased=False):
    gram_x = center_gram(gram_x, unbiased=debiased)
    gram_y = center_gram(gram_y, unbiased=debiased)
    scaled_hsic = gram_x.ravel().dot(gram_y.ravel())
    return scaled_hsic / (np.linalg.norm(gram_x) * np.linalg.norm(gram_y))


def case(name, x, y):
    x = x.astype(np.float32)
    y = y.astype(np.float32)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    out = {"name": name, "n": x.shape[0], "p": x.shape[1], "q": y.shape[1],
           "x": x.flatten().tolist(), "y": y.flatten().tolist(),
           "linear": float(cka(gram_linear(x64), gram_linear(y64))),
           "linear_debiased": float(cka(gram_linear(x64), gram_linear(y64), debiased=True)), "rbf": []}
    for t in (0.5, 1.0, 2.0):
        gx, gy = gram_rbf(x64, t), gram_rbf(y64, t)
        out["rbf"].append({"threshold": t, "cka": float(cka(gx, gy)), "debiased": float(cka(gx, gy, debiased=True))})
    return out


def main():
    rs = np.random.RandomState(20261207)
    # Related: y reads five of x's directions plus noise; means far from 0 test the centring.
    x1 = rs.randn(40, 7) + 5
    y1 = 0.5 * x1[:, :5] + rs.randn(40, 5) - 3
    # More units than inputs, unrelated: the biased estimate is far from 0, the debiased one near it.
    x2 = rs.randn(24, 60)
    y2 = rs.randn(24, 45)
    # A nonlinear relation (y = x squared, elementwise, and a ReLU copy) that RBF and linear CKA score differently.
    x3 = rs.randn(33, 4)
    y3 = np.concatenate([x3 ** 2, np.maximum(x3, 0)], axis=1)
    cases = [case("related", x1, y1), case("wide-unrelated", x2, y2), case("nonlinear", x3, y3)]
    path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "cka_numpy.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/cka_numpy.py", "numpy": np.__version__, "cases": cases}, f)
    for c in cases:
        print(c["name"], c["linear"], c["linear_debiased"], [(r["threshold"], r["cka"], r["debiased"]) for r in c["rbf"]])


if __name__ == "__main__":
    main()
