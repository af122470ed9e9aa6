#!/usr/bin/python3
"""Differential test of libtensor.nn.functional.conv1d, conv2d and conv_transpose2d against Debian's PyTorch
(CPU): random geometries in float32 and float64 with int and tuple arguments, non-contiguous inputs (a
transposed view), batch 0 and 1, unbatched inputs, groups and depthwise, padding "same" / "valid", the grads of
input, weight and bias, grad_fn names, and every shape / argument error torch raises, with torch's message.
Run with LIBTENSOR_PATH=/path/to/libtensor.so and PYTHONPATH=bindings/python. Exits 77 without torch."""
import re
import sys
import warnings

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch not available: skipping")
    sys.exit(77)

import libtensor as lt
import libtensor.nn.functional as LF

warnings.filterwarnings("ignore", message="Using padding='same'")
rng = np.random.default_rng(1919)
failures = []
TOL = {np.float32: (1e-4, 1e-4), np.float64: (1e-10, 1e-9)}


def close(name, got, want, dt):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    atol, rtol = TOL[dt]
    if got.shape != want.shape or not np.allclose(got, want, atol=atol, rtol=rtol):
        failures.append(name)
        print("FAIL:", name, got.shape, want.shape, np.max(np.abs(got - want)) if got.shape == want.shape else "")


def leaf(a, transposed=False):
    """The same values as libtensor and torch leaves, and the views the op gets: with transposed, a view
    swapping the last two dims of a contiguous array of the swapped shape (non-contiguous unless a dim is 1)."""
    if transposed:
        base = np.ascontiguousarray(np.swapaxes(a, -1, -2))
        l, t = lt.tensor(base), torch.tensor(base)
        l.requires_grad_(True)
        t.requires_grad_(True)
        lv, tv = l.transpose(-1, -2), t.transpose(-1, -2)
        return l, t, lv, tv
    l, t = lt.tensor(a), torch.tensor(a)
    l.requires_grad_(True)
    t.requires_grad_(True)
    return l, t, l, t


def run(name, dt, lt_fn, torch_fn, xa, wa, ba, transposed=False):
    lx, tx, lxv, txv = leaf(xa, transposed)  # the grads are compared on the leaves (same layout on both sides)
    _, _, lw, tw = leaf(wa)
    lb, tb = (None, None) if ba is None else leaf(ba)[2:4]
    ty = torch_fn(txv, tw, tb)
    ly = lt_fn(lxv, lw, lb)
    close(name + " forward", ly.detach().numpy(), ty.detach().numpy(), dt)
    m = re.search(r"grad_fn=<(\w+)>", repr(ly))
    if not m or m.group(1) != "ConvolutionBackward0":
        failures.append(name + " grad_fn")
        print("FAIL:", name, "grad_fn", m and m.group(1))
    r = rng.standard_normal(ty.shape).astype(dt)
    (ly * lt.tensor(r)).sum().backward()
    (ty * torch.tensor(r)).sum().backward()
    close(name + " grad input", lx.grad.numpy(), tx.grad.numpy(), dt)
    close(name + " grad weight", lw.grad.numpy(), tw.grad.numpy(), dt)
    if lb is not None:
        close(name + " grad bias", lb.grad.numpy(), tb.grad.numpy(), dt)


def arg(values):
    """An int when every dim agrees and a coin says so, else a tuple (torch takes both)."""
    return values[0] if len(set(values)) == 1 and rng.random() < 0.5 else tuple(values)


def randn(shape, dt):
    return rng.standard_normal(shape).astype(dt)


