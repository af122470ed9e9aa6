#!/usr/bin/python3
"""Issue 14's dtypes (float16, bfloat16, uint8, int8, int16) leaving and entering libtensor through the
Python binding, against torch and NumPy:
  - NumPy: from_numpy / numpy() zero-copy both ways for float16/uint8/int8/int16, tensor() copies,
    np.from_dlpack; bfloat16.numpy() is an exact float32 copy (NumPy has no bfloat16);
  - DLPack with torch both ways for every dtype torch 1.13 exports (all but bool) with to_dlpack /
    from_dlpack (bfloat16 is kDLBfloat = 4), memory shared, strided views included;
  - safetensors files (F16/BF16/U8/I8/I16) read and written by a reader/writer of the spec (and by the
    safetensors package when it is installed); .npy against numpy.save / numpy.load; bfloat16 to .npy and
    .npz refused with TENSOR_ERR_DTYPE (lt.DTypeError);
  - repr() against torch's on random tensors of every dtype (0-d .. 3-d, summarised, autograd suffixes),
    item() and tolist() types and values.
Run by ctest (tests/dtypes_io.cmake); skips (77) without torch."""
import json
import os
import struct
import tempfile

import numpy as np

import libtensor as lt
from dtypes_common import (NAMES, NEW, RAW_NP, Checker, lt_from_raw, lt_of_torch, lt_raw, require_torch,
                           torch, torch_from_raw, torch_raw)

require_torch("test_dtypes_binding_interop")
import torch.utils.dlpack  # noqa: E402

c = Checker("test_dtypes_binding_interop")
rng = np.random.default_rng(2024)
tmp = tempfile.mkdtemp(prefix="lt_dtypes_io_")
NP_OF = {"float16": np.float16, "uint8": np.uint8, "int8": np.int8, "int16": np.int16}


def path(name):
    return os.path.join(tmp, name)


def random_torch(name, shape):
    """A torch tensor of dtype `name` with varied values (specials for the floating dtypes)."""
    n = int(np.prod(shape)) if shape else 1
    if name == "bool":
        return torch.from_numpy(rng.random(n) < 0.5).reshape(shape)
    if name in ("float16", "bfloat16", "float32", "float64"):
        v = rng.normal(0, 1, n) * 10.0 ** rng.integers(-3, 4)
        if n > 4:
            v[rng.integers(0, n, 3)] = [np.nan, np.inf, -0.0]
        return torch.from_numpy(v).to(getattr(torch, name)).reshape(shape)
    info = np.iinfo(np.dtype(name))
    return torch.from_numpy(rng.integers(info.min, info.max, n, endpoint=True).astype(name)).reshape(shape)


def same_raw(got, want, what):
    g, w = np.asarray(got), np.asarray(want)
    return c.check(g.shape == w.shape and bool((g == w).all()), "%s: raw %s, want %s" % (what, g[:8], w[:8]))


# ---- NumPy --------------------------------------------------------------------------------------------------
for name, npdt in NP_OF.items():
    a = torch_raw(random_torch(name, (4, 5))).view(npdt).reshape(4, 5).copy()
    t = lt.from_numpy(a)
    c.check(t.dtype is getattr(lt, name), "from_numpy(%s).dtype = %s" % (name, t.dtype))
    same_raw(lt_raw(t), a.reshape(-1).view(RAW_NP[name]), "from_numpy(%s)" % name)
    a[1, 2] = npdt(7)
    c.check(t[1, 2].item() == 7, "from_numpy(%s) shares memory (numpy write seen)" % name)
    back = t.numpy()
    c.check(back.dtype == np.dtype(npdt) and np.shares_memory(back, a), "%s numpy() is a view" % name)
    strided = lt.from_numpy(a[:, ::2])
    same_raw(lt_raw(strided), np.ascontiguousarray(a[:, ::2]).reshape(-1).view(RAW_NP[name]),
             "from_numpy(%s strided)" % name)
    copy, before = lt.tensor(a), a[0, 0].item()
    a[0, 0] = npdt(4 if before == 3 else 3)
    c.check(copy.dtype is t.dtype and copy[0, 0].item() == before, "tensor(%s array) copies" % name)
    via = np.from_dlpack(lt.tensor(a))
    same_raw(via.reshape(-1).view(RAW_NP[name]), a.reshape(-1).view(RAW_NP[name]), "np.from_dlpack(%s)" % name)
    c.check(np.asarray(t).dtype == np.dtype(npdt), "np.asarray(%s tensor)" % name)
    as_t = lt.as_tensor(a)
    c.check(as_t.dtype is t.dtype and as_t.data_ptr() == a.ctypes.data, "as_tensor(%s array) shares" % name)

