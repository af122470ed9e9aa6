#!/usr/bin/python3
"""Differential test of tensor_matmul against numpy.matmul through ctypes.

Usage: test_matmul_numpy.py /path/to/libtensor.so

Every case builds operands in libtensor and in NumPy the same way -- contiguous, transposed, sliced with a
step, or broadcast with expand -- so the non-contiguous layouts reach the kernel as they would from a user.
Values must match NumPy's (exactly for integers, which wrap on overflow as in NumPy and PyTorch); result
dtypes must follow PyTorch's promotion (int32 @ float32 is float32, where NumPy would say float64).
"""
import ctypes
import itertools
import sys

import numpy as np

lib = ctypes.CDLL(sys.argv[1])
P = ctypes.c_void_p
PP = ctypes.POINTER(ctypes.c_void_p)
I64P = ctypes.POINTER(ctypes.c_int64)


class Options(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("dtype", ctypes.c_int32), ("dev_type", ctypes.c_int32),
                ("dev_index", ctypes.c_int32), ("requires_grad", ctypes.c_bool)]


def proto(name, res, *args):
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = list(args)
    return f


from_data = proto("tensor_from_data", ctypes.c_int, PP, P, I64P, ctypes.c_int32, ctypes.POINTER(Options))
free = proto("tensor_free", None, P)
matmul = proto("tensor_matmul", ctypes.c_int, PP, P, P)
transpose = proto("tensor_transpose", ctypes.c_int, PP, P, ctypes.c_int32, ctypes.c_int32)
slice_ = proto("tensor_slice", ctypes.c_int, PP, P, ctypes.c_int32, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
expand = proto("tensor_expand", ctypes.c_int, PP, P, I64P, ctypes.c_int32)
ndim = proto("tensor_ndim", ctypes.c_int32, P)
shape = proto("tensor_shape", I64P, P)
get_dtype = proto("tensor_get_dtype", ctypes.c_int, P)
numel = proto("tensor_numel", ctypes.c_int64, P)
copy_to_host = proto("tensor_copy_to_host", ctypes.c_int, P, P, ctypes.c_size_t)
last_error = proto("tensor_last_error", ctypes.c_char_p)

DTYPES = {np.float32: 0, np.float64: 1, np.int32: 2, np.int64: 3, np.bool_: 4}
NP_OF = {0: np.float32, 1: np.float64, 2: np.int32, 3: np.int64, 4: np.bool_}
RANK = {np.bool_: 0, np.int32: 1, np.int64: 2, np.float32: 3, np.float64: 4}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def call(fn, *args):
    out = P()
    st = fn(ctypes.byref(out), *args)
    if st != 0:
        raise RuntimeError("status %d: %s" % (st, last_error().decode()))
    return out


def to_lib(arr):
    arr = np.array(arr, order="C")  # (np.ascontiguousarray would turn a 0-d array into 1-D)
    shp = (ctypes.c_int64 * max(arr.ndim, 1))(*arr.shape)
    o = Options(1, DTYPES[arr.dtype.type], 0, 0, False)
    return call(from_data, arr.ctypes.data_as(P), shp, arr.ndim, ctypes.byref(o))


def to_np(t):
    dt = NP_OF[get_dtype(t)]
    shp = tuple(shape(t)[i] for i in range(ndim(t)))
    out = np.empty(shp, dtype=dt)
    st = copy_to_host(t, out.ctypes.data_as(P), out.nbytes)
    assert st == 0, last_error()
    return out


def torch_result_dtype(a, b):
    """PyTorch's promotion for two dimensioned tensors: higher category wins, then the wider type."""
    return a if RANK[a] >= RANK[b] else b


# ---- operand layouts: (name, numpy transform, libtensor transform), each applied to a base array ----
def layout_contiguous(shape_, dt, rng):
    base = random_array(shape_, dt, rng)
    return base, to_lib(base), []


def layout_transposed(shape_, dt, rng):
    """The matrix dims are a transposed view of storage laid out the other way round."""
    if len(shape_) < 2:
        return layout_contiguous(shape_, dt, rng)
    swapped = list(shape_)
    swapped[-1], swapped[-2] = swapped[-2], swapped[-1]
    base = random_array(swapped, dt, rng)
    h = to_lib(base)
    v = call(transpose, h, -1, -2)
    return np.swapaxes(base, -1, -2), v, [h]


def layout_sliced(shape_, dt, rng):
    """Every other column (and for 2-D+, every other row) of a larger array: strides 2 and 2 * cols."""
    big = [s * 2 for s in shape_]
    base = random_array(big, dt, rng)
    h = to_lib(base)
    keep = [h]
    v = h
    view = base
    for d in range(len(shape_)):
        v = call(slice_, v, d, 0, big[d], 2)
        keep.append(v)
        view = np.take(view, np.arange(0, big[d], 2), axis=d)
    return view, v, keep


def layout_broadcast(shape_, dt, rng):
    """Leading batch dim (or, for a vector, the vector itself) as a stride-0 expand of a size-1 array."""
    small = list(shape_)
    small[0] = 1
    base = random_array(small, dt, rng)
    h = to_lib(base)
    shp = (ctypes.c_int64 * len(shape_))(*shape_)
    v = call(expand, h, shp, len(shape_))
    return np.broadcast_to(base, shape_), v, [h]


LAYOUTS = [layout_contiguous, layout_transposed, layout_sliced, layout_broadcast]


def unique(handles):
    """Each handle once (a layout's result may also be in its list of intermediates)."""
    seen = {}
    for h in handles:
        seen[h.value] = h
    return list(seen.values())


def random_array(shape_, dt, rng):
    if np.issubdtype(dt, np.floating):
        return rng.standard_normal(shape_).astype(dt)
    return rng.integers(-9, 10, size=shape_).astype(dt)


def compare(a_np, b_np, t_a, t_b, what):
    out = call(matmul, t_a, t_b)
    try:
        got = to_np(out)
    finally:
        free(out)
    want_dtype = torch_result_dtype(a_np.dtype.type, b_np.dtype.type)
    check(got.dtype.type == want_dtype, "%s: dtype %s, expected %s" % (what, got.dtype, np.dtype(want_dtype)))
    want = np.matmul(a_np.astype(want_dtype), b_np.astype(want_dtype))
    check(got.shape == want.shape, "%s: shape %s, expected %s" % (what, got.shape, want.shape))
    if got.shape != want.shape:
        return
    if np.issubdtype(want_dtype, np.integer):
        check(np.array_equal(got, want), "%s: integer values differ" % what)
    else:
        # error bound of a length-k float dot product, relative to the sum of |products|
        k = a_np.shape[-1]
        scale = np.matmul(np.abs(a_np).astype(np.float64), np.abs(b_np).astype(np.float64))
        eps = np.finfo(want_dtype).eps
        ok = np.all(np.abs(got.astype(np.float64) - want.astype(np.float64)) <= 4 * (k + 1) * eps * scale + 1e-30)
        check(bool(ok), "%s: values differ (max abs err %g)" % (what, np.max(np.abs(got - want), initial=0)))


SHAPE_PAIRS = [
    ((5,), (5,)), ((1,), (1,)), ((3, 4), (4,)), ((4,), (4, 6)), ((3, 4), (4, 6)), ((1, 4), (4, 1)),
    ((7, 1), (1, 5)), ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((4,), (2, 4, 5)),
    ((2, 3, 4), (4,)), ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (6, 4, 2)), ((6, 3, 4), (1, 4, 2)),
    ((2, 3, 1, 4), (3, 4, 1)), ((2, 2, 3, 4), (2, 2, 4, 3)),
    # empty dims: contracted (k = 0 gives zeros), rows, cols and batch
    ((0,), (0,)), ((3, 0), (0, 4)), ((0, 4), (4, 3)), ((3, 4), (4, 0)), ((0, 3, 4), (4, 2)), ((2, 3, 0), (2, 0, 5)),
    # sizes where BLAS runs its own threads (gemm above 4 * 65536 multiply-adds, gemv above 9216)
    ((70, 80), (80, 90)), ((130, 100), (100,)), ((100,), (100, 130)), ((3, 70, 80), (80, 90)), ((12001,), (12001,)),
    # a batch of many small matrices (parallel over the batch)
    ((64, 8, 9), (64, 9, 7)), ((64, 8, 9), (9,)), ((64, 9), (64, 9, 7)),
]


