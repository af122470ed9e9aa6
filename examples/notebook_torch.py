#!/usr/bin/python3
"""The seed notebook's cells in PyTorch, printed the way examples/notebook.c and notebook.cpp print them.

This is where examples/notebook.expected comes from:  /usr/bin/python3 examples/notebook_torch.py
Each cell prints a header line "In [N]: <code>" and then what PyTorch prints for the cell. Cells with random
data print shapes and facts that hold for any draw; lines starting with "[time]" are not compared.

With --check FILE it compares its output with FILE instead of printing it (exit 1 on a difference) and
exits 77 (skipped) when PyTorch is not installed.
"""
import contextlib
import io
import re
import sys
import time

try:
    import torch
except ImportError:
    print("PyTorch is not installed: nothing to compare", file=sys.stderr)
    sys.exit(77 if "--check" in sys.argv else 1)


def cell(number, code):
    print("In [%s]: %s" % (number, code))


def size(t):
    return "torch.Size([%s])" % ", ".join(str(s) for s in t.shape)


def notebook():
    cell(9, "t = torch.linspace(0,1,5)")
    t = torch.linspace(0, 1, 5)
    print(repr(t))
    print()

    cell(8, "t = torch.arange(48).reshape(3,4,4)")
    t = torch.arange(48).reshape(3, 4, 4)
    print(repr(t))
    print()

    cell(29, "a = torch.ones((6,5)); b = torch.arange(5).reshape(1,5); a+b")
    a = torch.ones((6, 5))
    b = torch.arange(5).reshape(1, 5)
    print(repr(a + b))
    print()

    cell(31, "Scale = torch.tensor([0.5,1.5,1]); Image = torch.randn((256,256,3)); Result = Image*Scale")
    Scale = torch.tensor([0.5, 1.5, 1])
    Image = torch.randn((256, 256, 3))
    Result = Image * Scale
    print("Result.shape:", size(Result))
    print("(Result[..., 0] == Image[..., 0] * 0.5).all():", repr((Result[..., 0] == Image[..., 0] * 0.5).all()))
    print("(Result[..., 2] == Image[..., 2]).all():", repr((Result[..., 2] == Image[..., 2]).all()))
    print()

    cell(45, "Images = torch.randn(2,256,256,3); Scale = torch.tensor([0.5,1.1,0.7,0.6,0.3,0.9]).reshape(2,1,1,3); "
             "Results = Images*Scale")
    Images = torch.randn(2, 256, 256, 3)
    Scale = torch.tensor([0.5, 1.1, 0.7, 0.6, 0.3, 0.9]).reshape(2, 1, 1, 3)
    Results = Images * Scale
    print("Scale.shape:", size(Scale))
    print("Results.shape:", size(Results))
    print()

    cell(48, "t = torch.tensor([0.5,13,4]); torch.mean(t), torch.std(t), torch.max(t), torch.min(t)")
    t = torch.tensor([0.5, 13, 4])
    print(repr((torch.mean(t), torch.std(t), torch.max(t), torch.min(t))))
    print()

    cell(57, "t = torch.arange(20, dtype=float).reshape(5,4); torch.mean(t, axis=0)")
    t = torch.arange(20, dtype=float).reshape(5, 4)
    print(repr(torch.mean(t, axis=0)))
    print()

    cell(61, "t = torch.rand(5,256,256,3); torch.mean(t,axis=0).shape")
    t = torch.rand(5, 256, 256, 3)
    print(size(torch.mean(t, axis=0)))
    print()

    cell("None", "torch.mean(t,axis=-1).shape")
    print(size(torch.mean(t, axis=-1)))
    print()

    cell(65, "values, indices = torch.max(t,axis=-1); values.shape")
    values, indices = torch.max(t, axis=-1)
    print(size(values))
    print("indices.dtype:", indices.dtype)
    print("(indices < 3).all():", repr((indices < 3).all()))
    print("(values >= t[..., 0]).all():", repr((values >= t[..., 0]).all()))
    print()

    cell(69, "x = torch.tensor([[5.,8.],[4.,6.]], requires_grad=True); y = x.pow(3).sum(); y")
    x = torch.tensor([[5.0, 8.0], [4.0, 6.0]], requires_grad=True)
    y = x.pow(3).sum()
    print(repr(y))
    print()

    cell(70, "y.backward(); x.grad")
    y.backward()
    print(repr(x.grad))
    print()

    cell("None", "A = torch.rand((1000,1000)); A@A")
    A = torch.rand((1000, 1000))
    start = time.perf_counter()
    P = A @ A
    elapsed = time.perf_counter() - start
    print("(A@A).shape:", size(P))
    print("[time] A@A: %.3f ms" % (elapsed * 1e3))


def without_timings(text):
    return re.sub(r"^\[time\].*\n?", "", text, flags=re.M)


def main():
    if "--check" not in sys.argv:
        notebook()
        return 0
    expected_path = sys.argv[sys.argv.index("--check") + 1]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        notebook()
    with open(expected_path) as f:
        expected = f.read()
    if without_timings(out.getvalue()) != without_timings(expected):
        print("PyTorch prints:\n" + out.getvalue() + "\nbut %s says:\n%s" % (expected_path, expected))
        return 1
    print("PyTorch's output matches " + expected_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
