#!/usr/bin/python3
"""Differential test: libtensor (through ctypes) against NumPy on several hundred random cases of
broadcasting, elementwise ops, views and type promotion. Shapes include 0-d, size-0 and size-1 dims;
operands include non-contiguous views. Usage: test_elementwise_numpy.py /path/to/libtensor.so"""
import ctypes as C
import importlib.util
import math
import os
import sys

import numpy as np

# The op tables of the C library (generated from src/core/op_kinds.h into the Python binding): every op
# there must have a NumPy reference below, or this test fails.
_spec = importlib.util.spec_from_file_location(
    "op_table", os.path.join(os.path.dirname(__file__), "..", "..", "bindings", "python", "libtensor", "_op_table.py"))
OPS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(OPS)

lib = C.CDLL(sys.argv[1])
T = C.c_void_p
I64P = C.POINTER(C.c_int64)
I32P = C.POINTER(C.c_int32)


class Options(C.Structure):
    _fields_ = [("version", C.c_uint32), ("dtype", C.c_int32), ("dev_type", C.c_int32),
                ("dev_index", C.c_int32), ("requires_grad", C.c_bool)]


DTYPES = {0: np.float32, 1: np.float64, 2: np.int32, 3: np.int64, 4: np.bool_}
CODE = {np.dtype(v): k for k, v in DTYPES.items()}

for name in ["tensor_from_data", "tensor_reshape", "tensor_permute", "tensor_slice", "tensor_expand",
             "tensor_copy_to_host", "tensor_last_error", "tensor_transpose", "tensor_where"]:
    getattr(lib, name).restype = C.c_int
lib.tensor_last_error.restype = C.c_char_p
lib.tensor_shape.restype = I64P
lib.tensor_ndim.restype = C.c_int32
lib.tensor_get_dtype.restype = C.c_int32
lib.tensor_numel.restype = C.c_int64
lib.tensor_free.argtypes = [T]
for name in ["tensor_shape", "tensor_ndim", "tensor_get_dtype", "tensor_numel"]:
    getattr(lib, name).argtypes = [T]
lib.tensor_slice.argtypes = [C.POINTER(T), T, C.c_int32, C.c_int64, C.c_int64, C.c_int64]
lib.tensor_transpose.argtypes = [C.POINTER(T), T, C.c_int32, C.c_int32]
lib.tensor_copy_to_host.argtypes = [T, C.c_void_p, C.c_size_t]
for s in OPS.BINARY:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T, T]
for s in OPS.UNARY:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T]
for s in OPS.SCALAR:
    getattr(lib, "tensor_%s_scalar" % s).argtypes = [C.POINTER(T), T, C.c_double]


class Tensor:
    def __init__(self, handle):
        self.h = handle

    def __del__(self):
        lib.tensor_free(self.h)


def check(status, what):
    if status != 0:
        raise RuntimeError("%s failed (%d): %s" % (what, status, lib.tensor_last_error().decode()))


def from_numpy(a):
    a = np.array(a, order="C", copy=True)  # ascontiguousarray would turn 0-d into 1-d
    out = T()
    opts = Options(1, CODE[a.dtype], 0, 0, False)
    shape = (C.c_int64 * max(a.ndim, 1))(*a.shape)
    check(lib.tensor_from_data(C.byref(out), a.ctypes.data_as(C.c_void_p), shape, a.ndim, C.byref(opts)), "from_data")
    return Tensor(out)


def to_numpy(t):
    nd = lib.tensor_ndim(t.h)
    shp = lib.tensor_shape(t.h)
    shape = tuple(shp[i] for i in range(nd))
    dt = DTYPES[lib.tensor_get_dtype(t.h)]
    r = np.empty(shape, dtype=dt)
    check(lib.tensor_copy_to_host(t.h, r.ctypes.data_as(C.c_void_p), r.nbytes), "copy_to_host")
    return r


def call(name, *args):
    out = T()
    st = getattr(lib, name)(C.byref(out), *args)
    return st, (Tensor(out) if st == 0 else None)


rng = np.random.default_rng(2024)


def random_shape(max_nd=4):
    nd = int(rng.integers(0, max_nd + 1))
    return tuple(int(rng.choice([0, 1, 1, 2, 3, 5])) if rng.random() < 0.15 else int(rng.integers(1, 6))
                 for _ in range(nd))


def broadcastable_pair():
    a = list(random_shape())
    b = list(a[len(a) - int(rng.integers(0, len(a) + 1)):])
    b = [1 if rng.random() < 0.3 else s for s in b]
    if rng.random() < 0.5:
        a, b = b, a
    return tuple(a), tuple(b)


def random_array(shape, dt):
    if dt == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dt, np.integer):
        return rng.integers(-5, 6, size=shape).astype(dt)
    return (rng.standard_normal(shape) * 2).astype(dt)


