#!/usr/bin/python3
"""Differential test of the indexing ops through the Python binding: index_select, gather, scatter,
scatter_add and index_add_ against NumPy (np.take, np.take_along_axis, np.put_along_axis, np.add.at) on
random cases (every dtype, negative dims, 0-d and empty tensors, non-contiguous inputs, indices smaller
than the tensor, repeated indices), their grads and grad_fn names against torch where it is importable,
and the error statuses (out-of-range index naming the value and the bound, float index, bad dims/shapes).
Run by ctest with LIBTENSOR_PATH and PYTHONPATH set (tests/index.cmake)."""
import sys

import numpy as np

import libtensor as lt

try:
    import torch
except ImportError:  # the NumPy part still runs
    torch = None

rng = np.random.default_rng(1234)
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
        ok = np.allclose(got, want, rtol=1e-5, atol=1e-6, equal_nan=True)
    else:
        ok = np.array_equal(got, want)
    if not ok:
        fail("%s:\n got %s\nwant %s" % (what, got, want))


def rand(shape, dtype):
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(-50, 50, shape).astype(dtype)


def T(a, transpose=False):
    a = np.array(a)
    if transpose and a.ndim >= 2:
        # a non-contiguous tensor with a's values: the transpose of a contiguous copy of a.T
        return lt.from_numpy(np.ascontiguousarray(a.swapaxes(0, 1))).clone().transpose(0, 1)
    return lt.from_numpy(a).clone()  # lt.tensor reads a 0-d array as shape (1)


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


def shapes():
    yield (5,)
    yield (3, 4)
    yield (2, 3, 4)
    yield (4, 1, 3)
    yield (0, 3)
    yield (3, 0)


def test_index_select():
    for dt in DTYPES:
        for shape in shapes():
            for dim in range(-len(shape), len(shape)):
                n = shape[dim]
                for k in ([0, 1, 4] if n else [0]):
                    idx = rng.integers(0, n, k) if n else np.zeros(0, np.int64)
                    a = rand(shape, dt)
                    for tr in (False, True):
                        got = lt.index_select(T(a, tr), dim, lt.tensor(idx.astype(np.int64))).numpy()
                        same(got, np.take(a, idx, axis=dim), "index_select %s %s dim %d k %d tr %s"
                             % (np.dtype(dt), shape, dim, k, tr))
    # int32 index, 0-d index, 0-d input
    a = rand((4, 3), np.float32)
    same(lt.index_select(T(a), 0, lt.tensor(np.array([3, 0], np.int32))).numpy(), a[[3, 0]], "int32 index")
    same(lt.index_select(T(a), 1, lt.tensor(np.array(2))).numpy(), a[:, [2]], "0-d index")
    same(lt.index_select(lt.tensor(np.float32(7)), 0, lt.tensor(np.array([0, 0]))).numpy(),
         np.array([7, 7], np.float32), "0-d input")


def test_gather():
    for dt in DTYPES:
        for shape in shapes():
            for dim in range(-len(shape), len(shape)):
                n = shape[dim]
                ishape = list(shape)
                ishape[dim] = 3 if n else 0
                # smaller index in the other dims too (PyTorch allows it)
                small = [max(s - 1, 0) if d != (dim % len(shape)) else ishape[d] for d, s in enumerate(shape)]
                for ish in (ishape, small):
                    idx = rng.integers(0, max(n, 1), ish).astype(np.int64)
                    a = rand(shape, dt)
                    got = lt.gather(T(a, True), dim, lt.tensor(idx)).numpy()
                    sl = tuple(slice(0, s) if d != dim % len(shape) else slice(None) for d, s in enumerate(ish))
                    same(got, np.take_along_axis(a[sl], idx, axis=dim), "gather %s %s dim %d idx %s"
                         % (np.dtype(dt), shape, dim, ish))


def np_scatter(a, dim, idx, src, add):
    out = a.copy()
    d = dim % a.ndim
    for pos in np.ndindex(*idx.shape):
        tgt = list(pos)
        tgt[d] = idx[pos]
        if add:
            out[tuple(tgt)] = out[tuple(tgt)] + src[pos] if out.dtype != np.bool_ else out[tuple(tgt)] or src[pos]
        else:
            out[tuple(tgt)] = src[pos]
    return out


