#!/usr/bin/python3
"""Differential test of the optimizers and clip_grad_norm_: libtensor through its Python binding
(libtensor.optim.SGD / Adam / AdamW, libtensor.nn.utils.clip_grad_norm_) against Debian's PyTorch
(torch.optim, torch.nn.utils.clip_grad_norm_) on the same parameters and grads, float32 and float64: 5 steps
of each configuration, parameters compared after every step and the state at the end, a learning rate
changed mid-run, a parameter without a grad (skipped), option errors. Run with
LIBTENSOR_PATH=/path/to/libtensor.so and PYTHONPATH=bindings/python. Exits 77 (skipped) without torch."""
import math
import sys

import numpy as np

try:
    import torch
except ImportError:
    print("torch not available: skipping")
    sys.exit(77)

import libtensor as lt

rng = np.random.default_rng(18)
failures = []
checks = 0
# torch's CPU kernels fuse some multiply-adds (FMA) where libtensor rounds twice: a few ulps per step.
TOL = {np.float32: (1e-6, 1e-5), np.float64: (1e-14, 1e-12)}  # (atol, rtol)
N_STEPS = 5
SHAPES = [(4, 3), (7,), (2, 1, 3)]


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def close(name, got, want, dt):
    global checks
    checks += 1
    atol, rtol = TOL[dt]
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return fail("%s: shape %s, torch %s" % (name, got.shape, want.shape))
    if not np.allclose(got, want, atol=atol, rtol=rtol, equal_nan=True):
        err = np.nanmax(np.abs(got - want))
        return fail("%s: max abs error %.3g\n got  %s\n want %s" % (name, err, got.ravel()[:6], want.ravel()[:6]))


def lt_np(t):
    return t.detach().numpy().copy()


def set_lt_grad(p, g):
    p.grad = None
    (p * lt.tensor(g)).sum().backward()


def run_config(name, make_torch, make_lt, dt, lr_change=None, skip_index=None):
    init = [rng.standard_normal(s).astype(dt) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(dt) for s in SHAPES] for _ in range(N_STEPS)]
    tp = [torch.tensor(a, requires_grad=True) for a in init]
    lp = [lt.tensor(a, requires_grad=True) for a in init]
    topt, lopt = make_torch(tp), make_lt(lp)
    for k in range(N_STEPS):
        if lr_change is not None and k == 2:
            topt.param_groups[0]["lr"] = lr_change
            lopt.param_groups[0]["lr"] = lr_change
        for i in range(len(SHAPES)):
            if i == skip_index:
                continue
            tp[i].grad = torch.tensor(grads[k][i])
            set_lt_grad(lp[i], grads[k][i])
        topt.step()
        lopt.step()
        for i in range(len(SHAPES)):
            close("%s %s step %d param %d" % (name, dt.__name__, k + 1, i), lt_np(lp[i]),
                  tp[i].detach().numpy(), dt)
    for i in range(len(SHAPES)):
        tstate = topt.state[tp[i]]
        if i == skip_index:
            if tstate:
                fail("%s: torch has state for the skipped parameter" % name)
            close("%s %s skipped param %d unchanged" % (name, dt.__name__, i), lt_np(lp[i]), init[i], dt)
            continue
        lstate = lopt.state[lp[i]]
        for key, tv in tstate.items():
            if tv is None:
                if key in lstate:
                    fail("%s: libtensor has %s where torch has None" % (name, key))
                continue
            if key not in lstate:
                fail("%s: libtensor lacks state %s" % (name, key))
                continue
            lv = lstate[key]
            if key == "step" and (lv.dtype != lt.float32 or lv.dim() != 0):
                fail("%s: step state is %s %s, torch's a 0-d float32" % (name, lv.dtype, lv.shape))
            close("%s %s state %s[%d]" % (name, dt.__name__, key, i), lt_np(lv), tv.detach().numpy(), dt)
        for key in lstate:
            if key not in tstate or tstate[key] is None:
                fail("%s: libtensor has state %s that torch lacks" % (name, key))


SGD_CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.3),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.1, weight_decay=0.05),
    dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01, maximize=True),
    dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1, maximize=True),
]
ADAM_CONFIGS = [
    dict(lr=0.01),
    dict(lr=0.01, amsgrad=True),
    dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.05, amsgrad=True, maximize=True),
    dict(lr=0.01, betas=(0.0, 0.5), maximize=True),
]

for dt in (np.float32, np.float64):
    for cfg in SGD_CONFIGS:
        run_config("SGD(%s)" % cfg, lambda ps: torch.optim.SGD(ps, **cfg), lambda ps: lt.optim.SGD(ps, **cfg), dt)
    for cfg in ADAM_CONFIGS:
        run_config("Adam(%s)" % cfg, lambda ps: torch.optim.Adam(ps, **cfg), lambda ps: lt.optim.Adam(ps, **cfg), dt)
        wcfg = dict(cfg, weight_decay=cfg.get("weight_decay", 0.01))
        run_config("AdamW(%s)" % wcfg, lambda ps: torch.optim.AdamW(ps, **wcfg), lambda ps: lt.optim.AdamW(ps, **wcfg),
                   dt)
    # defaults (AdamW's weight_decay 1e-2), a learning rate changed mid-run, a parameter without grads
    run_config("AdamW defaults", lambda ps: torch.optim.AdamW(ps), lambda ps: lt.optim.AdamW(ps), dt,
               lr_change=0.05, skip_index=1)
    run_config("SGD lr change", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
               lambda ps: lt.optim.SGD(ps, lr=0.1, momentum=0.9), dt, lr_change=0.01, skip_index=2)