def run_layout_matrix(rng):
    dtype_pairs = [(np.float32, np.float32), (np.float64, np.float64), (np.int32, np.int32), (np.int64, np.int64),
                   (np.int32, np.float32), (np.float32, np.float64), (np.int32, np.int64), (np.int64, np.float64)]
    for (sa, sb), (da, db) in itertools.product(SHAPE_PAIRS, dtype_pairs):
        big = max(np.prod(sa), np.prod(sb)) > 5000
        layouts = [(layout_contiguous, layout_contiguous)] if big else itertools.product(LAYOUTS, LAYOUTS)
        for la, lb in layouts:
            a_np, t_a, keep_a = la(sa, da, rng)
            b_np, t_b, keep_b = lb(sb, db, rng)
            what = "%s %s (%s) @ %s %s (%s)" % (sa, np.dtype(da), la.__name__[7:], sb, np.dtype(db), lb.__name__[7:])
            try:
                compare(a_np, b_np, t_a, t_b, what)
            except RuntimeError as e:
                check(False, "%s: %s" % (what, e))
            for h in unique(keep_a + keep_b + [t_a, t_b]):
                free(h)


def run_random(rng, count):
    """Random batched shapes with random broadcasting, dtypes and layouts."""
    for _ in range(count):
        m, k, n = (int(x) for x in rng.integers(1, 7, size=3))
        batch = [int(x) for x in rng.integers(1, 4, size=int(rng.integers(0, 3)))]
        ba = [b if rng.random() < 0.7 else 1 for b in batch][int(rng.integers(0, len(batch) + 1)):]
        bb = [b if rng.random() < 0.7 else 1 for b in batch][int(rng.integers(0, len(batch) + 1)):]
        sa = tuple(ba) + (m, k) if rng.random() < 0.9 else (k,)  # a vector has no batch dims
        sb = tuple(bb) + (k, n) if rng.random() < 0.9 else (k,)
        da, db = (rng.choice([np.float32, np.float64, np.int64]) for _ in range(2))
        la, lb = (LAYOUTS[int(rng.integers(0, len(LAYOUTS)))] for _ in range(2))
        a_np, t_a, keep_a = la(sa, da, rng)
        b_np, t_b, keep_b = lb(sb, db, rng)
        what = "random %s %s (%s) @ %s %s (%s)" % (sa, np.dtype(da), la.__name__[7:], sb, np.dtype(db), lb.__name__[7:])
        try:
            compare(a_np, b_np, t_a, t_b, what)
        except RuntimeError as e:
            check(False, "%s: %s" % (what, e))
        for h in unique(keep_a + keep_b + [t_a, t_b]):
            free(h)


