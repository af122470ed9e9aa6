#!/usr/bin/python3
"""The digits CNN's checkpoint loaded into the same model built from torch.nn, and its predictions redone.

Usage: test_digits_cnn_torch.py CHECKPOINT.safetensors PREDICTIONS.npz DIGITS.npz

CHECKPOINT is a safetensors file examples/digits/digits_cnn.c wrote, read with test_digits_numpy.py's
reader of the spec (not with libtensor). Its parameters and batch norm buffers must load into torch.nn
modules named as the C program names them (load_state_dict(strict=True): names, shapes, the int64
num_batches_tracked), and torch's eval-mode forward (running statistics) on the test rows the C program
listed in PREDICTIONS must predict the C program's classes: every row, but for one near tie at most.
This checks the C program's model, initial state layout and eval mode against torch's, not against itself.
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_digits_numpy import check_predictions, load_run, main  # noqa: E402

try:
    import torch
except ImportError:  # Debian's python3-torch is missing: nothing to compare with
    print("torch not available: skipped")
    sys.exit(77)


class DigitsCnn(torch.nn.Module):
    def __init__(self, pool):
        super().__init__()
        self.pool = pool
        self.conv1 = torch.nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, padding=1)
        self.fc = torch.nn.Linear(32 * pool * pool, 10)

    def forward(self, x):
        h = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        h = torch.nn.functional.adaptive_avg_pool2d(torch.relu(self.conv2(h)), self.pool)
        return self.fc(h.flatten(1))


class DigitsCnnTorch(unittest.TestCase):
    checkpoint = predictions = digits = None

    @classmethod
    def setUpClass(cls):
        load_run(cls)
        cls.model = DigitsCnn(int(cls.metadata["pool"]))
        state = {k: torch.from_numpy(v.copy()) for k, v in cls.tensors.items() if not k.startswith("optimizer.")}
        cls.model.load_state_dict(state, strict=True)
        cls.model.eval()

    def test_counts(self):
        # one AdamW step and one batch norm update per mini-batch of 64 over the training rows
        n_train = len(self.y) - len(self.y) // 5
        steps = int(self.metadata["epoch"]) * -(-n_train // 64)
        self.assertEqual(int(self.tensors["bn1.num_batches_tracked"]), steps)
        for i, name in enumerate(("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "conv2.bias",
                                  "fc.weight", "fc.bias")):
            self.assertEqual(float(self.tensors[f"optimizer.state.{i}.step"]), steps)
            self.assertEqual(self.tensors[f"optimizer.state.{i}.exp_avg"].shape, self.tensors[name].shape)
        self.assertTrue(np.all(self.tensors["bn1.running_var"] > 0))
        # the running stats moved away from their initial 0 and 1
        self.assertGreater(float(np.abs(self.tensors["bn1.running_mean"]).max()), 1e-3)

    def test_predictions_match_torch_eval(self):
        x = torch.from_numpy(self.x[self.index].reshape(-1, 1, 8, 8)).double()
        with torch.no_grad():
            logits = self.model.double()(x).numpy()
        check_predictions(self, logits)


if __name__ == "__main__":
    main(DigitsCnnTorch, __doc__)
