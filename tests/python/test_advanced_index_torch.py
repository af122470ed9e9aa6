#!/usr/bin/python3
"""Differential test of advanced indexing (tensor_index, tensor_index_put_) against torch: random shapes
with random index lists (int64 tensors, bool masks covering one or more dims, None entries, broadcasting
index shapes, negative indices, empty indices), every dtype, non-contiguous sources; index_put_ with and
without accumulate (no repeated indices without accumulate, whose winner torch leaves undefined); Python
subscripts a[t], a[mask], a[i, :, j], a[idx] = v mixed with basic slicing; grads and grad_fn names.
Run by ctest with LIBTENSOR_PATH and PYTHONPATH set (tests/advanced_index.cmake); skipped without torch."""
import sys

import numpy as np

import libtensor as lt
from libtensor._indexing import _advanced_index

try:
    import torch
except ImportError:
    print("torch not importable: skipped")
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
    ok = np.allclose(got, want, rtol=1e-5, atol=1e-6) if want.dtype.kind == "f" else np.array_equal(got, want)
    if not ok:
        fail("%s:\n got %s\nwant %s" % (what, got, want))


def rand(shape, dtype):
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(-50, 50, shape).astype(dtype)


def L(a, transpose=False):
    a = np.array(a)
    if transpose and a.ndim >= 2:
        return lt.from_numpy(np.ascontiguousarray(a.swapaxes(0, 1))).clone().transpose(0, 1)
    return lt.from_numpy(a).clone()


def random_indices(shape, unique=False):
    """A random index list for a tensor of `shape`: (numpy arrays or None entries, the index shape)."""
    nd = len(shape)
    nidx = rng.integers(1, nd + 1)
    entries, d = [], 0
    bshape = tuple(int(x) for x in rng.integers(1, 4, rng.integers(0, 3)))  # the int indices' common shape
    if unique:
        bshape = (int(rng.integers(1, 3)),)
    has_mask = False
    while len(entries) < nidx and d < nd:
        kind = rng.integers(0, 4)
        if kind == 0:
            entries.append(None)
            d += 1
        elif kind == 1 and not has_mask and not unique:
            k = int(rng.integers(1, min(2, nd - d) + 1))
            m = rng.random(shape[d:d + k]) < 0.5
            entries.append(m)
            has_mask = True
            d += k
        else:
            n = shape[d]
            if n == 0:
                entries.append(None)
            else:
                # broadcastable: drop leading dims / set some to 1
                sh = list(bshape)
                if sh and rng.random() < 0.3:
                    sh[int(rng.integers(0, len(sh)))] = 1
                if unique:
                    entries.append(None)  # filled below with a joint permutation
                    entries[-1] = ("u", n, tuple(sh))
                else:
                    entries.append(rng.integers(-n, n, sh).astype(np.int64))
            d += 1
    return entries


def fill_unique(entries, shape):
    """Replaces the ('u', n, shape) placeholders by indices with distinct combined positions."""
    out = []
    for e in entries:
        if isinstance(e, tuple) and e and e[0] == "u":
            out.append(e)
        else:
            out.append(e)
    us = [i for i, e in enumerate(out) if isinstance(e, tuple)]
    if not us:
        return out
    k = out[us[0]][2][0] if out[us[0]][2] else 1
    k = min(k, min(out[i][1] for i in us))
    for i in us:
        out[i] = rng.permutation(out[i][1])[:k].astype(np.int64)  # the first one alone makes pairs distinct
    return out


def lt_list(entries, transpose=False):
    return [None if e is None else L(e) for e in entries]


def th_list(entries):
    return [None if e is None else torch.tensor(e) for e in entries]


SHAPES = [(5,), (3, 4), (2, 3, 4), (4, 1, 3), (2, 3, 2, 3), (0, 3), (3, 0, 2)]


def test_index_random():
    for dt in DTYPES:
        for shape in SHAPES:
            for trial in range(6):
                entries = random_indices(shape)
                if all(e is None for e in entries):
                    continue
                a = rand(shape, dt)
                try:
                    want = torch.ops.aten.index(torch.tensor(a), th_list(entries)).numpy()
                except IndexError as e:  # a mask's count that does not broadcast with the other indices
                    expect_error(lambda: _advanced_index(L(a), lt_list(entries)), lt.IndexOutOfRangeError,
                                 ["broadcast"] if "broadcast" in str(e) else [], "index error as torch: %s" % e)
                    continue
                got = _advanced_index(L(a, trial % 2 == 1), lt_list(entries)).numpy()
                same(got, want, "index %s %s %s" % (np.dtype(dt), shape, [None if e is None else e.shape
                                                                          for e in entries]))


