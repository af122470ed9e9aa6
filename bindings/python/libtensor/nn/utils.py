"""libtensor.nn.utils: clip_grad_norm_ (torch.nn.utils.clip_grad_norm_) over tensor_clip_grad_norm_."""
import builtins
import ctypes

from .._lib import c_tensor_p, check, lib
from .._tensor import Tensor
from .. import optim as _optim  # noqa: F401 (registers the C signature of tensor_clip_grad_norm_)

__all__ = ["clip_grad_norm_"]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scales the grads of parameters in place so that their norm_type norm (that of the per-grad norms)
    is at most max_norm; returns the total norm before clipping, a 0-d tensor of the first grad's dtype
    (a non-finite total is returned and scales the grads, as torch's error_if_nonfinite=False)."""
    if error_if_nonfinite:
        raise NotImplementedError("libtensor.nn.utils.clip_grad_norm_: error_if_nonfinite=True is not supported")
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    params = list(parameters)
    arr = (c_tensor_p * builtins.max(len(params), 1))(*[p._h for p in params])
    total = ctypes.c_double()
    check(lib.tensor_clip_grad_norm_(ctypes.byref(total), arr, len(params), builtins.float(max_norm),
                                     builtins.float(norm_type)))
    from .._functions import tensor
    grads = [p.grad for p in params if p.grad is not None]
    return tensor(total.value, dtype=grads[0].dtype if grads else None)