def maybe_noncontiguous(t, arr):
    """Returns a (Tensor, ndarray) pair that is a transposed or strided view with the same values."""
    if arr.ndim >= 2 and rng.random() < 0.4:
        # build the transposed data, then transpose back through libtensor: same values, odd strides
        base = from_numpy(np.ascontiguousarray(arr.swapaxes(0, 1)))
        st, v = call("tensor_transpose", base.h, 0, 1)
        check(st, "transpose")
        v.base = base
        return v, arr
    if arr.ndim >= 1 and rng.random() < 0.3:
        doubled = np.repeat(arr, 2, axis=0)
        base = from_numpy(doubled)
        st, v = call("tensor_slice", base.h, 0, 0, doubled.shape[0], 2)
        check(st, "slice")
        v.base = base
        return v, doubled[::2]
    return t, arr


# PyTorch's promotion (differs from NumPy's for mixed int/float sizes): bool < int < float, wider wins.
RANK = {np.bool_: 0, np.int32: 1, np.int64: 1, np.float32: 2, np.float64: 2}
SIZE = {np.bool_: 1, np.int32: 4, np.int64: 8, np.float32: 4, np.float64: 8}


def torch_promote(a, b, a0d=False, b0d=False):
    if a0d != b0d:  # a 0-d operand decides only from a higher category
        dimmed, zero = (b, a) if a0d else (a, b)
        return zero if RANK[zero] > RANK[dimmed] else dimmed
    if RANK[a] != RANK[b]:
        return a if RANK[a] > RANK[b] else b
    return a if SIZE[a] >= SIZE[b] else b


NP_BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
             "maximum": np.maximum, "minimum": np.minimum, "eq": np.equal, "ne": np.not_equal,
             "lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal, "pow": np.power,
             "atan2": np.arctan2, "remainder": np.remainder, "fmod": np.fmod, "floor_divide": np.floor_divide,
             "logical_and": np.logical_and, "logical_or": np.logical_or, "logical_xor": np.logical_xor,
             "bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor}
_erf, _erfc = np.vectorize(math.erf, otypes=[np.float64]), np.vectorize(math.erfc, otypes=[np.float64])
NP_UNARY = {"neg": np.negative, "abs": np.abs, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin,
            "cos": np.cos, "tanh": np.tanh, "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
            "relu": lambda x: np.maximum(x, 0).astype(x.dtype),
            "exp2": np.exp2, "expm1": np.expm1, "log2": np.log2, "log10": np.log10, "log1p": np.log1p,
            "rsqrt": lambda x: 1 / np.sqrt(x), "square": np.square, "reciprocal": lambda x: 1 / x, "tan": np.tan,
            "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh,
            "erf": lambda x: _erf(x.astype(np.float64)), "erfc": lambda x: _erfc(x.astype(np.float64)),
            "silu": lambda x: x / (1 + np.exp(-x)), "floor": np.floor, "ceil": np.ceil, "round": np.rint,
            "trunc": np.trunc, "frac": lambda x: x - np.trunc(x), "sign": np.sign, "isnan": np.isnan,
            "isinf": np.isinf, "isfinite": np.isfinite, "logical_not": np.logical_not}


def refused(inputs, dt):
    """Whether an op that takes `inputs` (the op table's kind) refuses computing in dtype dt."""
    if dt == np.bool_:
        return inputs in ("numeric", "floating_only")
    if RANK[dt] == 2:
        return inputs == "integral"
    return inputs == "floating_only"

failures = []
cases = 0
for _name in OPS.BINARY:
    if _name not in NP_BINARY:
        failures.append("binary op %s of the table has no NumPy reference in this test" % _name)
for _name in OPS.UNARY:
    if _name not in NP_UNARY:
        failures.append("unary op %s of the table has no NumPy reference in this test" % _name)
BINARY_NAMES = [n for n in OPS.BINARY if n in NP_BINARY]
UNARY_NAMES = [n for n in OPS.UNARY if n in NP_UNARY]


def compare(what, got, want):
    global cases
    cases += 1
    if got.shape != want.shape or got.dtype != want.dtype:
        failures.append("%s: got %s %s, want %s %s" % (what, got.dtype, got.shape, want.dtype, want.shape))
        return
    tol = 1e-5 if got.dtype == np.float32 else 1e-12
    if got.dtype.kind == "f":
        ok = np.allclose(got, want, rtol=tol, atol=tol, equal_nan=True)
    else:
        ok = np.array_equal(got, want)
    if not ok:
        failures.append("%s: values differ\n got %s\nwant %s" % (what, got, want))


