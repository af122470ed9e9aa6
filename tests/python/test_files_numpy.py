#!/usr/bin/python3
"""Tensor files against NumPy and the safetensors spec: NumPy writes .npy (versions 1.0, 2.0 through a
big header, 3.0 through a non-Latin-1 field name, Fortran order, big-endian) and .npz (np.savez and
np.savez_compressed, a zip64 member) that libtensor reads; libtensor writes .npy/.npz that np.load reads;
a small Python writer of the safetensors spec (json + struct) writes files libtensor reads, and its reader
parses what libtensor writes. Run by ctest with LIBTENSOR_PATH and PYTHONPATH set (tests/files.cmake)."""
import json
import os
import struct
import sys
import tempfile
import zipfile

import numpy as np

import libtensor as lt

rng = np.random.default_rng(18)
checks = 0
DTYPES = [np.float32, np.float64, np.int32, np.int64, np.bool_]
SHAPES = [(), (0,), (3, 0), (5,), (2, 3), (2, 3, 4)]
tmp = tempfile.mkdtemp(prefix="lt_files_np_")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def same(got, want, what):
    global checks
    got = got.numpy() if isinstance(got, lt.Tensor) else np.asarray(got)
    want = np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
        fail("%s: got %r %s %s, want %r %s %s" % (what, got, got.dtype, got.shape, want, want.dtype, want.shape))
    checks += 1


def sample(dtype, shape):
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    return (rng.standard_normal(shape) * 100).astype(dtype)


def to_lt(a):
    # lt.tensor() of a 0-d ndarray gives shape (1,) (a binding bug outside this suite): share the memory
    return lt.from_numpy(np.array(a, copy=True))


def path(name):
    return os.path.join(tmp, name)


def test_numpy_writes():
    for dt in DTYPES:
        for shape in SHAPES:
            a = sample(dt, shape)
            np.save(path("a.npy"), a)
            same(lt.load(path("a.npy")), a, "np.save %s %s" % (dt.__name__, shape))
            f = np.asfortranarray(a)  # at least 1-d, as NumPy documents
            np.save(path("f.npy"), f)
            same(lt.load(path("f.npy")), f, "np.save Fortran %s %s" % (dt.__name__, shape))
            if dt != np.bool_:
                b = a.astype(np.dtype(dt).newbyteorder(">"))
                np.save(path("b.npy"), b)
                same(lt.load(path("b.npy")), a, "np.save big-endian %s %s" % (dt.__name__, shape))
    # Version 2.0: a header longer than 65535 bytes (NumPy picks 2.0 itself). 3.0: a non-Latin-1 name
    # of a structured dtype cannot be read by libtensor, so 3.0 is forced on a plain array.
    a = sample(np.float64, (3, 2))
    from numpy.lib import format as npformat
    for version in [(1, 0), (2, 0), (3, 0)]:
        with open(path("v.npy"), "wb") as fh:
            npformat.write_array(fh, a, version=version)
        with open(path("v.npy"), "rb") as fh:
            assert fh.read(8)[6] == version[0]
        same(lt.load(path("v.npy")), a, "np.lib.format version %s" % (version,))
    big = np.zeros((1,) * 32, dtype=np.int32)
    with open(path("big.npy"), "wb") as fh:  # a long header through the dict's shape padding
        npformat.write_array(fh, big, version=(2, 0))
    same(lt.load(path("big.npy")), big, "version 2.0, 32 dims")
    # .npz: stored and deflated, every dtype in one file.
    members = {"m%d_%s" % (i, dt.__name__): sample(dt, SHAPES[i % len(SHAPES)]) for i, dt in enumerate(DTYPES)}
    for saver in (np.savez, np.savez_compressed):
        saver(path("z.npz"), **members)
        got = lt.load(path("z.npz"))
        if sorted(got) != sorted(members):
            fail("%s keys %s" % (saver.__name__, sorted(got)))
        for k, v in members.items():
            same(got[k], v, "%s member %s" % (saver.__name__, k))
    # A zip64 member (local header with the zip64 extra field), as zipfile writes for big arrays.
    a = sample(np.int64, (4, 5))
    with zipfile.ZipFile(path("z64.npz"), "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("w.npy", "w", force_zip64=True) as fh:
            npformat.write_array(fh, a)
    same(lt.load(path("z64.npz"))["w"], a, "zip64 member")


def test_libtensor_writes():
    for dt in DTYPES:
        for shape in SHAPES:
            a = sample(dt, shape)
            t = to_lt(a)
            lt.save(path("l.npy"), t)
            same(np.load(path("l.npy")), a, "lt.save %s %s" % (dt.__name__, shape))
    x = sample(np.float32, (4, 6))
    t = lt.tensor(x).t()  # non-contiguous source
    lt.save(path("t.npy"), t)
    same(np.load(path("t.npy")), x.T, "lt.save of a transposed view")
    members = {"m_%s" % dt.__name__: sample(dt, (3, 2)) for dt in DTYPES}
    for compressed in (False, True):
        lt.savez(path("l.npz"), compressed=compressed, **{k: to_lt(v) for k, v in members.items()})
        with np.load(path("l.npz")) as z:
            if sorted(z.files) != sorted(members):
                fail("np.load keys %s" % z.files)
            for k, v in members.items():
                same(z[k], v, "lt.savez(compressed=%s) member %s" % (compressed, k))
        with zipfile.ZipFile(path("l.npz")) as zf:
            if zf.testzip() is not None:
                fail("zipfile.testzip found a bad member")


ST_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int32): "I32",
             np.dtype(np.int64): "I64", np.dtype(np.bool_): "BOOL"}
