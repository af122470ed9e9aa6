#!/usr/bin/python3
"""Differential test of max_pool2d, avg_pool2d, adaptive_avg_pool2d, embedding and pad: libtensor through
libtensor.nn.functional against Debian's PyTorch (CPU). Random shapes, kernels, strides, paddings,
dilations, ceil modes and count_include_pad over 3-d and 4-d inputs (batch 0 and 1 included), strided
inputs, ties and NaN in max pools (indices compared with torch's pick), non-divisible adaptive sizes;
embedding with repeated int32/int64 indices of rank 0..2; pad with positive, negative and mixed pads over
several dims in every dtype. Forward, grads, grad_fn names, and the error cases (exception class and
torch's message). Run with LIBTENSOR_PATH=/path/to/libtensor.so and PYTHONPATH=bindings/python. Exits 77
without torch."""
import re
import sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch not available: skipping")
    sys.exit(77)

import libtensor as lt
import libtensor.nn.functional as LF

rng = np.random.default_rng(1913)
failures = []
checks = [0]
TOL = {np.float32: (1e-5, 1e-5), np.float64: (1e-12, 1e-10)}


def fail(name, *info):
    failures.append(name)
    print("FAIL:", name, *info)


def close(name, got, want, dt=np.float64, exact=False):
    checks[0] += 1
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return fail(name, "shape", got.shape, want.shape)
    if exact:
        if not np.array_equal(got, want, equal_nan=got.dtype.kind == "f"):
            fail(name, "values differ")
        return
    atol, rtol = TOL[dt]
    g, w = got.astype(np.float64), want.astype(np.float64)
    if not np.allclose(g, w, atol=atol, rtol=rtol, equal_nan=True):
        fail(name, np.nanmax(np.abs(g - w)))


def grad_fn_name(t):
    m = re.search(r"grad_fn=<(\w+)>", repr(t))
    return m and m.group(1)


def strided(x):
    """The same values as x in a non-contiguous layout (last two dims transposed in memory)."""
    return np.ascontiguousarray(np.swapaxes(x, -1, -2))


def diff(name, dt, x, lt_fn, torch_fn, transposed=False, grad=True, extra=None):
    """Runs lt_fn / torch_fn on x (a non-contiguous view when transposed); compares outputs (and the
    extra outputs: max pool indices), the grad of x for a random output grad, and the grad_fn name."""
    src = strided(x) if transposed else x
    lx = lt.tensor(src)
    tx = torch.tensor(src)
    if grad:
        lx.requires_grad_(True)
        tx.requires_grad_(True)
    lin = lx.transpose(-1, -2) if transposed else lx
    tin = tx.transpose(-1, -2) if transposed else tx
    if transposed and x.ndim >= 2 and min(x.shape[-2:]) > 1 and x.size > 0 and lin.is_contiguous():
        fail(name + " input was meant to be strided")
    ly, ty = lt_fn(lin), torch_fn(tin)
    if isinstance(ty, tuple):
        close(name + " indices", ly[1].numpy(), ty[1].numpy(), exact=True)
        ly, ty = ly[0], ty[0]
    close(name + " forward", ly.detach().numpy(), ty.detach().numpy(), dt)
    if not grad:
        return
    want = ty.grad_fn.name() if ty.grad_fn is not None else None
    if grad_fn_name(ly) != want:
        fail(name + " grad_fn", grad_fn_name(ly), want)
    r = rng.standard_normal(tuple(ty.shape)).astype(dt)
    (ly * lt.tensor(r)).sum().backward()
    (ty * torch.tensor(r)).sum().backward()
    close(name + " grad", lx.grad.numpy(), tx.grad.numpy(), dt)


def has_empty_window(shape, k, s, p, d, ceil):
    """Whether a max pool window holds no input element (dilation with padding): torch 1.13 then returns
    an index outside the plane and its backward writes the grad out of bounds, so such cases compare the
    forward only (libtensor drops that grad; tests/test_pool.cpp checks it)."""
    out = F.max_pool2d(torch.zeros(shape), k, s, p, d, ceil).shape[-2:]
    for i in range(2):
        for o in range(out[i]):
            h0 = o * s[i] - p[i]
            h1 = min(h0 + (k[i] - 1) * d[i] + 1, shape[-2 + i])
            while h0 < 0:
                h0 += d[i]
            if h0 >= h1:
                return True
    return False