dtypes = [np.float32, np.float64, np.int32, np.int64, np.bool_]
with np.errstate(all="ignore"):
    for i in range(400):
        sa, sb = broadcastable_pair()
        da, db = rng.choice(dtypes), rng.choice(dtypes)
        a, b = random_array(sa, da), random_array(sb, db)
        name = BINARY_NAMES[i % len(BINARY_NAMES)]  # every op, in turn
        comparison, to_float, inputs, int_division = (OPS.BINARY[name][0], OPS.BINARY[name][1],
                                                      OPS.BINARY[name][6], OPS.BINARY[name][7])
        ta, a = maybe_noncontiguous(from_numpy(a), a)
        tb, b = maybe_noncontiguous(from_numpy(b), b)
        res_t = torch_promote(da, db, a.ndim == 0, b.ndim == 0)
        if (name == "sub" and np.bool_ in (da, db)) or refused(inputs, res_t):  # torch: x - bool is refused
            st, _ = call("tensor_" + name, ta.h, tb.h)
            compare("%s %s status" % (name, res_t.__name__), np.array(st), np.array(-3))
            continue
        if int_division and RANK[res_t] < 2 and np.any(b == 0):  # PyTorch: ZeroDivisionError
            st, _ = call("tensor_" + name, ta.h, tb.h)
            compare("%s by integer zero status" % name, np.array(st), np.array(-1))
            continue
        if name == "pow":
            if RANK[res_t] < 2:
                continue  # integer pow overflow/negative exponents are checked in the Catch2 tests
            a, b = np.abs(a), b
        if name == "pow":
            ta = from_numpy(a.astype(da))  # keep a reference: the handle dies with the object
        st, out = call("tensor_" + name, ta.h, tb.h)
        if st != 0:
            failures.append("%s %s %s %s %s failed: %s" % (name, sa, da, sb, db, lib.tensor_last_error().decode()))
            continue
        comp = res_t
        if to_float and RANK[comp] < 2:
            comp = np.float32
        want = NP_BINARY[name](a.astype(comp), b.astype(comp))
        if comparison:
            want = want.astype(np.bool_)
        else:
            want = np.asarray(want).astype(comp)
        compare("%s %s%s %s%s" % (name, da.__name__, sa, db.__name__, sb), to_numpy(out), np.asarray(want))

    for i in range(300):
        shape = random_shape()
        dt = rng.choice([np.float32, np.float64, np.int32, np.int64])
        name = UNARY_NAMES[i % len(UNARY_NAMES)]  # every op, in turn
        to_float, lo, hi, predicate, inputs = (OPS.UNARY[name][0], OPS.UNARY[name][1], OPS.UNARY[name][2],
                                               OPS.UNARY[name][4], OPS.UNARY[name][5])
        # inputs from the op's domain (integer dtypes: the integers in it)
        x = rng.uniform(lo, hi, size=shape)
        if np.issubdtype(dt, np.integer):
            x = np.clip(np.round(x), np.ceil(lo), np.floor(hi))
        x = np.asarray(x).astype(dt)
        tx, x = maybe_noncontiguous(from_numpy(x), x)
        st, out = call("tensor_" + name, tx.h)
        if refused(inputs, dt):
            compare("%s %s status" % (name, dt.__name__), np.array(st), np.array(-3))
            continue
        if st != 0:
            failures.append("%s %s failed: %s" % (name, shape, lib.tensor_last_error().decode()))
            continue
        comp = dt if not to_float or RANK[dt] == 2 else np.float32
        want = np.asarray(NP_UNARY[name](x.astype(comp))).astype(np.bool_ if predicate else comp)
        compare("%s %s%s" % (name, dt.__name__, shape), to_numpy(out), want)

    for _ in range(100):  # views: reshape / permute / slice round trips
        shape = random_shape()
        x = random_array(shape, np.float32)
        tx = from_numpy(x)
        if x.ndim >= 1:
            perm = rng.permutation(x.ndim)
            dims = (C.c_int32 * x.ndim)(*perm)
            st, p = call("tensor_permute", tx.h, dims, x.ndim)
            check(st, "permute")
            compare("permute %s %s" % (shape, list(perm)), to_numpy(p), np.transpose(x, perm))
            d = int(rng.integers(0, x.ndim))
            start, stop, step = int(rng.integers(-3, 3)), int(rng.integers(-3, 6)), int(rng.integers(1, 3))
            st, s = call("tensor_slice", p.h, d, start, stop, step)
            check(st, "slice")
            sl = [slice(None)] * x.ndim
            sl[d] = slice(start, stop, step)
            compare("slice", to_numpy(s), np.transpose(x, perm)[tuple(sl)])
            flat = (C.c_int64 * 1)(-1)
            st, r = call("tensor_reshape", s.h, flat, 1)
            check(st, "reshape")
            compare("reshape", to_numpy(r), np.transpose(x, perm)[tuple(sl)].reshape(-1))

    for _ in range(60):  # scalar ops
        shape = random_shape()
        dt = rng.choice(dtypes[:4])
        x = random_array(shape, dt)
        s = float(rng.choice([2.0, -1.5, 0.5, 3.0]))
        name = str(rng.choice(["add", "sub", "mul", "div"]))
        tx = from_numpy(x)
        st, out = call("tensor_%s_scalar" % name, tx.h, C.c_double(s))
        check(st, name + "_scalar")
        comp = dt
        if RANK[dt] < 2 and (s != int(s) or name == "div"):
            comp = np.float32
        want = NP_BINARY[name](x.astype(np.float64), s).astype(comp)
        compare("%s_scalar %s%s %s" % (name, dt.__name__, shape, s), to_numpy(out), want)

for f in failures[:20]:
    print("FAIL", f)
print("%d passed, %d failed" % (cases - len(failures), len(failures)))
sys.exit(1 if failures else 0)
