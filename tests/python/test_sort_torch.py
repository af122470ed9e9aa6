#!/usr/bin/python3
"""Differential test of sort, argsort and topk through the Python binding against torch (CPU): random
shapes, every dim (negative too), every dtype, ties (small integer ranges, bool), NaN and -0.0, 0-d and
empty tensors, non-contiguous inputs. sort/argsort are compared with torch.sort(stable=True) exactly,
values and indices; topk exactly too, indices included, sorted or not (the CPU runs PyTorch's selection:
Note [CPU topk ties] in src/cpu/sort_kernels.cpp). Grads and grad_fn names against torch, and the error
types. Run by ctest with LIBTENSOR_PATH and PYTHONPATH set (tests/sort.cmake); skips (77) without torch."""
import sys

import numpy as np

import libtensor as lt

try:
    import torch
except ImportError:
    print("test_sort_torch: torch is not importable, skipping")
    sys.exit(77)

rng = np.random.default_rng(4321)
checks = 0
DTYPES = [np.float32, np.float64, np.int32, np.int64, np.bool_]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def same(got, want, what):
    global checks
    checks += 1
    got = np.asarray(got)
    want = np.asarray(want)
    if got.shape != want.shape or got.dtype != want.dtype:
        fail("%s: got %s %s, want %s %s" % (what, got.shape, got.dtype, want.shape, want.dtype))
    if want.dtype.kind == "f":
        # exact, NaN where NaN, and the sign of zeros too (the elements themselves are written)
        ok = np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))
    else:
        ok = np.array_equal(got, want)
    if not ok:
        fail("%s:\n got %s\nwant %s" % (what, got, want))


def rand(shape, dtype, ties):
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        if ties:
            a = rng.integers(-3, 4, shape).astype(dtype)
            a[rng.random(shape) < 0.1] = np.nan
            a[rng.random(shape) < 0.1] = -0.0
            a[rng.random(shape) < 0.05] = np.inf
            a[rng.random(shape) < 0.05] = -np.inf
            return a
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(-4, 4, shape).astype(dtype) if ties else rng.integers(-10**6, 10**6, shape).astype(dtype)


def T(a, transpose=False):
    a = np.array(a)
    if transpose and a.ndim >= 2:
        return lt.from_numpy(np.ascontiguousarray(a.swapaxes(0, 1))).clone().transpose(0, 1)
    return lt.from_numpy(a).clone()


def shapes():
    yield ()
    yield (1,)
    yield (7,)
    yield (3, 5)
    yield (2, 3, 4)
    yield (4, 1, 6)
    yield (0, 3)
    yield (2, 0)
    yield (3, 700)   # long lines: the CPU's radix sort (>= 512) and topk's nth_element / partial_sort
    yield (600, 2)
    yield (1, 70000)  # >= 2^16: 11-bit radix digits (packed 32-bit keys; 64-bit keys in pairs)
    for _ in range(6):
        yield tuple(int(s) for s in rng.integers(1, 9, rng.integers(1, 4)))


def dims(shape):
    n = max(len(shape), 1)
    return range(-n, n)


def test_sort():
    for shape in shapes():
        for dt in DTYPES:
            for ties in (False, True):
                a = rand(shape, dt, ties)
                ta = torch.from_numpy(np.array(a))
                for dim in dims(shape):
                    for desc in (False, True):
                        for tr in (False, True):
                            what = "sort %s %s dim %d desc %s ties %s transposed %s" % (shape, np.dtype(dt), dim,
                                                                                         desc, ties, tr)
                            v, i = lt.sort(T(a, tr), dim, desc)
                            tv, ti = torch.sort(ta, dim=dim, descending=desc, stable=True)
                            same(v.numpy(), tv.numpy(), what + " values")
                            same(i.numpy(), ti.numpy(), what + " indices")
                            same(lt.argsort(T(a, tr), dim=dim, descending=desc).numpy(), ti.numpy(), what + " argsort")
                            if not tr:
                                v2, i2 = T(a).sort(dim=dim, descending=desc, stable=True)
                                same(i2.numpy(), ti.numpy(), what + " method")


