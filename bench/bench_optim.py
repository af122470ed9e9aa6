#!/usr/bin/python3
"""One Adam step (and one SGD-with-momentum step) over a 10M-element float32 parameter: libtensor through its
Python binding (one fused pass, tensor_optimizer_step) against torch.optim in the same process and thread
count (foreach=False: the single-tensor path; foreach=True; fused where this torch has it, 1.13 has not on
the CPU). Median of repeats (after warm-up steps, so the state exists). Prints the times and the ratios.

    LIBTENSOR_PATH=build/libtensor.so PYTHONPATH=bindings/python bench/bench_optim.py [N] [THREADS] [REPEATS]
"""
import statistics
import sys
import time

import numpy as np
import torch

import libtensor as lt

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
REPEATS = int(sys.argv[3]) if len(sys.argv) > 3 else 15
torch.set_num_threads(THREADS)
lt.set_num_threads(THREADS)

rng = np.random.default_rng(0)
p0 = rng.standard_normal(N).astype(np.float32)
g0 = rng.standard_normal(N).astype(np.float32)


def median_step(opt):
    for _ in range(3):
        opt.step()
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        opt.step()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def torch_case(make):
    p = torch.tensor(p0, requires_grad=True)
    p.grad = torch.tensor(g0)
    return median_step(make([p]))


def lt_case(make):
    p = lt.tensor(p0, requires_grad=True)
    (p * lt.tensor(g0)).sum().backward()
    return median_step(make([p]))


rows = []
lt_adam = lt_case(lambda ps: lt.optim.Adam(ps, lr=1e-3))
rows.append(("Adam", "libtensor (fused)", lt_adam))
for name, kw in [("foreach=False", dict(foreach=False)), ("foreach=True", dict(foreach=True))]:
    rows.append(("Adam", "torch " + name, torch_case(lambda ps: torch.optim.Adam(ps, lr=1e-3, **kw))))
try:
    rows.append(("Adam", "torch fused=True", torch_case(lambda ps: torch.optim.Adam(ps, lr=1e-3, fused=True))))
except (RuntimeError, TypeError, ValueError) as e:
    print("torch fused Adam unavailable here: %s" % str(e).splitlines()[0])
lt_sgd = lt_case(lambda ps: lt.optim.SGD(ps, lr=1e-3, momentum=0.9))
rows.append(("SGD momentum", "libtensor (fused)", lt_sgd))
rows.append(("SGD momentum", "torch foreach=False",
             torch_case(lambda ps: torch.optim.SGD(ps, lr=1e-3, momentum=0.9, foreach=False))))

print("one step over %d float32 elements, %d threads, median of %d (torch %s)" % (N, THREADS, REPEATS,
                                                                                  torch.__version__))
for opt, who, t in rows:
    base = lt_adam if opt == "Adam" else lt_sgd
    print("%-13s %-22s %8.2f ms   %5.2fx libtensor's time" % (opt, who, t * 1e3, t / base))
