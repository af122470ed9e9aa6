"""libtensor.nn: for now the functional losses and activations (libtensor.nn.functional, as torch.nn.functional)."""
from . import functional  # noqa: F401
