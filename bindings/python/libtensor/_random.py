"""Random draws (torch.randint, randperm, bernoulli, multinomial, Tensor.uniform_ / normal_, dropout) and the
calling thread's Philox stream state over libtensor's C calls. The C signatures are registered here, next
to the functions that use them."""
import builtins
import ctypes

from . import _types
from ._lib import _SIGNATURES, c_int64_p, c_options, c_status, c_tensor_p, call, check, int64_array, lib
from ._tensor import Tensor, _options

_P, _PP = c_tensor_p, ctypes.POINTER(c_tensor_p)
_B, _D, _I32, _I64, _U64 = ctypes.c_bool, ctypes.c_double, ctypes.c_int32, ctypes.c_int64, ctypes.c_uint64
_OPTS = ctypes.POINTER(c_options)

_SIGNATURES.update({
    "tensor_randint": (c_status, [_PP, _I64, _I64, c_int64_p, _I32, _OPTS]),
    "tensor_randperm": (c_status, [_PP, _I64, _OPTS]),
    "tensor_bernoulli": (c_status, [_PP, _P]),
    "tensor_multinomial": (c_status, [_PP, _P, _I64, _B]),
    "tensor_dropout": (c_status, [_PP, _P, _D, _B]),
    "tensor_uniform_": (c_status, [_P, _D, _D]),
    "tensor_normal_": (c_status, [_P, _D, _D]),
    "tensor_get_rng_state": (c_status, [ctypes.POINTER(_U64), ctypes.POINTER(_U64)]),
    "tensor_set_rng_state": (c_status, [_U64, _U64]),
})


def _int64_options(dtype, device, requires_grad):
    return _options(_types.to_dtype(dtype) or _types.int64, device, requires_grad)


def randint(low, high=None, size=None, *, dtype=None, device=None, requires_grad=False):
    """randint(high, size) or randint(low, high, size): integers in [low, high), int64 by default."""
    if size is None:
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing 1 required positional argument: 'size'")
    shp, n = int64_array(list(size))
    o = _int64_options(dtype, device, requires_grad)
    return Tensor._wrap(call("tensor_randint", builtins.int(low), builtins.int(high), shp, n, ctypes.byref(o)))


def randperm(n, *, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0 .. n - 1, int64 by default."""
    o = _int64_options(dtype, device, requires_grad)
    return Tensor._wrap(call("tensor_randperm", builtins.int(n), ctypes.byref(o)))


def bernoulli(input):
    """1 with probability input[i], else 0, in input's (floating) dtype."""
    return Tensor._wrap(call("tensor_bernoulli", input._h))


def multinomial(input, num_samples, replacement=False):
    """num_samples category indices per row of the nonnegative weights input (1-D or 2-D)."""
    return Tensor._wrap(call("tensor_multinomial", input._h, builtins.int(num_samples), builtins.bool(replacement)))


def dropout(input, p=0.5, training=True):
    """input * mask / (1 - p) in training (mask 0 with probability p); input itself otherwise."""
    out = Tensor._wrap(call("tensor_dropout", input._h, builtins.float(p), builtins.bool(training)))
    return out if training else input


def _uniform_(self, a=0.0, b=1.0):
    check(lib.tensor_uniform_(self._h, builtins.float(a), builtins.float(b)))
    return self


def _normal_(self, mean=0.0, std=1.0):
    check(lib.tensor_normal_(self._h, builtins.float(mean), builtins.float(std)))
    return self


def get_rng_state():
    """The calling thread's stream state as (seed, offset) (torch returns a ByteTensor instead)."""
    seed, offset = _U64(0), _U64(0)
    check(lib.tensor_get_rng_state(ctypes.byref(seed), ctypes.byref(offset)))
    return (seed.value, offset.value)


def set_rng_state(state):
    """Resumes the stream at a state from get_rng_state()."""
    seed, offset = state
    check(lib.tensor_set_rng_state(builtins.int(seed) & ((1 << 64) - 1), builtins.int(offset) & ((1 << 64) - 1)))


_METHODS = {
    "bernoulli": bernoulli,
    "multinomial": multinomial,
    "uniform_": _uniform_,
    "normal_": _normal_,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)

__all__ = ["randint", "randperm", "bernoulli", "multinomial", "get_rng_state", "set_rng_state"]
