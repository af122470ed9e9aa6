"""libtensor.optim: SGD, Adam and AdamW with torch.optim's constructor signatures and update formulas
(PyTorch 1.13), over libtensor's C optimizers (tensor_optimizer_*). One parameter group per optimizer.

    opt = lt.optim.AdamW(model_params, lr=1e-3)
    loss.backward(); opt.step(); opt.zero_grad()
    opt.param_groups[0]['lr'] = 1e-4        # or opt.lr = 1e-4
    opt.state[p]['exp_avg']                 # the live state tensor (writing into it restores a checkpoint)
"""
import builtins
import ctypes

from ._lib import _SIGNATURES, c_status, c_tensor_p, check, lib
from ._tensor import Tensor

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]

_P, _PP = c_tensor_p, ctypes.POINTER(c_tensor_p)
_OPT = ctypes.c_void_p  # tensor_optimizer* (opaque)


class _SgdOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("lr", ctypes.c_double), ("momentum", ctypes.c_double),
                ("dampening", ctypes.c_double), ("weight_decay", ctypes.c_double), ("nesterov", ctypes.c_bool),
                ("maximize", ctypes.c_bool)]


class _AdamOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("lr", ctypes.c_double), ("beta1", ctypes.c_double),
                ("beta2", ctypes.c_double), ("eps", ctypes.c_double), ("weight_decay", ctypes.c_double),
                ("amsgrad", ctypes.c_bool), ("decoupled_weight_decay", ctypes.c_bool), ("maximize", ctypes.c_bool)]


_SIGNATURES.update({
    "tensor_optimizer_sgd": (c_status, [ctypes.POINTER(_OPT), _PP, ctypes.c_int32, ctypes.POINTER(_SgdOptions)]),
    "tensor_optimizer_adam": (c_status, [ctypes.POINTER(_OPT), _PP, ctypes.c_int32, ctypes.POINTER(_AdamOptions)]),
    "tensor_optimizer_step": (c_status, [_OPT]),
    "tensor_optimizer_zero_grad": (c_status, [_OPT, ctypes.c_bool]),
    "tensor_optimizer_set_lr": (c_status, [_OPT, ctypes.c_double]),
    "tensor_optimizer_get_lr": (ctypes.c_double, [_OPT]),
    "tensor_optimizer_state": (c_status, [_PP, _OPT, ctypes.c_int32, ctypes.c_char_p]),
    "tensor_optimizer_free": (None, [_OPT]),
    "tensor_clip_grad_norm_": (c_status, [ctypes.POINTER(ctypes.c_double), _PP, ctypes.c_int32, ctypes.c_double,
                                          ctypes.c_double]),
})


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


def _handles(params):
    params = list(params)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError("optimizer can only optimize Tensors, but one of the params is " + type(p).__name__)
    return params, (c_tensor_p * builtins.max(len(params), 1))(*[p._h for p in params])


class _ParamGroup(dict):
    """torch's param_groups[0]: a dict whose 'lr' reads and writes the optimizer's learning rate."""

    def __init__(self, opt, params, options):
        super().__init__(options)
        super().__setitem__("params", params)
        self._opt = opt

    def __getitem__(self, key):
        if key == "lr":
            return self._opt.lr
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        if key == "lr":
            self._opt.lr = value
            super().__setitem__("lr", self._opt.lr)  # so items() and repr show it too
            return
        if key in self:
            raise NotImplementedError("libtensor.optim: only 'lr' can be changed after construction")
        super().__setitem__(key, value)

    def get(self, key, default=None):
        return self[key] if key in self else default


class _State:
    """torch's optimizer.state: state[p] is a dict of p's live state tensors under torch's names (those
    torch keeps; asking creates the state as torch's first step begins it, see tensor_optimizer_state)."""

    def __init__(self, opt):
        self._opt = opt

    def _index(self, p):
        for i, q in enumerate(self._opt._params):
            if q is p:
                return i
        raise KeyError(p)

    def __getitem__(self, p):
        i = self._index(p)
        out = {}
        for name in self._opt._state_names:
            t = self._opt._state_tensor(i, name)
            if t is not None:
                out[name] = t
        return out

    def __contains__(self, p):
        return builtins.any(q is p for q in self._opt._params)

    def __len__(self):
        return len(self._opt._params)


