"""libtensor for Python: a pure-Python (ctypes) binding of libtensor's C ABI, shaped like PyTorch.

    import libtensor as lt
    x = lt.tensor([[5., 8.], [4., 6.]], requires_grad=True)
    y = x.pow(3).sum()
    y.backward()
    print(x.grad)          # tensor([[ 75., 192.],
                           #         [ 48., 108.]])

NumPy interop shares memory both ways through DLPack: np.from_dlpack(t), t.numpy(),
lt.from_dlpack(array), lt.from_numpy(array). Library errors raise libtensor.Error subclasses
(also ValueError / RuntimeError / IndexError / TypeError / MemoryError as fits) carrying the library's message.
The shared library is found through LIBTENSOR_PATH or the system loader (libtensor.so.0).
"""
from ._lib import (Error, InvalidArgumentError, ShapeError, DTypeError, DeviceError, IndexOutOfRangeError,
                   OutOfMemoryError, AutogradError, BackendError, InternalError)
from ._lib import lib as _lib_handle
from ._types import dtype, device, Size, float32, float64, int32, int64, bool, float, double, int, long
from ._tensor import Tensor, matmul
from ._functions import *  # noqa: F401,F403 (the torch.*-style functions, listed in _functions.__all__)
from ._indexing import *  # noqa: F401,F403 (index_select, gather, scatter ...: _indexing.__all__)
from ._sorting import *  # noqa: F401,F403 (sort, argsort, topk: _sorting.__all__)
from ._files import *  # noqa: F401,F403 (save_file, load_file, save, savez, load: _files.__all__)
from ._random import *  # noqa: F401,F403 (randint, randperm, bernoulli ...: _random.__all__)
from . import nn  # noqa: F401 (libtensor.nn.functional: the losses, as torch.nn.functional)
from . import optim  # noqa: F401 (libtensor.optim: SGD, Adam, AdamW, as torch.optim)

__version__ = _lib_handle.tensor_version().decode()
from ._types import float16, bfloat16, uint8, int8, int16, half, short  # noqa: E402 (issue 14's dtypes)
