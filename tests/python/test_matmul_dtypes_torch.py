#!/usr/bin/python3
"""tensor_matmul on float16, bfloat16, uint8, int8 and int16 against PyTorch 1.13 through ctypes.

Usage: test_matmul_dtypes_torch.py /path/to/libtensor.so

Operands are built from the same bits in both libraries: contiguous, transposed, sliced with a step, and
broadcast batches, for 2-d, batched, broadcast and vector cases. Integers must equal torch exactly,
overflow included (torch accumulates in the narrow type, which wraps; libtensor in int32, wrapped once).
Both halves must equal the float32 product rounded once within one rounding of the result's dtype
(float32 accumulation in another order may move a result across a rounding boundary); bfloat16 is also
compared with torch's bfloat16 matmul (float16: torch 1.13 cannot multiply it on the CPU). Grads of the halves (dtype, grad_fn
name, values) are compared with torch's bfloat16 grads.
"""
import ctypes
import sys

import numpy as np
import torch

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
copy_to_host = proto("tensor_copy_to_host", ctypes.c_int, P, P, ctypes.c_size_t)
sum_ = proto("tensor_sum", ctypes.c_int, PP, P, ctypes.POINTER(ctypes.c_int32), ctypes.c_int32, ctypes.c_bool)
backward = proto("tensor_backward", ctypes.c_int, P, P, ctypes.c_bool)
grad = proto("tensor_grad", ctypes.c_int, PP, P)
last_error = proto("tensor_last_error", ctypes.c_char_p)

CODE = {torch.float32: 0, torch.float64: 1, torch.int32: 2, torch.int64: 3, torch.bool: 4, torch.float16: 5,
        torch.bfloat16: 6, torch.uint8: 7, torch.int8: 8, torch.int16: 9}
TORCH_OF = {v: k for k, v in CODE.items()}
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def call(fn, *args):
    out = P()
    st = fn(ctypes.byref(out), *args)
    if st != 0:
        raise RuntimeError("status %d: %s" % (st, last_error().decode()))
    return out


def raw(t):
    """The bytes of a contiguous torch tensor as a NumPy array (bfloat16 through its int16 bits)."""
    t = t.contiguous()
    if t.dtype in (torch.bfloat16, torch.float16):
        return t.view(torch.int16).numpy()
    return t.numpy()


def to_lib(t, requires_grad=False):
    arr = np.ascontiguousarray(raw(t))
    shp = (ctypes.c_int64 * max(t.dim(), 1))(*t.shape)
    o = Options(1, CODE[t.dtype], 0, 0, requires_grad)
    return call(from_data, arr.ctypes.data_as(P), shp, t.dim(), ctypes.byref(o))


def to_torch(h):
    dt = TORCH_OF[get_dtype(h)]
    shp = tuple(shape(h)[i] for i in range(ndim(h)))
    out = torch.empty(shp, dtype=dt)
    arr = raw(out)
    st = copy_to_host(h, arr.ctypes.data_as(P), arr.nbytes)
    assert st == 0, last_error()
    return torch.from_numpy(arr).view(dt) if dt in (torch.bfloat16, torch.float16) else torch.from_numpy(arr)


def layout(t, how):
    """(libtensor handle, torch tensor) of t laid out as `how`: the same view in both libraries."""
    if how == "contig":
        return to_lib(t), t
    if how == "t":  # a transposed contiguous matrix
        base = t.transpose(-2, -1).contiguous()
        h = to_lib(base)
        return call(transpose, h, -2, -1), base.transpose(-2, -1)
    if how == "step":  # every other row of a twice-as-tall matrix
        big = torch.cat([t, t], dim=-2)
        big[..., 0::2, :] = t
        h = to_lib(big)
        return call(slice_, h, t.dim() - 2, 0, big.shape[-2], 2), big[..., 0::2, :]
    raise ValueError(how)


def rand(shp, dt, gen):
    if dt.is_floating_point:
        return torch.randn(shp, generator=gen).to(dt)
    info = torch.iinfo(dt)
    return torch.randint(info.min, info.max + 1, shp, generator=gen, dtype=torch.int64).to(dt)


def ulp_close(got, want, a, b, dt):
    """got and want are float32 sums of the same products in different orders, each rounded once to dt:
    at most one ulp of dt apart, plus float32's summation error at the scale of sum |a| |b|."""
    ulp = {torch.bfloat16: 2.0 ** -7, torch.float16: 2.0 ** -10}[dt]
    k = a.shape[-1]
    scale = torch.matmul(a.float().abs(), b.float().abs())
    err = (got.float() - want.float()).abs()
    return bool((err <= ulp * want.float().abs() + (k + 1) * 2.0 ** -23 * scale + 1e-30).all())


def torch_close(got, want, a, b, steps):
    """Within `steps` bfloat16 roundings at the scale of sum |a| |b| (torch's bmm rounds at each step)."""
    scale = torch.matmul(a.float().abs(), b.float().abs())
    return bool(((got.float() - want.float()).abs() <= steps * 2.0 ** -8 * scale + 1e-6).all())


def reference(a, b, dt):
    if dt.is_floating_point:  # float32 accumulation, rounded once (torch 1.13 has no CPU float16 matmul)
        return torch.matmul(a.float(), b.float()).to(dt)
    return torch.matmul(a, b)


SHAPES = [((5, 7), (7, 3)), ((1, 7), (7, 1)), ((4, 6, 5), (4, 5, 3)), ((3, 1, 4, 5), (2, 5, 6)),
          ((4, 6, 5), (5, 3)), ((6, 5), (2, 5, 3)), ((7,), (7, 3)), ((5, 7), (7,)), ((9,), (9,)),
          ((3, 4, 7), (7,)), ((7,), (2, 7, 3)), ((64, 130), (130, 33)), ((0, 4), (4, 3)), ((3, 0), (0, 2)),
          ((2, 20, 300), (300, 50)), ((100, 601), (601, 70))]


