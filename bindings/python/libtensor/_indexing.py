"""Indexing, scans and masks (torch.index_select, gather, scatter, scatter_add, Tensor.index_add_ ...) over
libtensor's C calls, as functions and Tensor methods with PyTorch's names and arguments. The C signatures
are registered here, next to the functions that use them."""
import builtins
import ctypes
import numbers

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
    "tensor_index": (c_status, [_PP, _P, _PP, _I32]),
    "tensor_index_put_": (c_status, [_P, _PP, _I32, _P, ctypes.c_bool]),
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


# ---- advanced indexing: a[t], a[mask], a[i, :, j], a[idx] = v (tensor_index, tensor_index_put_) ----

class _Adv:
    """An advanced index (a tensor) met while walking a subscript."""
    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t


def _as_index_tensor(i, device):
    """i as an int64 / bool Tensor when it is an advanced index (a Tensor other than a 0-d integer one, a
    list or tuple, a NumPy array, a bool), else None (ints, slices, None and ... are basic)."""
    from ._functions import tensor
    if isinstance(i, Tensor):
        if i.dim() == 0 and not i.dtype.is_floating_point and i.dtype != _bool_dtype():
            return None  # a 0-d integer tensor selects, as a Python int (PyTorch)
        return i
    if isinstance(i, builtins.bool) or type(i).__name__ == "bool_":
        return tensor(builtins.bool(i), device=device)
    if isinstance(i, (builtins.list, builtins.tuple)) or (hasattr(i, "__array_interface__") and hasattr(i, "dtype")):
        t = tensor(i, device=device)
        if t.numel() == 0 and t.dtype not in (_types_int(32), _types_int(64)):  # a[[]]: an empty int64 index
            t = t.to(dtype="int64")
        return t
    return None


def _types_int(bits):
    from . import _types
    return _types.int32 if bits == 32 else _types.int64


def _bool_dtype():
    from . import _types
    return _types.bool


def _subscript(t, index):
    """PyTorch's applySlicing: the basic parts of `index` applied to t (a view), and the list of advanced
    index tensors (None for whole dims) that tensor_index applies to that view; None when there are none."""
    from ._tensor import _index
    if not isinstance(index, builtins.tuple):
        index = (index,)
    items = []
    for i in index:
        adv = _as_index_tensor(i, t.device)
        items.append(_Adv(adv) if adv is not None else i)
    if not builtins.any(isinstance(i, _Adv) for i in items):
        return _index(t, index), None
    if builtins.sum(1 for i in items if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = 0
    for i in items:
        if isinstance(i, _Adv):
            consumed += i.t.dim() if i.t.dtype == _bool_dtype() else 1
        elif i is not None and i is not Ellipsis:
            consumed += 1
    if consumed > t.dim():
        raise IndexError("too many indices for tensor of dimension %d" % t.dim())
    out, dim, entries = t, 0, []  # entries: (dim of out, index tensor)
    for i in items:
        if i is Ellipsis:
            dim += t.dim() - consumed
        elif isinstance(i, _Adv):
            ix = i.t
            if ix.dtype == _bool_dtype() and ix.dim() == 0:  # a[True] / a[False]: a new dim of size 1
                out = out.unsqueeze(dim)
                from ._functions import tensor
                ix = tensor([0] if builtins.bool(ix.item()) else [], dtype="int64", device=t.device)
            entries.append((dim, ix))
            dim += ix.dim() if ix.dtype == _bool_dtype() else 1
        else:
            sub = _index(out, (builtins.slice(None),) * dim + (i,))
            out = sub
            dim += 0 if isinstance(i, numbers.Integral) or isinstance(i, Tensor) else 1
    idx, covered = [], 0
    for d, ix in entries:
        idx.extend([None] * (d - covered))
        idx.append(ix)
        covered = d + (ix.dim() if ix.dtype == _bool_dtype() else 1)
    return out, idx


def _handles(indices):
    arr = (c_tensor_p * builtins.max(len(indices), 1))()
    for k, ix in enumerate(indices):
        arr[k] = None if ix is None else ix._h
    return arr


def _advanced_index(t, indices):
    return Tensor._wrap(call("tensor_index", t._h, _handles(indices), len(indices)))


def index_put_(input, indices, values, accumulate=False):
    """In place input[indices] = values (+= with accumulate; repeated indices then sum). indices: a tuple
    of int64 / bool tensors or None (whole dim); values: a tensor of input's dtype broadcasting to the
    indexing result. Without accumulate and with repeated indices, the CPU's last write wins."""
    indices = builtins.list(indices)
    check(lib.tensor_index_put_(input._h, _handles(indices), len(indices), values._h, builtins.bool(accumulate)))
    return input


def index_put(input, indices, values, accumulate=False):
    """Out of place index_put_: a copy of input with values written (or added) at indices."""
    return index_put_(input.clone(), indices, values, accumulate)


def _getitem(self, index):
    out, idx = _subscript(self, index)
    return out if idx is None else _advanced_index(out, idx)


def _setitem(self, index, value):
    out, idx = _subscript(self, index)
    if idx is None:
        if isinstance(value, Tensor):
            check(lib.tensor_copy_(out._h, value._h))
        else:
            check(lib.tensor_fill_(out._h, builtins.float(value)))
        return
    from ._functions import tensor
    if isinstance(value, Tensor):  # a tensor keeps its dtype: another one is a DTypeError, as in PyTorch
        v = value if value.device == self.device else value.to(device=self.device)
    else:
        v = tensor(value, dtype=self.dtype, device=self.device)
    index_put_(out, idx, v, False)


Tensor.__getitem__ = _getitem
Tensor.__setitem__ = _setitem

_METHODS = {
    "index_put_": index_put_,
    "index_put": index_put,
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

__all__ = ["index_put_", "index_put", "index_select", "gather", "scatter", "scatter_add", "index_add", "masked_fill", "masked_select", "nonzero",
           "cumsum", "cumprod"]
