"""Loading libtensor.so and calling it: ctypes signatures, statuses turned into Python exceptions.

The library is found through the LIBTENSOR_PATH environment variable (the .so file, or a directory that
holds it) or else the system loader (libtensor.so.0, the ABI this binding is written against).
Functions are bound on first use, so a library that lacks a newer function still loads; calling that
function then raises NotImplementedError naming it.
"""
import ctypes
import ctypes.util
import os

from . import _op_table

ABI_MAJOR = 0  # the SONAME major this binding speaks (see docs/abi.md)

c_tensor_p = ctypes.c_void_p  # tensor* (opaque; kept as an address)
c_status = ctypes.c_int
c_dtype = ctypes.c_int  # tensor_dtype (a C enum: int-sized)
c_int64_p = ctypes.POINTER(ctypes.c_int64)
c_int32_p = ctypes.POINTER(ctypes.c_int32)


class c_device(ctypes.Structure):
    """tensor_device."""
    _fields_ = [("type", ctypes.c_int32), ("index", ctypes.c_int32)]


class c_options(ctypes.Structure):
    """tensor_options (TENSOR_OPTIONS_VERSION 1)."""
    _fields_ = [("version", ctypes.c_uint32), ("dtype", c_dtype), ("device", c_device),
                ("requires_grad", ctypes.c_bool)]


# ---- errors ---------------------------------------------------------------------------------------------

