"""Sorting (torch.sort, torch.argsort, torch.topk) over libtensor's C calls, as functions and Tensor methods
with PyTorch's names, arguments and (values, indices) results. The C signatures are registered here."""
import builtins
import ctypes

from ._lib import _SIGNATURES, c_status, c_tensor_p, call, check, lib
from ._tensor import Tensor, _ValuesIndices

_P, _PP = c_tensor_p, ctypes.POINTER(c_tensor_p)
_B, _I32, _I64 = ctypes.c_bool, ctypes.c_int32, ctypes.c_int64

_SIGNATURES.update({
    "tensor_sort": (c_status, [_PP, _PP, _P, _I32, _B, _B]),
    "tensor_argsort": (c_status, [_PP, _P, _I32, _B]),
    "tensor_topk": (c_status, [_PP, _PP, _P, _I64, _I32, _B, _B]),
})


class _SortResult(_ValuesIndices):
    _op = "sort"


class _TopkResult(_ValuesIndices):
    _op = "topk"


def _pair(cls, fn, *args):
    values, indices = c_tensor_p(), c_tensor_p()
    check(getattr(lib, fn)(ctypes.byref(values), ctypes.byref(indices), *args))
    return cls(Tensor._wrap(values.value), Tensor._wrap(indices.value))


def sort(input, dim=-1, descending=False, stable=False):
    """(values, indices) of input sorted along dim. Always stable (equal elements keep their order); NaN
    sorts as the largest value."""
    return _pair(_SortResult, "tensor_sort", input._h, builtins.int(dim), builtins.bool(descending),
                 builtins.bool(stable))


def argsort(input, dim=-1, descending=False, stable=False):
    """The int64 indices that sort input along dim (stable; `stable` is accepted as PyTorch 2's keyword)."""
    return Tensor._wrap(call("tensor_argsort", input._h, builtins.int(dim), builtins.bool(descending)))


def topk(input, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the k largest (or smallest) elements along dim."""
    return _pair(_TopkResult, "tensor_topk", input._h, builtins.int(k), builtins.int(dim), builtins.bool(largest),
                 builtins.bool(sorted))


for _name, _fn in {"sort": sort, "argsort": argsort, "topk": topk}.items():
    setattr(Tensor, _name, _fn)

__all__ = ["sort", "argsort", "topk"]