def run_integer_wraparound():
    """int32 products and sums wrap as in NumPy (and PyTorch) instead of saturating or trapping."""
    a = np.array([[2 ** 30, 2 ** 30], [-(2 ** 31), 7]], dtype=np.int32)
    b = np.array([[4, 3], [2, 2 ** 30]], dtype=np.int32)
    ta, tb = to_lib(a), to_lib(b)
    compare(a, b, ta, tb, "int32 wrap-around")
    free(ta)
    free(tb)


def run_errors():
    cases = [((2, 3), (4, 5), -2, ["[2, 3]", "[4, 5]"]), ((3,), (4,), -2, ["[3]", "[4]"]),
             ((2, 3, 4), (5, 4, 2), -2, ["[2, 3, 4]", "[5, 4, 2]"]), ((), (3,), -2, ["[]", "[3]"])]
    for sa, sb, status, names in cases:
        ta, tb = to_lib(np.ones(sa, np.float32)), to_lib(np.ones(sb, np.float32))
        out = P(12345)
        st = matmul(ctypes.byref(out), ta, tb)
        msg = last_error().decode()
        check(st == status, "%s @ %s: status %d, expected %d" % (sa, sb, st, status))
        check(out.value is None, "%s @ %s: out not cleared on error" % (sa, sb))
        check(msg.startswith("tensor_matmul: ") and all(n in msg for n in names),
              "%s @ %s: message %r does not name both shapes" % (sa, sb, msg))
        free(ta)
        free(tb)
    ta, tb = to_lib(np.ones((2, 2), np.bool_)), to_lib(np.ones((2, 2), np.bool_))
    out = P()
    check(matmul(ctypes.byref(out), ta, tb) == -3, "bool @ bool is a dtype error")
    check(matmul(ctypes.byref(out), None, tb) == -1, "NULL operand is an invalid argument")
    free(ta)
    free(tb)


def main():
    rng = np.random.default_rng(20240601)
    run_layout_matrix(rng)
    run_random(rng, 400)
    run_integer_wraparound()
    run_errors()
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("all matmul differential checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