def test_scatter():
    for dt in DTYPES:
        for shape in [(5,), (3, 4), (2, 3, 4), (0, 3)]:
            for dim in range(-len(shape), len(shape)):
                d = dim % len(shape)
                n = shape[d]
                ish = [max(s - 1, 1) if i != d else 3 for i, s in enumerate(shape)]
                if 0 in shape:
                    ish = [0 if s == 0 else 1 for s in shape]
                a = rand(shape, dt)
                # unique indices per column for scatter (repeats: the last write wins, checked below)
                idx = np.zeros(ish, np.int64)
                for pos in np.ndindex(*[s for i, s in enumerate(ish) if i != d]):
                    col = rng.permutation(n)[:ish[d]] if n >= ish[d] else rng.integers(0, max(n, 1), ish[d])
                    p = list(pos)
                    p.insert(d, slice(None))
                    idx[tuple(p)] = col
                src_shape = [s + 1 for s in ish]
                src = rand(src_shape, dt)
                srcv = src[tuple(slice(0, s) for s in ish)]
                got = lt.scatter(T(a), dim, lt.tensor(idx), T(src)).numpy()
                if n >= 3 or 0 in shape:
                    same(got, np_scatter(a, dim, idx, srcv, False), "scatter %s %s dim %d" % (np.dtype(dt), shape, dim))
                idx2 = rng.integers(0, max(n, 1), ish).astype(np.int64)
                got = lt.scatter_add(T(a, True), dim, lt.tensor(idx2), T(src)).numpy()
                same(got, np_scatter(a, dim, idx2, srcv, True), "scatter_add %s %s dim %d" % (np.dtype(dt), shape, dim))
    # repeated indices without accumulate: the CPU writes in order, the last one wins
    got = lt.scatter(lt.zeros(3), 0, lt.tensor([1, 1, 1]), lt.tensor([1., 2., 3.])).numpy()
    same(got, np.array([0, 3, 0], np.float32), "scatter last write wins")
    # against np.put_along_axis (unique indices)
    a = rand((4, 5), np.float64)
    idx = np.argsort(rng.random((4, 5)), axis=1)[:, :2]
    v = rand((4, 2), np.float64)
    want = a.copy()
    np.put_along_axis(want, idx, v, axis=1)
    same(lt.scatter(T(a), 1, lt.tensor(idx), T(v)).numpy(), want, "scatter vs put_along_axis")


def test_index_add():
    for dt in [np.float32, np.float64, np.int32, np.int64]:
        for shape in [(5,), (3, 4), (2, 3, 4), (0, 3)]:
            for dim in range(-len(shape), len(shape)):
                d = dim % len(shape)
                n = shape[d]
                k = 6 if n else 0
                idx = rng.integers(0, max(n, 1), k).astype(np.int64)
                a = rand(shape, dt)
                sshape = list(shape)
                sshape[d] = k
                src = rand(sshape, dt)
                alpha = 2 if np.dtype(dt).kind == "i" else 0.5
                t = T(a)
                t.index_add_(dim, lt.tensor(idx), T(src), alpha=alpha)
                want = a.copy()
                moved = np.moveaxis(want, d, 0)
                np.add.at(moved, idx, (np.moveaxis(src, d, 0) * alpha).astype(dt))
                same(t.numpy(), want, "index_add_ %s %s dim %d" % (np.dtype(dt), shape, dim))
    # in place through a non-contiguous view writes its base
    base = lt.zeros(3, 4)
    view = base.transpose(0, 1)
    view.index_add_(0, lt.tensor([1, 1]), lt.ones(2, 3))
    want = np.zeros((3, 4), np.float32)
    want[:, 1] = 2
    same(base.numpy(), want, "index_add_ through a transposed view")


