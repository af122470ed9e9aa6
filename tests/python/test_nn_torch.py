#!/usr/bin/python3
"""Differential test of softmax, log_softmax, logsumexp and the losses: libtensor (through ctypes) against
Debian's PyTorch (CPU), forward values, input grads and grad_fn names, on random cases: negative dims,
0-d and empty tensors, non-contiguous inputs, NaN/inf, every reduction, class weights, ignore_index,
label smoothing, probability targets. Usage: test_nn_torch.py /path/to/libtensor.so
Exits 77 (skipped) when torch is not importable."""
import ctypes as C
import sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch not available: skipping")
    sys.exit(77)

lib = C.CDLL(sys.argv[1])
T = C.c_void_p
I64P = C.POINTER(C.c_int64)
I32P = C.POINTER(C.c_int32)
TENSOR_ERR_INVALID_ARGUMENT, TENSOR_ERR_SHAPE, TENSOR_ERR_DTYPE, TENSOR_ERR_INDEX = -1, -2, -3, -5


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
lib.tensor_transpose.argtypes = [C.POINTER(T), T, C.c_int32, C.c_int32]
lib.tensor_set_requires_grad.argtypes = [T, C.c_bool]
lib.tensor_backward.argtypes = [T, T, C.c_bool]
lib.tensor_grad.argtypes = [C.POINTER(T), T]
lib.tensor_format.argtypes = [T, C.c_char_p, C.c_size_t]
lib.tensor_format.restype = C.c_int64
lib.tensor_softmax.argtypes = [C.POINTER(T), T, C.c_int32]
lib.tensor_log_softmax.argtypes = [C.POINTER(T), T, C.c_int32]
lib.tensor_logsumexp.argtypes = [C.POINTER(T), T, I32P, C.c_int32, C.c_bool]
lib.tensor_cross_entropy.argtypes = [C.POINTER(T), T, T, T, C.c_int64, C.c_double, C.c_int32]
lib.tensor_nll_loss.argtypes = [C.POINTER(T), T, T, T, C.c_int64, C.c_int32]
for s in ["mse_loss", "l1_loss"]:
    getattr(lib, "tensor_" + s).argtypes = [C.POINTER(T), T, T, C.c_int32]
lib.tensor_smooth_l1_loss.argtypes = [C.POINTER(T), T, T, C.c_double, C.c_int32]
lib.tensor_binary_cross_entropy_with_logits.argtypes = [C.POINTER(T), T, T, T, T, C.c_int32]


class Tensor:
    def __init__(self, handle, base=None):
        self.h = handle
        self.base = base

    def __del__(self):
        lib.tensor_free(self.h)


def check(status, what):
    if status != 0:
        raise RuntimeError("%s failed (%d): %s" % (what, status, lib.tensor_last_error().decode()))


def from_numpy(a, requires_grad=False):
    a = np.array(a, order="C")
    out = T()
    opts = Options(1, CODE[a.dtype], 0, 0, False)
    shape = (C.c_int64 * max(a.ndim, 1))(*a.shape)
    check(lib.tensor_from_data(C.byref(out), a.ctypes.data_as(C.c_void_p), shape, a.ndim, C.byref(opts)), "from_data")
    t = Tensor(out)
    if requires_grad:
        check(lib.tensor_set_requires_grad(t.h, True), "set_requires_grad")
    return t


def transposed(a, requires_grad=False):
    """A non-contiguous libtensor view equal to a (a leaf that owns the transposed storage + the view)."""
    base = from_numpy(np.ascontiguousarray(np.swapaxes(a, 0, 1)), requires_grad)
    out = T()
    check(lib.tensor_transpose(C.byref(out), base.h, 0, 1), "transpose")
    return Tensor(out, base), base


def to_numpy(t):
    nd = lib.tensor_ndim(t.h)
    shp = lib.tensor_shape(t.h)
    r = np.empty(tuple(shp[i] for i in range(nd)), dtype=DTYPES[lib.tensor_get_dtype(t.h)])
    check(lib.tensor_copy_to_host(t.h, r.ctypes.data_as(C.c_void_p), r.nbytes), "copy_to_host")
    return r


