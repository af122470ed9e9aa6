#!/usr/bin/python3
"""Differential test of batch_norm, layer_norm and group_norm: libtensor through libtensor.nn.functional
against Debian's PyTorch (CPU): random shapes in float32 and float64, non-contiguous input, batch 1, running
stats over several steps, eval mode, NULL weight/bias, grads of input, weight and bias, grad_fn names.
Run with LIBTENSOR_PATH=/path/to/libtensor.so and PYTHONPATH=bindings/python. Exits 77 without torch."""
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

rng = np.random.default_rng(19)
failures = []
TOL = {np.float32: (1e-5, 1e-4), np.float64: (1e-11, 1e-9)}


def close(name, got, want, dt):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    atol, rtol = TOL[dt]
    if got.shape != want.shape or not np.allclose(got, want, atol=atol, rtol=rtol):
        failures.append(name)
        print("FAIL:", name, got.shape, want.shape, np.max(np.abs(got - want)) if got.shape == want.shape else "")


def both(a, grad=False):
    t = torch.tensor(a, requires_grad=grad)
    l = lt.tensor(a)
    if grad:
        l.requires_grad_(True)
    return l, t


def run(name, dt, lt_fn, torch_fn, x, params, node):
    lx, tx = both(x, True)
    lp = [both(p, True) if p is not None else (None, None) for p in params]
    ly = lt_fn(lx, *[p[0] for p in lp])
    ty = torch_fn(tx, *[p[1] for p in lp])
    close(name + " forward", ly.detach().numpy(), ty.detach().numpy(), dt)
    m = re.search(r"grad_fn=<(\w+)>", repr(ly))
    if node is not None and (not m or m.group(1) != node):
        failures.append(name + " grad_fn")
        print("FAIL:", name, "grad_fn", m and m.group(1))
    r = rng.standard_normal(ty.shape).astype(dt)
    (ly * lt.tensor(r)).sum().backward()
    (ty * torch.tensor(r)).sum().backward()
    close(name + " grad input", lx.grad.numpy(), tx.grad.numpy(), dt)
    for i, (l, t) in enumerate(lp):
        if l is not None:
            close(name + " grad param %d" % i, l.grad.numpy(), t.grad.numpy(), dt)


for dt in (np.float32, np.float64):
    for trial in range(6):
        n, c, h, w = (int(rng.integers(1, 5)), int(rng.integers(1, 9)), int(rng.integers(1, 7)), int(rng.integers(1, 7)))
        if n * h * w == 1:
            h = 2
        x = (rng.standard_normal((n, c, h, w)) * 3 + 5).astype(dt)
        xt = np.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)  # same values, strided source
        wc, bc = rng.standard_normal(c).astype(dt), rng.standard_normal(c).astype(dt)
        run("batch_norm train %s %s" % (dt.__name__, x.shape), dt,
            lambda a, wt, bt: LF.batch_norm(a, None, None, wt, bt, True),
            lambda a, wt, bt: F.batch_norm(a, None, None, wt, bt, True), x, [wc, bc], "NativeBatchNormBackward0")
        run("layer_norm %s %s" % (dt.__name__, x.shape), dt,
            lambda a, wt, bt: LF.layer_norm(a, (h, w), wt, bt),
            lambda a, wt, bt: F.layer_norm(a, (h, w), wt, bt), x,
            [rng.standard_normal((h, w)).astype(dt), rng.standard_normal((h, w)).astype(dt)], "NativeLayerNormBackward0")
        g = [k for k in range(1, c + 1) if c % k == 0][-1 if trial % 2 else 0]
        run("group_norm %s %s g=%d" % (dt.__name__, x.shape, g), dt,
            lambda a, wt, bt: LF.group_norm(a, g, wt, bt), lambda a, wt, bt: F.group_norm(a, g, wt, bt), x,
            [wc, bc], "NativeGroupNormBackward0")
        run("layer_norm no affine (non-contiguous) %s" % dt.__name__, dt,
            lambda a: LF.layer_norm(a.transpose(2, 3), (w, h)), lambda a: F.layer_norm(a.transpose(2, 3), (w, h)), xt, [],
            "NativeLayerNormBackward0")
    # running stats over several steps, then eval mode with them
    c = 5
    lrm, lrv = lt.tensor(np.zeros(c, dt)), lt.tensor(np.ones(c, dt))
    trm, trv = torch.zeros(c, dtype=torch.from_numpy(np.zeros(1, dt)).dtype), torch.ones(c, dtype=torch.from_numpy(np.zeros(1, dt)).dtype)
    for step in range(4):
        x = (rng.standard_normal((7, c, 3)) * 2 + step).astype(dt)
        LF.batch_norm(lt.tensor(x), lrm, lrv, training=True, momentum=0.2)
        F.batch_norm(torch.tensor(x), trm, trv, training=True, momentum=0.2)
    close("running_mean %s" % dt.__name__, lrm.numpy(), trm.numpy(), dt)
    close("running_var %s" % dt.__name__, lrv.numpy(), trv.numpy(), dt)
    x = rng.standard_normal((1, c, 4)).astype(dt)
    close("batch_norm eval %s" % dt.__name__, LF.batch_norm(lt.tensor(x), lrm, lrv).numpy(),
          F.batch_norm(torch.tensor(x), trm, trv).numpy(), dt)