bt = random_torch("bfloat16", (3, 7))
lb = lt_of_torch(bt)
arr = lb.numpy()
want = bt.to(torch.float32).numpy()
c.check(arr.dtype == np.float32 and arr.shape == (3, 7), "bfloat16 numpy() dtype %s shape %s" % (arr.dtype, arr.shape))
same_raw(arr.view(np.uint32), want.view(np.uint32), "bfloat16 numpy() is the exact float32 copy")
arr[0, 0] = 12345.0
c.check(lb[0, 0].item() != 12345.0, "bfloat16 numpy() is a copy (writes do not reach the tensor)")
c.check(np.asarray(lb).dtype == np.float32, "np.asarray(bfloat16 tensor) is float32")
try:
    lt.from_numpy(np.zeros(3, dtype=np.uint16))
    c.check(False, "from_numpy(uint16) must raise")
except TypeError as e:
    c.check("uint16" in str(e), "from_numpy(uint16) message: %s" % e)

# ---- DLPack with torch, both ways, every dtype ---------------------------------------------------------------
for name in NAMES:
    tt = random_torch(name, (3, 4))
    if name == "bool":  # torch 1.13: "Bool type is not supported by dlpack" (both ways)
        continue
    # torch -> libtensor: a legacy capsule, and the __dlpack__ protocol
    for how, source in [("to_dlpack capsule", lambda: torch.utils.dlpack.to_dlpack(tt)), ("__dlpack__", lambda: tt)]:
        t = lt.from_dlpack(source())
        c.check(t.dtype is getattr(lt, name), "torch -> lt (%s) %s: dtype %s" % (how, name, t.dtype))
        same_raw(lt_raw(t), torch_raw(tt), "torch -> lt (%s) %s" % (how, name))
        c.check(t.data_ptr() == tt.data_ptr(), "torch -> lt (%s) %s shares memory" % (how, name))
    tv = tt.t()  # strided
    t = lt.from_dlpack(torch.utils.dlpack.to_dlpack(tv))
    same_raw(lt_raw(t), torch_raw(tv), "torch -> lt %s transposed view" % name)
    # libtensor -> torch
    lsrc = lt_of_torch(tt)
    back = torch.utils.dlpack.from_dlpack(lsrc)
    c.check(back.dtype == tt.dtype, "lt -> torch %s: dtype %s" % (name, back.dtype))
    same_raw(torch_raw(back), torch_raw(tt), "lt -> torch %s" % name)
    c.check(back.data_ptr() == lsrc.data_ptr(), "lt -> torch %s shares memory" % name)
    lview = lsrc.t()
    same_raw(torch_raw(torch.utils.dlpack.from_dlpack(lview)), torch_raw(tt.t()), "lt -> torch %s transposed" % name)
    # a write through torch shows in libtensor
    if name != "bool":
        back.fill_(5)
        c.check(lsrc[0, 0].item() == 5, "lt -> torch %s: torch's write seen by libtensor" % name)

# ---- safetensors -------------------------------------------------------------------------------------------
ST_NAME = {"float32": "F32", "float64": "F64", "int32": "I32", "int64": "I64", "bool": "BOOL", "float16": "F16",
           "bfloat16": "BF16", "uint8": "U8", "int8": "I8", "int16": "I16"}


def spec_read(filename):
    """The safetensors spec: 8-byte LE header size, JSON header, raw LE data. {name: (dtype, shape, bytes)}"""
    with open(filename, "rb") as fh:
        blob = fh.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    return {k: (e["dtype"], e["shape"], blob[8 + n + e["data_offsets"][0]:8 + n + e["data_offsets"][1]])
            for k, e in header.items()}