class Optimizer:
    """Base of the libtensor optimizers (one parameter group)."""
    _state_names = ()

    def __init__(self, params, make, options):
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + type(params).__name__)
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        self._h = None
        self._params, arr = _handles(params)
        h = _OPT()
        check(make(ctypes.byref(h), arr, len(self._params)))
        self._h = h
        self.defaults = dict(options)
        self.param_groups = [_ParamGroup(self, self._params, options)]
        self.state = _State(self)

    def __del__(self, _free=lib.tensor_optimizer_free):
        h = getattr(self, "_h", None)
        if h:
            self._h = None
            _free(h)

    def step(self, closure=None):
        """One optimization step over every parameter that has a grad; returns closure() when given."""
        loss = None
        if closure is not None:
            loss = closure()
        check(lib.tensor_optimizer_step(self._h))
        return loss

    def zero_grad(self, set_to_none=True):
        """Drops the grads (set_to_none=True, torch 2's default) or fills them with zeros."""
        check(lib.tensor_optimizer_zero_grad(self._h, builtins.bool(set_to_none)))

    @property
    def lr(self):
        return lib.tensor_optimizer_get_lr(self._h)

    @lr.setter
    def lr(self, value):
        check(lib.tensor_optimizer_set_lr(self._h, builtins.float(value)))

    def _state_tensor(self, i, name):
        out = c_tensor_p()
        check(lib.tensor_optimizer_state(ctypes.byref(out), self._h, i, name.encode()))
        return Tensor._wrap(out.value) if out.value else None

    def __repr__(self):
        opts = ", ".join("%s: %r" % (k, self.param_groups[0][k]) for k in self.defaults)
        return "%s (%s)" % (type(self).__name__, opts)


def _no_extras(name, **flags):
    for k, v in flags.items():
        if v:
            raise NotImplementedError("libtensor.optim.%s: %s=True is not supported" % (name, k))


class SGD(Optimizer):
    """torch.optim.SGD: momentum, dampening, weight_decay, nesterov, maximize (foreach is accepted and
    ignored: every step is one fused pass per parameter)."""
    _state_names = ("momentum_buffer",)

    def __init__(self, params, lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False):
        _no_extras("SGD", differentiable=differentiable)
        if lr is required:
            raise ValueError("parameter group didn't specify a value of required optimization parameter lr")
        o = _SgdOptions(1, builtins.float(lr), builtins.float(momentum), builtins.float(dampening),
                        builtins.float(weight_decay), builtins.bool(nesterov), builtins.bool(maximize))
        options = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                       nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable)
        super().__init__(params, lambda out, arr, n: lib.tensor_optimizer_sgd(out, arr, n, ctypes.byref(o)),
                         options)


class Adam(Optimizer):
    """torch.optim.Adam: betas, eps, weight_decay (added to the grad), amsgrad, maximize (foreach and fused
    are accepted and ignored: every step is one fused pass per parameter)."""
    _state_names = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None):
        _no_extras(type(self).__name__, capturable=capturable, differentiable=differentiable)
        b1, b2 = betas
        o = _AdamOptions(1, builtins.float(lr), builtins.float(b1), builtins.float(b2), builtins.float(eps),
                         builtins.float(weight_decay), builtins.bool(amsgrad), self._decoupled,
                         builtins.bool(maximize))
        options = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
                       foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused)
        super().__init__(params, lambda out, arr, n: lib.tensor_optimizer_adam(out, arr, n, ctypes.byref(o)),
                         options)


class AdamW(Adam):
    """torch.optim.AdamW: Adam with decoupled weight decay (p *= 1 - lr * weight_decay; default 1e-2)."""
    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused)
