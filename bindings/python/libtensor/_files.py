"""Tensor files: safetensors (save_file / load_file, the API of the safetensors package's torch module)
and NumPy's .npy / .npz (save / load, shaped like np.save / np.load). Loads are zero-copy where the file
allows (the tensors share a private memory map of the file; writing to them never changes it)."""
import ctypes
import json
import os

from ._lib import _SIGNATURES, c_status, c_tensor_p, call, check, lib
from ._tensor import Tensor

__all__ = ["save_file", "load_file", "load_metadata", "save", "savez", "load"]

_P, _PP, _F = c_tensor_p, ctypes.POINTER(c_tensor_p), ctypes.c_void_p
_S, _SS = ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)

_SIGNATURES.update({
    "tensor_save_safetensors": (c_status, [_S, _SS, _PP, ctypes.c_int32, _S]),
    "tensor_save_npy": (c_status, [_S, _P]),
    "tensor_save_npz": (c_status, [_S, _SS, _PP, ctypes.c_int32, ctypes.c_bool]),
    "tensor_file_open": (c_status, [ctypes.POINTER(_F), _S]),
    "tensor_file_count": (ctypes.c_int64, [_F]),
    "tensor_file_name": (_S, [_F, ctypes.c_int64]),
    "tensor_file_get": (c_status, [_PP, _F, _S]),
    "tensor_file_metadata": (_S, [_F, _S]),
    "tensor_file_close": (None, [_F]),
})


def _path(p):
    return os.fsencode(p)


def _arrays(tensors):
    names = list(tensors.keys())
    for n in names:
        if not isinstance(n, str):
            raise TypeError("tensor names must be str, got %r" % (n,))
    values = [tensors[n] if isinstance(tensors[n], Tensor) else _as_tensor(tensors[n]) for n in names]
    c_names = (ctypes.c_char_p * max(len(names), 1))(*[n.encode() for n in names])
    c_tensors = (c_tensor_p * max(len(values), 1))(*[v._h for v in values])
    return c_names, c_tensors, len(names), values  # values: kept alive through the call


def _as_tensor(x):
    from ._functions import tensor
    return tensor(x)


def save_file(tensors, filename, metadata=None):
    """Writes a dict {name: Tensor} as a safetensors file (atomically); metadata: a dict of str -> str."""
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("metadata must be a dict of str -> str")
        metadata = json.dumps(metadata).encode()
    c_names, c_tensors, n, _keep = _arrays(tensors)
    check(lib.tensor_save_safetensors(_path(filename), c_names, c_tensors, n, metadata))


class _File:
    def __init__(self, filename):
        self._f = _F()
        check(lib.tensor_file_open(ctypes.byref(self._f), _path(filename)))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lib.tensor_file_close(self._f)
        self._f = _F()

    def keys(self):
        return [lib.tensor_file_name(self._f, i).decode() for i in range(lib.tensor_file_count(self._f))]

    def get(self, name):
        return Tensor._wrap(call("tensor_file_get", self._f, name.encode()))

    def metadata(self, key):
        v = lib.tensor_file_metadata(self._f, key.encode())
        return None if v is None else v.decode()


def load_file(filename):
    """Reads a safetensors (or .npy / .npz) file into a dict {name: Tensor} (zero-copy where aligned)."""
    with _File(filename) as f:
        return {k: f.get(k) for k in f.keys()}


def load_metadata(filename, key):
    """The safetensors __metadata__ value of key, or None."""
    with _File(filename) as f:
        return f.metadata(key)


def save(file, arr):
    """np.save: writes one tensor as a .npy file (atomically)."""
    t = arr if isinstance(arr, Tensor) else _as_tensor(arr)
    check(lib.tensor_save_npy(_path(file), t._h))


def savez(file, compressed=False, **tensors):
    """np.savez / np.savez_compressed: writes keyword tensors as members NAME.npy of a .npz file."""
    c_names, c_tensors, n, _keep = _arrays(tensors)
    check(lib.tensor_save_npz(_path(file), c_names, c_tensors, n, bool(compressed)))


def load(file):
    """np.load: a .npy file gives its tensor, a .npz (or safetensors) file a dict {name: Tensor}."""
    with _File(file) as f:
        keys = f.keys()
        with open(file, "rb") as raw:
            is_npy = raw.read(6) == b"\x93NUMPY"
        if is_npy:
            return f.get(keys[0])
        return {k: f.get(k) for k in keys}