NP_DTYPES = {v: k for k, v in ST_DTYPES.items()}


def spec_write(filename, tensors, metadata=None):
    """A writer of the safetensors spec: 8-byte LE header size, JSON header, then the raw LE data."""
    header, data, off = {}, b"", 0
    if metadata:
        header["__metadata__"] = metadata
    for name, a in tensors.items():
        raw = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": ST_DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        data += raw
        off += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(filename, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text + data)


def spec_read(filename):
    with open(filename, "rb") as fh:
        blob = fh.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    if (8 + n) % 8:
        fail("header not padded to 8 bytes")
    meta = header.pop("__metadata__", None)
    out, end = {}, 0
    for name, e in header.items():
        b, en = e["data_offsets"]
        dt = NP_DTYPES[e["dtype"]]
        if b % dt.itemsize:
            fail("tensor %s not aligned in the file" % name)
        out[name] = np.frombuffer(blob[8 + n + b:8 + n + en], dtype=dt).reshape(e["shape"])
        end = max(end, en)
    if 8 + n + end != len(blob):
        fail("trailing bytes after the data")
    return out, meta


def test_safetensors():
    tensors = {"w%d" % i: sample(dt, SHAPES[i % len(SHAPES)]) for i, dt in enumerate(DTYPES * 2)}
    spec_write(path("s.safetensors"), tensors, {"epoch": "5", "note": "ünïcode"})
    got = lt.load_file(path("s.safetensors"))
    if sorted(got) != sorted(tensors):
        fail("load_file keys %s" % sorted(got))
    for k, v in tensors.items():
        same(got[k], v, "spec writer -> lt.load_file %s" % k)
    if lt.load_metadata(path("s.safetensors"), "note") != "ünïcode":
        fail("metadata")
    lt.save_file({k: to_lt(v) for k, v in tensors.items()}, path("l.safetensors"), metadata={"epoch": "7"})
    back, meta = spec_read(path("l.safetensors"))
    if meta != {"epoch": "7"}:
        fail("metadata read back %r" % meta)
    for k, v in tensors.items():
        same(back[k], v, "lt.save_file -> spec reader %s" % k)


def test_errors():
    global checks
    for bad, word in [(b"", "empty"), (b"\x93NUMPY\x09\x00\x10\x00" + b" " * 16, "version"), (struct.pack("<Q", 99) + b"{}", "past")]:
        with open(path("bad"), "wb") as fh:
            fh.write(bad)
        try:
            lt.load_file(path("bad"))
        except lt.InvalidArgumentError as e:
            if word not in str(e):
                fail("message %r lacks %r" % (str(e), word))
            checks += 1
        else:
            fail("a bad file loaded")


for test in [test_numpy_writes, test_libtensor_writes, test_safetensors, test_errors]:
    test()
print("test_files_numpy: %d checks passed" % checks)
