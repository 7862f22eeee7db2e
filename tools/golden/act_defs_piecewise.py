"""Exact (mpmath) definitions of the piecewise catalog entries and their derivatives (see act_defs.py for conventions).

DEFS: name -> (f, f'), with parameters at the catalog defaults (float32-rounded where the kernel stores them so).
KINKS: name -> points where f' jumps (goldens sample around them). POINTS: name -> extra sample points.
"""
from act_defs import mp, F32, sig, sp, Phi, phi

DEFS = {
}

KINKS = {
}

POINTS = {
}
