#!/usr/bin/env python3
"""Validate ONNX files written by `nonlinear export` with onnx.checker (full_check: also runs strict shape inference).

Usage: /usr/bin/python3 tools/onnx/check_model.py FILE.onnx [FILE.onnx ...]
Exit 0: every file passed. 1: a file failed (the checker's message is printed). 3: a file uses an opset newer than the
installed onnx package knows (Debian's python3-onnx 1.12 knows ai.onnx up to 17): re-export with --opset 17 to check it.
"""
import sys

import onnx


def main(paths):
    known = onnx.defs.onnx_opset_version()
    status = 0
    for path in paths:
        model = onnx.load(path)
        opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
        if opset > known:
            print(f"{path}: opset {opset} is newer than this onnx {onnx.__version__} knows ({known}); re-export with --opset {known} to check it")
            status = max(status, 3)
            continue
        try:
            onnx.checker.check_model(model, full_check=True)
        except Exception as e:  # the checker raises ValidationError or InferenceError; both are a failed check
            print(f"{path}: FAILED: {type(e).__name__}: {e}")
            status = max(status, 1)
            continue
        print(f"{path}: ok (opset {opset}, IR {model.ir_version}, {len(model.graph.node)} nodes)")
    return status


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
