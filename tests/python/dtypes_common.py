"""Helpers of the dtype tests (tests/python/test_dtypes_binding_*.py): the ten dtypes by name in libtensor,
torch and NumPy, and tensors moved between libtensor and torch as raw bytes, so that a test of a conversion
never depends on another conversion (or on DLPack, which has its own test)."""
import ctypes
import sys

import numpy as np

import libtensor as lt
from libtensor._lib import call
from libtensor._tensor import Tensor, _options
from libtensor._lib import int64_array

try:
    import torch
except ImportError:
    torch = None

NAMES = ["float32", "float64", "int32", "int64", "bool", "float16", "bfloat16", "uint8", "int8", "int16"]
NEW = ["float16", "bfloat16", "uint8", "int8", "int16"]
# The NumPy type holding each dtype's raw bits (bfloat16: its 16-bit patterns).
RAW_NP = {"float32": np.uint32, "float64": np.uint64, "int32": np.uint32, "int64": np.uint64, "bool": np.uint8,
          "float16": np.uint16, "bfloat16": np.uint16, "uint8": np.uint8, "int8": np.uint8, "int16": np.uint16}
FLOATS = {"float32", "float64", "float16", "bfloat16"}


def require_torch(name):
    if torch is None:
        print("%s: torch is not importable, skipping" % name)
        sys.exit(77)


class Checker:
    """Counts checks, collects failures (all of them are printed, then the test fails)."""

    def __init__(self, name):
        self.name, self.checks, self.failures = name, 0, []

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.failures.append(what)
        return ok

    def finish(self):
        for f in self.failures[:200]:
            print("FAIL:", f)
        if len(self.failures) > 200:
            print("... and %d more failures" % (len(self.failures) - 200))
        print("%s: %d checks, %d failures" % (self.name, self.checks, len(self.failures)))
        sys.exit(1 if self.failures else 0)


def torch_raw(t):
    """A torch tensor's elements as their raw bits (a NumPy array of RAW_NP[dtype])."""
    name = str(t.dtype).replace("torch.", "")
    t = t.detach().contiguous().reshape(-1)
    if name == "bfloat16":
        return t.view(torch.int16).numpy().view(np.uint16)
    if name == "bool":
        return t.numpy().view(np.uint8)
    return t.numpy().view(RAW_NP[name])


def lt_raw(t):
    """A libtensor tensor's elements (row-major) as their raw bits, read with tensor_copy_to_host."""
    name = t.dtype.name
    out = np.empty(t.numel(), dtype=RAW_NP[name])
    from libtensor._lib import lib, check
    check(lib.tensor_copy_to_host(t._h, out.ctypes.data_as(ctypes.c_void_p), out.nbytes))
    return out


def lt_from_raw(raw, shape, name):
    """A libtensor tensor of dtype `name` whose elements have the raw bits `raw` (tensor_from_data)."""
    raw = np.ascontiguousarray(np.asarray(raw, dtype=RAW_NP[name]))
    shp, n = int64_array(list(shape))
    o = _options(getattr(lt, name), None, False)
    return Tensor._wrap(call("tensor_from_data", raw.ctypes.data_as(ctypes.c_void_p), shp, n, ctypes.byref(o)))


def torch_from_raw(raw, shape, name):
    raw = np.ascontiguousarray(np.asarray(raw, dtype=RAW_NP[name]))
    if name == "bfloat16":
        return torch.from_numpy(raw.view(np.int16).copy()).view(torch.bfloat16).reshape(shape)
    if name == "bool":
        return torch.from_numpy(raw.view(np.bool_).copy()).reshape(shape)
    npdt = {"float32": np.float32, "float64": np.float64, "int32": np.int32, "int64": np.int64,
            "float16": np.float16, "uint8": np.uint8, "int8": np.int8, "int16": np.int16}[name]
    return torch.from_numpy(raw.view(npdt).copy()).reshape(shape)


def lt_of_torch(t):
    """The torch tensor `t` copied into libtensor bit for bit."""
    name = str(t.dtype).replace("torch.", "")
    return lt_from_raw(torch_raw(t), tuple(t.shape), name)


def is_nan_raw(raw, name):
    """Which raw patterns are NaN (floating dtypes; all False otherwise)."""
    raw = np.asarray(raw)
    if name == "float16":
        return ((raw & 0x7C00) == 0x7C00) & ((raw & 0x03FF) != 0)
    if name == "bfloat16":
        return ((raw & 0x7F80) == 0x7F80) & ((raw & 0x007F) != 0)
    if name == "float32":
        return np.isnan(raw.view(np.float32))
    if name == "float64":
        return np.isnan(raw.view(np.float64))
    return np.zeros(raw.shape, dtype=bool)