class Error(Exception):
    """A failed libtensor call. `status` is the tensor_status value; the message is tensor_last_error()."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(Error, ValueError):
    """TENSOR_ERR_INVALID_ARGUMENT."""


class ShapeError(Error, RuntimeError):
    """TENSOR_ERR_SHAPE."""


class DTypeError(Error, TypeError):
    """TENSOR_ERR_DTYPE."""


class DeviceError(Error, RuntimeError):
    """TENSOR_ERR_DEVICE."""


class IndexOutOfRangeError(Error, IndexError):
    """TENSOR_ERR_INDEX."""


class OutOfMemoryError(Error, MemoryError):
    """TENSOR_ERR_OUT_OF_MEMORY."""


class AutogradError(Error, RuntimeError):
    """TENSOR_ERR_AUTOGRAD."""


class BackendError(Error, RuntimeError):
    """TENSOR_ERR_BACKEND."""


class InternalError(Error, RuntimeError):
    """TENSOR_ERR_INTERNAL."""


_ERRORS = {
    -1: InvalidArgumentError, -2: ShapeError, -3: DTypeError, -4: DeviceError, -5: IndexOutOfRangeError,
    -6: OutOfMemoryError, -7: AutogradError, -8: BackendError, -9: InternalError,
}

# ---- signatures -----------------------------------------------------------------------------------------

_P, _PP = c_tensor_p, ctypes.POINTER(c_tensor_p)
_SHAPE = [c_int64_p, ctypes.c_int32]
_DIMS = [c_int32_p, ctypes.c_int32]
_OPTS = ctypes.POINTER(c_options)
_B, _D, _I32, _I64 = ctypes.c_bool, ctypes.c_double, ctypes.c_int32, ctypes.c_int64

_SIGNATURES = {
    # lifecycle and info
    "tensor_free": (None, [_P]),
    "tensor_retain": (_P, [_P]),
    "tensor_last_error": (ctypes.c_char_p, []),
    "tensor_status_string": (ctypes.c_char_p, [c_status]),
    "tensor_version": (ctypes.c_char_p, []),
    "tensor_cuda_available": (_B, []),
    "tensor_cuda_device_count": (_I32, []),
    "tensor_cuda_synchronize": (c_status, [_I32]),
    "tensor_cuda_stream": (c_status, [ctypes.POINTER(ctypes.c_void_p), _I32]),
    "tensor_manual_seed": (None, [ctypes.c_uint64]),
    "tensor_set_num_threads": (c_status, [_I32]),
    "tensor_get_num_threads": (_I32, []),
    "tensor_config_string": (_I64, [ctypes.c_char_p, ctypes.c_size_t]),
    # creation
    "tensor_from_data": (c_status, [_PP, ctypes.c_void_p] + _SHAPE + [_OPTS]),
    "tensor_empty": (c_status, [_PP] + _SHAPE + [_OPTS]),
    "tensor_zeros": (c_status, [_PP] + _SHAPE + [_OPTS]),
    "tensor_ones": (c_status, [_PP] + _SHAPE + [_OPTS]),
    "tensor_full": (c_status, [_PP] + _SHAPE + [_D, _OPTS]),
    "tensor_arange": (c_status, [_PP, _D, _D, _D, _OPTS]),
    "tensor_linspace": (c_status, [_PP, _D, _D, _I64, _OPTS]),
    "tensor_eye": (c_status, [_PP, _I64, _OPTS]),
    "tensor_rand": (c_status, [_PP] + _SHAPE + [_OPTS]),
    "tensor_randn": (c_status, [_PP] + _SHAPE + [_OPTS]),
    "tensor_zeros_like": (c_status, [_PP, _P]),
    "tensor_ones_like": (c_status, [_PP, _P]),
    # inspection
    "tensor_ndim": (_I32, [_P]),
    "tensor_shape": (c_int64_p, [_P]),
    "tensor_strides": (c_int64_p, [_P]),
    "tensor_size": (_I64, [_P, _I32]),
    "tensor_numel": (_I64, [_P]),
    "tensor_get_dtype": (c_dtype, [_P]),
    "tensor_get_device": (c_device, [_P]),
    "tensor_is_contiguous": (_B, [_P]),
    "tensor_dtype_size": (ctypes.c_size_t, [c_dtype]),
    "tensor_dtype_name": (ctypes.c_char_p, [c_dtype]),
    # data out
    "tensor_copy_to_host": (c_status, [_P, ctypes.c_void_p, ctypes.c_size_t]),
    "tensor_item": (c_status, [_P, ctypes.POINTER(_D)]),
    "tensor_data": (ctypes.c_void_p, [_P]),
    "tensor_format": (_I64, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    # shape and views
    "tensor_reshape": (c_status, [_PP, _P] + _SHAPE),
    "tensor_permute": (c_status, [_PP, _P] + _DIMS),
    "tensor_transpose": (c_status, [_PP, _P, _I32, _I32]),
    "tensor_expand": (c_status, [_PP, _P] + _SHAPE),
    "tensor_squeeze": (c_status, [_PP, _P, _I32]),
    "tensor_squeeze_all": (c_status, [_PP, _P]),
    "tensor_unsqueeze": (c_status, [_PP, _P, _I32]),
    "tensor_slice": (c_status, [_PP, _P, _I32, _I64, _I64, _I64]),
    "tensor_select": (c_status, [_PP, _P, _I32, _I64]),
    "tensor_contiguous": (c_status, [_PP, _P]),
    "tensor_clone": (c_status, [_PP, _P]),
    "tensor_cat": (c_status, [_PP, _PP, _I32, _I32]),
    "tensor_stack": (c_status, [_PP, _PP, _I32, _I32]),
    "tensor_to_dtype": (c_status, [_PP, _P, c_dtype]),
    "tensor_to_device": (c_status, [_PP, _P, c_device]),
    # elementwise
    "tensor_where": (c_status, [_PP, _P, _P, _P]),
    "tensor_copy_": (c_status, [_P, _P]),
    "tensor_fill_": (c_status, [_P, _D]),
    "tensor_zero_": (c_status, [_P]),
    # reductions
    "tensor_max": (c_status, [_PP, _P]),
    "tensor_min": (c_status, [_PP, _P]),
    "tensor_max_dim": (c_status, [_PP, _PP, _P, _I32, _B]),
    "tensor_min_dim": (c_status, [_PP, _PP, _P, _I32, _B]),
    "tensor_argmax": (c_status, [_PP, _P, _I32, _B]),
    "tensor_argmin": (c_status, [_PP, _P, _I32, _B]),
    "tensor_var": (c_status, [_PP, _P] + _DIMS + [_I64, _B]),
    "tensor_std": (c_status, [_PP, _P] + _DIMS + [_I64, _B]),
    # linear algebra
    "tensor_matmul": (c_status, [_PP, _P, _P]),
    # autograd
    "tensor_set_requires_grad": (c_status, [_P, _B]),
    "tensor_requires_grad": (_B, [_P]),
    "tensor_is_leaf": (_B, [_P]),
    "tensor_backward": (c_status, [_P, _P, _B]),
    "tensor_grad": (c_status, [_PP, _P]),
    "tensor_zero_grad": (c_status, [_P]),
    "tensor_detach": (c_status, [_PP, _P]),
    "tensor_set_grad_enabled": (_B, [_B]),
    "tensor_is_grad_enabled": (_B, []),
    # interop (DLPack structs are passed as addresses)
    "tensor_to_dlpack": (c_status, [ctypes.POINTER(ctypes.c_void_p), _P]),
    "tensor_from_dlpack": (c_status, [_PP, ctypes.c_void_p]),
    # softmax and losses (the reduction is tensor_reduction: 0 none, 1 mean, 2 sum)
    "tensor_softmax": (c_status, [_PP, _P, _I32]),
    "tensor_log_softmax": (c_status, [_PP, _P, _I32]),
    "tensor_logsumexp": (c_status, [_PP, _P] + _DIMS + [_B]),
    "tensor_cross_entropy": (c_status, [_PP, _P, _P, _P, _I64, _D, _I32]),
    "tensor_nll_loss": (c_status, [_PP, _P, _P, _P, _I64, _I32]),
    "tensor_mse_loss": (c_status, [_PP, _P, _P, _I32]),
    "tensor_l1_loss": (c_status, [_PP, _P, _P, _I32]),
    "tensor_smooth_l1_loss": (c_status, [_PP, _P, _P, _D, _I32]),
    "tensor_binary_cross_entropy_with_logits": (c_status, [_PP, _P, _P, _P, _P, _I32]),
    # activations, clamp and linear
    "tensor_gelu": (c_status, [_PP, _P, _B]),
    "tensor_softplus": (c_status, [_PP, _P, _D, _D]),
    "tensor_leaky_relu": (c_status, [_PP, _P, _D]),
    "tensor_elu": (c_status, [_PP, _P, _D]),
    "tensor_clamp": (c_status, [_PP, _P, _P, _P]),
    "tensor_clamp_scalar": (c_status, [_PP, _P, _D, _D]),
    "tensor_linear": (c_status, [_PP, _P, _P, _P]),
}
# The elementwise ops come from the C library's op tables (_op_table.py is generated from them).
BINARY_OPS = tuple(_op_table.BINARY)
SCALAR_OPS = _op_table.SCALAR
UNARY_OPS = tuple(_op_table.UNARY)
INPLACE_OPS = _op_table.INPLACE
DIM_REDUCTIONS = ("sum", "mean", "prod", "all", "any")
for _n in BINARY_OPS:
    _SIGNATURES["tensor_" + _n] = (c_status, [_PP, _P, _P])
for _n in SCALAR_OPS:
    _SIGNATURES["tensor_%s_scalar" % _n] = (c_status, [_PP, _P, _D])
for _n in UNARY_OPS:
    _SIGNATURES["tensor_" + _n] = (c_status, [_PP, _P])
for _n in INPLACE_OPS:
    _SIGNATURES["tensor_%s_" % _n] = (c_status, [_P, _P])
for _n in DIM_REDUCTIONS:
    _SIGNATURES["tensor_" + _n] = (c_status, [_PP, _P] + _DIMS + [_B])


def _candidates():
    path = os.environ.get("LIBTENSOR_PATH")
    if path:
        if os.path.isdir(path):
            return [os.path.join(path, n) for n in ("libtensor.so.%d" % ABI_MAJOR, "libtensor.so")
                    if os.path.exists(os.path.join(path, n))] or [os.path.join(path, "libtensor.so")]
        return [path]
    found = ctypes.util.find_library("tensor")
    return ["libtensor.so.%d" % ABI_MAJOR] + ([found] if found else [])


def _load():
    errors = []
    for candidate in _candidates():
        try:
            return ctypes.CDLL(candidate)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("libtensor: cannot load the shared library (set LIBTENSOR_PATH to libtensor.so or "
                      "its directory): " + "; ".join(errors))


class _Library:
    """The loaded .so with functions bound lazily from _SIGNATURES."""

    def __init__(self, dll):
        self._dll = dll

    def __getattr__(self, name):
        if name not in _SIGNATURES:
            raise AttributeError(name)
        try:
            fn = getattr(self._dll, name)
        except AttributeError:
            raise NotImplementedError("%s is not exported by the loaded libtensor (%s)"
                                      % (name, self._dll._name)) from None
        fn.restype, fn.argtypes = _SIGNATURES[name]
        setattr(self, name, fn)  # later lookups skip __getattr__
        return fn


lib = _Library(_load())
_version = lib.tensor_version().decode()
if int(_version.split(".")[0]) != ABI_MAJOR:
    raise ImportError("libtensor: loaded library version %s, but this binding needs major version %d"
                      % (_version, ABI_MAJOR))


def last_error():
    return lib.tensor_last_error().decode("utf-8", "replace")


def check(status):
    """Raises the exception for a failed status, with the library's message."""
    if status != 0:
        raise _ERRORS.get(status, Error)(last_error(), status)


def call(name, *args):
    """Calls a function returning one new tensor through its first out-parameter; returns the handle."""
    out = c_tensor_p()
    check(getattr(lib, name)(ctypes.byref(out), *args))
    return out.value


def int64_array(values):
    values = list(values)
    return (ctypes.c_int64 * max(len(values), 1))(*values), len(values)


def int32_array(values):
    values = list(values)
    return (ctypes.c_int32 * max(len(values), 1))(*values), len(values)