def test_errors():
    a = lt.zeros(3, 4)
    expect_error(lambda: lt.index_select(a, 0, lt.tensor([0, 3])), lt.IndexOutOfRangeError,
                 ["index 3", "size 3"], "index_select out of range")
    expect_error(lambda: lt.index_select(a, 1, lt.tensor([-1])), lt.IndexOutOfRangeError,
                 ["index -1", "size 4"], "index_select negative")
    expect_error(lambda: lt.index_select(a, 2, lt.tensor([0])), lt.IndexOutOfRangeError, ["dimension 2"], "bad dim")
    expect_error(lambda: lt.index_select(a, 0, lt.tensor([0.5])), lt.DTypeError, ["float32"], "float index")
    expect_error(lambda: lt.index_select(a, 0, lt.tensor([[0]])), lt.ShapeError, ["vector"], "2-D index")
    expect_error(lambda: lt.gather(a, 1, lt.tensor([[0, 9]])), lt.IndexOutOfRangeError, ["index 9", "size 4"],
                 "gather out of range")
    expect_error(lambda: lt.gather(a, 1, lt.tensor([0, 1])), lt.ShapeError, ["number of dimensions"], "gather ndim")
    expect_error(lambda: lt.gather(a, 1, lt.tensor([[0]], dtype=lt.int32)), lt.DTypeError, ["int64"],
                 "gather int32 index")
    expect_error(lambda: lt.gather(a, 1, lt.zeros(4, 4, dtype=lt.int64)), lt.ShapeError, ["dimension 0"],
                 "gather index too large")
    expect_error(lambda: lt.scatter(a, 0, lt.tensor([[5]]), lt.ones(1, 1)), lt.IndexOutOfRangeError,
                 ["index 5", "size 3"], "scatter out of range")
    expect_error(lambda: lt.scatter(a, 0, lt.tensor([[0]]), lt.ones(1, 1, dtype=lt.float64)), lt.DTypeError,
                 ["dtype"], "scatter src dtype")
    expect_error(lambda: lt.scatter_add(a, 0, lt.tensor([[0, 0]]), lt.ones(1, 1)), lt.ShapeError, ["src"],
                 "scatter_add src too small")
    t = lt.ones(3, 2)
    expect_error(lambda: t.index_add_(0, lt.tensor([0, 7]), lt.ones(2, 2)), lt.IndexOutOfRangeError,
                 ["index 7", "size 3"], "index_add_ out of range")
    same(t.numpy(), np.ones((3, 2), np.float32), "index_add_ failure leaves t untouched")
    expect_error(lambda: t.index_add_(0, lt.tensor([0]), lt.ones(2, 2)), lt.ShapeError, ["source"],
                 "index_add_ source shape")
    ti = lt.zeros(3, dtype=lt.int64)
    expect_error(lambda: ti.index_add_(0, lt.tensor([0]), lt.ones(1, dtype=lt.int64), alpha=0.5),
                 lt.InvalidArgumentError, ["alpha"], "index_add_ fractional alpha on ints")