def test_topk():
    for shape in shapes():
        for dt in DTYPES[:4]:
            for ties in (False, True):
                a = rand(shape, dt, ties)
                ta = torch.from_numpy(np.array(a))
                for dim in dims(shape):
                    n = shape[dim] if shape else 1
                    for k in sorted({0, min(n, 1), n // 2, n, int(rng.integers(0, n + 1)), min(n, 3)}):
                        for largest in (True, False):
                            for srt in (True, False):
                                what = "topk %s %s k %d dim %d largest %s sorted %s ties %s" % (
                                    shape, np.dtype(dt), k, dim, largest, srt, ties)
                                v, i = lt.topk(T(a, True), k, dim, largest, srt)
                                tv, ti = torch.topk(ta, k, dim=dim, largest=largest, sorted=srt)
                                same(v.numpy(), tv.numpy(), what + " values")
                                same(i.numpy(), ti.numpy(), what + " indices")
    # the method and PyTorch's defaults (dim -1, largest, sorted)
    a = rand((4, 9), np.float32, True)
    v, i = T(a).topk(4)
    tv, ti = torch.from_numpy(a).topk(4)
    same(v.numpy(), tv.numpy(), "topk method values")
    same(i.numpy(), ti.numpy(), "topk method indices")


def test_results_and_grads():
    r = lt.sort(lt.tensor([3.0, 1.0]))
    if not repr(r).startswith("torch.return_types.sort(") or r.values is not r[0] or r.indices is not r[1]:
        fail("sort result: %r" % (r,))
    if not repr(lt.topk(lt.tensor([3.0, 1.0]), 1)).startswith("torch.return_types.topk("):
        fail("topk result repr")
    cases = [
        ("SortBackward0", lambda x: torch.sort(x, 1, descending=True).values, lambda x: lt.sort(x, 1, True).values),
        ("SortBackward0", lambda x: torch.sort(x, 0).values, lambda x: lt.sort(x, 0).values),
        ("TopkBackward0", lambda x: torch.topk(x, 2, 1).values, lambda x: lt.topk(x, 2, 1).values),
        ("TopkBackward0", lambda x: torch.topk(x, 3, 0, largest=False, sorted=False).values,
         lambda x: lt.topk(x, 3, 0, largest=False, sorted=False).values),
    ]
    base = rng.standard_normal((4, 5))
    w = rng.standard_normal((4, 5))
    for name, tf, lf in cases:
        xt = torch.tensor(base, requires_grad=True)
        xl = lt.tensor(base, requires_grad=True)
        yt, yl = tf(xt), lf(xl)
        if ("grad_fn=<%s>" % name) not in repr(yl):
            fail("%s: repr %r" % (name, repr(yl)))
        wt = torch.tensor(w[:yt.shape[0], :yt.shape[1]])
        (yt * wt).sum().backward()
        (yl * lt.tensor(wt.numpy())).sum().backward()
        same(xl.grad.numpy(), xt.grad.numpy(), name + " grad")
    if lt.argsort(lt.tensor(base, requires_grad=True)).requires_grad:
        fail("argsort must not require grad")


def expect_error(fn, exc, words, what):
    global checks
    checks += 1
    try:
        fn()
    except exc as e:
        for w in words:
            if w not in str(e):
                fail("%s: message %r lacks %r" % (what, str(e), w))
        return
    except Exception as e:  # noqa: BLE001
        fail("%s: raised %r, expected %s" % (what, e, exc.__name__))
    fail("%s: no error, expected %s" % (what, exc.__name__))


def test_errors():
    a = lt.tensor([1.0, 2.0, 3.0])
    expect_error(lambda: lt.topk(a, 4), ValueError, ["selected index k out of range"], "topk k > n")
    expect_error(lambda: lt.topk(a, -1), ValueError, ["selected index k out of range"], "topk k < 0")
    expect_error(lambda: lt.topk(lt.tensor([True, False]), 1), TypeError, ["Bool"], "topk bool")
    expect_error(lambda: lt.sort(a, 1), IndexError, ["dimension 1"], "sort dim")
    expect_error(lambda: lt.argsort(a, -2), IndexError, ["-2"], "argsort dim")


for test in [test_sort, test_topk, test_results_and_grads, test_errors]:
    test()
print("test_sort_torch: %d checks passed" % checks)