def call(name, *args):
    """Tensor arguments may be passed as Tensor objects, which stay alive for the call."""
    out = T()
    st = getattr(lib, name)(C.byref(out), *[a.h if isinstance(a, Tensor) else a for a in args])
    return st, (Tensor(out) if st == 0 else None)


def grad_fn_name(t):
    buf = C.create_string_buffer(1 << 16)
    lib.tensor_format(t.h, buf, len(buf))
    s = buf.value.decode()
    i = s.find("grad_fn=<")
    return s[i + 9:s.index(">", i)] if i >= 0 else None


def backward(out, gnp):
    g = from_numpy(gnp)
    check(lib.tensor_backward(out.h, g.h, False), "backward")


def grad_of(t):
    out = T()
    check(lib.tensor_grad(C.byref(out), t.h), "grad")
    return to_numpy(Tensor(out))


rng = np.random.default_rng(15)
failures = []
count = 0


def close(name, got, want, tol):
    global count
    count += 1
    want = np.asarray(want)
    if got.shape != want.shape or got.dtype != want.dtype:
        failures.append("%s: shape/dtype %s %s vs torch %s %s" % (name, got.shape, got.dtype, want.shape, want.dtype))
        return
    if not np.allclose(got, want, rtol=tol, atol=tol, equal_nan=True):
        err = np.nanmax(np.abs(got.astype(np.float64) - want.astype(np.float64))) if got.size else 0
        failures.append("%s: max error %g" % (name, err))


def same_name(name, got, want):
    global count
    count += 1
    if got != want:
        failures.append("%s: grad_fn %s, torch %s" % (name, got, want))


def random_float(shape, dt, specials=True):
    a = (rng.standard_normal(shape) * 3).astype(dt)
    if specials and a.size and rng.random() < 0.15:
        a.flat[int(rng.integers(0, a.size))] = rng.choice([np.nan, np.inf, -np.inf])
    return a


def tol_of(dt):
    return 1e-5 if dt == np.float32 else 1e-10


# ---- softmax / log_softmax ----
for case in range(120):
    dt = [np.float32, np.float64][case % 2]
    nd = int(rng.integers(0, 4))
    shape = tuple(int(rng.choice([0, 1, 3, 7, 33, 300])) if rng.random() < 0.3 else int(rng.integers(1, 6))
                  for _ in range(nd))
    a = random_float(shape, dt)
    dim = int(rng.integers(-max(nd, 1), max(nd, 1)))
    for log in (False, True):
        name = "%s%s dim %d %s" % ("log_softmax" if log else "softmax", shape, dim, np.dtype(dt).name)
        use_t = nd >= 2 and rng.random() < 0.4
        if use_t:
            x, leaf = transposed(a, True)
        else:
            x = leaf = from_numpy(a, True)
        st, y = call("tensor_log_softmax" if log else "tensor_softmax", x.h, dim)
        check(st, name)
        ta = torch.tensor(a, requires_grad=True)
        ty = (torch.log_softmax if log else torch.softmax)(ta, dim)
        close(name, to_numpy(y), ty.detach().numpy(), tol_of(dt))
        same_name(name, grad_fn_name(y), type(ty.grad_fn).__name__)
        if np.isfinite(a).all() and a.size:
            g = rng.standard_normal(shape).astype(dt)
            backward(y, g)
            ty.backward(torch.tensor(g))
            gl = grad_of(leaf)
            if use_t:
                gl = np.swapaxes(gl, 0, 1)
            close(name + " grad", gl, ta.grad.numpy(), 10 * tol_of(dt))