# ---- a parameter listed twice (torch 1.13 warns, shares the state and updates it once per listing) ----------
import warnings
for make_t, make_l, tag in [
        (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.1),
         lambda ps: lt.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.1), "SGD"),
        (lambda ps: torch.optim.Adam(ps, lr=0.01, amsgrad=True), lambda ps: lt.optim.Adam(ps, lr=0.01, amsgrad=True),
         "Adam")]:
    a0 = rng.standard_normal(6)
    tp, lp = torch.tensor(a0, requires_grad=True), lt.tensor(a0, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topt = make_t([tp, tp])
    lopt = make_l([lp, lp])
    for k in range(3):
        g = rng.standard_normal(6)
        tp.grad = torch.tensor(g)
        set_lt_grad(lp, g)
        topt.step()
        lopt.step()
        close("duplicate %s step %d" % (tag, k + 1), lt_np(lp), tp.detach().numpy(), np.float64)
    for key, tv in topt.state[tp].items():
        close("duplicate %s state %s" % (tag, key), lt_np(lopt.state[lp][key]), tv.detach().numpy(), np.float64)

# ---- lr access, zero_grad, option errors -------------------------------------------------------------------
p = lt.tensor([1.0, 2.0], requires_grad=True)
opt = lt.optim.SGD([p], lr=0.5)
checks += 1
if not (opt.lr == 0.5 and opt.param_groups[0]["lr"] == 0.5):
    fail("lr access: %r %r" % (opt.lr, opt.param_groups[0]["lr"]))
opt.param_groups[0]["lr"] = 0.25
checks += 1
if opt.lr != 0.25:
    fail("param_groups[0]['lr'] = 0.25 gave lr %r" % opt.lr)
set_lt_grad(p, np.array([1.0, 1.0], dtype=np.float32))
opt.zero_grad(set_to_none=False)
checks += 1
if p.grad is None or lt_np(p.grad).tolist() != [0.0, 0.0]:
    fail("zero_grad(set_to_none=False) should leave zeros, got %r" % p.grad)
opt.zero_grad()
checks += 1
if p.grad is not None:
    fail("zero_grad() (set_to_none=True) should drop the grad")

for bad, want in [(lambda: lt.optim.SGD([p], lr=-0.1), "Invalid learning rate: -0.1"),
                  (lambda: lt.optim.SGD([p], lr=0.1, momentum=-1.0), "Invalid momentum value: -1.0"),
                  (lambda: lt.optim.SGD([p], lr=0.1, nesterov=True), "Nesterov momentum requires"),
                  (lambda: lt.optim.SGD([p]), "required optimization parameter lr"),
                  (lambda: lt.optim.Adam([p], betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
                  (lambda: lt.optim.Adam([p], eps=-1.0), "Invalid epsilon value: -1.0"),
                  (lambda: lt.optim.AdamW([p], weight_decay=-0.5), "Invalid weight_decay value: -0.5"),
                  (lambda: lt.optim.Adam([]), "optimizer got an empty parameter list")]:
    checks += 1
    try:
        bad()
        fail("no error for %s" % want)
    except ValueError as e:
        if want not in str(e):
            fail("message %r lacks %r" % (str(e), want))

# ---- clip_grad_norm_ ---------------------------------------------------------------------------------------
for dt in (np.float32, np.float64):
    for norm_type in (1.0, 2.0, math.inf, 3.0, 0.5, -math.inf, 0.0):
        for max_norm in (0.5, 1e3):
            grads = [rng.standard_normal(s).astype(dt) for s in SHAPES]
            tp = [torch.zeros(s, dtype=torch.float32 if dt == np.float32 else torch.float64, requires_grad=True)
                  for s in SHAPES]
            lp = [lt.zeros(*s, dtype=lt.float32 if dt == np.float32 else lt.float64, requires_grad=True)
                  for s in SHAPES]
            for i in range(2):  # the last parameter has no grad
                tp[i].grad = torch.tensor(grads[i])
                set_lt_grad(lp[i], grads[i])
            tn = torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type)
            ln = lt.nn.utils.clip_grad_norm_(lp, max_norm, norm_type)
            tag = "clip_grad_norm_ %s norm %s max %s" % (dt.__name__, norm_type, max_norm)
            close(tag + " total", lt_np(ln), tn.numpy(), dt)
            for i in range(2):
                close(tag + " grad %d" % i, lt_np(lp[i].grad), tp[i].grad.numpy(), dt)
            checks += 1
            if lp[2].grad is not None:
                fail(tag + ": a grad appeared on the parameter without one")
    for bad in (math.inf, math.nan):
        for norm_type in (2.0, 1.0, math.inf):
            g = np.array([1.0, bad, -2.0], dtype=dt)
            h = np.array([0.5, 0.25], dtype=dt)
            tp = [torch.zeros(3, dtype=torch.tensor(g).dtype, requires_grad=True),
                  torch.zeros(2, dtype=torch.tensor(g).dtype, requires_grad=True)]
            lp = [lt.tensor(np.zeros(3, dtype=dt), requires_grad=True), lt.tensor(np.zeros(2, dtype=dt), requires_grad=True)]
            tp[0].grad, tp[1].grad = torch.tensor(g), torch.tensor(h)
            set_lt_grad(lp[0], g)
            set_lt_grad(lp[1], h)
            tn = torch.nn.utils.clip_grad_norm_(tp, 1.0, norm_type)
            ln = lt.nn.utils.clip_grad_norm_(lp, 1.0, norm_type)
            tag = "clip_grad_norm_ %s non-finite (%s) norm %s" % (dt.__name__, bad, norm_type)
            close(tag + " total", lt_np(ln), tn.numpy(), dt)
            for i in range(2):
                close(tag + " grad %d" % i, lt_np(lp[i].grad), tp[i].grad.numpy(), dt)

print("%d checks, %d failures" % (checks, len(failures)))
sys.exit(1 if failures else 0)