# Rows long enough for the vector loops (several 512-element chunks, a tail that is no multiple of the
# widths), mean away from 0 (the shifted sums), each norm with and without its affine parameters.
for dt in (np.float32, np.float64):
    for n in (3, 17, 33, 1029):
        x = (rng.standard_normal((3, n)) * 2 + 5).astype(dt)
        wt, bt = rng.standard_normal(n).astype(dt), rng.standard_normal(n).astype(dt)
        run("layer_norm long rows %s n=%d" % (dt.__name__, n), dt, lambda a, w_, b_: LF.layer_norm(a, n, w_, b_),
            lambda a, w_, b_: F.layer_norm(a, (n,), w_, b_), x, [wt, bt], "NativeLayerNormBackward0")
        run("layer_norm long rows no affine %s n=%d" % (dt.__name__, n), dt, lambda a: LF.layer_norm(a, n),
            lambda a: F.layer_norm(a, (n,)), x, [], "NativeLayerNormBackward0")
        run("layer_norm weight only %s n=%d" % (dt.__name__, n), dt, lambda a, w_: LF.layer_norm(a, n, w_),
            lambda a, w_: F.layer_norm(a, (n,), w_), x, [wt], "NativeLayerNormBackward0")
    x = (rng.standard_normal((2, 6, 37, 29)) * 3 - 20).astype(dt)
    wc, bc = rng.standard_normal(6).astype(dt), rng.standard_normal(6).astype(dt)
    run("batch_norm large planes %s" % dt.__name__, dt, lambda a, w_, b_: LF.batch_norm(a, None, None, w_, b_, True),
        lambda a, w_, b_: F.batch_norm(a, None, None, w_, b_, True), x, [wc, bc], "NativeBatchNormBackward0")
    run("group_norm large planes %s" % dt.__name__, dt, lambda a, w_, b_: LF.group_norm(a, 3, w_, b_),
        lambda a, w_, b_: F.group_norm(a, 3, w_, b_), x, [wc, bc], "NativeGroupNormBackward0")
    run("batch_norm no affine %s" % dt.__name__, dt, lambda a: LF.batch_norm(a, None, None, training=True),
        lambda a: F.batch_norm(a, None, None, training=True), x, [], "NativeBatchNormBackward0")


def dtype_of(dt):
    return torch.float32 if dt == np.float32 else torch.float64