def test_masks():
    for dt in DTYPES:
        for shape, mshape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3, 4), (3, 1)), ((4,), (3, 4)), ((), ()),
                              ((0, 3), (3,)), ((5,), ())]:
            a = rand(shape, dt)
            m = rng.random(mshape) < 0.4
            value = 1 if dt == np.bool_ else -7
            got = lt.masked_fill(T(a), T(m), value).numpy()
            b = np.broadcast_to(a, np.broadcast_shapes(a.shape, m.shape)).copy()
            b[np.broadcast_to(m, b.shape)] = value
            same(got, b, "masked_fill %s %s %s" % (np.dtype(dt), shape, mshape))
            sel = lt.masked_select(T(a, True), T(m)).numpy()
            ab, mb = np.broadcast_arrays(a, m)
            same(sel, ab[mb], "masked_select %s %s %s" % (np.dtype(dt), shape, mshape))
            if np.broadcast_shapes(a.shape, m.shape) == a.shape:
                t = T(a)
                t.masked_fill_(T(m), value)
                same(t.numpy(), b, "masked_fill_ %s %s %s" % (np.dtype(dt), shape, mshape))
            nz = lt.nonzero(T(a, True)).numpy()
            same(nz, np.argwhere(a).astype(np.int64), "nonzero %s %s" % (np.dtype(dt), shape))
    x = np.array([[0, np.nan], [-0.0, 2]], np.float32)
    same(lt.nonzero(T(x)).numpy(), np.argwhere(x), "nonzero counts NaN, not -0")
    same(lt.nonzero(T(np.array(np.float32(3)))).numpy(), np.zeros((1, 0), np.int64), "nonzero 0-d")
    xs = lt.nonzero(T(np.array([[1, 0], [0, 1]])), as_tuple=True)
    same(xs[0].numpy(), np.array([0, 1]), "nonzero as_tuple rows")
    same(xs[1].numpy(), np.array([0, 1]), "nonzero as_tuple cols")
    # one_hot
    import libtensor.nn.functional as F
    idx = rng.integers(0, 5, (3, 4)).astype(np.int64)
    same(F.one_hot(lt.tensor(idx), 6).numpy(), np.eye(6, dtype=np.int64)[idx], "one_hot")
    same(F.one_hot(lt.tensor(idx)).numpy(), np.eye(idx.max() + 1, dtype=np.int64)[idx], "one_hot -1")
    same(F.one_hot(lt.tensor(np.zeros(0, np.int64)), 3).numpy(), np.zeros((0, 3), np.int64), "one_hot empty")
    expect_error(lambda: F.one_hot(lt.tensor([0, 5]), 5), lt.IndexOutOfRangeError, ["5", "num_classes 5"],
                 "one_hot class too large")
    expect_error(lambda: F.one_hot(lt.tensor([0, -2]), 5), lt.IndexOutOfRangeError, ["-2"], "one_hot negative")
    expect_error(lambda: F.one_hot(lt.tensor([0.0]), 5), lt.DTypeError, ["int64"], "one_hot float")
    expect_error(lambda: F.one_hot(lt.tensor(np.zeros(0, np.int64))), lt.InvalidArgumentError, ["empty"],
                 "one_hot infer from empty")
    a = lt.zeros(3, 4)
    expect_error(lambda: lt.masked_fill(a, lt.ones(3, 4), 1.0), lt.DTypeError, ["bool"], "float mask")
    expect_error(lambda: lt.masked_fill(a, lt.tensor([True, False]), 1.0), lt.ShapeError, [], "mask shape")
    expect_error(lambda: a.masked_fill_(lt.tensor(np.ones((2, 3, 4), bool)), 1.0), lt.ShapeError, ["broadcast"],
                 "masked_fill_ mask larger than t")
    expect_error(lambda: lt.masked_select(a, lt.zeros(4, dtype=lt.int64)), lt.DTypeError, ["bool"], "int mask")
    expect_error(lambda: lt.masked_fill(lt.zeros(2, dtype=lt.int32), lt.tensor([True, False]), float("nan")),
                 lt.InvalidArgumentError, [], "NaN into an int tensor")


def test_scans():
    for dt in DTYPES:
        for shape in [(7,), (3, 4), (2, 3, 5), (0, 3), ()]:
            a = rand(shape, dt)
            if np.dtype(dt).kind == "f":
                a = (a * 0.5 + 1).astype(dt)  # products stay moderate
            for dim in range(-max(len(shape), 1), max(len(shape), 1)):
                want_t = np.int64 if np.dtype(dt).kind in "bi" else dt
                got = lt.cumsum(T(a, True), dim).numpy()
                want = np.cumsum(a, axis=dim if a.ndim else None, dtype=want_t).reshape(a.shape)
                same(got, want, "cumsum %s %s dim %d" % (np.dtype(dt), shape, dim))
                got = lt.cumprod(T(a), dim).numpy()
                want = np.cumprod(a, axis=dim if a.ndim else None, dtype=want_t).reshape(a.shape)
                same(got, want, "cumprod %s %s dim %d" % (np.dtype(dt), shape, dim))
    # int64 sums wrap around as torch's
    big = np.array([2**62, 2**62, 2**62], np.int64)
    same(lt.cumsum(T(big), 0).numpy(), np.cumsum(big), "cumsum int64 wraps")
    expect_error(lambda: lt.cumsum(lt.zeros(2, 3), 2), lt.IndexOutOfRangeError, ["dimension 2"], "cumsum bad dim")
    if torch is not None:
        # float32 accumulation: torch's CPU kernel accumulates in double
        x = rng.standard_normal(100000).astype(np.float32)
        same(lt.cumsum(T(x), 0).numpy(), torch.cumsum(torch.tensor(x), 0).numpy(), "cumsum float32 as torch")


