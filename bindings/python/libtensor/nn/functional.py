"""torch.nn.functional's softmax family, losses, activations and linear over libtensor's C calls
(tensor_softmax, tensor_cross_entropy, tensor_gelu, tensor_linear ...). Names, arguments and defaults are
PyTorch's."""
import builtins

from .._functions import log_softmax, logsumexp, softmax  # noqa: F401 (also torch.nn.functional names)
from .._indexing import one_hot  # noqa: F401 (torch.nn.functional.one_hot)
from .. import _random
from .. import _lib
from .._lib import call
from .._tensor import Tensor

_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError("%s is not a valid value for reduction" % (reduction,))
    return _REDUCTIONS[reduction]


def _h(t):
    return t._h if t is not None else None


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits (N, C, d...) or (C) with int64 class indices or class probabilities."""
    return Tensor._wrap(call("tensor_cross_entropy", input._h, target._h, _h(weight), builtins.int(ignore_index),
                             builtins.float(label_smoothing), _reduction(reduction)))


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of log-probabilities at int64 class targets."""
    return Tensor._wrap(call("tensor_nll_loss", input._h, target._h, _h(weight), builtins.int(ignore_index),
                             _reduction(reduction)))


def mse_loss(input, target, reduction="mean"):
    return Tensor._wrap(call("tensor_mse_loss", input._h, target._h, _reduction(reduction)))


def l1_loss(input, target, reduction="mean"):
    return Tensor._wrap(call("tensor_l1_loss", input._h, target._h, _reduction(reduction)))


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    return Tensor._wrap(call("tensor_smooth_l1_loss", input._h, target._h, builtins.float(beta),
                             _reduction(reduction)))


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    return Tensor._wrap(call("tensor_binary_cross_entropy_with_logits", input._h, target._h, _h(weight),
                             _h(pos_weight), _reduction(reduction)))


def _no_inplace(inplace, name):
    if inplace:
        raise NotImplementedError("%s: inplace=True is not supported by libtensor" % name)