def test_index_put_random():
    for dt in DTYPES:
        for shape in SHAPES:
            for trial in range(6):
                for acc in (False, True):
                    entries = random_indices(shape, unique=not acc)
                    entries = fill_unique(entries, shape)
                    if all(e is None for e in entries):
                        continue
                    a = rand(shape, dt)
                    try:
                        res_shape = tuple(torch.ops.aten.index(torch.tensor(a), th_list(entries)).shape)
                    except IndexError:  # shapes that do not broadcast: test_index_random checks the error
                        continue
                    # values of the result shape, or broadcasting from a suffix of it
                    vshape = res_shape[int(rng.integers(0, len(res_shape) + 1)):]
                    v = rand(vshape, dt)
                    want = torch.tensor(a)
                    torch.ops.aten.index_put_(want, th_list(entries), torch.tensor(v), acc)
                    got = L(a, trial % 2 == 1)  # odd trials write through a transposed (strided) t
                    lt.index_put_(got, lt_list(entries), L(v), acc)
                    same(got.numpy(), want.numpy(), "index_put_ acc=%s %s %s %s" % (
                        acc, np.dtype(dt), shape, [None if e is None else e.shape for e in entries]))


def test_subscripts():
    a = rand((4, 5, 6), np.float32)
    ta, la = torch.tensor(a), L(a)
    i = np.array([3, 0, -1])
    j = np.array([[1], [4]])
    m = a[:, 0, 0] > 0
    m2 = a[0] > 0
    cases = [
        ("a[t]", lambda x, T: x[T(i)]),
        ("a[list]", lambda x, T: x[[0, 2, 2]]),
        ("a[mask]", lambda x, T: x[T(m)]),
        ("a[:, mask2]", lambda x, T: x[:, T(m2)]),
        ("a[i, :, j]", lambda x, T: x[T(i), :, T(j)]),
        ("a[i, j]", lambda x, T: x[T(i), T(j)]),
        ("a[..., i]", lambda x, T: x[..., T(i)]),
        ("a[0, i]", lambda x, T: x[0, T(i)]),
        ("a[i, 0]", lambda x, T: x[T(i), 0]),
        ("a[1:3, i]", lambda x, T: x[1:3, T(i)]),
        ("a[i, 1:5:2, j]", lambda x, T: x[T(i), 1:5:2, T(j)]),
        ("a[None, i]", lambda x, T: x[None, T(i)]),
        ("a[True]", lambda x, T: x[True]),
        ("a[False]", lambda x, T: x[False]),
        ("a[True, i]", lambda x, T: x[True, T(i)]),
        ("a[i, True]", lambda x, T: x[T(i), True]),
        ("a[..., True]", lambda x, T: x[..., True]),
        ("a[[]]", lambda x, T: x[[]]),
        ("a[0-d int]", lambda x, T: x[T(np.array(2))]),
    ]
    for name, fn in cases:
        same(fn(la, L).numpy(), fn(ta, torch.tensor).numpy(), name)
    # assignments
    sets = [
        ("a[i] = 0.5", lambda x, T: x.__setitem__(T(np.array([3, 0])), 0.5)),
        ("a[mask] = 0.0", lambda x, T: x.__setitem__(T(m), 0.0)),
        ("a[i, :, j] = v", lambda x, T: x.__setitem__((T(i), slice(None), T(j)), T(np.arange(5, dtype=np.float32)))),
        ("a[1:3, [0, 4]] = v", lambda x, T: x.__setitem__((slice(1, 3), [0, 4]), T(np.array([[1], [2]], np.float32)))),
        ("a[[0, 2]] = 3 (an int)", lambda x, T: x.__setitem__([0, 2], 3)),
        ("a[0, mask2] = v", lambda x, T: x.__setitem__((0, T(m2)), T(np.float32(7)))),
    ]
    for name, fn in sets:
        x, y = L(a), torch.tensor(a)
        fn(x, L)
        fn(y, torch.tensor)
        same(x.numpy(), y.numpy(), name)
    # Tensor.index_put_ and lt.index_put
    x, y = L(a), torch.tensor(a)
    v = rand((2, 6), np.float32)
    x.index_put_((L(np.array([1, 1])), L(np.array([0, 3]))), L(v), accumulate=True)
    y.index_put_((torch.tensor([1, 1]), torch.tensor([0, 3])), torch.tensor(v), accumulate=True)
    same(x.numpy(), y.numpy(), "Tensor.index_put_ accumulate")
    z = lt.index_put(L(a), (L(np.array([2])),), L(np.float32(1)))
    same(z.numpy(), torch.index_put(ta, (torch.tensor([2]),), torch.tensor(1.0)).numpy(), "lt.index_put")
    same(la.numpy(), a, "index_put leaves its input")


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
    a = lt.zeros(3, 4)
    for fn, exc, words in [
        (lambda: a[lt.tensor([0, 3])], lt.IndexOutOfRangeError, ["index 3", "dimension 0", "size 3"]),
        (lambda: a[:, lt.tensor([-5])], lt.IndexOutOfRangeError, ["index -5", "dimension 1", "size 4"]),
        (lambda: a[lt.tensor([True, False])], lt.IndexOutOfRangeError, ["mask"]),
        (lambda: a[lt.tensor([0, 1]), lt.tensor([0, 1, 2])], lt.IndexOutOfRangeError, ["broadcast"]),
        (lambda: a[lt.tensor([0.0])], lt.DTypeError, ["float32"]),
        (lambda: lt.index_put_(a, (lt.tensor([0]),), lt.ones(1, dtype=lt.float64)), lt.DTypeError, ["float64"]),
        (lambda: lt.index_put_(a, (lt.tensor([0]),), lt.ones(2, 2)), lt.ShapeError, ["broadcast"]),
        (lambda: a.__setitem__(lt.tensor([0]), lt.ones(4, dtype=lt.int64)), lt.DTypeError, ["int64"]),
    ]:
        expect_error(fn, exc, words, "error %s" % words)


