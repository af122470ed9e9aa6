"""Module-level functions, named and shaped as PyTorch's torch.* (creation, math, reductions, grad mode)."""
import builtins
import contextlib
import ctypes
import functools
import math
import numbers

from . import _types
from ._lib import BINARY_OPS, UNARY_OPS, lib, call, check, int64_array
from ._tensor import (Tensor, _arg, _binary, _dim, _extreme, _moment, _options, _reduce, _scalar_tensor,
                      _sizes, _unary, matmul)

# ---- creation ---------------------------------------------------------------------------------------


def _infer_dtype(values):
    if builtins.all(isinstance(v, builtins.bool) for v in values):
        return _types.bool
    if builtins.all(isinstance(v, numbers.Integral) for v in values):
        return _types.int64
    return _types.float32


def _flatten(data):
    """(flat values, shape) of a nested sequence; ragged input is an error."""
    if isinstance(data, Tensor):
        raise TypeError("nested tensors are not supported; use libtensor.stack")
    if not isinstance(data, (list, tuple)):
        if not isinstance(data, numbers.Number):
            raise TypeError("tensor(): expected numbers or nested lists of numbers, got %s" % type(data).__name__)
        return [data], []
    if not data:
        return [], [0]
    parts = [_flatten(d) for d in data]
    inner = parts[0][1]
    if builtins.any(p[1] != inner for p in parts):
        raise ValueError("expected a sequence of equal-length sequences (got shapes %s)"
                         % sorted({tuple(p[1]) for p in parts}))
    return [v for p in parts for v in p[0]], [len(data)] + inner


_CTYPES = {"float32": ctypes.c_float, "float64": ctypes.c_double, "int32": ctypes.c_int32,
           "int64": ctypes.c_int64, "bool": ctypes.c_bool, "uint8": ctypes.c_uint8, "int8": ctypes.c_int8,
           "int16": ctypes.c_int16}
# [lowest, max] of the integer dtypes narrower than int64, which torch.tensor() checks each number against.
_SMALL_INT_RANGE = {"uint8": (0, 255), "int8": (-128, 127), "int16": (-32768, 32767),
                    "int32": (-2 ** 31, 2 ** 31 - 1)}


def _small_int(v, dt):
    """A Python number as torch.tensor(..., dtype=uint8/int8/int16/int32) stores it (c10's checked_convert): a
    float must lie in [lowest, max] and is truncated; an int must fit, except that uint8 also takes
    -255..-1 and wraps them (torch.tensor([-1], dtype=torch.uint8) is 255)."""
    lo, hi = _SMALL_INT_RANGE[dt.name]
    ok = lo <= v <= hi
    if not ok and lo == 0 and isinstance(v, numbers.Integral) and not isinstance(v, builtins.bool):
        ok = -hi <= v < 0
    if not ok or (isinstance(v, builtins.float) and math.isnan(v)):
        raise RuntimeError("value cannot be converted to type %s without overflow" % dt.name)
    return builtins.int(v)


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of `data` (a number, nested lists, a NumPy array or a Tensor).
    dtype is inferred as PyTorch does: bools -> bool, ints -> int64, otherwise float32."""
    if isinstance(data, Tensor):
        t = data.detach().clone()
        t = t.to(dtype=dtype, device=device) if (dtype or device) else t
    elif hasattr(data, "__array_interface__") and hasattr(data, "dtype"):  # NumPy: copy, keep its dtype
        from ._numpy import from_numpy
        import numpy as np
        arr = np.asarray(data)  # not np.ascontiguousarray alone: it turns a 0-d array into shape (1,)
        t = Tensor._wrap(from_numpy(arr if arr.flags.c_contiguous else np.ascontiguousarray(arr))).clone()
        t = t.to(dtype=dtype, device=device) if (dtype or device) else t
    else:
        values, shape = _flatten(data)
        dt = _types.to_dtype(dtype) or _infer_dtype(values)
        # float16/bfloat16 are written as float64 and converted by the library (double -> float -> half, as
        # torch.tensor rounds them); there is no ctypes 16-bit float.
        stored = _types.float64 if dt in (_types.float16, _types.bfloat16) else dt
        ctype = _CTYPES[stored.name]
        if stored.name in _SMALL_INT_RANGE:
            conv = functools.partial(_small_int, dt=stored)
        else:
            conv = builtins.bool if dt is _types.bool else (builtins.float if dt.is_floating_point else builtins.int)
        buf = (ctype * builtins.max(len(values), 1))(*[conv(v) for v in values])
        shp, n = int64_array(shape)
        o = _options(stored, None if stored is not dt else device, False)
        t = Tensor._wrap(call("tensor_from_data", buf, shp, n, ctypes.byref(o)))
        if stored is not dt:
            t = t.to(dtype=dt, device=device)
    if requires_grad:
        t.requires_grad = True
    return t


def _create(fn, size, dtype, device, requires_grad, *extra):
    shp, n = int64_array(_sizes(size))
    o = _options(_types.to_dtype(dtype) or _types.float32, device, requires_grad)
    return Tensor._wrap(call(fn, shp, n, *extra, ctypes.byref(o)))


def empty(*size, dtype=None, device=None, requires_grad=False):
    return _create("tensor_empty", size, dtype, device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _create("tensor_zeros", size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    return _create("tensor_ones", size, dtype, device, requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """dtype defaults from fill_value as in PyTorch: bool -> bool, int -> int64, float -> float32."""
    if dtype is None:
        dtype = _infer_dtype([fill_value])
    return _create("tensor_full", (size,), dtype, device, requires_grad, builtins.float(fill_value))


def rand(*size, dtype=None, device=None, requires_grad=False):
    return _create("tensor_rand", size, dtype, device, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False):
    return _create("tensor_randn", size, dtype, device, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """arange(end) or arange(start, end, step); int64 when all three are ints, else float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        integral = builtins.all(isinstance(v, numbers.Integral) for v in (start, end, step))
        dtype = _types.int64 if integral else _types.float32
    o = _options(_types.to_dtype(dtype), device, requires_grad)
    return Tensor._wrap(call("tensor_arange", builtins.float(start), builtins.float(end), builtins.float(step),
                             ctypes.byref(o)))


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    o = _options(_types.to_dtype(dtype) or _types.float32, device, requires_grad)
    return Tensor._wrap(call("tensor_linspace", builtins.float(start), builtins.float(end), builtins.int(steps),
                             ctypes.byref(o)))


