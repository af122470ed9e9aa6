#!/usr/bin/python3
"""The random draws through the Python binding against torch where torch is deterministic: result shapes
and dtypes for every argument form (randint's two forms and dtypes, randperm's dtypes, bernoulli keeping
the probabilities' dtype, multinomial's 1-D/2-D shapes, dropout's identity outside training), the error
cases (torch raises, libtensor raises an Error subclass with the same meaning), the degenerate draws whose
values are fixed (p = 0 and 1, zero weights, one-value ranges, std = 0), dropout's grad against torch on the
mask libtensor drew, and the stream state (get/set resumes the same numbers, manual_seed repeats them).
Run by ctest with LIBTENSOR_PATH and PYTHONPATH set (tests/random.cmake); exits 77 without torch."""
import sys

import numpy as np

import libtensor as lt

try:
    import torch
except ImportError:
    print("torch not importable: skipping")
    sys.exit(77)

checks = 0


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        fail(what)


def same_meta(got, want, what):
    check(tuple(got.shape) == tuple(want.shape), "%s: shape %s, torch %s" % (what, tuple(got.shape), tuple(want.shape)))
    check(str(got.dtype) == str(want.dtype), "%s: dtype %s, torch %s" % (what, got.dtype, want.dtype))


def both_raise(fn_lt, fn_torch, what, words=()):
    try:
        fn_torch()
    except (RuntimeError, ValueError, TypeError, IndexError):
        pass
    else:
        fail("%s: torch did not raise" % what)
    try:
        fn_lt()
    except lt.Error as e:
        for w in words:
            check(w in str(e), "%s: message %r lacks %r" % (what, str(e), w))
    else:
        fail("%s: libtensor did not raise" % what)
    check(True, what)


def test_shapes_and_dtypes():
    cases = [
        ("randint(high, size)", lambda m: m.randint(10, (3, 4))),
        ("randint(low, high, size)", lambda m: m.randint(-5, 5, (7,))),
        ("randint(high, size=)", lambda m: m.randint(4, size=(2, 5))),
        ("randint int32", lambda m: m.randint(0, 5, (2, 2), dtype=m.int32)),
        ("randint float32", lambda m: m.randint(0, 5, (6,), dtype=m.float32)),
        ("randint float64", lambda m: m.randint(0, 5, (1, 2, 3), dtype=m.float64)),
        ("randint bool", lambda m: m.randint(0, 2, (5,), dtype=m.bool)),
        ("randint empty", lambda m: m.randint(0, 5, (0, 3))),
        ("randperm", lambda m: m.randperm(9)),
        ("randperm 0", lambda m: m.randperm(0)),
        ("randperm int32", lambda m: m.randperm(9, dtype=m.int32)),
        ("randperm float32", lambda m: m.randperm(9, dtype=m.float32)),
        ("bernoulli float32", lambda m: m.bernoulli(m.full((3, 2), 0.5))),
        ("bernoulli float64", lambda m: m.bernoulli(m.full((4,), 0.5, dtype=m.float64))),
        ("bernoulli 0-d", lambda m: m.bernoulli(m.tensor(0.5))),
        ("multinomial 1-D", lambda m: m.multinomial(m.tensor([1.0, 2.0, 3.0]), 2)),
        ("multinomial 2-D", lambda m: m.multinomial(m.ones(4, 5, dtype=m.float64), 3)),
        ("multinomial replacement", lambda m: m.multinomial(m.tensor([1.0, 2.0]), 7, True)),
        ("multinomial no rows", lambda m: m.multinomial(m.ones(0, 3), 2, True)),
        ("dropout", lambda m: m.nn.functional.dropout(m.ones(3, 4), 0.3)),
        ("dropout eval int", lambda m: m.nn.functional.dropout(m.ones(3, dtype=m.int64), 0.5, False)),
        ("uniform_", lambda m: m.zeros(2, 3, dtype=m.float64).uniform_(-1, 1)),
        ("normal_", lambda m: m.zeros(5).normal_(2, 3)),
    ]
    for what, fn in cases:
        same_meta(fn(lt), fn(torch), what)