# ---- logsumexp ----
for case in range(60):
    dt = [np.float32, np.float64, np.int64][case % 3]
    nd = int(rng.integers(0, 4))
    shape = tuple(int(rng.choice([0, 1, 4])) if rng.random() < 0.2 else int(rng.integers(1, 6)) for _ in range(nd))
    a = random_float(shape, np.float64).astype(dt) if dt != np.int64 else rng.integers(-5, 5, shape).astype(dt)
    if nd and rng.random() < 0.7:
        k = int(rng.integers(1, nd + 1))
        dims = [int(d) - (nd if rng.random() < 0.3 else 0) for d in rng.permutation(nd)[:k]]
    else:
        dims = []
    keep = bool(rng.random() < 0.5)
    name = "logsumexp%s dims %s keepdim %s %s" % (shape, dims, keep, np.dtype(dt).name)
    x = from_numpy(a, dt != np.int64)
    st, y = call("tensor_logsumexp", x.h, (C.c_int32 * max(len(dims), 1))(*dims), len(dims), keep)
    check(st, name)
    ta = torch.tensor(a, requires_grad=dt != np.int64)
    ty = torch.logsumexp(ta, dims if dims else list(range(nd)), keep) if nd else torch.logsumexp(ta, 0, keep)
    close(name, to_numpy(y), ty.detach().numpy(), tol_of(dt if dt != np.int64 else np.float32))
    if dt != np.int64:
        same_name(name, grad_fn_name(y), type(ty.grad_fn).__name__)
        if np.isfinite(a).all() and a.size:
            g = rng.standard_normal(ty.shape).astype(dt)
            backward(y, g)
            ty.backward(torch.tensor(g))
            close(name + " grad", grad_of(x), ta.grad.numpy(), 10 * tol_of(dt))

# ---- cross_entropy / nll_loss with class indices ----
REDUCTIONS = ["none", "mean", "sum"]
for case in range(150):
    dt = [np.float32, np.float64][case % 2]
    n = int(rng.choice([0, 1, 3, 8]))
    c = int(rng.choice([1, 2, 5, 40, 1100]))
    extra = [] if rng.random() < 0.6 else [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 3)))]
    one_d = rng.random() < 0.1
    shape = (c,) if one_d else tuple([n, c] + extra)
    tshape = () if one_d else tuple([n] + extra)
    a = random_float(shape, dt, specials=rng.random() < 0.2)
    tgt = rng.integers(0, c, tshape).astype(np.int64)
    ignore = -100 if rng.random() < 0.5 else int(rng.integers(0, c))
    if tgt.size and rng.random() < 0.3:
        tgt.flat[int(rng.integers(0, tgt.size))] = ignore
    w = rng.uniform(0.2, 2.0, c).astype(dt) if rng.random() < 0.4 else None
    smooth = float(rng.choice([0.0, 0.0, 0.1, 0.45]))
    red = int(rng.integers(0, 3))
    for op in ("cross_entropy", "nll_loss"):
        s = 0.0 if op == "nll_loss" else smooth
        name = "%s%s target%s w %s ignore %d smooth %g %s %s" % (op, shape, tshape, w is not None, ignore, s,
                                                                REDUCTIONS[red], np.dtype(dt).name)
        use_t = len(shape) >= 2 and rng.random() < 0.3
        if use_t:
            x, leaf = transposed(a, True)
        else:
            x = leaf = from_numpy(a, True)
        t = from_numpy(tgt)
        wt = from_numpy(w) if w is not None else None
        if op == "cross_entropy":
            st, y = call("tensor_cross_entropy", x.h, t.h, wt.h if wt else None, ignore, s, red)
        else:
            st, y = call("tensor_nll_loss", x.h, t.h, wt.h if wt else None, ignore, red)
        check(st, name)
        ta = torch.tensor(a, requires_grad=True)
        tw = torch.tensor(w) if w is not None else None
        if op == "cross_entropy":
            ty = F.cross_entropy(ta, torch.tensor(tgt), weight=tw, ignore_index=ignore, reduction=REDUCTIONS[red],
                                 label_smoothing=s)
        else:
            ty = F.nll_loss(ta, torch.tensor(tgt), weight=tw, ignore_index=ignore, reduction=REDUCTIONS[red])
        tol = 1e-4 if dt == np.float32 else 1e-9
        close(name, to_numpy(y), ty.detach().numpy(), tol)
        if len(shape) <= 2:  # spatial inputs: torch reshapes to 4-d (NllLoss2DBackward0 / ViewBackward0)
            same_name(name, grad_fn_name(y), type(ty.grad_fn).__name__)
        if np.isfinite(a).all() and a.size and np.isfinite(ty.detach().numpy()).all():
            g = rng.standard_normal(ty.shape).astype(dt)
            backward(y, g)
            ty.backward(torch.tensor(g))
            gl = grad_of(leaf)
            if use_t:
                gl = np.swapaxes(gl, 0, 1)
            close(name + " grad", gl, ta.grad.numpy(), tol)