def grads(fn, inputs):
    """libtensor and torch grads of sum(fn(*inputs) * w) for a fixed random w, and grad_fn names."""
    lts = [lt.tensor(x, requires_grad=True) for x in inputs]
    ths = [torch.tensor(x, requires_grad=True) for x in inputs]
    out_l = fn(lt, *lts)
    out_t = fn(torch, *ths)
    w = rng.standard_normal(tuple(out_t.shape))
    (out_l * lt.tensor(w)).sum().backward()
    (out_t * torch.tensor(w)).sum().backward()
    return out_l, out_t, lts, ths


def test_grads_vs_torch():
    if torch is None:
        print("torch not importable: grads checked only by tests/test_gradcheck.cpp")
        return
    x = rng.standard_normal((4, 5))
    idx = np.array([3, 0, 3, 1])
    cases = [
        ("IndexSelectBackward0", lambda m, a: m.index_select(a, 0, m.tensor(idx)), [x]),
        ("IndexSelectBackward0", lambda m, a: m.index_select(a, -1, m.tensor(idx)), [x]),
        ("GatherBackward0", lambda m, a: m.gather(a, 1, m.tensor([[0, 0, 4], [1, 2, 1]])), [x]),
        ("ScatterBackward0", lambda m, a, s: m.scatter(a, 1, m.tensor([[0, 3], [4, 1]]), s),
         [x, rng.standard_normal((2, 2))]),
        ("ScatterAddBackward0", lambda m, a, s: m.scatter_add(a, 0, m.tensor([[0, 3, 3], [3, 1, 0]]), s),
         [x, rng.standard_normal((2, 3))]),
        ("IndexAddBackward0", lambda m, a, s: (a * 1).index_add_(0, m.tensor([1, 1, 2]), s, alpha=-1.5),
         [x, rng.standard_normal((3, 5))]),
        ("MaskedFillBackward0", lambda m, a: m.masked_fill(a, m.tensor(x > 0.3), 2.5), [x]),
        ("MaskedFillBackward0", lambda m, a: m.masked_fill(a, m.tensor(np.array([True, False, True, False, False])),
                                                           -1.0), [x[0:1]]),
        ("MaskedFillBackward0", lambda m, a: (a * 1).masked_fill_(m.tensor(np.array([False, True, True, False, True])),
                                                                  0.0), [x]),
        ("MaskedSelectBackward0", lambda m, a: m.masked_select(a, m.tensor(x > 0)), [x]),
        ("MaskedSelectBackward0", lambda m, a: m.masked_select(a, m.tensor(x > 0)), [x[1]]),
        ("CumsumBackward0", lambda m, a: m.cumsum(a, 1), [x]),
        ("CumsumBackward0", lambda m, a: m.cumsum(a, -2), [x]),
        ("CumprodBackward0", lambda m, a: m.cumprod(a, 1), [x]),
        ("CumprodBackward0", lambda m, a: m.cumprod(a, 0), [np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 1.5],
                                                                    [0.5, 4.0, 0.0], [1.0, 2.0, 3.0]])]),
        ("CumprodBackward0", lambda m, a: m.cumprod(a, 1), [np.array([[2.0, 0.0, 3.0, 0.0, 2.0],
                                                                    [0.0, 1.5, 2.0, 2.0, 1.0]])]),
    ]
    for name, fn, inputs in cases:
        out_l, out_t, lts, ths = grads(fn, inputs)
        same(out_l.detach().numpy(), out_t.detach().numpy(), name + " forward")
        if ("grad_fn=<%s>" % name) not in repr(out_l):
            fail("%s: repr %r lacks the grad_fn name" % (name, repr(out_l)))
        for i, (a, b) in enumerate(zip(lts, ths)):
            same(a.grad.numpy(), b.grad.numpy(), "%s grad of input %d" % (name, i))


for test in [test_index_select, test_gather, test_scatter, test_index_add, test_errors, test_masks,
             test_scans, test_grads_vs_torch]:
    test()
print("test_index_numpy: %d checks passed" % checks)
