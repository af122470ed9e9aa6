#!/usr/bin/python3
"""Differential test of the reductions: libtensor (through ctypes) against NumPy on random cases.
Shapes include 0-d, size-0 and size-1 dims, and large enough ones to run the threaded loops; dims sets
are random (negative spellings, keepdim, all dims); every dtype; inputs are often non-contiguous
(permuted, sliced with a step, or expanded with stride 0). Usage: test_reduce_numpy.py /path/to/libtensor.so"""
import ctypes as C
import sys

import numpy as np

lib = C.CDLL(sys.argv[1])
T = C.c_void_p
I64P = C.POINTER(C.c_int64)
I32P = C.POINTER(C.c_int32)

TENSOR_ERR_INVALID_ARGUMENT, TENSOR_ERR_DTYPE, TENSOR_ERR_INDEX = -1, -3, -5


class Options(C.Structure):
    _fields_ = [("version", C.c_uint32), ("dtype", C.c_int32), ("dev_type", C.c_int32),
                ("dev_index", C.c_int32), ("requires_grad", C.c_bool)]


DTYPES = {0: np.float32, 1: np.float64, 2: np.int32, 3: np.int64, 4: np.bool_}
CODE = {np.dtype(v): k for k, v in DTYPES.items()}

lib.tensor_last_error.restype = C.c_char_p
lib.tensor_shape.restype = I64P
lib.tensor_ndim.restype = C.c_int32
lib.tensor_get_dtype.restype = C.c_int32
lib.tensor_free.argtypes = [T]
for name in ["tensor_shape", "tensor_ndim", "tensor_get_dtype"]:
    getattr(lib, name).argtypes = [T]
lib.tensor_copy_to_host.argtypes = [T, C.c_void_p, C.c_size_t]
lib.tensor_permute.argtypes = [C.POINTER(T), T, I32P, C.c_int32]
lib.tensor_slice.argtypes = [C.POINTER(T), T, C.c_int32, C.c_int64, C.c_int64, C.c_int64]
lib.tensor_expand.argtypes = [C.POINTER(T), T, I64P, C.c_int32]
lib.tensor_set_num_threads.argtypes = [C.c_int32]
for s in ["sum", "mean", "prod", "all", "any"]:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T, I32P, C.c_int32, C.c_bool]
for s in ["var", "std"]:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T, I32P, C.c_int32, C.c_int64, C.c_bool]
for s in ["max", "min"]:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T]
    getattr(lib, "tensor_%s_dim" % s).argtypes = [C.POINTER(T), C.POINTER(T), T, C.c_int32, C.c_bool]
for s in ["argmax", "argmin"]:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T, C.c_int32, C.c_bool]


class Tensor:
    def __init__(self, handle, base=None):
        self.h = handle
        self.base = base  # keeps a view's base alive

    def __del__(self):
        lib.tensor_free(self.h)


def check(status, what):
    if status != 0:
        raise RuntimeError("%s failed (%d): %s" % (what, status, lib.tensor_last_error().decode()))


def from_numpy(a):
    a = np.array(a, order="C")  # (np.ascontiguousarray would turn a 0-d array into 1-d)
    out = T()
    opts = Options(1, CODE[a.dtype], 0, 0, False)
    shape = (C.c_int64 * max(a.ndim, 1))(*a.shape)
    check(lib.tensor_from_data(C.byref(out), a.ctypes.data_as(C.c_void_p), shape, a.ndim, C.byref(opts)),
          "from_data")
    return Tensor(out)


def to_numpy(t):
    nd = lib.tensor_ndim(t.h)
    shp = lib.tensor_shape(t.h)
    shape = tuple(shp[i] for i in range(nd))
    r = np.empty(shape, dtype=DTYPES[lib.tensor_get_dtype(t.h)])
    check(lib.tensor_copy_to_host(t.h, r.ctypes.data_as(C.c_void_p), r.nbytes), "copy_to_host")
    return r


def call(name, *args):
    out = T()
    st = getattr(lib, name)(C.byref(out), *args)
    return st, (Tensor(out) if st == 0 else None)


rng = np.random.default_rng(3)