# ---- cross_entropy with class probabilities ----
for case in range(30):
    dt = [np.float32, np.float64][case % 2]
    shape = tuple([int(rng.integers(1, 5)), int(rng.integers(1, 6))] + ([3] if case % 3 == 0 else []))
    a = random_float(shape, dt, specials=False)
    p = torch.softmax(torch.tensor(rng.standard_normal(shape)), 1).numpy().astype(dt)
    w = rng.uniform(0.2, 2.0, shape[1]).astype(dt) if case % 4 == 0 else None
    smooth = float(rng.choice([0.0, 0.2]))
    red = case % 3
    name = "cross_entropy probs%s w %s smooth %g %s" % (shape, w is not None, smooth, REDUCTIONS[red])
    x = from_numpy(a, True)
    wt = from_numpy(w) if w is not None else None
    st, y = call("tensor_cross_entropy", x.h, from_numpy(p), wt.h if wt else None, -100, smooth, red)
    check(st, name)
    ta = torch.tensor(a, requires_grad=True)
    ty = F.cross_entropy(ta, torch.tensor(p), weight=torch.tensor(w) if w is not None else None,
                         reduction=REDUCTIONS[red], label_smoothing=smooth)
    close(name, to_numpy(y), ty.detach().numpy(), tol_of(dt) * 10)
    g = rng.standard_normal(ty.shape).astype(dt)
    backward(y, g)
    ty.backward(torch.tensor(g))
    close(name + " grad", grad_of(x), ta.grad.numpy(), tol_of(dt) * 10)

# ---- mse / l1 / smooth_l1 / bce_with_logits ----
for case in range(80):
    dt = [np.float32, np.float64][case % 2]
    nd = int(rng.integers(0, 4))
    shape = tuple(int(rng.integers(0, 5)) for _ in range(nd))
    a = random_float(shape, dt, specials=False)
    b = random_float(shape, dt, specials=False)
    red = int(rng.integers(0, 3))
    op = ["mse_loss", "l1_loss", "smooth_l1_loss", "bce"][case % 4]
    beta = float(rng.choice([0.0, 0.5, 1.0, 3.0]))
    x = from_numpy(a, True)
    yt = from_numpy(b, op != "l1_loss")
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=op != "l1_loss")
    if op == "smooth_l1_loss":
        name = "smooth_l1_loss%s beta %g %s" % (shape, beta, REDUCTIONS[red])
        st, y = call("tensor_smooth_l1_loss", x.h, yt.h, beta, red)
        ty = F.smooth_l1_loss(ta, tb, beta=beta, reduction=REDUCTIONS[red])
    elif op == "bce":
        bp = rng.uniform(0, 1, shape).astype(dt)
        yt = from_numpy(bp, True)
        tb = torch.tensor(bp, requires_grad=True)
        w = rng.uniform(0.5, 2, shape).astype(dt) if case % 8 == 3 else None
        pw = rng.uniform(0.5, 3, shape[-1:]).astype(dt) if nd and case % 3 == 0 else None
        name = "binary_cross_entropy_with_logits%s w %s pw %s %s" % (shape, w is not None, pw is not None,
                                                                   REDUCTIONS[red])
        wt = from_numpy(w) if w is not None else None
        pwt = from_numpy(pw) if pw is not None else None
        st, y = call("tensor_binary_cross_entropy_with_logits", x.h, yt.h, wt.h if wt else None,
                     pwt.h if pwt else None, red)
        ty = F.binary_cross_entropy_with_logits(ta, tb, weight=torch.tensor(w) if w is not None else None,
                                                pos_weight=torch.tensor(pw) if pw is not None else None,
                                                reduction=REDUCTIONS[red])
    else:
        name = "%s%s %s" % (op, shape, REDUCTIONS[red])
        st, y = call("tensor_" + op, x.h, yt.h, red)
        ty = getattr(F, op)(ta, tb, reduction=REDUCTIONS[red])
    check(st, name)
    close(name, to_numpy(y), ty.detach().numpy(), tol_of(dt) * 10)
    same_name(name, grad_fn_name(y), type(ty.grad_fn).__name__)
    if a.size:
        g = rng.standard_normal(ty.shape).astype(dt)
        backward(y, g)
        ty.backward(torch.tensor(g))
        close(name + " grad input", grad_of(x), ta.grad.numpy(), tol_of(dt) * 10)
        if op != "l1_loss":
            close(name + " grad target", grad_of(yt), tb.grad.numpy(), tol_of(dt) * 10)

