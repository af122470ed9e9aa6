"""torch.nn.functional's softmax family, losses, activations and linear over libtensor's C calls
(tensor_softmax, tensor_cross_entropy, tensor_gelu, tensor_linear ...). Names, arguments and defaults are
PyTorch's."""
import builtins

from .._functions import log_softmax, logsumexp, softmax  # noqa: F401 (also torch.nn.functional names)
from .._indexing import one_hot  # noqa: F401 (torch.nn.functional.one_hot)
from .. import _random
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


__all__ = ["softmax", "log_softmax", "logsumexp", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
           "smooth_l1_loss", "binary_cross_entropy_with_logits", "gelu", "softplus", "leaky_relu", "elu", "linear", "one_hot",
           "dropout"]
