"""libtensor.nn: for now the functional losses and activations (libtensor.nn.functional, as torch.nn.functional)."""
from . import functional  # noqa: F401
from . import utils  # noqa: F401 (libtensor.nn.utils.clip_grad_norm_, as torch.nn.utils)
