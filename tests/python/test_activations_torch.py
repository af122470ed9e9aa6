#!/usr/bin/python3
"""Differential test of gelu, softplus, leaky_relu, elu, clamp and linear: libtensor through its Python
binding (libtensor.nn.functional, lt.clamp / Tensor.clamp) against Debian's PyTorch (CPU): forward values
in float32 and float64, non-contiguous inputs, broadcasting tensor bounds, NaN, grads and grad_fn names,
error statuses. Run with LIBTENSOR_PATH=/path/to/libtensor.so and PYTHONPATH=bindings/python.
Exits 77 (skipped) when torch is not importable."""
import math
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

rng = np.random.default_rng(7)
failures = []
checks = 0
TOL = {np.float32: (2e-6, 2e-5), np.float64: (1e-12, 1e-10)}  # (atol, rtol)


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def close(name, got, want, dt):
    global checks
    checks += 1
    atol, rtol = TOL[dt]
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return fail("%s: shape %s, torch %s" % (name, got.shape, want.shape))
    if not np.allclose(got, want, atol=atol, rtol=rtol, equal_nan=True):
        i = np.argmax(np.abs(np.nan_to_num(got - want)))
        fail("%s: max diff at %d: %r vs torch %r" % (name, i, got.ravel()[i], want.ravel()[i]))


def grad_fn(t):
    m = re.search(r"grad_fn=<(\w+)>", repr(t))
    return m.group(1) if m else None


def pair(a, requires_grad=False, transpose=False):
    """The same data as a libtensor and a torch tensor (transposed views when asked: non-contiguous)."""
    x = lt.from_numpy(np.array(a)).clone()
    y = torch.from_numpy(np.array(a)).clone()
    if requires_grad:
        x.requires_grad_(True)
        y.requires_grad_(True)
    return (x.transpose(0, 1), y.transpose(0, 1), x, y) if transpose else (x, y, x, y)


def sample(shape, dt, specials=False):
    a = np.asarray(rng.standard_normal(shape) * 3).astype(dt)
    if specials and a.size >= 4:
        flat = a.reshape(-1)
        flat[:4] = [np.nan, np.inf, -np.inf, 0.0]
    return a


def compare(name, lt_fn, torch_fn, shape=(6, 7), transpose=False, grads=True):
    for dt in (np.float32, np.float64):
        a = sample(shape, dt, specials=True)
        x, y, _, _ = pair(a, transpose=transpose)
        close("%s %s forward" % (name, dt.__name__), lt_fn(x).numpy(), torch_fn(y).detach().numpy(), dt)
        if not grads:
            continue
        a = sample(shape, dt)
        x, y, xl, yl = pair(a, requires_grad=True, transpose=transpose)
        ox, oy = lt_fn(x), torch_fn(y)
        if grad_fn(ox) != type(oy.grad_fn).__name__:
            fail("%s: grad_fn %s, torch %s" % (name, grad_fn(ox), type(oy.grad_fn).__name__))
        g = rng.standard_normal(tuple(oy.shape)).astype(dt)
        ox.backward(lt.from_numpy(g))
        oy.backward(torch.from_numpy(g))
        close("%s %s grad" % (name, dt.__name__), xl.grad.numpy(), yl.grad.numpy(), dt)


def activations():
    for approx in ("none", "tanh"):
        for tr in (False, True):
            compare("gelu %s%s" % (approx, " T" if tr else ""), lambda t: LF.gelu(t, approximate=approx),
                    lambda t: F.gelu(t, approximate=approx), transpose=tr)
    compare("softplus default", LF.softplus, F.softplus)
    compare("softplus beta 2 threshold 3", lambda t: LF.softplus(t, beta=2, threshold=3),
            lambda t: F.softplus(t, beta=2, threshold=3), transpose=True)
    compare("softplus beta 0.5", lambda t: LF.softplus(t, 0.5), lambda t: F.softplus(t, 0.5))
    compare("leaky_relu default", LF.leaky_relu, F.leaky_relu)
    compare("leaky_relu 0.3 T", lambda t: LF.leaky_relu(t, 0.3), lambda t: F.leaky_relu(t, 0.3), transpose=True)
    compare("elu default", LF.elu, F.elu)
    compare("elu alpha 0.5 T", lambda t: LF.elu(t, 0.5), lambda t: F.elu(t, 0.5), transpose=True)
    compare("gelu 0-d", LF.gelu, F.gelu, shape=())
    compare("gelu empty", LF.gelu, F.gelu, shape=(0, 3))
    # The kinks: PyTorch's subgradients at 0.
    for name, f, g in [("leaky_relu", LF.leaky_relu, F.leaky_relu), ("elu", LF.elu, F.elu)]:
        x, y, _, _ = pair(np.array([0.0, -0.0, 1.0]), requires_grad=True)
        f(x).sum().backward()
        g(y).sum().backward()
        close(name + " grad at 0", x.grad.numpy(), y.grad.numpy(), np.float64)


