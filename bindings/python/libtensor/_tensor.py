"""The Tensor class: a Python owner of one libtensor handle, with PyTorch's operators and methods."""
import builtins
import collections
import ctypes
import numbers

from . import _dlpack, _types
from ._lib import BINARY_OPS, UNARY_OPS, lib, call, check, int32_array, int64_array, c_device, c_tensor_p
from ._types import Size


class Tensor:
    """An n-d array in libtensor. Create one with libtensor.tensor(), zeros(), arange(), ...

    Operators broadcast as NumPy and promote dtypes as PyTorch; Python numbers mix in as PyTorch's do.
    """
    __slots__ = ("_h", "__weakref__")
    __array_priority__ = 1000  # ndarray <op> Tensor defers to Tensor's reflected operator, as with PyTorch

    def __init__(self, *args, **kwargs):
        raise TypeError("use libtensor.tensor(data), libtensor.zeros(shape), ... to create tensors")

    @classmethod
    def _wrap(cls, handle):
        """Adopts one reference to `handle`."""
        t = object.__new__(cls)
        t._h = handle
        return t

    def __del__(self, _free=lib.tensor_free):  # the default keeps the function alive at interpreter exit
        h = getattr(self, "_h", None)
        if h:
            self._h = None
            _free(h)

    # ---- inspection ---------------------------------------------------------------------------------
    @property
    def shape(self):
        n = lib.tensor_ndim(self._h)
        p = lib.tensor_shape(self._h)
        return Size(p[i] for i in range(n))

    def size(self, dim=None):
        return self.shape if dim is None else self.shape[dim]

    def stride(self, dim=None):
        n = lib.tensor_ndim(self._h)
        p = lib.tensor_strides(self._h)
        strides = tuple(p[i] for i in range(n))
        return strides if dim is None else strides[dim]

    @property
    def ndim(self):
        return lib.tensor_ndim(self._h)

    def dim(self):
        return self.ndim

    def numel(self):
        return lib.tensor_numel(self._h)

    def element_size(self):
        return self.dtype.itemsize

    @property
    def dtype(self):
        return _types.from_code(lib.tensor_get_dtype(self._h))

    @property
    def device(self):
        d = lib.tensor_get_device(self._h)
        return _types.device("cpu") if d.type == 0 else _types.device("cuda", d.index)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    def is_contiguous(self):
        return lib.tensor_is_contiguous(self._h)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def data_ptr(self):
        return lib.tensor_data(self._h) or 0

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __repr__(self):
        n = lib.tensor_format(self._h, None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        lib.tensor_format(self._h, buf, n + 1)
        return buf.value.decode()

    __str__ = __repr__

    def __format__(self, spec):
        if self.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)

    # ---- data out -----------------------------------------------------------------------------------
    def item(self):
        v = ctypes.c_double()
        check(lib.tensor_item(self._h, ctypes.byref(v)))
        dt = self.dtype
        if dt is _types.bool:
            return builtins.bool(v.value)
        return builtins.int(v.value) if not dt.is_floating_point else v.value

    def _host_values(self):
        """The elements row-major as a flat list of Python numbers (exact for int64)."""
        dt = self.dtype
        if dt is _types.float16 or dt is _types.bfloat16:
            return self.to(_types.float32)._host_values()  # exact: every 16-bit float is a float32
        ctype = {"float32": ctypes.c_float, "float64": ctypes.c_double, "int32": ctypes.c_int32,
                 "int64": ctypes.c_int64, "bool": ctypes.c_bool, "uint8": ctypes.c_uint8, "int8": ctypes.c_int8,
                 "int16": ctypes.c_int16}[dt.name]
        n = self.numel()
        buf = (ctype * max(n, 1))()
        check(lib.tensor_copy_to_host(self._h, buf, ctypes.sizeof(ctype) * n))
        return buf[:n]

    def tolist(self):
        flat = self._host_values()
        shape = self.shape
        if not shape:
            return flat[0]

        def nest(offset, dims):
            if len(dims) == 1:
                return flat[offset:offset + dims[0]]
            step = Size(dims[1:]).numel()
            return [nest(offset + i * step, dims[1:]) for i in range(dims[0])]
        return nest(0, shape)

    def __float__(self):
        return builtins.float(self.item())

    def __int__(self):
        return builtins.int(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    # ---- NumPy and DLPack ---------------------------------------------------------------------------
    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """The DLPack protocol: a "dltensor_versioned" capsule when the consumer passes max_version >= 1,
        else a legacy "dltensor" capsule. Zero-copy unless copy=True."""
        if self.requires_grad:
            raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError("libtensor exports a tensor only on its own device %s" % (self.__dlpack_device__(),))
        if self.device.type == "cuda":
            # Work queued on libtensor's streams becomes visible to whatever stream the consumer uses.
            check(lib.tensor_cuda_synchronize(self.device.index or 0))
        source = self.clone() if copy else self
        versioned = max_version is not None and tuple(max_version)[0] >= _dlpack.MAJOR
        return _dlpack.to_capsule(source._h, versioned, copied=builtins.bool(copy))

    def __dlpack_device__(self):
        d = self.device
        return (_dlpack.kDLCPU, 0) if d.type == "cpu" else (_dlpack.kDLCUDA, d.index or 0)

    @staticmethod
    def from_dlpack(obj):
        """A tensor sharing the memory of `obj` (anything with __dlpack__, or a DLPack capsule)."""
        return Tensor._wrap(_dlpack.from_object(obj))

    def numpy(self):
        """A NumPy array sharing this tensor's memory (CPU tensors that do not require grad). NumPy has no
        bfloat16: a bfloat16 tensor gives a float32 copy (exact, but writes do not reach the tensor)."""
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        if self.device.type != "cpu":
            raise TypeError("can't convert %s device type tensor to numpy. Use Tensor.cpu() to copy the tensor "
                            "to host memory first." % self.device)
        if self.dtype is _types.bfloat16:
            return self.to(_types.float32).numpy()
        from ._numpy import array_from_export
        return array_from_export(_dlpack.export_versioned(self._h))

    def __array__(self, dtype=None):
        a = self.detach().cpu().numpy()
        return a if dtype is None else a.astype(dtype)

    # ---- conversions and views ----------------------------------------------------------------------
    def to(self, *args, **kwargs):
        """to(dtype), to(device), to(device, dtype), to(other_tensor); keywords dtype= and device=."""
        dtype, device = kwargs.get("dtype"), kwargs.get("device")
        for a in args:
            if isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            elif isinstance(a, (str, _types.device)):
                device = a
            else:
                dtype = a
        t = self
        if device is not None:
            d = _types.to_device(device)
            t = Tensor._wrap(call("tensor_to_device", t._h, c_device(*d._c)))
        if dtype is not None:
            t = Tensor._wrap(call("tensor_to_dtype", t._h, _types.to_dtype(dtype).code))
        return t

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to(_types.device("cuda", device or 0))

    def float(self):
        return self.to(_types.float32)

    def double(self):
        return self.to(_types.float64)

    def int(self):
        return self.to(_types.int32)

    def long(self):
        return self.to(_types.int64)

    def bool(self):
        return self.to(_types.bool)

    def half(self):
        return self.to(_types.float16)

    def bfloat16(self):
        return self.to(_types.bfloat16)

    def byte(self):
        return self.to(_types.uint8)

    def char(self):
        return self.to(_types.int8)

    def short(self):
        return self.to(_types.int16)

    def type_as(self, other):
        return self.to(other.dtype)

    def reshape(self, *shape):
        shape, n = int64_array(_sizes(shape))
        return Tensor._wrap(call("tensor_reshape", self._h, shape, n))

    view = reshape  # libtensor's reshape returns a view whenever one is possible

    def view_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        shape = list(self.shape)
        if not shape:
            return self.reshape(1)
        n = len(shape)
        for d in (start_dim, end_dim):
            if not -n <= d < n:
                raise IndexError("Dimension out of range (expected to be in range of [%d, %d], but got %d)"
                                 % (-n, n - 1, d))
        s, e = start_dim % n, end_dim % n
        if s > e:
            raise ValueError("flatten() has invalid args: start_dim cannot come after end_dim")
        # The flattened size is spelled out: -1 cannot be inferred when another size is 0.
        size = 1
        for k in shape[s:e + 1]:
            size *= k
        return self.reshape(shape[:s] + [size] + shape[e + 1:])

    def permute(self, *dims):
        dims, n = int32_array(_sizes(dims))
        return Tensor._wrap(call("tensor_permute", self._h, dims, n))

    def transpose(self, dim0, dim1):
        return Tensor._wrap(call("tensor_transpose", self._h, dim0, dim1))

    def t(self):
        if self.ndim > 2:
            raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is %dD" % self.ndim)
        return self if self.ndim < 2 else self.transpose(0, 1)

    @property
    def T(self):
        return self.permute(*reversed(range(self.ndim)))

    def expand(self, *sizes):
        sizes, n = int64_array(_sizes(sizes))
        return Tensor._wrap(call("tensor_expand", self._h, sizes, n))

    def expand_as(self, other):
        return self.expand(other.shape)

    def squeeze(self, dim=None):
        if dim is None:
            return Tensor._wrap(call("tensor_squeeze_all", self._h))
        return Tensor._wrap(call("tensor_squeeze", self._h, dim))

    def unsqueeze(self, dim):
        return Tensor._wrap(call("tensor_unsqueeze", self._h, dim))

    def contiguous(self):
        return Tensor._wrap(call("tensor_contiguous", self._h))

    def clone(self):
        return Tensor._wrap(call("tensor_clone", self._h))

    def detach(self):
        return Tensor._wrap(call("tensor_detach", self._h))

    def __getitem__(self, index):
        return _index(self, index)

    def __setitem__(self, index, value):
        target = _index(self, index)
        if isinstance(value, Tensor):
            check(lib.tensor_copy_(target._h, value._h))
        else:
            check(lib.tensor_fill_(target._h, builtins.float(value)))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # ---- arithmetic ---------------------------------------------------------------------------------
    def _binary(self, name, other):
        return _binary(name, self, other)

    def _rbinary(self, name, other):
        return _binary(name, _scalar_tensor(other, self), self)

    def __add__(self, o): return _binary("add", self, o)
    def __radd__(self, o): return _binary("add", self, o)
    def __sub__(self, o): return _binary("sub", self, o)
    def __rsub__(self, o): return self._rbinary("sub", o)
    def __mul__(self, o): return _binary("mul", self, o)
    def __rmul__(self, o): return _binary("mul", self, o)
    def __truediv__(self, o): return _binary("div", self, o)
    def __rtruediv__(self, o):
        # PyTorch's Tensor.__rtruediv__ is reciprocal() * other: its rounding (two steps), its float result
        # for integer tensors (an int scalar is not first cast to a uint8 tensor's dtype) and MulBackward0.
        return self.reciprocal() * o if _is_number(o) else self._rbinary("div", o)
    def __pow__(self, o): return _binary("pow", self, o)
    def __rpow__(self, o): return self._rbinary("pow", o)
    def __matmul__(self, o): return matmul(self, o)
    def __floordiv__(self, o): return _binary("floor_divide", self, o)
    def __rfloordiv__(self, o): return self._rbinary("floor_divide", o)
    def __mod__(self, o): return _binary("remainder", self, o)
    def __rmod__(self, o): return self._rbinary("remainder", o)
    def __and__(self, o): return _binary("bitwise_and", self, o)
    def __rand__(self, o): return _binary("bitwise_and", self, o)
    def __or__(self, o): return _binary("bitwise_or", self, o)
    def __ror__(self, o): return _binary("bitwise_or", self, o)
    def __xor__(self, o): return _binary("bitwise_xor", self, o)
    def __rxor__(self, o): return _binary("bitwise_xor", self, o)
    def __rmatmul__(self, o): return matmul(o, self)
    def __eq__(self, o): return _binary("eq", self, o)
    def __ne__(self, o): return _binary("ne", self, o)
    def __lt__(self, o): return _binary("lt", self, o)
    def __le__(self, o): return _binary("le", self, o)
    def __gt__(self, o): return _binary("gt", self, o)
    def __ge__(self, o): return _binary("ge", self, o)
    def __neg__(self): return _unary("neg", self)
    def __abs__(self): return _unary("abs", self)
    def __pos__(self): return self
    __hash__ = object.__hash__  # identity, as PyTorch: == is elementwise

    def __iadd__(self, o): return self.add_(o)
    def __isub__(self, o): return self.sub_(o)
    def __imul__(self, o): return self.mul_(o)
    def __itruediv__(self, o): return self.div_(o)

    # x.add(y), x.exp(), ... for every op of the C library's tables: _add_op_methods below
    def pow(self, exponent): return _binary("pow", self, exponent)  # torch's parameter name
    def matmul(self, other): return matmul(self, other)

    # in place (PyTorch's trailing underscore); each returns self
    def _inplace(self, name, other):
        other = _scalar_tensor(other, self)  # a named reference keeps a temporary alive during the call
        check(getattr(lib, "tensor_%s_" % name)(self._h, other._h))
        return self

    def add_(self, other): return self._inplace("add", other)
    def sub_(self, other): return self._inplace("sub", other)
    def mul_(self, other): return self._inplace("mul", other)
    def div_(self, other): return self._inplace("div", other)

    def copy_(self, src):
        src = _scalar_tensor(src, self)
        check(lib.tensor_copy_(self._h, src._h))
        return self

    def fill_(self, value):
        check(lib.tensor_fill_(self._h, builtins.float(value)))
        return self

    def zero_(self):
        check(lib.tensor_zero_(self._h))
        return self

    # ---- reductions (dim may be an int or a sequence; axis= is NumPy's name for it) -----------------
    def sum(self, dim=None, keepdim=False, *, axis=None):
        return _reduce("sum", self, _dim(dim, axis), keepdim)

    def mean(self, dim=None, keepdim=False, *, axis=None):
        return _reduce("mean", self, _dim(dim, axis), keepdim)

    def prod(self, dim=None, keepdim=False, *, axis=None):
        return _reduce("prod", self, _dim(dim, axis), keepdim)

    def all(self, dim=None, keepdim=False, *, axis=None):
        return _reduce("all", self, _dim(dim, axis), keepdim)

    def any(self, dim=None, keepdim=False, *, axis=None):
        return _reduce("any", self, _dim(dim, axis), keepdim)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
        return _moment("tensor_var", self, _dim(dim, axis), unbiased, keepdim, correction)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
        return _moment("tensor_std", self, _dim(dim, axis), unbiased, keepdim, correction)

    def max(self, dim=None, keepdim=False, *, axis=None):
        return _extreme("max", self, _dim(dim, axis), keepdim)

    def min(self, dim=None, keepdim=False, *, axis=None):
        return _extreme("min", self, _dim(dim, axis), keepdim)

    def argmax(self, dim=None, keepdim=False, *, axis=None):
        return _arg("argmax", self, _dim(dim, axis), keepdim)

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        return _arg("argmin", self, _dim(dim, axis), keepdim)

    # ---- autograd -----------------------------------------------------------------------------------
    @property
    def requires_grad(self):
        return lib.tensor_requires_grad(self._h)

    @requires_grad.setter
    def requires_grad(self, flag):
        check(lib.tensor_set_requires_grad(self._h, builtins.bool(flag)))

    def requires_grad_(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        return lib.tensor_is_leaf(self._h)

    @property
    def grad(self):
        out = c_tensor_p()
        check(lib.tensor_grad(ctypes.byref(out), self._h))
        return Tensor._wrap(out.value) if out.value else None

    @grad.setter
    def grad(self, value):
        if value is not None:
            raise TypeError("libtensor can only reset .grad to None (it accumulates grads itself)")
        check(lib.tensor_zero_grad(self._h))

    def backward(self, gradient=None, retain_graph=None):
        check(lib.tensor_backward(self._h, gradient._h if gradient is not None else None,
                                  builtins.bool(retain_graph)))


# ---- helpers shared by methods and module functions ---------------------------------------------------

def _sizes(args):
    """(2, 3), ((2, 3),) and ([2, 3],) all mean the sizes 2, 3."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return list(args[0])
    return list(args)


def _dim(dim, axis):
    return axis if dim is None else dim


def _is_number(v):
    return isinstance(v, numbers.Number) and not isinstance(v, Tensor)


_WRAP_BITS = {"uint8": 8, "int8": 8, "int16": 16, "int32": 32}


def _scalar_tensor(value, like):
    """`value` as a tensor for an op with `like`. A NumPy array is viewed as it is (its dtype takes part
    in promotion, as in PyTorch). A Python number becomes a 0-d tensor whose dtype makes
    the op's result what PyTorch gives for a Python scalar (a float does not widen a floating tensor but
    makes an integer one float32; an int keeps the tensor's dtype; bool stays bool)."""
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "__array_interface__") and hasattr(value, "dtype"):  # a NumPy operand: a view of it
        from ._numpy import from_numpy
        return Tensor._wrap(from_numpy(value))
    if not _is_number(value):
        raise TypeError("unsupported operand: expected a Tensor or a number, got %s" % type(value).__name__)
    ref = like.dtype
    if isinstance(value, builtins.bool):
        dt = _types.bool
    elif isinstance(value, numbers.Integral):
        dt = _types.int64 if ref is _types.bool else ref
        if dt.name in _WRAP_BITS:
            # PyTorch casts the number into an integer type of 32 bits or fewer by wrapping (uint8 t < 300
            # compares with 44); wrapped here, so that the fill never sees an out-of-range value.
            bits = _WRAP_BITS[dt.name]
            value = builtins.int(value) & ((1 << bits) - 1)
            if dt is not _types.uint8 and value >= 1 << (bits - 1):
                value -= 1 << bits
    else:
        dt = ref if ref.is_floating_point else _types.float32
    o = _options(dt, like.device, False)
    return Tensor._wrap(call("tensor_full", None, 0, builtins.float(value), ctypes.byref(o)))


def _binary(name, a, b):
    if not isinstance(a, Tensor):
        return _binary(name, _scalar_tensor(a, b), b)
    if _is_number(b) and name in ("add", "sub", "mul", "div", "pow") and not isinstance(b, builtins.bool) \
            and (a.dtype.is_floating_point or (isinstance(b, numbers.Integral) and a.dtype is not _types.bool)):
        # The C scalar ops keep the tensor's dtype here, exactly as PyTorch does with a Python number.
        return Tensor._wrap(call("tensor_%s_scalar" % name, a._h, builtins.float(b)))
    b = _scalar_tensor(b, a)  # named: a temporary's handle must outlive the call that uses it
    return Tensor._wrap(call("tensor_" + name, a._h, b._h))


def _unary(name, a):
    return Tensor._wrap(call("tensor_" + name, a._h))


def _dims_array(dim):
    if dim is None:
        return None, 0
    dims = [dim] if isinstance(dim, numbers.Integral) else list(dim)
    return int32_array(dims)


def _reduce(name, t, dim, keepdim):
    dims, n = _dims_array(dim)
    return Tensor._wrap(call("tensor_" + name, t._h, dims, n, builtins.bool(keepdim)))


def _moment(fn, t, dim, unbiased, keepdim, correction):
    dims, n = _dims_array(dim)
    if correction is None:
        correction = 1 if unbiased else 0
    return Tensor._wrap(call(fn, t._h, dims, n, builtins.int(correction), builtins.bool(keepdim)))


class _ValuesIndices(collections.namedtuple("_ValuesIndices", ["values", "indices"])):
    """(values, indices) of max/min along a dim; prints as PyTorch's torch.return_types."""
    _op = ""

    def __repr__(self):
        return "torch.return_types.%s(\nvalues=%r,\nindices=%r)" % (self._op, self.values, self.indices)


class _MaxResult(_ValuesIndices):
    _op = "max"


class _MinResult(_ValuesIndices):
    _op = "min"


def _extreme(name, t, dim, keepdim):
    if dim is None:
        return Tensor._wrap(call("tensor_" + name, t._h))
    if isinstance(dim, Tensor):  # torch.max(a, b) is maximum
        return _binary("maximum" if name == "max" else "minimum", t, dim)
    values, indices = c_tensor_p(), c_tensor_p()
    check(getattr(lib, "tensor_%s_dim" % name)(ctypes.byref(values), ctypes.byref(indices), t._h, dim,
                                               builtins.bool(keepdim)))
    cls = _MaxResult if name == "max" else _MinResult
    return cls(Tensor._wrap(values.value), Tensor._wrap(indices.value))


def _arg(name, t, dim, keepdim):
    if dim is None:  # over all elements, as the flattened tensor
        flat = t.reshape(-1)
        return Tensor._wrap(call("tensor_" + name, flat._h, 0, False))
    return Tensor._wrap(call("tensor_" + name, t._h, dim, builtins.bool(keepdim)))


def _options(dtype, device, requires_grad):
    o = _lib_options()
    o.dtype = dtype.code
    d = _types.to_device(device) or _types.device("cpu")
    o.device.type, o.device.index = d._c
    o.requires_grad = builtins.bool(requires_grad)
    return o


def _lib_options():
    from ._lib import c_options
    o = c_options()
    o.version = 1
    return o


def _index(t, index):
    """t[index] for ints, slices, None and Ellipsis (basic indexing: always a view)."""
    if not isinstance(index, tuple):
        index = (index,)
    consumed = builtins.sum(1 for i in index if i is not None and i is not Ellipsis)
    if builtins.sum(1 for i in index if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > t.ndim:
        raise IndexError("too many indices for tensor of dimension %d" % t.ndim)
    out, dim = t, 0
    for i in index:
        if i is Ellipsis:
            dim += t.ndim - consumed
        elif i is None:
            out = out.unsqueeze(dim)
            dim += 1
        elif isinstance(i, slice):
            start, stop, step = i.start, i.stop, i.step
            step = 1 if step is None else step
            if step <= 0:
                raise ValueError("step must be greater than zero")
            start = 0 if start is None else start
            stop = (1 << 62) if stop is None else stop
            out = Tensor._wrap(call("tensor_slice", out._h, dim, builtins.int(start), builtins.int(stop),
                                    builtins.int(step)))
            dim += 1
        elif isinstance(i, numbers.Integral) or (isinstance(i, Tensor) and i.numel() == 1
                                                 and not i.dtype.is_floating_point):
            out = Tensor._wrap(call("tensor_select", out._h, dim, builtins.int(i)))
        else:
            raise IndexError("libtensor supports indexing with integers, slices, None and ...; got %s"
                             % type(i).__name__)
    return out


def matmul(a, b):
    """numpy.matmul semantics: 1-D dot, 2-D, batched with broadcast batch dims."""
    return Tensor._wrap(call("tensor_matmul", a._h, b._h))


def _add_op_methods():
    """Tensor.<op> for every op of the C library's tables that the class does not spell out itself."""
    def binary_method(name):
        def method(self, other):
            return _binary(name, self, other)
        method.__name__ = name
        return method

    def unary_method(name):
        def method(self):
            return _unary(name, self)
        method.__name__ = name
        return method

    for name in BINARY_OPS:
        if name not in Tensor.__dict__:
            setattr(Tensor, name, binary_method(name))
    for name in UNARY_OPS:
        if name not in Tensor.__dict__:
            setattr(Tensor, name, unary_method(name))


_add_op_methods()