def random_shape():
    nd = int(rng.integers(0, 5))
    shape = [int(rng.choice([0, 1, 2, 3, 5])) if rng.random() < 0.2 else int(rng.integers(1, 8))
             for _ in range(nd)]
    if nd and rng.random() < 0.25:  # big enough for the threaded loops (2 * 32768 elements)
        big = int(rng.choice([70000, 140000, 300000]))
        rest = int(np.prod([s for s in shape if s > 0])) or 1
        shape[int(rng.integers(0, nd))] = max(1, big // rest)
    return tuple(shape)


def random_array(shape, dt, for_prod=False):
    if dt == np.bool_:
        return rng.random(shape) < (0.9 if rng.random() < 0.5 else 0.5)
    if np.issubdtype(dt, np.integer):
        return rng.integers(-3, 4, size=shape).astype(dt)
    if for_prod:  # keep float products finite and away from underflow
        return rng.uniform(0.7, 1.3, size=shape).astype(dt) * np.where(rng.random(shape) < 0.5, -1, 1).astype(dt)
    a = (rng.standard_normal(shape) * 3).astype(dt)
    if a.size and rng.random() < 0.15:
        a.flat[int(rng.integers(0, a.size))] = np.nan
    if a.size and rng.random() < 0.1:
        a.flat[int(rng.integers(0, a.size))] = rng.choice([np.inf, -np.inf])
    return a


def noncontiguous(arr):
    """A (Tensor, ndarray) pair with equal values; the Tensor is often a permuted, stepped or expanded view."""
    r = rng.random()
    if arr.ndim >= 2 and r < 0.3:
        perm = rng.permutation(arr.ndim)
        inv = np.argsort(perm)
        base = from_numpy(arr.transpose(perm))
        dims = (C.c_int32 * arr.ndim)(*[int(i) for i in inv])
        st, v = call("tensor_permute", base.h, dims, arr.ndim)
        check(st, "permute")
        v.base = base
        return v, arr
    if arr.ndim >= 1 and r < 0.55:
        d = int(rng.integers(0, arr.ndim))
        doubled = np.repeat(arr, 2, axis=d)
        base = from_numpy(doubled)
        st, v = call("tensor_slice", base.h, d, 0, doubled.shape[d], 2)
        check(st, "slice")
        v.base = base
        return v, np.take(doubled, np.arange(0, doubled.shape[d], 2), axis=d)
    if arr.ndim >= 1 and r < 0.7 and 1 in arr.shape:
        # expand a size-1 dim to 4 through a stride-0 view
        d = arr.shape.index(1)
        shape = list(arr.shape)
        shape[d] = 4
        base = from_numpy(arr)
        st, v = call("tensor_expand", base.h, (C.c_int64 * arr.ndim)(*shape), arr.ndim)
        check(st, "expand")
        v.base = base
        return v, np.broadcast_to(arr, shape)
    return from_numpy(arr), arr


def random_dims(nd):
    """(C dims array or None, ndims, numpy axis) for a random set of dims, all dims when None."""
    if nd == 0:
        if rng.random() < 0.5:
            d = int(rng.choice([0, -1]))
            return (C.c_int32 * 1)(d), 1, None
        return None, 0, None
    if rng.random() < 0.25:
        return None, 0, None
    k = int(rng.integers(1, nd + 1))
    dims = [int(d) for d in rng.choice(nd, size=k, replace=False)]
    spelled = [d - nd if rng.random() < 0.4 else d for d in dims]
    return (C.c_int32 * k)(*spelled), k, tuple(dims)


failures = []
cases = 0


def compare(what, got, want, rtol):
    global cases
    cases += 1
    want = np.asarray(want)
    if got.shape != want.shape or got.dtype != want.dtype:
        failures.append("%s: got %s %s, want %s %s" % (what, got.dtype, got.shape, want.dtype, want.shape))
        return
    if got.dtype.kind == "f":
        ok = np.allclose(got, want, rtol=rtol, atol=rtol, equal_nan=True)
        ok = ok and np.array_equal(np.isnan(got), np.isnan(want))
    else:
        ok = np.array_equal(got, want)
    if not ok:
        failures.append("%s: values differ\n got %s\nwant %s" % (what, got.ravel()[:8], want.ravel()[:8]))


def expect_status(what, st, status):
    global cases
    cases += 1
    if st != status:
        failures.append("%s: status %d, want %d (%s)" % (what, st, status, lib.tensor_last_error().decode()))
    elif st != 0 and not lib.tensor_last_error().decode().startswith("tensor_"):
        failures.append("%s: message does not name the call: %s" % (what, lib.tensor_last_error().decode()))


def out_dtype(op, dt):
    if op in ("sum", "prod"):
        return dt if dt in (np.float32, np.float64) else np.int64
    if op in ("all", "any"):
        return np.bool_
    return dt


def run_case():
    op = str(rng.choice(["sum", "sum", "mean", "prod", "var", "std", "all", "any", "max_all", "min_all",
                         "max_dim", "min_dim", "argmax", "argmin"]))
    dt = [np.float32, np.float64, np.int32, np.int64, np.bool_][int(rng.integers(0, 5))]
    shape = random_shape()
    arr = random_array(shape, dt, for_prod=(op == "prod"))
    t, arr = noncontiguous(arr)
    floating = dt in (np.float32, np.float64)
    label = "%s %s%s" % (op, dt.__name__, arr.shape)
    # Reference in float64 for floating input, in the result dtype otherwise; float32 results are
    # compared with a tolerance scaled to the magnitudes summed.
    rtol = 2e-5 if dt == np.float32 else 1e-10

    if op in ("max_dim", "min_dim", "argmax", "argmin"):
        nd = arr.ndim
        dim = int(rng.integers(-max(nd, 1), max(nd, 1)))
        keep = bool(rng.random() < 0.5)
        label += " dim=%d keepdim=%s" % (dim, keep)
        axis = None if nd == 0 else dim % nd
        if nd > 0 and arr.shape[axis] == 0:
            st = (call("tensor_" + op, t.h, dim, keep)[0] if op.startswith("arg") else
                  getattr(lib, "tensor_" + op)(C.byref(T()), C.byref(T()), t.h, dim, keep))
            expect_status(label + " (empty dim)", st, TENSOR_ERR_INDEX)
            return
        is_max = op.startswith("max") or op == "argmax"
        ref_src = arr if nd else arr.reshape(1)
        ax = 0 if nd == 0 else axis
        want_i = (np.argmax if is_max else np.argmin)(ref_src, axis=ax)
        want_v = (np.max if is_max else np.min)(ref_src, axis=ax)
        if keep and nd:
            want_i = np.expand_dims(want_i, ax)
            want_v = np.expand_dims(want_v, ax)
        want_i = np.asarray(want_i).astype(np.int64).reshape(want_i.shape if nd else ())
        want_v = np.asarray(want_v).astype(dt).reshape(want_v.shape if nd else ())
        if op.startswith("arg"):
            st, out = call("tensor_" + op, t.h, dim, keep)
            check(st, label)
            compare(label, to_numpy(out), want_i, 0)
        else:
            v, i = T(), T()
            check(getattr(lib, "tensor_" + op)(C.byref(v), C.byref(i), t.h, dim, keep), label)
            v, i = Tensor(v), Tensor(i)
            compare(label + " values", to_numpy(v), want_v, 0)
            compare(label + " indices", to_numpy(i), want_i, 0)
        return

    if op in ("max_all", "min_all"):
        name = "tensor_" + op[:3]
        st, out = call(name, t.h)
        if arr.size == 0:
            expect_status(label + " (empty)", st, TENSOR_ERR_INVALID_ARGUMENT)
            return
        check(st, label)
        want = (np.max if op == "max_all" else np.min)(arr)
        compare(label, to_numpy(out), np.asarray(want).astype(dt), 0)
        return

    dims, ndims, axis = random_dims(arr.ndim)
    keep = bool(rng.random() < 0.5)
    label += " dims=%s keepdim=%s" % (list(dims) if dims is not None else "all", keep)
    correction = int(rng.choice([0, 1, 1, 2])) if op in ("var", "std") else None
    args = (t.h, dims, ndims) + ((correction,) if correction is not None else ()) + (keep,)
    st, out = call("tensor_" + op, *args)
    if op in ("mean", "var", "std") and not floating:
        expect_status(label + " (integer input)", st, TENSOR_ERR_DTYPE)
        return
    check(st, label)
    src = arr.astype(np.float64) if floating else arr
    if op == "sum":
        want = np.sum(src, axis=axis, keepdims=keep, dtype=None if floating else np.int64)
        scale = np.sum(np.abs(src), axis=axis, keepdims=keep) if floating else None
    elif op == "prod":
        want = np.prod(src, axis=axis, keepdims=keep, dtype=None if floating else np.int64)
        scale = None
    elif op == "mean":
        want = np.mean(src, axis=axis, keepdims=keep)
        scale = np.mean(np.abs(src), axis=axis, keepdims=keep)
    elif op in ("var", "std"):
        want = (np.var if op == "var" else np.std)(src, axis=axis, keepdims=keep, ddof=correction)
        scale = np.abs(want)
    else:
        want = (np.all if op == "all" else np.any)(src, axis=axis, keepdims=keep)
        scale = None
    want = np.asarray(want)
    got = to_numpy(out)
    expected_dtype = out_dtype(op, dt)
    if floating and scale is not None and got.shape == want.shape:
        # error allowed relative to the magnitudes folded (a cancelling sum is exact only to that)
        scale = np.where(np.isfinite(scale), np.asarray(scale), 0)
        err_ok = np.abs(got.astype(np.float64) - want) <= rtol * (np.abs(want) + scale) + rtol
        same_special = np.array_equal(np.isnan(got), np.isnan(want)) and np.array_equal(
            np.isinf(got), np.isinf(want))
        both_finite = np.isfinite(want) & np.isfinite(got)
        global cases
        cases += 1
        if got.dtype != expected_dtype or not same_special or not np.all(err_ok | ~both_finite):
            failures.append("%s: got %s %s, want %s" % (label, got.dtype, got.ravel()[:6], want.ravel()[:6]))
        return
    compare(label, got, want.astype(expected_dtype), rtol)


with np.errstate(all="ignore"):
    for threads in (2, 1):
        check(lib.tensor_set_num_threads(threads), "set_num_threads")
        for _ in range(500):
            run_case()

    # A dim listed twice and an out-of-range dim are errors that name the call.
    t = from_numpy(np.zeros((2, 3), np.float32))
    st, _ = call("tensor_sum", t.h, (C.c_int32 * 2)(0, -2), 2, False)
    expect_status("sum with dim 0 twice", st, TENSOR_ERR_INVALID_ARGUMENT)
    st, _ = call("tensor_mean", t.h, (C.c_int32 * 1)(2), 1, False)
    expect_status("mean over dim 2 of a 2-d tensor", st, TENSOR_ERR_INDEX)

print("%d cases, %d failures" % (cases, len(failures)))
for f in failures[:20]:
    print(f)
sys.exit(1 if failures else 0)
