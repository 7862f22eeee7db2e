#!/usr/bin/python3
"""Checks SAE folders in the SAELens layout (cfg.json + sae_weights.safetensors) written by Nonlinear.

For each folder DIR given, reads DIR/cfg.json and DIR/sae_weights.safetensors, and DIR/check_inputs.safetensors
holding x [n, d_in] and Nonlinear's own latents [n, d_sae] and reconstruction [n, d_out] for it. Recomputes the
latents and the reconstruction in float64 with torch from the papers' forward passes (not from Nonlinear's code):

  standard  (Bricken et al. 2023)       f = ReLU((x - b_dec) W_enc + b_enc)
  topk      (Gao et al. 2024)           f = ReLU(TopK_k((x - b_dec) W_enc + b_enc)), other latents 0
  jumprelu  (Rajamanoharan et al. 2024) a = (x - b_dec) W_enc + b_enc, f = ReLU(a) * (a > threshold)
  gated     (Rajamanoharan et al. 2024) g = (x - b_dec) W_enc + b_gate, f = 1[g > 0] * ReLU((x - b_dec)(W_enc * exp(r_mag)) + b_mag)
  reconstruction  x^ = f W_dec + b_dec
(b_dec is subtracted from x only when cfg apply_b_dec_to_input is true.)  Both must agree within 1e-5 (absolute,
or relative for entries larger than 1).  Prints one line per folder; exit status 1 if any folder disagrees.

Usage: /usr/bin/python3 tools/sae/check_saelens.py DIR [DIR ...]
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        buf = bytearray(data[8 + n + lo:8 + n + hi])
        t = torch.frombuffer(buf, dtype=DTYPES[info["dtype"]]) if hi > lo else torch.empty(0, dtype=DTYPES[info["dtype"]])
        out[name] = t.reshape(info["shape"]).to(torch.float64)
    return out


def forward(cfg, w, x):
    arch = cfg["architecture"]
    xin = x - w["b_dec"] if cfg.get("apply_b_dec_to_input", True) else x
    if arch == "standard":
        f = torch.relu(xin @ w["W_enc"] + w["b_enc"])
    elif arch == "topk":
        k = cfg.get("k") or cfg["activation_fn_kwargs"]["k"]
        pre = xin @ w["W_enc"] + w["b_enc"]
        vals, idx = pre.topk(k, dim=-1)
        f = torch.zeros_like(pre).scatter(-1, idx, torch.relu(vals))
    elif arch == "jumprelu":
        pre = xin @ w["W_enc"] + w["b_enc"]
        f = torch.relu(pre) * (pre > w["threshold"])
    elif arch == "gated":
        pre = xin @ w["W_enc"]
        gate = (pre + w["b_gate"]) > 0
        f = gate * torch.relu(xin @ (w["W_enc"] * torch.exp(w["r_mag"])) + w["b_mag"])
    else:
        raise SystemExit("unknown architecture %r" % arch)
    return f, f @ w["W_dec"] + w["b_dec"]


def max_err(a, b):
    return float(((a - b).abs() / b.abs().clamp(min=1.0)).max()) if a.numel() else 0.0


def main():
    bad = 0
    for d in sys.argv[1:]:
        with open(d + "/cfg.json") as f:
            cfg = json.load(f)
        w = load_safetensors(d + "/sae_weights.safetensors")
        ref = load_safetensors(d + "/check_inputs.safetensors")
        for key, shape in (("W_enc", [cfg["d_in"], cfg["d_sae"]]), ("W_dec", [cfg["d_sae"], cfg.get("d_out", cfg["d_in"])])):
            if list(w[key].shape) != shape:
                raise SystemExit("%s: %s has shape %s, cfg says %s" % (d, key, list(w[key].shape), shape))
        f, xh = forward(cfg, w, ref["x"])
        el, er = max_err(ref["latents"], f), max_err(ref["reconstruction"], xh)
        ok = el <= 1e-5 and er <= 1e-5
        bad += not ok
        print("%s %s: %s latents max err %.2e, reconstruction max err %.2e, L0 %.2f" % (
            "ok" if ok else "MISMATCH", d, cfg["architecture"], el, er, float((f != 0).sum(1).double().mean())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
