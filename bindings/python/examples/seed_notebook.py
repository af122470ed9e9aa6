"""The seed notebook ("Numpy Vs. PyTorch", /work/shared/seed) run through libtensor's Python binding.

Each notebook cell is reproduced in order; where Jupyter displays a cell's value, this prints its repr,
so the output is the notebook's. `--torch` runs the very same cells with PyTorch instead, which is how
the expected output (tests/seed_notebook.expected) is checked against PyTorch itself.
"""
import sys

import numpy as np

if "--torch" in sys.argv:
    import torch
else:
    import libtensor as torch


def show(value):
    """What Jupyter prints for a cell whose last line is an expression."""
    print(repr(value))
    print()


# Numpy Vs. PyTorch: created the same way, resized in similar ways.
n = np.linspace(0, 1, 5)
t = torch.linspace(0, 1, 5)
n = np.arange(48).reshape(3, 4, 4)
t = torch.arange(48).reshape(3, 4, 4)

# General broadcasting rules.
a = np.ones((6, 5))
b = np.arange(5).reshape((1, 5))
show(a + b)

a = torch.ones((6, 5))
b = torch.arange(5).reshape(1, 5)
show(a + b)

# Scaling the colour channels of an image.
Scale = torch.tensor([0.5, 1.5, 1])
Image = torch.randn((256, 256, 3))
Result = Image * Scale

# Scaling the channels of two images by different amounts.
Images = torch.randn(2, 256, 256, 3)
Scale = torch.tensor([0.5, 1.1, 0.7, 0.6, 0.3, 0.9]).reshape(2, 1, 1, 3)
Results = Images * Scale

# Operations across dimensions.
t = torch.tensor([0.5, 13, 4])
show((torch.mean(t), torch.std(t), torch.max(t), torch.min(t)))

t = torch.arange(20, dtype=float).reshape(5, 4)
show(torch.mean(t, axis=0))

t = torch.rand(5, 256, 256, 3)
show(torch.mean(t, axis=0).shape)
show(torch.mean(t, axis=-1).shape)

values, indices = torch.max(t, axis=-1)
show(values.shape)

# PyTorch vs NumPy: gradients.
x = torch.tensor([[5., 8.], [4., 6.]], requires_grad=True)
y = x.pow(3).sum()
show(y)

y.backward()
show(x.grad)

# Large matrix products.
A = torch.rand((1000, 1000))
