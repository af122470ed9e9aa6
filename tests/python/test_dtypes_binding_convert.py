#!/usr/bin/python3
"""Conversions between the ten dtypes (issue 14) through the Python binding, bit for bit against torch:
  - every (source, destination) pair with Tensor.to() (contiguous, transposed and stepped sources; copy_
    into another dtype) on value sets covering rounding ties (float32 -> half,
    float64 -> float32 -> half double rounding), subnormals, NaN/inf, overflow, negative -> unsigned,
    non-integral -> integer, large int64; sources are built from torch's own bits (no conversion of ours
    takes part in making them);
  - all 65536 float16 and bfloat16 patterns -> float32 (and -> float64) against torch and NumPy;
  - float32 -> float16 / bfloat16 on all float32 patterns near the half types' rounding boundaries plus a few
    million random patterns, against torch and (float16) NumPy.
NaN results must be NaN (payload differences are printed as notes, not failures). Run by ctest
(tests/dtypes_io.cmake); skips (77) without torch."""
import itertools
import sys

import numpy as np

import libtensor as lt
from dtypes_common import (NAMES, FLOATS, RAW_NP, Checker, is_nan_raw, lt_from_raw, lt_raw, require_torch,
                           torch, torch_raw)

require_torch("test_dtypes_binding_convert")
c = Checker("test_dtypes_binding_convert")
rng = np.random.default_rng(1414)

# Values as float64; each source dtype takes torch's conversion of them (out-of-range ones included: what
# torch stores is what the source holds, whatever it is).
F16_TIE = 1.0 + 2.0 ** -11  # halfway between 1 and the next float16: rounds to even (1)
F16_TIE_UP = 1.0 + 3 * 2.0 ** -11  # halfway, rounds up to even
BF16_TIE = 1.0 + 2.0 ** -8
BF16_TIE_UP = 1.0 + 3 * 2.0 ** -8
VALUES = [
    0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 0.49999997, 0.1, -0.1, 1 / 3,
    127.0, 127.5, 128.0, -128.0, -128.5, -129.0, 255.0, 255.5, 256.0, 257.0, -1.0, -255.0, -256.0, 300.0, -300.0,
    32767.0, 32768.0, -32768.0, -32769.0, 65535.0, 65536.0, 2.0 ** 31 - 1, 2.0 ** 31, -2.0 ** 31, -2.0 ** 31 - 1,
    2.0 ** 32, 2.0 ** 53 + 2, 2.0 ** 63, -2.0 ** 63, 1e10, -1e10, 1e20, 1e300, -1e300,
    float("inf"), float("-inf"), float("nan"), -float("nan"),
    65504.0, 65519.99, 65520.0, 65536.0 * 2, 1e-8, 6e-8, 2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.5, 3 * 2.0 ** -26,
    2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11), 6.1e-5,
    F16_TIE, -F16_TIE, F16_TIE_UP, BF16_TIE, BF16_TIE_UP, -BF16_TIE_UP,
    F16_TIE + 2.0 ** -40, BF16_TIE + 2.0 ** -40,  # float64 -> float32 lands on the tie: double rounding
    2049.0, 2051.0, 4097.0, 16777217.0, 3.3895313892515355e38, 3.4e38, 3.4028235e38, 3.5e38,
    1e-38, 1e-40, 1e-45, 1.4e-45, 7e-46, 1e-310,
]
RANDOM = np.concatenate([rng.normal(0, 1, 200), rng.normal(0, 300, 200), rng.uniform(-70000, 70000, 200),
                         np.exp(rng.uniform(-120, 120, 200)) * rng.choice([-1, 1], 200)]).tolist()
INT64_EXTRA = [2 ** 63 - 1, -2 ** 63, 2 ** 40 + 1, 2 ** 24 + 1, 2 ** 53 + 1, -2 ** 31, 2 ** 31, 65535, -65536,
               -1, 255, 256, -129, 32768]


def source_tensors():
    """(name, torch tensor) per source dtype."""
    base = torch.tensor(VALUES + RANDOM, dtype=torch.float64)
    for name in NAMES:
        t = base.to(getattr(torch, name))
        if name == "int64":
            t = torch.cat([t, torch.tensor(INT64_EXTRA, dtype=torch.int64)])
        if name == "bool":
            t = torch.tensor([True, False, True])
        if name in ("float16", "bfloat16"):  # every special pattern too: NaN payloads, subnormals, -0
            pats = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x7C01, 0x7E00,
                    0xFE00, 0x7FFF, 0x007F, 0x0080, 0x7F7F, 0x7F80, 0xFF80, 0x7F81, 0x7FC0, 0xFFC0, 0x3C00]
            extra = torch.tensor(pats, dtype=torch.int32).to(torch.int16).view(getattr(torch, name))
            t = torch.cat([t, extra])
        yield name, t


