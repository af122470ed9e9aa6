"""Indexing, scans and masks (torch.index_select, gather, scatter, scatter_add, Tensor.index_add_ ...) over
libtensor's C calls, as functions and Tensor methods with PyTorch's names and arguments. The C signatures
are registered here, next to the functions that use them."""
import builtins
import ctypes

from ._lib import _SIGNATURES, c_status, c_tensor_p, call, check, lib
from ._tensor import Tensor

_P, _PP = c_tensor_p, ctypes.POINTER(c_tensor_p)
_D, _I32, _I64 = ctypes.c_double, ctypes.c_int32, ctypes.c_int64

_SIGNATURES.update({
    "tensor_index_select": (c_status, [_PP, _P, _I32, _P]),
    "tensor_gather": (c_status, [_PP, _P, _I32, _P]),
    "tensor_scatter": (c_status, [_PP, _P, _I32, _P, _P]),
    "tensor_scatter_add": (c_status, [_PP, _P, _I32, _P, _P]),
    "tensor_index_add_": (c_status, [_P, _I32, _P, _P, _D]),
    "tensor_masked_fill": (c_status, [_PP, _P, _P, _D]),
    "tensor_masked_fill_": (c_status, [_P, _P, _D]),
    "tensor_masked_select": (c_status, [_PP, _P, _P]),
    "tensor_nonzero": (c_status, [_PP, _P]),
    "tensor_one_hot": (c_status, [_PP, _P, _I64]),
    "tensor_cumsum": (c_status, [_PP, _P, _I32]),
    "tensor_cumprod": (c_status, [_PP, _P, _I32]),
})


def index_select(input, dim, index):
    """The slices of input along dim at index (a 0-d or 1-D int64 tensor)."""
    return Tensor._wrap(call("tensor_index_select", input._h, builtins.int(dim), index._h))


def gather(input, dim, index):
    """out[i][j] = input[index[i][j]][j] along dim (index int64, input's number of dims)."""
    return Tensor._wrap(call("tensor_gather", input._h, builtins.int(dim), index._h))


def scatter(input, dim, index, src):
    """A copy of input with src written at index along dim (src a tensor of input's dtype)."""
    return Tensor._wrap(call("tensor_scatter", input._h, builtins.int(dim), index._h, src._h))


def scatter_add(input, dim, index, src):
    """A copy of input with src added at index along dim, repeated indices summed."""
    return Tensor._wrap(call("tensor_scatter_add", input._h, builtins.int(dim), index._h, src._h))


def _index_add_(self, dim, index, source, *, alpha=1):
    check(lib.tensor_index_add_(self._h, builtins.int(dim), index._h, source._h, builtins.float(alpha)))
    return self


def _index_add(self, dim, index, source, *, alpha=1):
    return _index_add_(self.clone(), dim, index, source, alpha=alpha)


def index_add(input, dim, index, source, *, alpha=1):
    """Out of place index_add_: a copy of input with alpha * source added at index along dim."""
    return _index_add(input, dim, index, source, alpha=alpha)


def masked_fill(input, mask, value):
    """input with value where the bool mask (broadcasting) is true."""
    return Tensor._wrap(call("tensor_masked_fill", input._h, mask._h, builtins.float(value)))


def _masked_fill_(self, mask, value):
    check(lib.tensor_masked_fill_(self._h, mask._h, builtins.float(value)))
    return self


def masked_select(input, mask):
    """The elements of input where the bool mask (broadcasting) is true, 1-D."""
    return Tensor._wrap(call("tensor_masked_select", input._h, mask._h))


def nonzero(input, *, as_tuple=False):
    """int64 (n, ndim) coordinates of the nonzero elements; as_tuple=True gives one 1-D tensor per dim."""
    out = Tensor._wrap(call("tensor_nonzero", input._h))
    if not as_tuple:
        return out
    if input.dim() == 0:
        return (out.reshape(-1),)
    return tuple(out[:, d].contiguous() for d in builtins.range(input.dim()))


def one_hot(tensor, num_classes=-1):
    """int64 (*tensor.shape, num_classes) with ones at the classes (torch.nn.functional.one_hot)."""
    return Tensor._wrap(call("tensor_one_hot", tensor._h, builtins.int(num_classes)))


def cumsum(input, dim):
    """Cumulative sum along dim (integers and bool give int64)."""
    return Tensor._wrap(call("tensor_cumsum", input._h, builtins.int(dim)))


def cumprod(input, dim):
    """Cumulative product along dim (integers and bool give int64)."""
    return Tensor._wrap(call("tensor_cumprod", input._h, builtins.int(dim)))


_METHODS = {
    "index_select": index_select,
    "gather": gather,
    "scatter": scatter,
    "scatter_add": scatter_add,
    "index_add_": _index_add_,
    "index_add": _index_add,
    "masked_fill": masked_fill,
    "masked_fill_": _masked_fill_,
    "masked_select": masked_select,
    "nonzero": nonzero,
    "cumsum": cumsum,
    "cumprod": cumprod,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)

__all__ = ["index_select", "gather", "scatter", "scatter_add", "index_add", "masked_fill", "masked_select", "nonzero",
           "cumsum", "cumprod"]