def test_fixed_values():
    check(np.array_equal(lt.randint(3, 4, (5,)).numpy(), np.full(5, 3)), "randint one-value range")
    probs = [0.0, 1.0, 1.0, 0.0]
    check(np.array_equal(lt.bernoulli(lt.tensor(probs)).numpy(), torch.bernoulli(torch.tensor(probs)).numpy()),
          "bernoulli with p in {0, 1}")
    w = [[0.0, 5.0, 0.0], [0.0, 0.0, 2.0]]
    check(np.array_equal(lt.multinomial(lt.tensor(w), 4, True).numpy(),
                         torch.multinomial(torch.tensor(w), 4, True).numpy()), "multinomial one nonzero weight")
    x = lt.tensor([1.0, 2.0])
    check(lt.nn.functional.dropout(x, 0.5, training=False) is x, "dropout outside training returns the input")
    tx = torch.tensor([1.0, 2.0])
    check(torch.nn.functional.dropout(tx, 0.5, training=False) is tx, "torch agrees")
    check(np.array_equal(lt.nn.functional.dropout(lt.ones(6), 1.0).numpy(),
                         torch.nn.functional.dropout(torch.ones(6), 1.0).numpy()), "dropout p = 1 gives zeros")
    check(np.array_equal(lt.zeros(4).normal_(1.5, 0).numpy(), torch.zeros(4).normal_(1.5, 0).numpy()), "normal_ std 0")
    p = lt.randperm(1000).numpy()
    check(np.array_equal(np.sort(p), np.arange(1000)), "randperm is a permutation")
    r = lt.randint(-3, 3, (10000,)).numpy()
    check(r.min() == -3 and r.max() == 2, "randint covers [low, high)")
    u = lt.zeros(10000, dtype=lt.float64).uniform_(2, 3).numpy()
    check(u.min() >= 2 and u.max() < 3, "uniform_ in [a, b)")


def test_errors():
    both_raise(lambda: lt.randint(5, 5, (3,)), lambda: torch.randint(5, 5, (3,)), "randint empty range", ["from=5"])
    both_raise(lambda: lt.randint(5, 3, (3,)), lambda: torch.randint(5, 3, (3,)), "randint low > high")
    both_raise(lambda: lt.randint(0, 2 ** 40, (3,), dtype=lt.int32),
               lambda: torch.randint(0, 2 ** 40, (3,), dtype=torch.int32), "randint bound beyond int32", ["out of bounds"])
    both_raise(lambda: lt.randperm(-1), lambda: torch.randperm(-1), "randperm negative")
    both_raise(lambda: lt.randperm(2 ** 25, dtype=lt.float32), lambda: torch.randperm(2 ** 25, dtype=torch.float32),
               "randperm beyond float32's integers")
    both_raise(lambda: lt.bernoulli(lt.tensor([0.5, 1.5])), lambda: torch.bernoulli(torch.tensor([0.5, 1.5])),
               "bernoulli p > 1")
    both_raise(lambda: lt.bernoulli(lt.tensor([-0.5])), lambda: torch.bernoulli(torch.tensor([-0.5])), "bernoulli p < 0")
    both_raise(lambda: lt.bernoulli(lt.tensor([float("nan")])), lambda: torch.bernoulli(torch.tensor([float("nan")])),
               "bernoulli NaN")
    both_raise(lambda: lt.bernoulli(lt.tensor([1, 0])), lambda: torch.bernoulli(torch.tensor([1, 0])), "bernoulli int")
    mcases = [
        ("negative weight", [1.0, -1.0], 1, True, "element < 0"),
        ("inf weight", [1.0, float("inf")], 1, True, "inf"),
        ("nan weight", [1.0, float("nan")], 1, True, "nan"),
        ("zero row", [[1.0, 1.0], [0.0, 0.0]], 1, True, "sum of probabilities"),
        ("too many without replacement", [1.0, 1.0], 3, False, "without replacement"),
        ("zero samples", [1.0, 1.0], 0, True, "n_sample <= 0"),
        ("integer weights", [1, 1], 1, True, "floating"),
        ("3-D weights", [[[1.0]]], 1, True, "1 or 2 dim"),
        ("0-d weights", 1.0, 1, True, "1 or 2 dim"),
    ]
    for what, w, n, repl, word in mcases:
        both_raise(lambda: lt.multinomial(lt.tensor(w), n, repl), lambda: torch.multinomial(torch.tensor(w), n, repl),
                   "multinomial " + what, [word])
    both_raise(lambda: lt.nn.functional.dropout(lt.ones(3), 1.5), lambda: torch.nn.functional.dropout(torch.ones(3), 1.5),
               "dropout p > 1", ["between 0 and 1"])
    both_raise(lambda: lt.nn.functional.dropout(lt.ones(3), -0.5, False),
               lambda: torch.nn.functional.dropout(torch.ones(3), -0.5, False), "dropout p < 0 outside training")
    both_raise(lambda: lt.nn.functional.dropout(lt.ones(3, dtype=lt.int64), 0.5),
               lambda: torch.nn.functional.dropout(torch.ones(3, dtype=torch.int64), 0.5), "dropout int in training")
    both_raise(lambda: lt.ones(3, dtype=lt.int64).uniform_(), lambda: torch.ones(3, dtype=torch.int64).uniform_(),
               "uniform_ int")
    both_raise(lambda: lt.ones(3, dtype=lt.int32).normal_(), lambda: torch.ones(3, dtype=torch.int32).normal_(),
               "normal_ int")
    both_raise(lambda: lt.ones(3).uniform_(2, 1), lambda: torch.ones(3).uniform_(2, 1), "uniform_ from > to")
    both_raise(lambda: lt.ones(3).normal_(0, -1), lambda: torch.ones(3).normal_(0, -1), "normal_ std < 0", ["std"])
    both_raise(lambda: lt.ones(3, requires_grad=True).uniform_(), lambda: torch.ones(3, requires_grad=True).uniform_(),
               "uniform_ on a leaf requiring grad")