def random_pool_case(with_dilation):
    """(shape, kernel, stride, padding, dilation, ceil_mode) that torch accepts."""
    while True:
        four = rng.random() < 0.7
        n = int(rng.choice([0, 1, 2, 3])) if four else None
        c = int(rng.integers(1, 4))
        h, w = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        k = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        s = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        p = (int(rng.integers(0, k[0] // 2 + 1)), int(rng.integers(0, k[1] // 2 + 1)))
        d = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if with_dilation else (1, 1)
        ceil = bool(rng.random() < 0.5)
        shape = (n, c, h, w) if four else (c, h, w)
        try:
            F.max_pool2d(torch.zeros(shape), k, s, p, d, ceil) if with_dilation else F.avg_pool2d(
                torch.zeros(shape), k, s, p, ceil)
        except RuntimeError:
            continue
        return shape, k, s, p, d, ceil


# ---- max_pool2d -------------------------------------------------------------------------------------------
for dt in (np.float32, np.float64):
    for trial in range(40):
        shape, k, s, p, d, ceil = random_pool_case(True)
        tied = trial % 3 == 0  # few distinct values: many equal maxima, torch picks the first
        x = (rng.integers(-2, 3, shape) if tied else rng.standard_normal(shape)).astype(dt)
        tag = "max_pool2d %s %s k%s s%s p%s d%s ceil=%s tied=%s" % (dt.__name__, shape, k, s, p, d, ceil, tied)
        grad = not has_empty_window(shape, k, s, p, d, ceil)
        diff(tag, dt, x, lambda a: LF.max_pool2d(a, k, s, p, d, ceil, return_indices=True),
             lambda a: F.max_pool2d(a, k, s, p, d, ceil, return_indices=True), transposed=trial % 2 == 1, grad=grad)
        diff(tag + " no indices", dt, x, lambda a: LF.max_pool2d(a, k, s, p, d, ceil),
             lambda a: F.max_pool2d(a, k, s, p, d, ceil), grad=grad)
    # the 2x2 stride-2 fast path (odd sizes leave a last row/column out), with ties and NaN
    for shape in ((2, 3, 8, 8), (1, 2, 7, 9), (3, 5, 6)):
        x = rng.integers(-1, 2, shape).astype(dt)
        x.flat[rng.choice(x.size, 3, replace=False)] = np.nan
        diff("max_pool2d 2x2 %s %s (ties, NaN)" % (dt.__name__, shape), dt, x,
             lambda a: LF.max_pool2d(a, 2, return_indices=True), lambda a: F.max_pool2d(a, 2, return_indices=True),
             grad=False)
        diff("max_pool2d 2x2 %s %s" % (dt.__name__, shape), dt, rng.standard_normal(shape).astype(dt),
             lambda a: LF.max_pool2d(a, 2), lambda a: F.max_pool2d(a, 2), transposed=True)
    # NaN in generic windows (padding, dilation): the last NaN of the window wins
    x = rng.standard_normal((2, 2, 7, 6)).astype(dt)
    x.flat[rng.choice(x.size, 8, replace=False)] = np.nan
    diff("max_pool2d NaN generic %s" % dt.__name__, dt, x,
         lambda a: LF.max_pool2d(a, 3, 2, 1, 2, True, return_indices=True),
         lambda a: F.max_pool2d(a, 3, 2, 1, 2, True, return_indices=True), grad=False)
    # an all -inf window keeps its first element's index
    x = np.full((1, 1, 4, 4), -np.inf, dt)
    diff("max_pool2d all -inf %s" % dt.__name__, dt, x, lambda a: LF.max_pool2d(a, 3, 1, 1, return_indices=True),
         lambda a: F.max_pool2d(a, 3, 1, 1, return_indices=True), grad=False)

# ---- avg_pool2d -------------------------------------------------------------------------------------------
for dt in (np.float32, np.float64):
    for trial in range(40):
        shape, k, s, p, _, ceil = random_pool_case(False)
        cip = bool(trial % 2)
        x = rng.standard_normal(shape).astype(dt)
        diff("avg_pool2d %s %s k%s s%s p%s ceil=%s cip=%s" % (dt.__name__, shape, k, s, p, ceil, cip), dt, x,
             lambda a: LF.avg_pool2d(a, k, s, p, ceil, cip), lambda a: F.avg_pool2d(a, k, s, p, ceil, cip),
             transposed=trial % 3 == 1)
    x = rng.standard_normal((2, 3, 6, 6)).astype(dt)
    diff("avg_pool2d defaults %s" % dt.__name__, dt, x, lambda a: LF.avg_pool2d(a, 3),
         lambda a: F.avg_pool2d(a, 3))
    diff("avg_pool2d tuple args %s" % dt.__name__, dt, x, lambda a: LF.avg_pool2d(a, (3, 2), (1, 2), (1, 0)),
         lambda a: F.avg_pool2d(a, (3, 2), (1, 2), (1, 0)))

# ---- adaptive_avg_pool2d ----------------------------------------------------------------------------------
for dt in (np.float32, np.float64):
    for trial in range(30):
        four = trial % 4 != 3
        n = int(rng.choice([0, 1, 2])) if four else None
        c, h, w = int(rng.integers(1, 4)), int(rng.integers(1, 12)), int(rng.integers(1, 12))
        # output sizes below, equal to and above the input's, non-divisible ones, 1x1 (torch's mean path)
        o = (1, 1) if trial % 7 == 0 else (int(rng.integers(1, h + 3)), int(rng.integers(1, w + 3)))
        shape = (n, c, h, w) if four else (c, h, w)
        x = rng.standard_normal(shape).astype(dt)
        diff("adaptive_avg_pool2d %s %s -> %s" % (dt.__name__, shape, o), dt, x,
             lambda a: LF.adaptive_avg_pool2d(a, o), lambda a: F.adaptive_avg_pool2d(a, o),
             transposed=trial % 3 == 1)
    x = rng.standard_normal((2, 3, 7, 5)).astype(dt)
    diff("adaptive_avg_pool2d int size %s" % dt.__name__, dt, x, lambda a: LF.adaptive_avg_pool2d(a, 3),
         lambda a: F.adaptive_avg_pool2d(a, 3))
    diff("adaptive_avg_pool2d None size %s" % dt.__name__, dt, x, lambda a: LF.adaptive_avg_pool2d(a, (None, 2)),
         lambda a: F.adaptive_avg_pool2d(a, (None, 2)))

# ---- embedding --------------------------------------------------------------------------------------------
for dt in (np.float32, np.float64):
    for ishape in ((), (5,), (3, 4), (0,), (2, 0, 3)):
        for idt in (np.int64, np.int32):
            v, dim = int(rng.integers(1, 6)), int(rng.integers(1, 5))
            weight = rng.standard_normal((v, dim)).astype(dt)
            idx = rng.integers(0, v, ishape).astype(idt)  # v < numel: repeated rows, whose grads add
            lw, tw = lt.tensor(weight), torch.tensor(weight)
            lw.requires_grad_(True)
            tw.requires_grad_(True)
            tag = "embedding %s idx %s %s" % (dt.__name__, ishape, idt.__name__)
            ly = LF.embedding(lt.tensor(idx), lw)
            ty = F.embedding(torch.tensor(idx.astype(np.int64)), tw)  # torch 1.13 CPU takes int64 (and int32)
            close(tag + " forward", ly.detach().numpy(), ty.detach().numpy(), dt, exact=True)
            if grad_fn_name(ly) != ty.grad_fn.name():
                fail(tag + " grad_fn", grad_fn_name(ly), ty.grad_fn.name())
            r = rng.standard_normal(tuple(ty.shape)).astype(dt)
            (ly * lt.tensor(r)).sum().backward()
            (ty * torch.tensor(r)).sum().backward()
            close(tag + " grad", lw.grad.numpy(), tw.grad.numpy(), dt)
    # a strided index tensor and a strided weight
    weight = rng.standard_normal((4, 6)).astype(dt)
    idx = rng.integers(0, 6, (3, 5))
    close("embedding strided %s" % dt.__name__,
          LF.embedding(lt.tensor(idx).t(), lt.tensor(weight).t()).numpy(),
          F.embedding(torch.tensor(idx).t(), torch.tensor(weight).t()).numpy(), dt, exact=True)
# integer and bool weights: forward only, no grad node
for wdt in (np.int32, np.int64, np.bool_):
    weight = rng.integers(0, 2, (4, 3)).astype(wdt)
    idx = np.array([[3, 0], [3, 1]])
    close("embedding weight %s" % wdt.__name__, LF.embedding(lt.tensor(idx), lt.tensor(weight)).numpy(),
          F.embedding(torch.tensor(idx), torch.tensor(weight)).numpy(), exact=True)

# ---- pad --------------------------------------------------------------------------------------------------
for trial in range(40):
    nd = int(rng.integers(1, 5))
    shape = tuple(int(e) for e in rng.integers(0 if trial % 8 == 0 else 1, 5, nd))
    npairs = int(rng.integers(1, nd + 1))
    pads = []
    for k in range(npairs):
        size = shape[nd - 1 - k]
        a, b = int(rng.integers(-2, 4)), int(rng.integers(-2, 4))
        # torch refuses crops past the input (tested below) and, when any pad is positive, an empty dim
        while size + min(a, 0) + min(b, 0) < 0 or size + a + b == 0:
            if b < 0:
                b += 1
            else:
                a += 1
        pads += [a, b]
    for dt in (np.float32, np.float64, np.int32, np.int64, np.bool_):
        value = {np.bool_: 1.0, np.int32: -7.0, np.int64: 3.0}.get(dt, 2.5)
        x = rng.standard_normal(shape) * 4
        x = (x > 0) if dt is np.bool_ else x.astype(dt)
        tag = "pad %s %s %s" % (np.dtype(dt).name, shape, pads)
        floating = dt in (np.float32, np.float64)
        diff(tag, dt if floating else np.float64, x, lambda a: LF.pad(a, pads, value=value),
             lambda a: F.pad(a, pads, value=value), transposed=nd >= 2 and trial % 2 == 1, grad=floating)
# torch 1.13 refuses an empty dim when another pad is positive; libtensor gives the empty result, as
# torch does when no pad is positive
x = rng.standard_normal((2, 3)).astype(np.float32)
close("pad to an empty dim", LF.pad(lt.tensor(x), (1, 0, -2, 0)).numpy(), np.zeros((0, 4), np.float32), exact=True)
close("pad default value", LF.pad(lt.tensor(x), (1, 1)).numpy(), F.pad(torch.tensor(x), (1, 1)).numpy(), exact=True)
close("pad empty pads", LF.pad(lt.tensor(x), ()).numpy(), F.pad(torch.tensor(x), ()).numpy(), exact=True)

# ---- errors: the same exception class as the status maps to, with torch's message -------------------------
ERRORS = [
    # (what, libtensor call, torch call, expected libtensor exception, a fragment both messages contain or
    # (torch's fragment or None, libtensor's) where libtensor's message says more)
    ("max_pool2d 2-d input", lambda: LF.max_pool2d(lt.zeros(4, 4), 2), lambda: F.max_pool2d(torch.zeros(4, 4), 2),
     lt.ShapeError, "3D or 4D"),
    ("max_pool2d empty plane", lambda: LF.max_pool2d(lt.zeros(1, 0, 4, 4), 2),
     lambda: F.max_pool2d(torch.zeros(1, 0, 4, 4), 2), lt.ShapeError, "optional 0 dim batch size"),
    ("max_pool2d pad too big", lambda: LF.max_pool2d(lt.zeros(1, 1, 5, 5), 2, 1, 2),
     lambda: F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, 1, 2), lt.ShapeError, "pad should be at most half"),
    ("max_pool2d kernel too big", lambda: LF.max_pool2d(lt.zeros(1, 1, 2, 2), 3),
     lambda: F.max_pool2d(torch.zeros(1, 1, 2, 2), 3), lt.ShapeError, "Output size is too small"),
    ("max_pool2d zero stride", lambda: LF.max_pool2d(lt.zeros(1, 1, 4, 4), 2, 0),
     lambda: F.max_pool2d(torch.zeros(1, 1, 4, 4), 2, 0), lt.ShapeError, "stride should"),
    ("max_pool2d zero dilation", lambda: LF.max_pool2d(lt.zeros(1, 1, 4, 4), 2, 1, 0, 0),
     lambda: F.max_pool2d(torch.zeros(1, 1, 4, 4), 2, 1, 0, 0), lt.ShapeError, "dilation should be greater than zero"),
    ("max_pool2d zero kernel", lambda: LF.max_pool2d(lt.zeros(1, 1, 4, 4), 0, 1),
     lambda: F.max_pool2d(torch.zeros(1, 1, 4, 4), 0, 1), lt.ShapeError, "kernel size should be greater than zero"),
    ("max_pool2d int input", lambda: LF.max_pool2d(lt.zeros(1, 1, 4, 4, dtype=lt.int64), 2),
     lambda: F.max_pool2d(torch.zeros(1, 1, 4, 4, dtype=torch.int64), 2), lt.DTypeError, "max_pool2d"),
    ("avg_pool2d negative pad", lambda: LF.avg_pool2d(lt.zeros(1, 1, 5, 5), 2, 1, -1),
     lambda: F.avg_pool2d(torch.zeros(1, 1, 5, 5), 2, 1, -1), lt.ShapeError, "pad must be non-negative"),
    ("avg_pool2d kernel too big", lambda: LF.avg_pool2d(lt.zeros(3, 2, 2), (1, 3)),
     lambda: F.avg_pool2d(torch.zeros(3, 2, 2), (1, 3)), lt.ShapeError, "Output size is too small"),
    ("adaptive_avg_pool2d empty plane", lambda: LF.adaptive_avg_pool2d(lt.zeros(2, 3, 0, 4), 2),
     lambda: F.adaptive_avg_pool2d(torch.zeros(2, 3, 0, 4), 2), lt.ShapeError, "non-zero size for non-batch"),
    ("adaptive_avg_pool2d 5-d", lambda: LF.adaptive_avg_pool2d(lt.zeros(1, 2, 3, 4, 5), 2),
     lambda: F.adaptive_avg_pool2d(torch.zeros(1, 2, 3, 4, 5), 2), lt.ShapeError, "Expected 3D or 4D tensor"),
    ("embedding float indices", lambda: LF.embedding(lt.zeros(3), lt.zeros(4, 2)),
     lambda: F.embedding(torch.zeros(3), torch.zeros(4, 2)), lt.DTypeError, "'indices' to have one of the following"),
    ("embedding index out of range", lambda: LF.embedding(lt.tensor([0, 4]), lt.zeros(4, 2)),
     lambda: F.embedding(torch.tensor([0, 4]), torch.zeros(4, 2)), lt.IndexOutOfRangeError,
     ("index out of range", "index 4 is out of bounds")),
    ("embedding negative index", lambda: LF.embedding(lt.tensor([-1]), lt.zeros(4, 2)),
     lambda: F.embedding(torch.tensor([-1]), torch.zeros(4, 2)), lt.IndexOutOfRangeError,
     ("index out of range", "index -1 is out of bounds")),
    ("embedding 1-d weight", lambda: LF.embedding(lt.tensor([0]), lt.zeros(4)),
     lambda: F.embedding(torch.tensor([0]), torch.zeros(4)), lt.ShapeError, "'weight' must be 2-D"),
    ("pad odd length", lambda: LF.pad(lt.zeros(2, 3), (1, 2, 3)), lambda: F.pad(torch.zeros(2, 3), (1, 2, 3)),
     lt.ShapeError, "Padding length must be divisible by 2"),
    ("pad too long", lambda: LF.pad(lt.zeros(2, 3), (1, 1, 1, 1, 1, 1)),
     lambda: F.pad(torch.zeros(2, 3), (1, 1, 1, 1, 1, 1)), lt.ShapeError, "Padding length too large"),
    ("pad negative size", lambda: LF.pad(lt.zeros(2, 3), (-2, -2)), lambda: F.pad(torch.zeros(2, 3), (-2, -2)),
     lt.ShapeError, (None, "resulted in a negative output size")),  # torch 1.13 fails in narrow first
    # a crop past the input refused even though the other side's pad makes up the size (torch: narrow's message)
    ("pad crop past the input", lambda: LF.pad(lt.zeros(1), (1, -2)), lambda: F.pad(torch.zeros(1), (1, -2)),
     lt.ShapeError, (None, "crops more than the input size 1")),
]
for what, lt_call, torch_call, exc, fragment in ERRORS:
    checks[0] += 1
    torch_fragment, fragment = fragment if isinstance(fragment, tuple) else (fragment, fragment)
    try:
        torch_call()
        fail(what + ": torch accepted it (the case is wrong)")
        continue
    except (RuntimeError, IndexError, ValueError) as e:
        if torch_fragment is not None and torch_fragment not in str(e):
            fail(what + ": the fragment is not in torch's message", repr(torch_fragment), str(e))
    try:
        lt_call()
        fail(what + ": libtensor accepted it")
    except exc as e:
        if fragment not in str(e):
            fail(what + ": message", repr(fragment), str(e))
    except Exception as e:  # noqa: BLE001 (any other class is the failure reported)
        fail(what + ": wrong exception", type(e).__name__, str(e))

if failures:
    print("%d failures of %d checks" % (len(failures), checks[0]))
    sys.exit(1)
print("ok: %d checks" % checks[0])