def clamps():
    for dt in (np.float32, np.float64):
        a = sample((5, 4), dt, specials=True)
        for lo, hi in [(-1.0, 2.0), (None, 0.5), (-0.5, None), (2.0, -1.0), (1.0, 1.0), (-math.inf, math.inf)]:
            x, y, _, _ = pair(a)
            close("clamp scalar %s %s %s" % (lo, hi, dt.__name__), lt.clamp(x, lo, hi).numpy(),
                  torch.clamp(y, lo, hi).numpy(), dt)
            x, y, _, _ = pair(a, transpose=True)
            close("Tensor.clamp scalar T %s %s" % (lo, hi), x.clamp(min=lo, max=hi).numpy(),
                  y.clamp(min=lo, max=hi).numpy(), dt)
        # Tensor bounds: broadcasting, NaN bounds, min > max in places.
        lo = sample((4,), dt)
        hi = sample((5, 1), dt)
        lo[1] = np.nan
        for mn, mx in [(lo, hi), (lo, None), (None, hi)]:
            x, y, _, _ = pair(a)
            lx = lt.from_numpy(mn) if mn is not None else None
            ly = torch.from_numpy(mn) if mn is not None else None
            hx = lt.from_numpy(hi) if mx is not None else None
            hy = torch.from_numpy(hi) if mx is not None else None
            close("clamp tensors %s %s %s" % (mn is None, mx is None, dt.__name__), lt.clamp(x, lx, hx).numpy(),
                  torch.clamp(y, ly, hy).numpy(), dt)
        # Grads: scalar bounds (ClampBackward1), tensor bounds with grads for all three (ClampBackward0).
        a = sample((5, 4), dt)
        x, y, _, _ = pair(a, requires_grad=True)
        ox, oy = lt.clamp(x, -1.0, 1.5), torch.clamp(y, -1.0, 1.5)
        if grad_fn(ox) != type(oy.grad_fn).__name__:
            fail("clamp scalar grad_fn %s, torch %s" % (grad_fn(ox), type(oy.grad_fn).__name__))
        g = sample((5, 4), dt)
        ox.backward(lt.from_numpy(g))
        oy.backward(torch.from_numpy(g))
        close("clamp scalar grad", x.grad.numpy(), y.grad.numpy(), dt)
        lo, hi = sample((4,), dt), sample((5, 1), dt)
        x, y, _, _ = pair(a, requires_grad=True)
        lx, ly, _, _ = pair(lo, requires_grad=True)
        hx, hy, _, _ = pair(hi, requires_grad=True)
        ox, oy = lt.clamp(x, lx, hx), torch.clamp(y, ly, hy)
        if grad_fn(ox) != type(oy.grad_fn).__name__:
            fail("clamp tensor grad_fn %s, torch %s" % (grad_fn(ox), type(oy.grad_fn).__name__))
        ox.backward(lt.from_numpy(g))
        oy.backward(torch.from_numpy(g))
        for n, u, v in [("input", x, y), ("min", lx, ly), ("max", hx, hy)]:
            close("clamp tensor grad " + n, u.grad.numpy(), v.grad.numpy(), dt)
    # Integer tensors: integral bounds keep the dtype, a float bound gives float32 (as torch).
    ai = np.array([-3, 0, 2, 7], dtype=np.int64)
    for lo, hi in [(0, 3), (0.5, None), (None, 2)]:
        got, want = lt.clamp(lt.from_numpy(ai), lo, hi), torch.clamp(torch.from_numpy(ai), lo, hi)
        if str(want.dtype).split(".")[-1] != str(got.dtype).split(".")[-1]:
            fail("clamp int dtype %s, torch %s" % (got.dtype, want.dtype))
        close("clamp int %s %s" % (lo, hi), got.numpy(), want.numpy(), np.float64)


