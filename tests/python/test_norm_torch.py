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
    if not m or m.group(1) != node:
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

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("ok")
