#!/usr/bin/env python3
"""PSNR, SSIM and image-derivative golden values for the INR tests, from scikit-image and scipy.

Writes tests/Nonlinear.Tests/fixtures/inr_image_metrics.json. Run with Debian's python3 (python3-skimage 0.19.3):
    /usr/bin/python3 tools/golden/inr_image_metrics.py
Metrics: skimage.metrics.peak_signal_noise_ratio(data_range=1) and structural_similarity(gaussian_weights=True,
sigma=1.5, use_sample_covariance=False, data_range=1[, channel_axis=-1]) -- Wang et al. 2004's settings (11x11
Gaussian window, K1 = 0.01, K2 = 0.03). Derivatives: scipy.ndimage.sobel / 8 and scipy.ndimage.laplace (mode
'reflect'), divided by the grid spacing 2/(n-1) of coordinates in [-1, 1] (once for sobel, squared for laplace).
Images are float32 values in [0, 1] (stored exactly), a smooth pattern and a noisy, clipped copy.
"""
import json
import os

import numpy as np
from scipy import ndimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def pattern(h, w, c, phase):
    i, j = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    chans = [0.5 + 0.4 * np.sin(0.7 * i + phase + k) * np.cos(0.45 * j - k) for k in range(c)]
    return np.stack(chans, axis=-1).astype(np.float32)


def case(h, w, c, noise, seed):
    rs = np.random.RandomState(seed)
    a = pattern(h, w, c, 0.3)
    b = np.clip(a + noise * rs.randn(h, w, c), 0, 1).astype(np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0)
    if c == 1:
        ssim = structural_similarity(a64[..., 0], b64[..., 0], **kw)
    else:
        ssim = structural_similarity(a64, b64, channel_axis=-1, **kw)
    return {"h": h, "w": w, "c": c, "a": a.flatten().tolist(), "b": b.flatten().tolist(),
            "psnr": float(peak_signal_noise_ratio(a64, b64, data_range=1.0)), "ssim": float(ssim)}


def derivatives(h, w):
    img = pattern(h, w, 1, 1.1)[..., 0].astype(np.float64)
    hr, hc = 2.0 / (h - 1), 2.0 / (w - 1)
    return {"h": h, "w": w, "x": img.astype(np.float32).flatten().tolist(),
            "sobel_r": (ndimage.sobel(img, axis=0, mode="reflect") / (8 * hr)).flatten().tolist(),
            "sobel_c": (ndimage.sobel(img, axis=1, mode="reflect") / (8 * hc)).flatten().tolist(),
            # laplace sums the second differences of both axes; with unequal spacings take them one by one
            "laplace": (ndimage.correlate1d(img, [1, -2, 1], axis=0, mode="reflect") / hr ** 2
                        + ndimage.correlate1d(img, [1, -2, 1], axis=1, mode="reflect") / hc ** 2).flatten().tolist()}


def main():
    out = {"cases": [case(16, 16, 1, 0.05, 1), case(24, 20, 1, 0.2, 2), case(16, 16, 3, 0.1, 3), case(13, 17, 3, 0.02, 4)],
           "derivatives": derivatives(9, 7)}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nonlinear.Tests", "fixtures", "inr_image_metrics.json")
    with open(path, "w") as f:
        json.dump(out, f)
    for c in out["cases"]:
        print(c["h"], c["w"], c["c"], c["psnr"], c["ssim"])


if __name__ == "__main__":
    main()