def test_grads():
    # dropout's grad on libtensor's own mask: torch's mul by the same mask and scale.
    lt.manual_seed(5)
    x = lt.tensor(np.linspace(-1, 1, 24).reshape(4, 6), dtype=lt.float64, requires_grad=True)
    y = lt.nn.functional.dropout(x, 0.25)
    check("NativeDropoutBackward0" in repr(y), "dropout grad_fn is torch 2.x's NativeDropoutBackward0")
    (y * lt.tensor(np.arange(24.0).reshape(4, 6))).sum().backward()
    mask = (y.detach().numpy() != 0).astype(np.float64)
    tx = torch.tensor(np.linspace(-1, 1, 24).reshape(4, 6), requires_grad=True)
    (tx * torch.tensor(mask) / 0.75 * torch.arange(24.0, dtype=torch.float64).reshape(4, 6)).sum().backward()
    check(np.allclose(x.grad.numpy(), tx.grad.numpy(), rtol=0, atol=1e-12), "dropout grad")
    z = lt.ones(3, dtype=lt.float64, requires_grad=True) * 2
    z.uniform_()
    check("UniformBackward0" in repr(z), "uniform_ in the graph: UniformBackward0 as torch")
    tz = torch.ones(3, dtype=torch.float64, requires_grad=True) * 2
    tz.uniform_()
    check(type(tz.grad_fn).__name__ == "UniformBackward0", "torch agrees")


def test_state():
    lt.manual_seed(77)
    check(lt.get_rng_state() == (77, 0), "manual_seed rewinds the offset")
    a = lt.randint(0, 100, (5,)).numpy()
    state = lt.get_rng_state()
    check(state == (77, 3), "randint of 5 uses 3 blocks")
    b = lt.randperm(10).numpy()
    c = lt.zeros(7).normal_().numpy()
    lt.set_rng_state(state)
    check(np.array_equal(lt.randperm(10).numpy(), b), "set_rng_state resumes randperm")
    check(np.array_equal(lt.zeros(7).normal_().numpy(), c), "and normal_")
    lt.manual_seed(77)
    check(np.array_equal(lt.randint(0, 100, (5,)).numpy(), a), "manual_seed repeats randint")


for test in [test_shapes_and_dtypes, test_fixed_values, test_errors, test_grads, test_state]:
    test()
print("test_random_torch: %d checks passed" % checks)
