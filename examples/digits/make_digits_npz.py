#!/usr/bin/python3
"""Converts the UCI handwritten digits (scikit-learn's copy) into examples/digits/digits.npz.

The source is sklearn/datasets/data/digits.csv.gz as Debian's python3-sklearn installs it: 1797 rows of
64 pixel counts (0..16, an 8x8 image row by row) and the class (0..9) last. The result holds
  x: float32 (1797, 64), the pixels divided by 16 (so in [0, 1]; libtensor has no uint8 yet)
  y: int64 (1797,), the classes
in the rows' original order, deflated (np.savez_compressed). Only NumPy is needed to run it; the
committed digits.npz is what the examples and tests read, so CI needs no scikit-learn.

Usage: make_digits_npz.py [SOURCE.csv.gz] [OUT.npz]
"""
import gzip
import os
import sys

import numpy as np

DEFAULT_SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"


def convert(source, out):
    with gzip.open(source, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):
        raise SystemExit(f"{source}: expected 1797 rows of 65 values, got {table.shape}")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16 or labels.min() < 0 or labels.max() > 9:
        raise SystemExit(f"{source}: pixel or class out of range")
    x = (pixels.astype(np.float32) / np.float32(16)).astype(np.float32)
    y = labels.astype(np.int64)
    np.savez_compressed(out, x=x, y=y)
    print(f"{out}: x {x.shape} {x.dtype}, y {y.shape} {y.dtype}, classes {np.bincount(y).tolist()}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "digits.npz")
    convert(source, out)