def gelu(input, approximate="none"):
    """x * Phi(x) (approximate='none') or its tanh approximation (approximate='tanh')."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Tensor._wrap(call("tensor_gelu", input._h, approximate == "tanh"))


def softplus(input, beta=1, threshold=20):
    return Tensor._wrap(call("tensor_softplus", input._h, builtins.float(beta), builtins.float(threshold)))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    _no_inplace(inplace, "leaky_relu")
    return Tensor._wrap(call("tensor_leaky_relu", input._h, builtins.float(negative_slope)))


def elu(input, alpha=1.0, inplace=False):
    _no_inplace(inplace, "elu")
    return Tensor._wrap(call("tensor_elu", input._h, builtins.float(alpha)))


def linear(input, weight, bias=None):
    """input @ weight.T + bias, one GEMM with the bias fused."""
    return Tensor._wrap(call("tensor_linear", input._h, weight._h, _h(bias)))


def dropout(input, p=0.5, training=True, inplace=False):
    """torch.nn.functional.dropout: input * mask / (1 - p) in training; input itself otherwise."""
    _no_inplace(inplace, "dropout")
    return _random.dropout(input, p, training)


# ---- normalisation layers (tensor_batch_norm, tensor_layer_norm, tensor_group_norm) ----
# Their ctypes signatures are registered here, next to their only callers.
_lib._SIGNATURES.update({
    "tensor_batch_norm": (_lib.c_status, [_lib._PP, _lib._P, _lib._P, _lib._P, _lib._P, _lib._P, _lib._B, _lib._D,
                                          _lib._D]),
    "tensor_layer_norm": (_lib.c_status, [_lib._PP, _lib._P] + _lib._SHAPE + [_lib._P, _lib._P, _lib._D]),
    "tensor_group_norm": (_lib.c_status, [_lib._PP, _lib._P, _lib._I64, _lib._P, _lib._P, _lib._D]),
})


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """torch.nn.functional.batch_norm: running_mean / running_var are updated in place when training."""
    return Tensor._wrap(call("tensor_batch_norm", input._h, _h(weight), _h(bias), _h(running_mean), _h(running_var),
                             builtins.bool(training), builtins.float(momentum), builtins.float(eps)))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """torch.nn.functional.layer_norm over the trailing dims given by normalized_shape (an int or a sequence)."""
    if isinstance(normalized_shape, builtins.int):
        normalized_shape = (normalized_shape,)
    arr, n = _lib.int64_array(normalized_shape)
    return Tensor._wrap(call("tensor_layer_norm", input._h, arr, n, _h(weight), _h(bias), builtins.float(eps)))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """torch.nn.functional.group_norm."""
    return Tensor._wrap(call("tensor_group_norm", input._h, builtins.int(num_groups), _h(weight), _h(bias),
                             builtins.float(eps)))


# ---- pooling, embedding and pad (tensor_max_pool2d, tensor_avg_pool2d, tensor_adaptive_avg_pool2d,
# tensor_embedding, tensor_pad) ----
_lib._SIGNATURES.update({
    "tensor_max_pool2d": (_lib.c_status, [_lib._PP, _lib._PP, _lib._P, _lib.c_int64_p, _lib.c_int64_p,
                                          _lib.c_int64_p, _lib.c_int64_p, _lib._B]),
    "tensor_avg_pool2d": (_lib.c_status, [_lib._PP, _lib._P, _lib.c_int64_p, _lib.c_int64_p, _lib.c_int64_p,
                                          _lib._B, _lib._B]),
    "tensor_adaptive_avg_pool2d": (_lib.c_status, [_lib._PP, _lib._P, _lib.c_int64_p]),
    "tensor_embedding": (_lib.c_status, [_lib._PP, _lib._P, _lib._P]),
    "tensor_pad": (_lib.c_status, [_lib._PP, _lib._P, _lib.c_int64_p, _lib._I32, _lib._D]),
})


def _pair2(name, v, default=None):
    """PyTorch's _pair for pool arguments: an int is used for both dims, a 1- or 2-sequence as given;
    None (or an empty sequence, as torch's stride default) gives `default`."""
    if v is None or (not isinstance(v, builtins.int) and builtins.len(v) == 0):
        return default
    if isinstance(v, builtins.int):
        v = (v, v)
    v = builtins.tuple(builtins.int(e) for e in v)
    if builtins.len(v) == 1:
        v = (v[0], v[0])
    if builtins.len(v) != 2:
        raise RuntimeError("%s must either be a single int, or a tuple of two ints" % name)
    return (_lib.ctypes.c_int64 * 2)(*v)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """torch.nn.functional.max_pool2d over (C, H, W) or (N, C, H, W); with return_indices, (output, indices)
    with int64 plane-local flat indices."""
    out, idx = _lib.c_tensor_p(), _lib.c_tensor_p()
    _lib.check(_lib.lib.tensor_max_pool2d(
        _lib.ctypes.byref(out), _lib.ctypes.byref(idx) if return_indices else None, input._h,
        _pair2("kernel_size", kernel_size), _pair2("stride", stride), _pair2("padding", padding),
        _pair2("dilation", dilation), builtins.bool(ceil_mode)))
    if return_indices:
        return Tensor._wrap(out.value), Tensor._wrap(idx.value)
    return Tensor._wrap(out.value)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """torch.nn.functional.avg_pool2d (divisor_override is not supported)."""
    if divisor_override is not None:
        raise NotImplementedError("avg_pool2d: divisor_override is not supported by libtensor")
    return Tensor._wrap(call("tensor_avg_pool2d", input._h, _pair2("kernel_size", kernel_size),
                             _pair2("stride", stride), _pair2("padding", padding), builtins.bool(ceil_mode),
                             builtins.bool(count_include_pad)))


def adaptive_avg_pool2d(input, output_size):
    """torch.nn.functional.adaptive_avg_pool2d; a None entry of output_size keeps the input's size."""
    if isinstance(output_size, builtins.int):
        output_size = (output_size, output_size)
    output_size = builtins.tuple(output_size)
    if builtins.len(output_size) != 2:
        raise ValueError("adaptive_avg_pool2d: output_size must be 2")
    shape = input.shape
    size = [shape[-2 + i] if output_size[i] is None else builtins.int(output_size[i]) for i in range(2)]
    return Tensor._wrap(call("tensor_adaptive_avg_pool2d", input._h, (_lib.ctypes.c_int64 * 2)(*size)))


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """torch.nn.functional.embedding: the rows of weight picked by the int64/int32 indices `input`
    (padding_idx, max_norm, scale_grad_by_freq and sparse are not supported)."""
    if padding_idx is not None or max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: padding_idx, max_norm, scale_grad_by_freq and sparse are not "
                                  "supported by libtensor")
    return Tensor._wrap(call("tensor_embedding", weight._h, input._h))