# ---- error statuses ----
def expect(status_want, name, *args):
    global count
    count += 1
    st, _ = call(name, *args)
    if st != status_want:
        failures.append("%s: status %d, want %d (%s)" % (name, st, status_want, lib.tensor_last_error().decode()))
    return lib.tensor_last_error().decode()


xi = from_numpy(np.arange(6, dtype=np.int64).reshape(2, 3))
xf = from_numpy(np.zeros((2, 3), np.float32))
expect(TENSOR_ERR_DTYPE, "tensor_softmax", xi.h, 1)
expect(TENSOR_ERR_INDEX, "tensor_softmax", xf.h, 2)
expect(TENSOR_ERR_INDEX, "tensor_log_softmax", xf.h, -3)
expect(TENSOR_ERR_INVALID_ARGUMENT, "tensor_softmax", None, 0)
msg = expect(TENSOR_ERR_INDEX, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 7])), None, -100, 0.0, 1)
count += 1
if "7" not in msg:
    failures.append("out-of-range target message does not name the value: " + msg)
expect(TENSOR_ERR_INDEX, "tensor_nll_loss", xf.h, from_numpy(np.array([-1, 0])), None, -100, 1)
expect(TENSOR_ERR_DTYPE, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 0], np.int32)), None, -100, 0.0, 1)
expect(TENSOR_ERR_SHAPE, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 0, 1])), None, -100, 0.0, 1)
expect(TENSOR_ERR_SHAPE, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 0])),
       from_numpy(np.ones(4, np.float32)), -100, 0.0, 1)
expect(TENSOR_ERR_INVALID_ARGUMENT, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 0])), None, -100, 1.5, 1)
expect(TENSOR_ERR_INVALID_ARGUMENT, "tensor_cross_entropy", xf.h, from_numpy(np.array([1, 0])), None, -100, 0.0, 7)
expect(TENSOR_ERR_SHAPE, "tensor_cross_entropy", xf.h, from_numpy(np.zeros((2, 4), np.float32)), None, -100, 0.0, 1)
expect(TENSOR_ERR_DTYPE, "tensor_mse_loss", xi.h, xi.h, 1)
expect(TENSOR_ERR_INVALID_ARGUMENT, "tensor_smooth_l1_loss", xf.h, xf.h, -1.0, 1)
expect(TENSOR_ERR_SHAPE, "tensor_binary_cross_entropy_with_logits", xf.h,
       from_numpy(np.zeros(3, np.float32)), None, None, 1)
expect(TENSOR_ERR_INDEX, "tensor_logsumexp", xf.h, (C.c_int32 * 1)(5), 1, False)

if failures:
    print("%d of %d checks failed:" % (len(failures), count))
    for f in failures[:60]:
        print("  " + f)
    sys.exit(1)
print("nn vs torch: %d checks passed" % count)
