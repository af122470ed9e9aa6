#!/usr/bin/python3
"""The same cases as bench_libtensor.c, in NumPy (Debian's /usr/bin/python3), timed by the same rule
(bench_timer.h: batches of >= 2 ms, samples for about 1 s, at least 7, median per call).

Usage: bench_numpy.py [--only GROUP]
Output lines: info / result / error, tab-separated (see bench_libtensor.c). NumPy has no autograd: those
cases are reported as not applicable.
"""
import ctypes
import ctypes.util
import os
import sys
import time

import numpy as np

MIN_SAMPLE_S, BUDGET_S, MIN_SAMPLES, MAX_SAMPLES = 0.002, 1.0, 7, 51


def measure(step):
    step()  # warm-up
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        t = time.perf_counter() - t0
        if t >= MIN_SAMPLE_S or reps >= 1 << 24:
            break
        reps *= 2 if t > 0 and MIN_SAMPLE_S / t < 8 else 8
    samples = []
    start = time.perf_counter()
    while len(samples) < MAX_SAMPLES and (len(samples) < MIN_SAMPLES or time.perf_counter() - start < BUDGET_S):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        samples.append((time.perf_counter() - t0) / reps)
    samples.sort()
    n = len(samples)
    return samples[n // 2] if n % 2 else 0.5 * (samples[n // 2 - 1] + samples[n // 2])


def run(name, step):
    try:
        print("result\t%s\t%.9g" % (name, measure(step)), flush=True)
    except Exception as e:  # a failing case is reported for its row only
        print("error\t%s\t%s" % (name, str(e).splitlines()[0] if str(e) else type(e).__name__), flush=True)


def foundation(rng):
    a3, b3 = np.array([1, 2, 3], np.float32), np.array([4, 5, 6], np.float32)
    run("add_3", lambda: np.add(a3, b3))
    image, scale = rng.standard_normal((256, 256, 3), dtype=np.float32), np.array([0.5, 1.5, 1.0], np.float32)
    run("image_scale", lambda: image * scale)
    a, b = rng.random(16 * 1024 * 1024, dtype=np.float32), rng.random(16 * 1024 * 1024, dtype=np.float32)
    run("add_16m", lambda: a + b)
    sq, row = rng.random((4096, 4096), dtype=np.float32), rng.random(4096, dtype=np.float32)
    run("add_bcast_4096", lambda: sq + row)


def reductions(rng):
    v = rng.random(16 * 1024 * 1024, dtype=np.float32)
    run("sum_16m", lambda: v.sum())
    run("std_16m", lambda: v.std(ddof=1))
    images = rng.random((5, 256, 256, 3), dtype=np.float32)
    run("max_dim_last", lambda: (images.max(axis=-1), images.argmax(axis=-1)))  # values and indices
    sq = rng.random((4096, 4096), dtype=np.float32)
    run("mean_dim0_4096", lambda: sq.mean(axis=0))
    run("mean_dim_last_4096", lambda: sq.mean(axis=-1))


def sorting(rng):
    # values and indices, as torch.sort / torch.topk (np.sort alone gives no indices)
    v = rng.random(1000000, dtype=np.float32)
    run("sort_1m", lambda: (np.sort(v), np.argsort(v)))
    rows = rng.random((1000, 1000), dtype=np.float32)
    run("sort_rows_1000", lambda: (np.sort(rows, axis=-1), np.argsort(rows, axis=-1)))
    wide = rng.random((4096, 1000), dtype=np.float32)

    def topk10():
        part = np.argpartition(-wide, 9, axis=-1)[:, :10]
        vals = np.take_along_axis(wide, part, -1)
        order = np.argsort(-vals, axis=-1)
        return np.take_along_axis(vals, order, -1), np.take_along_axis(part, order, -1)
    run("topk10_4096x1000", topk10)


def math(rng):
    for dt, tag, ops in ((np.float32, "f32", ("exp", "log", "sin", "tanh", "sqrt")), (np.float64, "f64", ("exp", "sin", "tanh"))):
        x = rng.random(1 << 20).astype(dt)
        for op in ops:
            run("%s_1m_%s" % (op, tag), lambda f=getattr(np, op): f(x))
        if dt == np.float32:
            run("pow_1m_f32", lambda: np.power(x, np.float32(2.5)))
            run("pow_half_1m_f32", lambda: np.power(x, np.float32(0.5)))
            other, cond = rng.random(1 << 20).astype(dt), x > 0.5
            run("where_1m_f32", lambda: np.where(cond, x, other))
            run("exp2_1m_f32", lambda: np.exp2(x))
            run("log1p_1m_f32", lambda: np.log1p(x))
            for name in ("erf", "gelu", "silu"):
                print("error\t%s_1m_f32\tn/a (NumPy has no %s)" % (name, name), flush=True)


def matmul(rng):
    for dt, tag in ((np.float32, "f32"), (np.float64, "f64")):
        for n in (1000, 2048):
            a = rng.random((n, n)).astype(dt)
            run("matmul_%s_%d" % (tag, n), lambda: a @ a)


def autograd(rng):
    for name in ("autograd_seed", "autograd_chain_1m"):
        print("error\t%s\tn/a (NumPy has no autograd)" % name, flush=True)


def optim(rng):
    for name in ("adam_step_1m", "sgd_momentum_step_1m"):
        print("error\t%s\tn/a (NumPy has no optimizers)" % name, flush=True)


def random_draws(rng):
    run("randperm_1m", lambda: rng.permutation(1000000))
    x = rng.random(16 << 20, dtype=np.float32)
    run("dropout_16m", lambda: x * (rng.random(x.shape, dtype=np.float32) >= 0.5) * np.float32(2.0))


def nn(rng):
    """softmax and the linear floor in NumPy; the rest has no NumPy equivalent (no autograd, no erf)."""
    x = rng.standard_normal((4096, 1024), dtype=np.float32)

    def softmax():
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    run("softmax_4096x1024", softmax)
    w, b = rng.standard_normal((1024, 1024), dtype=np.float32), rng.standard_normal(1024, dtype=np.float32)
    run("linear_4096", lambda: x @ w.T + b)
    for name in ("cross_entropy_fb_4096x1000", "gelu_linear_4096", "gelu_4m_f32", "sgemm_4096_cblas"):
        print("error\t%s\tn/a (not in NumPy)" % name, flush=True)


def index_group(rng):
    """np.take / take_along_axis for the gathers, np.add.at for scatter_add (NumPy's unbuffered in-place
    add, its only accumulating scatter), np.cumsum (float32 accumulation in NumPy)."""
    table, idx = rng.random((100000, 128), dtype=np.float32), rng.integers(0, 100000, 4096)
    run("index_select_4096x128", lambda: np.take(table, idx, axis=0))
    x, src = rng.random((4096, 1000), dtype=np.float32), rng.random((4096, 1000), dtype=np.float32)
    cols = rng.integers(0, 1000, (4096, 1000))
    rows = np.broadcast_to(np.arange(4096)[:, None], cols.shape)
    run("gather_dim1_4096x1000", lambda: np.take_along_axis(x, cols, axis=1))
    zeros = np.zeros((4096, 1000), np.float32)

    def scatter_add():
        out = zeros.copy()
        np.add.at(out, (rows, cols), src)
        return out
    run("scatter_add_dim1_4096x1000", scatter_add)
    v = rng.random(16 << 20, dtype=np.float32)
    run("cumsum_16m", lambda: np.cumsum(v))


def openblas_core():
    """The kernel of the OpenBLAS NumPy's BLAS calls run on (libblas.so.3 is OpenBLAS on Debian)."""
    try:
        lib = ctypes.CDLL("libopenblas.so.0")  # the copy already loaded by numpy, when it is OpenBLAS
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except OSError:
        return "unknown (OpenBLAS not found)"


def main():
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    rng = np.random.default_rng(42)
    print("info\tnumpy_version\t%s" % np.__version__)
    print("info\tpython_version\t%s" % sys.version.split()[0])
    print("info\tthreads\tOPENBLAS_NUM_THREADS=%s" % os.environ.get("OPENBLAS_NUM_THREADS", "unset"))
    for group, fn in (("foundation", foundation), ("reductions", reductions), ("math", math), ("matmul", matmul),
                      ("autograd", autograd), ("sorting", sorting), ("optim", optim),
                      ("random", random_draws), ("nn", nn), ("index", index_group)):
        if only is None or only == group:
            fn(rng)
    print("info\tblas_core\t%s" % openblas_core(), flush=True)


if __name__ == "__main__":
    main()