def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad, constant mode: pad = (last dim front, back, the dim before front, back ...);
    negative sizes crop."""
    if mode != "constant":
        raise NotImplementedError("pad: only mode='constant' is supported by libtensor (got %r)" % (mode,))
    arr, n = _lib.int64_array(pad)
    return Tensor._wrap(call("tensor_pad", input._h, arr, n, builtins.float(0.0 if value is None else value)))


__all__ = ["softmax", "log_softmax", "logsumexp", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
           "smooth_l1_loss", "binary_cross_entropy_with_logits", "gelu", "softplus", "leaky_relu", "elu", "linear", "one_hot",
           "dropout", "batch_norm", "layer_norm", "group_norm", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
           "embedding", "pad"]


# ---- convolutions (tensor_conv1d, tensor_conv2d, tensor_conv_transpose2d; NCHW) ----
# Their ctypes signatures are registered here, next to their callers; tensor_pad serves padding="same"
# when the total padding of a dim is odd (torch pads the extra element on the right, as here).
_lib._SIGNATURES.update({
    "tensor_conv1d": (_lib.c_status, [_lib._PP, _lib._P, _lib._P, _lib._P, _lib.c_int64_p, _lib.c_int64_p,
                                      _lib.c_int64_p, _lib._I64]),
    "tensor_conv2d": (_lib.c_status, [_lib._PP, _lib._P, _lib._P, _lib._P, _lib.c_int64_p, _lib.c_int64_p,
                                      _lib.c_int64_p, _lib._I64]),
    "tensor_conv_transpose2d": (_lib.c_status, [_lib._PP, _lib._P, _lib._P, _lib._P, _lib.c_int64_p, _lib.c_int64_p,
                                                _lib.c_int64_p, _lib.c_int64_p, _lib._I64]),
    "tensor_pad": (_lib.c_status, [_lib._PP, _lib._P, _lib.c_int64_p, _lib._I32, _lib._D]),
})


def _conv_tuple(value, n, name):
    """An int or a sequence of n ints (torch's _single / _pair and its error for a wrong length)."""
    if isinstance(value, builtins.int):
        return [value] * n
    values = [builtins.int(v) for v in value]
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise _lib.InvalidArgumentError(
            "expected %s to be a single integer value or a list of %d values to match the convolution dimensions, "
            "but got %s=%s" % (name, n, name, values), -1)
    return values


def _conv(name, n, input, weight, bias, stride, padding, dilation, groups):
    stride, dilation = _conv_tuple(stride, n, "stride"), _conv_tuple(dilation, n, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = [0] * n
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise _lib.InvalidArgumentError("padding='same' is not supported for strided convolutions", -1)
            total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
            padding = [t // 2 for t in total]
            extra = []  # tensor_pad's pairs run from the last dim backwards
            for t in reversed(total):
                extra += [0, t % 2]
            if any(extra):
                arr, npads = _lib.int64_array(extra)
                input = Tensor._wrap(call("tensor_pad", input._h, arr, npads, 0.0))
        else:
            raise _lib.InvalidArgumentError(
                "Invalid padding string: '%s'" % (padding,), -1)
    else:
        padding = _conv_tuple(padding, n, "padding")
    s, p, d = (_lib.int64_array(v)[0] for v in (stride, padding, dilation))
    return Tensor._wrap(call(name, input._h, weight._h, _h(bias), s, p, d, builtins.int(groups)))


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch.nn.functional.conv1d: input (N, C, L) or (C, L), weight (O, C/groups, kW); padding an int, a
    1-tuple, "valid" or "same"."""
    return _conv("tensor_conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch.nn.functional.conv2d: input (N, C, H, W) or (C, H, W), weight (O, C/groups, kH, kW); stride,
    padding and dilation an int or a pair; padding also "valid" or "same"."""
    return _conv("tensor_conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """torch.nn.functional.conv_transpose2d: input (N, C_in, H, W) or (C_in, H, W), weight
    (C_in, C_out/groups, kH, kW); torch's argument order (groups before dilation)."""
    arrs = [_lib.int64_array(_conv_tuple(v, 2, nm))[0] for v, nm in ((stride, "stride"), (padding, "padding"),
                                                                     (output_padding, "output_padding"),
                                                                     (dilation, "dilation"))]
    return Tensor._wrap(call("tensor_conv_transpose2d", input._h, weight._h, _h(bias), arrs[0], arrs[1], arrs[2],
                             arrs[3], builtins.int(groups)))


__all__ += ["conv1d", "conv2d", "conv_transpose2d"]