def spec_write(filename, entries):
    """entries: {name: (dtype string, shape, bytes)}."""
    header, data = {}, b""
    for k, (dt, shape, raw) in entries.items():
        header[k] = {"dtype": dt, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(filename, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text + data)


torch_tensors = {name: random_torch(name, (2, 3, 5)) for name in NAMES}
torch_tensors["scalar_bf16"] = random_torch("bfloat16", ())
lt.save_file({k: lt_of_torch(v) for k, v in torch_tensors.items()}, path("all.safetensors"))
entries = spec_read(path("all.safetensors"))
for k, v in torch_tensors.items():
    name = str(v.dtype).replace("torch.", "")
    dt, shape, raw = entries[k]
    c.check(dt == ST_NAME[name] and shape == list(v.shape), "save_file %s: header %s %s" % (k, dt, shape))
    same_raw(np.frombuffer(raw, dtype=RAW_NP[name]), torch_raw(v), "save_file %s data" % k)
spec_write(path("spec.safetensors"),
           {k: (ST_NAME[str(v.dtype).replace("torch.", "")], v.shape, torch_raw(v).tobytes())
            for k, v in torch_tensors.items()})
loaded = lt.load_file(path("spec.safetensors"))
for k, v in torch_tensors.items():
    c.check(loaded[k].dtype.name == str(v.dtype).replace("torch.", "") and tuple(loaded[k].shape) == tuple(v.shape),
            "load_file %s: %s %s" % (k, loaded[k].dtype, tuple(loaded[k].shape)))
    same_raw(lt_raw(loaded[k]), torch_raw(v), "load_file %s data" % k)
try:
    import safetensors.torch as st  # the real package, when installed: both directions against it
except ImportError:
    st = None
    print("note: the safetensors package is not installed; files checked against the spec reader/writer above")
if st is not None:
    for k, v in st.load_file(path("all.safetensors")).items():
        c.check(v.dtype == torch_tensors[k].dtype and torch.equal(v.view(-1).view(torch.uint8),
                torch_tensors[k].reshape(-1).view(torch.uint8)), "safetensors.torch.load_file %s" % k)
    st.save_file({k: v.contiguous() for k, v in torch_tensors.items()}, path("st.safetensors"))
    for k, v in lt.load_file(path("st.safetensors")).items():
        same_raw(lt_raw(v), torch_raw(torch_tensors[k]), "lt.load_file of safetensors.torch's %s" % k)

# ---- .npy / .npz ----------------------------------------------------------------------------------------------
for name, npdt in NP_OF.items():
    a = torch_raw(random_torch(name, (3, 4))).view(npdt).reshape(3, 4)
    lt.save(path("%s.npy" % name), lt.from_numpy(a))
    b = np.load(path("%s.npy" % name))
    c.check(b.dtype == np.dtype(npdt), "lt.save %s -> np.load dtype %s" % (name, b.dtype))
    same_raw(b.reshape(-1).view(RAW_NP[name]), a.reshape(-1).view(RAW_NP[name]), "lt.save %s -> np.load" % name)
    np.save(path("np_%s.npy" % name), a)
    t = lt.load(path("np_%s.npy" % name))
    c.check(t.dtype is getattr(lt, name), "np.save %s -> lt.load dtype %s" % (name, t.dtype))
    same_raw(lt_raw(t), a.reshape(-1).view(RAW_NP[name]), "np.save %s -> lt.load" % name)
    np.savez(path("np_%s.npz" % name), x=a, y=a[::-1].copy())
    z = lt.load(path("np_%s.npz" % name))
    same_raw(lt_raw(z["y"]), a[::-1].reshape(-1).view(RAW_NP[name]), "np.savez %s -> lt.load" % name)
    lt.savez(path("lt_%s.npz" % name), x=lt.from_numpy(a))
    with np.load(path("lt_%s.npz" % name)) as zz:
        same_raw(zz["x"].reshape(-1).view(RAW_NP[name]), a.reshape(-1).view(RAW_NP[name]), "lt.savez %s" % name)
for what, save in [("npy", lambda t: lt.save(path("bf16.npy"), t)),
                   ("npz", lambda t: lt.savez(path("bf16.npz"), x=t))]:
    try:
        save(lt.ones(3, dtype=lt.bfloat16))
        c.check(False, "bfloat16 to .%s must be refused" % what)
    except lt.DTypeError as e:
        c.check("bfloat16" in str(e), "bfloat16 to .%s: message %s" % (what, e))
    c.check(not os.path.exists(path("bf16." + what)), "a refused bfloat16 .%s leaves no file" % what)

# ---- tensor(python numbers, dtype=...): torch's rounding and its overflow errors --------------------------------
PY_VALUES = [0, 1, -1, 7, -1.5, 1.5, 127, 127.9, 128, -128, -129, 255, 255.9, 256, -255, -256, 300, 32767, 32768,
             -32769, 1e10, 0.1, 1e-8, 6e-8, 70000.0, 65520.0, 65519.99, 3.4e38, float("nan"), float("inf"),
             float("-inf"), True, False, 2 ** 40, -(2 ** 40), 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1]
for name in NEW + ["int32"]:
    for v in PY_VALUES:
        try:
            want = ("ok", torch_raw(torch.tensor([v], dtype=getattr(torch, name))))
        except (RuntimeError, OverflowError) as e:
            want = ("error", str(e))
        try:
            got = ("ok", lt_raw(lt.tensor([v], dtype=getattr(lt, name))))
        except (RuntimeError, OverflowError) as e:
            got = ("error", str(e))
        c.check(got[0] == want[0] and (got[0] == "error" or bool((got[1] == want[1]).all())),
                "tensor([%r], dtype=%s): %s, torch %s" % (v, name, got, want))

# ---- repr, item, tolist against torch -----------------------------------------------------------------------
for name in NEW:
    for shape in [(), (1,), (5,), (3, 4), (2, 3, 4), (7, 9), (1001,), (40, 30)]:
        for _ in range(4):
            tt = random_torch(name, shape)
            if name in ("float16", "bfloat16") and rng.random() < 0.3:
                tt = tt.float().round().to(tt.dtype)  # integral values: int mode (torch: no Half round)
            c.check(repr(lt_of_torch(tt)) == repr(tt), "repr %s %s:\n%s\nwant\n%s" % (
                name, shape, repr(lt_of_torch(tt)), repr(tt)))
    tt = random_torch(name, (2, 3))
    lt_t = lt_of_torch(tt)
    c.check(lt_t.tolist() == tt.tolist() or name in ("float16", "bfloat16") and
            np.array_equal(np.array(lt_t.tolist()), np.array(tt.tolist()), equal_nan=True),
            "tolist %s: %s want %s" % (name, lt_t.tolist(), tt.tolist()))
    item, want_item = lt_t[1, 2].item(), tt[1, 2].item()
    c.check(type(item) is type(want_item) and (item == want_item or item != item and want_item != want_item),
            "item %s: %r want %r" % (name, item, want_item))
for name in ("float16", "bfloat16"):
    x = lt.tensor([1.5, -2.25, 3.0], dtype=getattr(lt, name), requires_grad=True)
    tx = torch.tensor([1.5, -2.25, 3.0], dtype=getattr(torch, name), requires_grad=True)
    c.check(repr(x) == repr(tx), "repr %s leaf: %s" % (name, repr(x)))
    c.check(repr(x * 2) == repr(tx * 2), "repr %s x * 2: %s want %s" % (name, repr(x * 2), repr(tx * 2)))
    c.check(repr(x.sum()) == repr(tx.sum()), "repr %s sum: %s want %s" % (name, repr(x.sum()), repr(tx.sum())))
c.check(repr(lt.tensor([[0.5, 13, 4]], dtype=lt.half)) == repr(torch.tensor([[0.5, 13, 4]], dtype=torch.half)),
        "tensor(..., dtype=lt.half)")

c.finish()