# ---- random geometries ----
for it in range(90):
    dt = (np.float32, np.float64)[it % 2]
    kind = ("conv1d", "conv2d", "conv_transpose2d")[it % 3]
    dims = 1 if kind == "conv1d" else 2
    g = int(rng.choice([1, 1, 2, 3]))
    cin, cout = g * int(rng.integers(1, 4)), g * int(rng.integers(1, 4))
    depthwise = kind == "conv2d" and it % 9 == 1
    if depthwise:
        g, cin = cin, cin
        cout = cin * int(rng.integers(1, 3))
    k = [int(rng.integers(1, 4)) for _ in range(dims)]
    s = [int(rng.integers(1, 3)) for _ in range(dims)]
    p = [int(rng.integers(0, 3)) for _ in range(dims)]
    d = [int(rng.integers(1, 3)) for _ in range(dims)]
    spatial = [int(rng.integers(3, 9)) for _ in range(dims)]
    n = int(rng.choice([0, 1, 1, 2, 3, -1]))  # -1: unbatched
    xshape = ([] if n < 0 else [n]) + [cin] + spatial
    wshape = ([cin, cout // g] if kind == "conv_transpose2d" else [cout, cin // g]) + k
    bias = rng.random() < 0.7
    transposed = rng.random() < 0.4
    name = "%s #%d %s x%s w%s s%s p%s d%s g%d%s%s" % (kind, it, dt.__name__, xshape, wshape, s, p, d, g,
                                                     " bias" if bias else "", " transposed" if transposed else "")
    xa, wa, ba = randn(xshape, dt), randn(wshape, dt), randn([cout], dt) if bias else None
    if kind == "conv_transpose2d":
        op = [int(rng.integers(0, max(s[i], d[i]))) for i in range(2)]
        kw = dict(stride=arg(s), padding=arg(p), output_padding=arg(op), groups=g, dilation=arg(d))
        tf, lf = F.conv_transpose2d, LF.conv_transpose2d
    else:
        kw = dict(stride=arg(s), padding=arg(p), dilation=arg(d), groups=g)
        tf, lf = (F.conv1d, LF.conv1d) if kind == "conv1d" else (F.conv2d, LF.conv2d)
    try:
        tf(torch.tensor(xa), torch.tensor(wa), None if ba is None else torch.tensor(ba), **kw)
    except RuntimeError:
        continue  # an impossible geometry: the error cases below cover those
    run(name, dt, lambda x, w, b: lf(x, w, b, **kw), lambda x, w, b: tf(x, w, b, **kw), xa, wa, ba, transposed)

# ---- padding "same" (odd and even totals, dilation) and "valid" ----
for dt in (np.float32, np.float64):
    for kernel, dil in (((3, 4), (1, 1)), ((2, 3), (2, 1)), ((4, 1), (1, 3))):
        xa, wa, ba = randn([2, 4, 7, 6], dt), randn([4, 2] + list(kernel), dt), randn([4], dt)
        for pad in ("same", "valid"):
            run("conv2d padding=%s k%s d%s %s" % (pad, kernel, dil, dt.__name__), dt,
                lambda x, w, b: LF.conv2d(x, w, b, padding=pad, dilation=dil, groups=2),
                lambda x, w, b: F.conv2d(x, w, b, padding=pad, dilation=dil, groups=2), xa, wa, ba)
    xa, wa = randn([2, 3, 9], dt), randn([5, 3, 4], dt)
    run("conv1d padding=same k4 " + dt.__name__, dt, lambda x, w, b: LF.conv1d(x, w, b, padding="same"),
        lambda x, w, b: F.conv1d(x, w, b, padding="same"), xa, wa, None)


# ---- errors: the same exception kind and torch's message ----
def same_error(name, lt_call, torch_call, exact=True):
    try:
        torch_call()
        failures.append(name + " (torch accepted it)")
        print("FAIL:", name, "torch accepted it")
        return
    except RuntimeError as e:
        want = str(e).splitlines()[0]
    try:
        lt_call()
        failures.append(name + " (no error)")
        print("FAIL:", name, "no error")
    except lt.Error as e:
        got = str(e)
        if exact and want not in got:
            failures.append(name)
            print("FAIL:", name, "\n  got: ", got, "\n  want:", want)


def pair(xs, ws, bs=None):
    x, w = randn(xs, np.float32), randn(ws, np.float32)
    b = None if bs is None else randn(bs, np.float32)
    return ((lt.tensor(x), lt.tensor(w), None if b is None else lt.tensor(b)),
            (torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(b)))


ERRORS = [
    # (name, fn name, x shape, w shape, b shape, kwargs)
    ("kernel larger than padded input", "conv2d", (1, 2, 3, 3), (1, 2, 5, 5), None, {}),
    ("kernel larger than padded input (dilation)", "conv2d", (1, 2, 5, 5), (1, 2, 3, 3), None, dict(dilation=3)),
    ("conv1d kernel larger than input", "conv1d", (1, 4, 2), (4, 4, 3), None, {}),
    ("channels not divisible by groups", "conv2d", (1, 4, 5, 5), (3, 2, 3, 3), None, dict(groups=2)),
    ("input channels != weight channels * groups", "conv2d", (1, 4, 5, 5), (4, 3, 3, 3), None, {}),
    ("unbatched channels mismatch", "conv2d", (4, 5, 5), (4, 3, 3, 3), None, {}),
    ("empty weight", "conv2d", (1, 2, 5, 5), (0, 2, 3, 3), None, {}),
    ("input of rank 2", "conv2d", (4, 5), (4, 4, 3, 3), None, {}),
    ("conv1d input of rank 4", "conv1d", (1, 2, 4, 5), (4, 2, 3), None, {}),
    ("bias of the wrong size", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), (3,), {}),
    ("bias of rank 2", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), (4, 1), {}),
    ("zero stride", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(stride=0)),
    ("negative padding", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(padding=(0, -1))),
    ("zero dilation", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(dilation=0)),
    ("zero groups", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(groups=0)),
    ("stride of three values", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(stride=(1, 2, 3))),
    ("padding='same' with stride 2", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(padding="same", stride=2)),
    ("unknown padding string", "conv2d", (1, 4, 5, 5), (4, 4, 3, 3), None, dict(padding="full")),
    ("transposed: output_padding not below stride or dilation", "conv_transpose2d", (1, 4, 5, 5), (4, 4, 3, 3),
     None, dict(output_padding=1)),
    ("transposed: output too small", "conv_transpose2d", (1, 4, 1, 1), (4, 4, 1, 1), None, dict(padding=1)),
    ("transposed: channels mismatch", "conv_transpose2d", (1, 3, 5, 5), (4, 4, 3, 3), None, {}),
    ("transposed: bias of the wrong size", "conv_transpose2d", (1, 4, 5, 5), (4, 2, 3, 3), (3,), dict(groups=2)),
    ("transposed: weight rows not divisible by groups", "conv_transpose2d", (1, 3, 5, 5), (3, 2, 3, 3), None,
     dict(groups=2)),
]
for name, fn, xs, ws, bs, kw in ERRORS:
    (lx, lw, lb), (tx, tw, tb) = pair(xs, ws, bs)
    same_error(name, lambda: getattr(LF, fn)(lx, lw, lb, **kw), lambda: getattr(F, fn)(tx, tw, tb, **kw))

# Errors where libtensor's message differs from torch's on purpose (torch reports an artefact of its
# dispatch); only the failure is required: a 3-D weight for conv2d (torch: "expected stride to be a single
# integer value or a list of 1 values"), mixed dtypes (torch: "expected scalar type Double but found Float").
(lx, lw, _), (tx, tw, _) = pair((1, 4, 5, 5), (4, 4, 3))
same_error("conv2d weight of rank 3", lambda: LF.conv2d(lx, lw), lambda: F.conv2d(tx, tw), exact=False)
same_error("mixed dtypes", lambda: LF.conv2d(lt.tensor(randn((1, 4, 5, 5), np.float64)), lt.tensor(randn((4, 4, 3, 3), np.float32))),
           lambda: F.conv2d(torch.tensor(randn((1, 4, 5, 5), np.float64)), torch.tensor(randn((4, 4, 3, 3), np.float32))),
           exact=False)
try:
    LF.conv2d(lt.tensor(np.zeros((1, 4, 5, 5), np.int64)), lt.tensor(np.zeros((4, 4, 3, 3), np.int64)))
    failures.append("int64 conv accepted")
except lt.DTypeError:
    pass

print("failures:", len(failures))
sys.exit(1 if failures else 0)
