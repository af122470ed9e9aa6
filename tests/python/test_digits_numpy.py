#!/usr/bin/python3
"""The digits example's checkpoint read by NumPy alone, and its predictions recomputed.

Usage: test_digits_numpy.py CHECKPOINT.safetensors PREDICTIONS.npz DIGITS.npz

CHECKPOINT is a safetensors file examples/digits/digits.c wrote. It is parsed here with a reader written
from the safetensors spec (an 8-byte little-endian header length, a JSON header of
{name: {dtype, shape, data_offsets}} and an optional __metadata__ of strings, then the data), not with
libtensor's binding, so the file is checked against the format rather than against its own writer. The
MLP's forward pass is then run in NumPy (float64 from the saved float32 weights) on the test rows the C
program listed in PREDICTIONS (np.load reads that .npz, written by libtensor), and the predicted classes
must be the C program's: every row, except one whose two best logits are closer than the difference of
float32 and float64 arithmetic could explain (none is expected; at most one is tolerated).
"""
import json
import struct
import sys
import unittest

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "BOOL": np.bool_}


def read_safetensors(path):
    """{name: ndarray} and the __metadata__ dict, checking the spec's invariants."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("shorter than the header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError("header length past the end of the file")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n:]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError("__metadata__ must map strings to strings")
    tensors, spans = {}, []
    for name, entry in header.items():
        dtype = np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<")
        shape = tuple(entry["shape"])
        begin, end = entry["data_offsets"]
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{name}: data_offsets out of range")
        if end - begin != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise ValueError(f"{name}: {end - begin} bytes for shape {shape} of {entry['dtype']}")
        tensors[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(shape)
        spans.append((begin, end))
    spans.sort()
    if spans and (spans[0][0] != 0 or spans[-1][1] != len(data) or
                  any(a[1] != b[0] for a, b in zip(spans, spans[1:]))):
        raise ValueError("the tensors' data does not tile the data section exactly")
    return tensors, metadata


def load_run(cls):
    """Sets cls.tensors, .metadata (the checkpoint), .index, .predicted (the C program's test rows and
    classes) and .x, .y (the data) from the paths cls.checkpoint, .predictions and .digits."""
    cls.tensors, cls.metadata = read_safetensors(cls.checkpoint)
    with np.load(cls.predictions) as p:
        cls.index, cls.predicted = p["index"], p["prediction"]
    with np.load(cls.digits) as d:
        cls.x, cls.y = d["x"], d["y"]


def check_predictions(test, logits):
    """The argmax of logits (test rows) must be test.predicted on every row but at most one near tie."""
    mine = logits.argmax(axis=1)
    differ = np.nonzero(mine != test.predicted)[0]
    top2 = np.sort(logits, axis=1)[:, -2:]
    for row in differ:  # only a near tie may go either way
        test.assertLess(top2[row, 1] - top2[row, 0], 1e-4, f"row {test.index[row]}: {logits[row]}")
    test.assertLessEqual(len(differ), 1)
    accuracy = float(np.mean(mine == test.y[test.index]))
    test.assertGreater(accuracy, 0.9)


class DigitsNumpy(unittest.TestCase):
    checkpoint = predictions = digits = None

    @classmethod
    def setUpClass(cls):
        load_run(cls)

    def test_layout_and_names(self):
        shapes = {"fc1.weight": (256, 64), "fc1.bias": (256,), "fc2.weight": (256, 256), "fc2.bias": (256,),
                  "fc3.weight": (10, 256), "fc3.bias": (10,)}
        for i, (name, shape) in enumerate(shapes.items()):
            self.assertEqual(self.tensors[name].shape, shape)
            self.assertEqual(self.tensors[name].dtype, np.float32)
            for state in ("exp_avg", "exp_avg_sq"):
                self.assertEqual(self.tensors[f"optimizer.state.{i}.{state}"].shape, shape)
            self.assertEqual(self.tensors[f"optimizer.state.{i}.step"].shape, ())
            self.assertTrue(np.all(self.tensors[f"optimizer.state.{i}.exp_avg_sq"] >= 0))
        # torch's non-capturable Adam step: one per mini-batch of 64 over the training rows.
        epoch = int(self.metadata["epoch"])
        n_train = len(self.y) - len(self.y) // 5
        steps = epoch * -(-n_train // 64)
        self.assertEqual(float(self.tensors["optimizer.state.0.step"]), steps)
        for key in ("rng_seed", "rng_offset"):
            self.assertTrue(self.metadata[key].isdigit())

    def test_split(self):
        self.assertEqual(self.index.dtype, np.int64)
        self.assertEqual(len(self.index), len(self.y) // 5)
        self.assertEqual(len(np.unique(self.index)), len(self.index))
        self.assertTrue(np.all((0 <= self.index) & (self.index < len(self.y))))

    def test_predictions_match_numpy_forward(self):
        p = {k: v.astype(np.float64) for k, v in self.tensors.items()}
        x = self.x[self.index].astype(np.float64)
        h = np.maximum(x @ p["fc1.weight"].T + p["fc1.bias"], 0)
        h = np.maximum(h @ p["fc2.weight"].T + p["fc2.bias"], 0)
        logits = h @ p["fc3.weight"].T + p["fc3.bias"]
        check_predictions(self, logits)


def main(cls, usage):
    """Runs the tests of the __main__ script with cls.checkpoint, .predictions, .digits from argv."""
    if len(sys.argv) != 4:
        sys.exit(usage)
    cls.checkpoint, cls.predictions, cls.digits = sys.argv[1:4]
    unittest.main(argv=sys.argv[:1], verbosity=2)


if __name__ == "__main__":
    main(DigitsNumpy, __doc__)