def test_values(dt):
    gen = torch.Generator().manual_seed(7)
    for sa, sb in SHAPES:
        for la in ("contig", "t", "step"):
            for lb in ("contig", "t"):
                if (la != "contig" and len(sa) < 2) or (lb != "contig" and len(sb) < 2):
                    continue
                a, b = rand(sa, dt, gen), rand(sb, dt, gen)
                ha, ta = layout(a, la)
                hb, tb = layout(b, lb)
                what = "%s %s(%s) @ %s(%s)" % (dt, sa, la, sb, lb)
                try:
                    out = to_torch(call(matmul, ha, hb))
                except RuntimeError as e:
                    check(False, what + ": " + str(e))
                    continue
                want = reference(ta, tb, dt)
                check(out.dtype == dt and tuple(out.shape) == tuple(want.shape),
                      what + ": dtype/shape %s %s vs %s %s" % (out.dtype, tuple(out.shape), want.dtype, tuple(want.shape)))
                if out.shape != want.shape:
                    continue
                if not dt.is_floating_point:
                    check(torch.equal(out, want), what + ": %s vs %s" % (out.flatten()[:6], want.flatten()[:6]))
                    continue
                check(ulp_close(out, want, ta, tb, dt), what + ": values differ by more than a rounding")
                if dt == torch.bfloat16:
                    # torch's own bfloat16 matmul: its small batched path (bmm) rounds to bfloat16 at each
                    # step of the sum, so it is only within k roundings of the exact product.
                    k = ta.shape[-1]
                    check(torch_close(out, torch.matmul(ta, tb), ta, tb, steps=k + 2), what + ": vs torch bfloat16")


def test_integer_overflow():
    for dt, va, vb, k in ((torch.uint8, 200, 200, 300), (torch.int8, -100, 77, 300), (torch.int16, -30000, 777, 3000)):
        a, b = torch.full((2, k), va, dtype=dt), torch.full((k, 3), vb, dtype=dt)
        out = to_torch(call(matmul, to_lib(a), to_lib(b)))
        check(torch.equal(out, a @ b), "%s overflow: %s vs %s" % (dt, out, a @ b))


def test_mixed_promotion():
    # libtensor promotes (PyTorch 1.13's matmul refuses mixed dtypes): bfloat16 @ float16 is float32,
    # uint8 @ int8 is int16.
    a, b = torch.randn(3, 4).bfloat16(), torch.randn(4, 2).half()
    out = to_torch(call(matmul, to_lib(a), to_lib(b)))
    check(out.dtype == torch.float32 and torch.allclose(out, a.float() @ b.float(), atol=1e-5),
          "bfloat16 @ float16 -> float32")
    a, b = torch.randint(0, 255, (3, 4), dtype=torch.uint8), torch.randint(-128, 127, (4, 2), dtype=torch.int8)
    out = to_torch(call(matmul, to_lib(a), to_lib(b)))
    check(out.dtype == torch.int16 and torch.equal(out, a.to(torch.int16) @ b.to(torch.int16)), "uint8 @ int8 -> int16")


def test_grads():
    gen = torch.Generator().manual_seed(3)
    for dt in (torch.bfloat16, torch.float16):
        for sa, sb in (((5, 7), (7, 3)), ((4, 6, 5), (5, 3)), ((7,), (7, 3)), ((5, 7), (7,)), ((2, 3, 4), (2, 4, 5))):
            a, b = torch.randn(sa, generator=gen).to(dt), torch.randn(sb, generator=gen).to(dt)
            ha, hb = to_lib(a, True), to_lib(b, True)
            s = call(sum_, call(matmul, ha, hb), None, 0, False)
            assert backward(s, None, False) == 0, last_error()
            ga, gb = to_torch(call(grad, ha)), to_torch(call(grad, hb))
            # torch's grads: in bfloat16 through torch itself; for float16 (no CPU matmul in torch 1.13)
            # the float32 grads rounded, as each backward matmul rounds once.
            ra, rb = a.float().requires_grad_(), b.float().requires_grad_()
            torch.matmul(ra, rb).sum().backward()
            what = "%s grads %s @ %s" % (dt, sa, sb)
            check(ga.dtype == dt and gb.dtype == dt, what + ": grad dtypes %s %s" % (ga.dtype, gb.dtype))
            tol = {torch.bfloat16: 2.0 ** -7, torch.float16: 2.0 ** -10}[dt]
            check(torch.allclose(ga.float(), ra.grad, rtol=tol, atol=tol * 8), what + ": grad a")
            check(torch.allclose(gb.float(), rb.grad, rtol=tol, atol=tol * 8), what + ": grad b")
            if dt == torch.bfloat16:
                ta, tb = a.clone().requires_grad_(), b.clone().requires_grad_()
                torch.matmul(ta, tb).sum().backward()
                check(ta.grad.dtype == ga.dtype and torch.allclose(ga.float(), ta.grad.float(), rtol=2 * tol, atol=16 * tol),
                      what + ": grad a vs torch bfloat16")
                check(torch.allclose(gb.float(), tb.grad.float(), rtol=2 * tol, atol=16 * tol), what + ": grad b vs torch")


for dt in (torch.bfloat16, torch.float16, torch.uint8, torch.int8, torch.int16):
    test_values(dt)
test_integer_overflow()
test_mixed_promotion()
test_grads()
print("%d checks, %d failures" % (checks, len(failures)))
sys.exit(1 if failures else 0)