# NaN results are compared as NaN: their payloads are only reported. torch itself is not consistent there (its
# vectorised float32 -> bfloat16 gives 0xFFFF, its scalar path 0x7FC0; it quiets float16 signalling NaNs).
PAYLOAD_NOTES = []


def compare(got_raw, want_raw, name, what):
    got_raw, want_raw = np.asarray(got_raw), np.asarray(want_raw)
    if got_raw.shape != want_raw.shape:
        c.check(False, "%s: %d elements, want %d" % (what, got_raw.size, want_raw.size))
        return
    nan_g, nan_w = is_nan_raw(got_raw, name), is_nan_raw(want_raw, name)
    payload = (got_raw != want_raw) & nan_g & nan_w
    if payload.any():
        PAYLOAD_NOTES.append("%s: %d NaN payloads differ, e.g. got 0x%x want 0x%x" % (
            what, int(payload.sum()), got_raw[payload][0], want_raw[payload][0]))
    bad = np.nonzero((got_raw != want_raw) & ~payload)[0]
    c.check(bad.size == 0, "%s: %d of %d differ, first: %s" % (
        what, bad.size, got_raw.size,
        ", ".join("[%d] got 0x%x want 0x%x%s" % (i, got_raw[i], want_raw[i],
                                                  " (NaN both)" if nan_g[i] and nan_w[i] else "")
                  for i in bad[:6])))


# ---- every pair with Tensor.to() ----------------------------------------------------------------------------
sources = list(source_tensors())
for (sname, ts), dname in itertools.product(sources, NAMES):
    src = lt_from_raw(torch_raw(ts), tuple(ts.shape), sname)
    want = torch_raw(ts.to(getattr(torch, dname)))
    got = lt_raw(src.to(getattr(lt, dname)))
    if sname in FLOATS and dname not in FLOATS and dname != "bool":
        # float -> integer out of range is undefined in C++; torch's result is its compiler's x86 code. The
        # library defines it as c10 does on x86 (see core/scalar_ops.h); compare only the in-range values.
        vals = ts.to(torch.float64).numpy()
        info = np.iinfo({"int32": np.int32, "int64": np.int64, "uint8": np.int64, "int8": np.int32,
                         "int16": np.int32}[dname])
        ok = np.isfinite(vals) & (vals > info.min - 1.0) & (vals < info.max + 1.0)
        compare(got[ok], want[ok], dname, "%s -> %s (in range)" % (sname, dname))
        compare(got, want, dname, "%s -> %s (out-of-range values too)" % (sname, dname))
    else:
        compare(got, want, dname, "%s -> %s" % (sname, dname))