for dt in (np.float32, np.float64):
    # Batch 0: an empty result, grads of the right (empty / zero) shape, running stats left alone. (torch's
    # grad_fn there is AddBackward0, a special path of its own: not compared.)
    for shape in ((0, 3, 4), (0, 3)):
        wc, bc = rng.standard_normal(3).astype(dt), rng.standard_normal(3).astype(dt)
        x = np.zeros(shape, dt)
        run("batch_norm batch 0 %s %s" % (dt.__name__, shape), dt,
            lambda a, w_, b_: LF.batch_norm(a, None, None, w_, b_, True),
            lambda a, w_, b_: F.batch_norm(a, None, None, w_, b_, True), x, [wc, bc], None)
        run("group_norm batch 0 %s %s" % (dt.__name__, shape), dt, lambda a, w_, b_: LF.group_norm(a, 3, w_, b_),
            lambda a, w_, b_: F.group_norm(a, 3, w_, b_), x, [wc, bc], None)
        run("layer_norm batch 0 %s %s" % (dt.__name__, shape), dt, lambda a: LF.layer_norm(a, shape[-1]),
            lambda a: F.layer_norm(a, (shape[-1],)), x, [], None)
        lrm, lrv = lt.tensor(np.full(3, 0.5, dt)), lt.tensor(np.full(3, 2.0, dt))
        LF.batch_norm(lt.tensor(x), lrm, lrv, training=True)
        close("batch_norm batch 0 running stats unchanged %s" % dt.__name__,
              np.concatenate([lrm.numpy(), lrv.numpy()]), np.array([0.5] * 3 + [2.0] * 3), dt)
    # Batch 1, (N, C) and (N, C, L) inputs, non-contiguous input (channels last in memory) and running
    # stats that are strided views, over several steps with different momenta; then evaluation mode with
    # grads flowing to input, weight and bias.
    c = 4
    lbig_m, lbig_v = lt.tensor(np.zeros(2 * c, dt)), lt.tensor(np.ones(2 * c, dt))
    lrm, lrv = lbig_m[::2], lbig_v[1::2]
    trm, trv = torch.zeros(c, dtype=dtype_of(dt)), torch.ones(c, dtype=dtype_of(dt))
    shapes = [(1, c, 5), (6, c), (3, c, 2, 3), (1, c, 1, 2), (2, c, 4)]
    for step, (shape, momentum) in enumerate(zip(shapes, (0.1, 0.5, 0.3, 1.0, 0.0))):
        x = (rng.standard_normal(shape) * (step + 1) - step).astype(dt)
        wc, bc = rng.standard_normal(c).astype(dt), rng.standard_normal(c).astype(dt)
        nhwc = len(shape) == 4  # the leaf holds NHWC memory; both libraries normalise its NCHW view
        if nhwc:
            x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
        lx, tx = both(x, True)
        lp = [both(p, True) for p in (wc, bc)]
        ly = LF.batch_norm(lx.permute(0, 3, 1, 2) if nhwc else lx, lrm, lrv, lp[0][0], lp[1][0], True, momentum)
        ty = F.batch_norm(tx.permute(0, 3, 1, 2) if nhwc else tx, trm, trv, lp[0][1], lp[1][1], True, momentum)
        close("batch_norm steps forward %s %s" % (dt.__name__, shape), ly.detach().numpy(), ty.detach().numpy(), dt)
        r = rng.standard_normal(ty.shape).astype(dt)
        (ly * lt.tensor(r)).sum().backward()
        (ty * torch.tensor(r)).sum().backward()
        close("batch_norm steps grad input %s %s" % (dt.__name__, shape), lx.grad.numpy(), tx.grad.numpy(), dt)
        for i, (l, t) in enumerate(lp):
            close("batch_norm steps grad param %d %s %s" % (i, dt.__name__, shape), l.grad.numpy(), t.grad.numpy(), dt)
        close("running_mean (strided) step %d %s" % (step, dt.__name__), lrm.numpy(), trm.numpy(), dt)
        close("running_var (strided) step %d %s" % (step, dt.__name__), lrv.numpy(), trv.numpy(), dt)
    close("running stats views left the other elements alone %s" % dt.__name__,
          np.concatenate([lbig_m.numpy()[1::2], lbig_v.numpy()[::2]]), np.array([0.0] * c + [1.0] * c), dt)
    rm_np, rv_np = trm.numpy().copy(), trv.numpy().copy()
    wc, bc = rng.standard_normal(c).astype(dt), rng.standard_normal(c).astype(dt)
    x = (rng.standard_normal((3, c, 5)) * 2 + 1).astype(dt)
    run("batch_norm eval grads %s" % dt.__name__, dt,
        lambda a, w_, b_: LF.batch_norm(a, lt.tensor(rm_np), lt.tensor(rv_np), w_, b_, False),
        lambda a, w_, b_: F.batch_norm(a, torch.tensor(rm_np), torch.tensor(rv_np), w_, b_, False), x, [wc, bc],
        "NativeBatchNormBackward0")
    xt = np.ascontiguousarray(x.transpose(0, 2, 1))  # (N, L, C) memory, normalised as its (N, C, L) view
    run("group_norm non-contiguous %s" % dt.__name__, dt,
        lambda a, w_, b_: LF.group_norm(a.transpose(1, 2), 2, w_, b_),
        lambda a, w_, b_: F.group_norm(a.transpose(1, 2), 2, w_, b_), xt, [wc, bc], "NativeGroupNormBackward0")
    run("batch_norm non-contiguous eval %s" % dt.__name__, dt,
        lambda a, w_, b_: LF.batch_norm(a.transpose(1, 2), lt.tensor(rm_np), lt.tensor(rv_np), w_, b_),
        lambda a, w_, b_: F.batch_norm(a.transpose(1, 2), torch.tensor(rm_np), torch.tensor(rv_np), w_, b_), xt,
        [wc, bc], "NativeBatchNormBackward0")

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("ok")