def eye(n, dtype=None, device=None, requires_grad=False):
    o = _options(_types.to_dtype(dtype) or _types.float32, device, requires_grad)
    return Tensor._wrap(call("tensor_eye", builtins.int(n), ctypes.byref(o)))


def zeros_like(t):
    return Tensor._wrap(call("tensor_zeros_like", t._h))


def ones_like(t):
    return Tensor._wrap(call("tensor_ones_like", t._h))


def full_like(t, fill_value):
    return zeros_like(t).fill_(fill_value)


def rand_like(t):
    return rand(t.shape, dtype=t.dtype, device=t.device)


def randn_like(t):
    return randn(t.shape, dtype=t.dtype, device=t.device)


def manual_seed(seed):
    lib.tensor_manual_seed(builtins.int(seed) & ((1 << 64) - 1))


def from_dlpack(obj):
    """A tensor sharing the memory of `obj` (anything with __dlpack__, or a DLPack capsule)."""
    return Tensor.from_dlpack(obj)


def from_numpy(array):
    """A tensor sharing a NumPy array's memory (zero-copy; read-only arrays give read-only tensors)."""
    from ._numpy import from_numpy as _from_numpy
    return Tensor._wrap(_from_numpy(array))


def as_tensor(data, dtype=None, device=None):
    """Shares memory with a NumPy array when dtype and device allow, else copies (as torch.as_tensor)."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device) if (dtype or device) else data
    if hasattr(data, "__array_interface__") and hasattr(data, "dtype"):
        t = from_numpy(data)
        return t.to(dtype=dtype, device=device) if (dtype or device) else t
    return tensor(data, dtype=dtype, device=device)


# ---- shape ------------------------------------------------------------------------------------------


def _handles(tensors):
    tensors = list(tensors)
    arr = (ctypes.c_void_p * builtins.max(len(tensors), 1))(*[t._h for t in tensors])
    return arr, len(tensors)


def cat(tensors, dim=0):
    arr, n = _handles(tensors)
    return Tensor._wrap(call("tensor_cat", arr, n, dim))


concatenate = cat


def stack(tensors, dim=0):
    arr, n = _handles(tensors)
    return Tensor._wrap(call("tensor_stack", arr, n, dim))


def reshape(t, shape):
    return t.reshape(shape)


def permute(t, dims):
    return t.permute(dims)


def transpose(t, dim0, dim1):
    return t.transpose(dim0, dim1)


def squeeze(t, dim=None):
    return t.squeeze(dim)


def unsqueeze(t, dim):
    return t.unsqueeze(dim)


def flatten(t, start_dim=0, end_dim=-1):
    return t.flatten(start_dim, end_dim)


def clone(t):
    return t.clone()


def detach(t):
    return t.detach()


# ---- math -------------------------------------------------------------------------------------------


def _is_array(value):
    return hasattr(value, "__array_interface__") and hasattr(value, "dtype")


def where(condition, input, other):
    """PyTorch's where; with two Python scalars the result is float32 for floats, int64 for ints and
    bool for bools (torch.where(c, 1.0, 2.0))."""
    if _is_array(input) or _is_array(other):  # NumPy operands are viewed as tensors first
        input = _scalar_tensor(input, condition) if _is_array(input) else input
        other = _scalar_tensor(other, condition) if _is_array(other) else other
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        dt = _infer_dtype([input, other])  # raises nothing for non-numbers; _scalar_tensor checks them
        like = zeros(0, dtype=dt, device=condition.device)
        input, other = _scalar_tensor(input, like), _scalar_tensor(other, like)
    a = input if isinstance(input, Tensor) else _scalar_tensor(input, other)
    b = other if isinstance(other, Tensor) else _scalar_tensor(other, a)
    return Tensor._wrap(call("tensor_where", condition._h, a._h, b._h))


def _binary_fn(name):
    def fn(input, other):
        return _binary(name, input, other)
    fn.__name__ = name
    fn.__doc__ = "Elementwise %s with broadcasting and PyTorch's type promotion." % name
    return fn


def _unary_fn(name):
    def fn(input):
        return _unary(name, input)
    fn.__name__ = name
    fn.__doc__ = "Elementwise %s." % name
    return fn


# One function per op of the C library's tables (torch.add, torch.exp, ...).
for _name in BINARY_OPS:
    globals()[_name] = _binary_fn(_name)
for _name in UNARY_OPS:
    globals()[_name] = _unary_fn(_name)
del _name
subtract, multiply, divide, true_divide = sub, mul, div, div  # noqa: F821 (defined by the loop above)
negative = neg  # noqa: F821


def sum(input, dim=None, keepdim=False, *, axis=None):
    return _reduce("sum", input, _dim(dim, axis), keepdim)


def mean(input, dim=None, keepdim=False, *, axis=None):
    return _reduce("mean", input, _dim(dim, axis), keepdim)


def prod(input, dim=None, keepdim=False, *, axis=None):
    return _reduce("prod", input, _dim(dim, axis), keepdim)


def all(input, dim=None, keepdim=False, *, axis=None):
    return _reduce("all", input, _dim(dim, axis), keepdim)


def any(input, dim=None, keepdim=False, *, axis=None):
    return _reduce("any", input, _dim(dim, axis), keepdim)


def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
    return _moment("tensor_var", input, _dim(dim, axis), unbiased, keepdim, correction)


def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
    return _moment("tensor_std", input, _dim(dim, axis), unbiased, keepdim, correction)


def max(input, dim=None, keepdim=False, *, axis=None):
    """max(t): the largest element; max(t, dim): (values, indices); max(a, b): maximum."""
    return _extreme("max", input, _dim(dim, axis), keepdim)


def min(input, dim=None, keepdim=False, *, axis=None):
    """min(t): the smallest element; min(t, dim): (values, indices); min(a, b): minimum."""
    return _extreme("min", input, _dim(dim, axis), keepdim)


def argmax(input, dim=None, keepdim=False, *, axis=None):
    return _arg("argmax", input, _dim(dim, axis), keepdim)


def argmin(input, dim=None, keepdim=False, *, axis=None):
    return _arg("argmin", input, _dim(dim, axis), keepdim)


mm = matmul

# ---- grad mode, threads, devices --------------------------------------------------------------------


def is_grad_enabled():
    return lib.tensor_is_grad_enabled()


class set_grad_enabled(contextlib.ContextDecorator):
    """Turns graph recording on or off for this thread: as a call, a context manager or a decorator."""

    def __init__(self, mode):
        self.prev = lib.tensor_set_grad_enabled(builtins.bool(mode))
        self.mode = builtins.bool(mode)

    def __enter__(self):
        lib.tensor_set_grad_enabled(self.mode)
        return self

    def __exit__(self, *exc):
        lib.tensor_set_grad_enabled(self.prev)
        return False


class no_grad(contextlib.ContextDecorator):
    """Context manager / decorator: ops inside record no graph (this thread)."""

    def __enter__(self):
        self.prev = lib.tensor_set_grad_enabled(False)
        return self

    def __exit__(self, *exc):
        lib.tensor_set_grad_enabled(self.prev)
        return False


class enable_grad(contextlib.ContextDecorator):
    """Context manager / decorator: ops inside record the graph (this thread)."""

    def __enter__(self):
        self.prev = lib.tensor_set_grad_enabled(True)
        return self

    def __exit__(self, *exc):
        lib.tensor_set_grad_enabled(self.prev)
        return False


def set_num_threads(n):
    check(lib.tensor_set_num_threads(builtins.int(n)))


def get_num_threads():
    return lib.tensor_get_num_threads()


def config():
    """libtensor's build and backend description (tensor_config_string)."""
    n = lib.tensor_config_string(None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    lib.tensor_config_string(buf, n + 1)
    return buf.value.decode()


class cuda:
    """GPU queries (all report no GPU when libtensor is built without CUDA)."""

    @staticmethod
    def is_available():
        return lib.tensor_cuda_available()

    @staticmethod
    def device_count():
        return lib.tensor_cuda_device_count()

    @staticmethod
    def synchronize(device=0):
        check(lib.tensor_cuda_synchronize(builtins.int(device)))

    @staticmethod
    def current_stream(device=0):
        """libtensor's cudaStream_t on that GPU as an int (the address), as torch.cuda.current_stream().cuda_stream."""
        stream = ctypes.c_void_p()
        check(lib.tensor_cuda_stream(ctypes.byref(stream), builtins.int(device)))
        return stream.value or 0


# ---- softmax family (torch.softmax, torch.log_softmax, torch.logsumexp) -----------------------------


def softmax(input, dim):
    """Softmax along dim (max-subtracted); floating inputs only, as PyTorch."""
    return Tensor._wrap(call("tensor_softmax", input._h, builtins.int(dim)))


def log_softmax(input, dim):
    """log(softmax(input)) along dim, computed stably."""
    return Tensor._wrap(call("tensor_log_softmax", input._h, builtins.int(dim)))


def logsumexp(input, dim=None, keepdim=False):
    """log(sum(exp(input))) over dim (an int, a sequence, or None for all dims); integers give float32."""
    return _reduce("logsumexp", input, dim, keepdim)


# ---- clamp (torch.clamp / Tensor.clamp, alias clip) ----------------------------------------------------


def clamp(input, min=None, max=None):
    """Clamps input to [min, max]; each bound a number, a tensor (broadcast) or None (not both None)."""
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = _scalar_tensor(min, input) if min is not None else None  # named: the handles outlive the call
        hi = _scalar_tensor(max, input) if max is not None else None
        return Tensor._wrap(call("tensor_clamp", input._h, lo._h if lo is not None else None,
                                 hi._h if hi is not None else None))
    if min is None and max is None:
        return Tensor._wrap(call("tensor_clamp", input._h, None, None))  # the C library's error
    bounds = [b for b in (min, max) if b is not None]
    if not input.dtype.is_floating_point and builtins.any(not isinstance(b, numbers.Integral) for b in bounds):
        input = input.to(_types.float32)  # a Python float bound makes an integer tensor float, as PyTorch
    lo = builtins.float(min) if min is not None else -math.inf
    hi = builtins.float(max) if max is not None else math.inf
    return Tensor._wrap(call("tensor_clamp_scalar", input._h, lo, hi))


clip = clamp
Tensor.clamp = lambda self, min=None, max=None: clamp(self, min, max)
Tensor.clip = Tensor.clamp


__all__ = [
    # creation
    "tensor", "empty", "zeros", "ones", "full", "rand", "randn", "arange", "linspace", "eye", "zeros_like",
    "ones_like", "full_like", "rand_like", "randn_like", "manual_seed", "from_dlpack", "from_numpy", "as_tensor",
    # shape
    "cat", "concatenate", "stack", "reshape", "permute", "transpose", "squeeze", "unsqueeze", "flatten", "clone",
    "detach",
    # math
    "where", *BINARY_OPS, *UNARY_OPS,
    "subtract", "multiply", "divide", "true_divide", "negative", "sum", "mean", "prod", "all", "any", "var", "std", "max", "min", "argmax", "argmin",
    "mm", "softmax", "log_softmax", "logsumexp", "clamp", "clip",
    # modes and devices
    "is_grad_enabled", "set_grad_enabled", "no_grad", "enable_grad", "set_num_threads", "get_num_threads",
    "config", "cuda",
]