def linears():
    for dt in (np.float32, np.float64):
        tol_dt = dt
        for xs, bias in [((5, 3), True), ((5, 3), False), ((2, 4, 3), True), ((3,), True), ((0, 3), True),
                         ((2, 0, 3), False)]:
            a = sample(xs, dt)
            w = sample((4, 3), dt)
            b = sample((4,), dt)
            x, y, _, _ = pair(a, requires_grad=True)
            wx, wy, _, _ = pair(w, requires_grad=True)
            bx, by, _, _ = pair(b, requires_grad=True)
            ox = LF.linear(x, wx, bx if bias else None)
            oy = F.linear(y, wy, by if bias else None)
            name = "linear %s bias=%s %s" % (xs, bias, dt.__name__)
            close(name, ox.detach().numpy(), oy.detach().numpy(), tol_dt)
            if len(xs) == 2 and grad_fn(ox) != type(oy.grad_fn).__name__:
                fail("%s: grad_fn %s, torch %s" % (name, grad_fn(ox), type(oy.grad_fn).__name__))
            g = sample(tuple(oy.shape), dt)
            ox.backward(lt.from_numpy(g))
            oy.backward(torch.from_numpy(g))
            close(name + " grad x", x.grad.numpy(), y.grad.numpy(), tol_dt)
            close(name + " grad weight", wx.grad.numpy(), wy.grad.numpy(), tol_dt)
            if bias:
                close(name + " grad bias", bx.grad.numpy(), by.grad.numpy(), tol_dt)
        # Non-contiguous x and weight (transposed views).
        a, w, b = sample((3, 5), dt), sample((3, 4), dt), sample((4,), dt)
        x, y, _, _ = pair(a, transpose=True)
        wx, wy, _, _ = pair(w, transpose=True)
        close("linear transposed operands", LF.linear(x, wx, lt.from_numpy(b)).numpy(),
              F.linear(y, wy, torch.from_numpy(b)).numpy(), dt)
    ai, wi = np.arange(6, dtype=np.int64).reshape(2, 3), np.arange(12, dtype=np.int64).reshape(4, 3)
    close("linear int64", LF.linear(lt.from_numpy(ai), lt.from_numpy(wi)).numpy(),
          F.linear(torch.from_numpy(ai), torch.from_numpy(wi)).numpy(), np.float64)


def errors():
    global checks

    def expect(exc, what, fn, *needles):
        global checks
        checks += 1
        try:
            fn()
        except exc as e:
            for n in needles:
                if n not in str(e):
                    fail("%s: message %r lacks %r" % (what, str(e), n))
            return
        except Exception as e:  # noqa: BLE001 (any other error is a failure of the test)
            return fail("%s: raised %s: %s" % (what, type(e).__name__, e))
        fail("%s: no error" % what)

    xi = lt.from_numpy(np.array([1, 2], dtype=np.int64))
    for n, f in [("gelu", LF.gelu), ("softplus", LF.softplus), ("leaky_relu", LF.leaky_relu), ("elu", LF.elu)]:
        expect(lt.DTypeError, n + " int64", lambda: f(xi), n, "int64")
    x = lt.from_numpy(np.ones((2, 3), dtype=np.float32))
    expect(lt.ShapeError, "linear shapes", lambda: LF.linear(x, lt.from_numpy(np.ones((4, 2), np.float32))),
           "[2, 3]", "[4, 2]")
    expect(lt.ShapeError, "linear bias", lambda: LF.linear(x, lt.from_numpy(np.ones((4, 3), np.float32)),
                                                           lt.from_numpy(np.ones(5, np.float32))), "[5]")
    expect(lt.DTypeError, "linear dtype", lambda: LF.linear(x, lt.from_numpy(np.ones((4, 3)))), "float64")
    expect(lt.InvalidArgumentError, "clamp no bounds", lambda: lt.clamp(x), "min", "max")
    expect(RuntimeError, "gelu approximate", lambda: LF.gelu(x, approximate="foo"), "approximate")


def main():
    activations()
    clamps()
    linears()
    errors()
    print("%d checks, %d failures" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