def test_grads():
    x = rng.standard_normal((4, 5, 3))
    i = np.array([3, 0, 3])
    j = np.array([2, 2, 1])
    m = x[:, :, 0] > 0
    cases = [
        ("IndexBackward0", lambda M, T, a: a[T(i)], [x]),
        ("IndexBackward0", lambda M, T, a: a[T(i), :, T(j)], [x]),
        ("IndexBackward0", lambda M, T, a: a[:, T(i)[:2], T(j)[:2]], [x]),
        ("IndexBackward0", lambda M, T, a: a[T(m)], [x]),
        ("IndexPutBackward0", lambda M, T, a, v: M.index_put(a * 1, (T(i),), v, accumulate=True),
         [x, rng.standard_normal((5, 3))]),
        ("IndexPutBackward0", lambda M, T, a, v: M.index_put(a * 1, (T(np.array([2, 0])), T(j[:2])), v),
         [x, rng.standard_normal((2, 3))]),
        ("IndexPutBackward0", lambda M, T, a, v: M.index_put(a * 1, (T(m),), v), [x, rng.standard_normal(3)]),
    ]
    for name, fn, inputs in cases:
        lts = [lt.tensor(v, requires_grad=True) for v in inputs]
        ths = [torch.tensor(v, requires_grad=True) for v in inputs]
        out_l = fn(lt, L, *lts)
        out_t = fn(torch, torch.tensor, *ths)
        same(out_l.detach().numpy(), out_t.detach().numpy(), name + " forward")
        if ("grad_fn=<%s>" % name) not in repr(out_l):
            fail("%s: repr lacks the grad_fn name: %r" % (name, repr(out_l)[-80:]))
        w = rng.standard_normal(tuple(out_t.shape))
        (out_l * lt.tensor(w)).sum().backward()
        (out_t * torch.tensor(w)).sum().backward()
        for k, (p, q) in enumerate(zip(lts, ths)):
            same(p.grad.numpy(), q.grad.numpy(), "%s grad of input %d" % (name, k))


for test in [test_index_random, test_index_put_random, test_subscripts, test_errors, test_grads]:
    test()
print("test_advanced_index_torch: %d checks passed" % checks)