# ---- strided sources and copy_ into a strided destination, every pair -------------------------------------------
for (sname, ts), dname in itertools.product(sources, NAMES):
    n = (ts.numel() // 12) * 12
    base_t = ts[:n].reshape(n // 12, 12)
    src = lt_from_raw(torch_raw(base_t), tuple(base_t.shape), sname)
    for vname, view_l, view_t in [("transposed", src.t(), base_t.t()), ("step 3", src[:, ::3], base_t[:, ::3])]:
        got, want = lt_raw(view_l.to(getattr(lt, dname))), torch_raw(view_t.to(getattr(torch, dname)))
        if sname in FLOATS and dname not in FLOATS and dname != "bool":
            continue  # out-of-range float -> int is compared above, contiguous; the layout is what matters here
        compare(got, want, dname, "%s -> %s, %s source" % (sname, dname, vname))
    dst_l = lt.zeros(12, n // 12, dtype=getattr(lt, dname))
    dst_t = torch.zeros(12, n // 12, dtype=getattr(torch, dname))
    if sname in FLOATS and dname not in FLOATS and dname != "bool":
        continue
    dst_l.copy_(src.t())
    dst_t.copy_(base_t.t())
    compare(lt_raw(dst_l), torch_raw(dst_t), dname, "copy_ %s -> %s (transposed source)" % (sname, dname))

# ---- all 65536 16-bit float patterns -> float32 / float64 ---------------------------------------------------
allbits = np.arange(65536, dtype=np.uint16)
for name in ("float16", "bfloat16"):
    t = lt_from_raw(allbits, (65536,), name)
    tt = torch.from_numpy(allbits.view(np.int16).copy()).view(getattr(torch, name))
    for dname in ("float32", "float64"):
        compare(lt_raw(t.to(getattr(lt, dname))), torch_raw(tt.to(getattr(torch, dname))), dname,
                "all %s patterns -> %s vs torch" % (name, dname))
    # NumPy: float16 directly; bfloat16 is the top half of a float32
    want32 = (allbits.view(np.float16).astype(np.float32) if name == "float16"
              else (allbits.astype(np.uint32) << 16).view(np.float32))
    got32 = lt_raw(t.to(lt.float32)).view(np.float32)
    nan_ok = np.isnan(got32) == np.isnan(want32)
    same = (got32.view(np.uint32) == want32.view(np.uint32)) | (np.isnan(got32) & np.isnan(want32))
    c.check(bool(nan_ok.all() and same.all()), "all %s patterns -> float32 vs NumPy: %d differ" % (
        name, int((~same).sum())))

# ---- float32 -> float16 / bfloat16: boundaries and random patterns -----------------------------------------
def float32_patterns():
    pats = [rng.integers(0, 2 ** 32, 3_000_000, dtype=np.uint64).astype(np.uint32)]
    # every float32 within +-3 ulps of each float16 / bfloat16 rounding boundary (value +- half an ulp) and of
    # each representable 16-bit value, both signs
    h = np.arange(0, 0x7C00, dtype=np.uint32)
    f16_vals = h.astype(np.uint16).view(np.float16).astype(np.float32).view(np.uint32)
    b = np.arange(0, 0x7F81, dtype=np.uint32) << 16
    mids_f16 = f16_vals + (1 << 12)  # half an ulp of a normal float16 (13 dropped bits)
    mids_b = b + 0x8000
    centers = np.concatenate([f16_vals, mids_f16, b, mids_b]).astype(np.int64)
    for d in range(-3, 4):
        for sign in (0, 0x80000000):
            pats.append(((centers + d) & 0x7FFFFFFF | sign).astype(np.uint32))
    specials = np.array([0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF, 0xFFFFFFFF,
                         0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x477FE000, 0x477FEFFF, 0x477FF000,
                         0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF, 0x33000000, 0x33000001, 0x32FFFFFF, 0xB3000000],
                        dtype=np.uint32)
    pats.append(specials)
    return np.concatenate(pats)


pats = float32_patterns()
src = lt_from_raw(pats, (pats.size,), "float32")
tsrc = torch.from_numpy(pats.view(np.float32).copy())
for name in ("float16", "bfloat16"):
    compare(lt_raw(src.to(getattr(lt, name))), torch_raw(tsrc.to(getattr(torch, name))), name,
            "%d float32 patterns -> %s vs torch" % (pats.size, name))
got16 = lt_raw(src.to(lt.float16))
with np.errstate(over="ignore"):
    want16 = pats.view(np.float32).astype(np.float16).view(np.uint16)
same = (got16 == want16) | (is_nan_raw(got16, "float16") & is_nan_raw(want16, "float16"))
c.check(bool(same.all()), "float32 patterns -> float16 vs NumPy (NaN as NaN): %d differ, first %s" % (
    int((~same).sum()), [(hex(p), hex(g), hex(w)) for p, g, w in
                         zip(pats[~same][:5], got16[~same][:5], want16[~same][:5])]))

# float64 -> float16 / bfloat16: torch rounds through float32 (twice); random float64 patterns near ties
with np.errstate(invalid="ignore"):
    f64 = np.concatenate([rng.normal(0, 100, 200_000), (pats[:200_000].view(np.float32).astype(np.float64)
                                                        * (1 + rng.normal(0, 1e-9, 200_000)))])
src64 = lt_from_raw(f64.view(np.uint64), (f64.size,), "float64")
t64 = torch.from_numpy(f64.copy())
for name in ("float16", "bfloat16"):
    compare(lt_raw(src64.to(getattr(lt, name))), torch_raw(t64.to(getattr(torch, name))), name,
            "%d float64 values -> %s vs torch" % (f64.size, name))

for note in PAYLOAD_NOTES:
    print("note:", note)
c.finish()
