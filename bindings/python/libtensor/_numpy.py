"""NumPy arrays over libtensor memory and back, without copies, for any NumPy version.

np.from_dlpack(t) goes through Tensor.__dlpack__; these helpers serve Tensor.numpy() and from_numpy(),
which must also work where the installed NumPy's DLPack support falls short (NumPy < 2.1 neither reads
nor writes bool, refuses read-only arrays, and returns read-only arrays). Both directions still hand the
memory over as a DLPack export, so ownership follows the same deleter rules as everywhere else.
"""
import numpy as np

from . import _dlpack, _types

_TYPESTR = {(_dlpack.kDLFloat, 32): "<f4", (_dlpack.kDLFloat, 64): "<f8", (_dlpack.kDLInt, 32): "<i4",
            (_dlpack.kDLInt, 64): "<i8", (_dlpack.kDLBool, 8): "|b1", (_dlpack.kDLFloat, 16): "<f2",
            (_dlpack.kDLUInt, 8): "|u1", (_dlpack.kDLInt, 8): "|i1", (_dlpack.kDLInt, 16): "<i2"}
_DLPACK_DTYPE = {"float32": (_dlpack.kDLFloat, 32), "float64": (_dlpack.kDLFloat, 64),
                 "int32": (_dlpack.kDLInt, 32), "int64": (_dlpack.kDLInt, 64), "bool": (_dlpack.kDLBool, 8),
                 "float16": (_dlpack.kDLFloat, 16), "uint8": (_dlpack.kDLUInt, 8), "int8": (_dlpack.kDLInt, 8),
                 "int16": (_dlpack.kDLInt, 16)}


class _Export:
    """Owns one DLManagedTensorVersioned from tensor_to_dlpack and describes it to NumPy; the array keeps
    this object as its base, so the deleter runs when the last array view of it goes."""

    def __init__(self, address):
        self._address = address
        m = _dlpack._versioned_at(address)
        dl = m.dl_tensor
        item = dl.dtype.bits // 8
        shape = tuple(dl.shape[i] for i in range(dl.ndim))
        strides = tuple(dl.strides[i] * item for i in range(dl.ndim)) if dl.strides else None
        self.__array_interface__ = {
            "version": 3,
            "shape": shape,
            "typestr": _TYPESTR[(dl.dtype.code, dl.dtype.bits)],
            "data": ((dl.data or 0) + dl.byte_offset, bool(m.flags & _dlpack.READ_ONLY)),
            "strides": strides,
        }

    def __del__(self):
        address, self._address = self._address, None
        if address:
            _dlpack._call_versioned_deleter(address)


def array_from_export(address):
    """A NumPy array over the memory of a versioned export (takes ownership of `address`)."""
    try:
        owner = _Export(address)
    except BaseException:
        _dlpack._call_versioned_deleter(address)
        raise
    return np.asarray(owner)


def from_numpy(array):
    """A tensor sharing `array`'s memory (writes show on both sides; read-only arrays give read-only
    tensors). Its dtype must be float16/32/64, uint8, int8/16/32/64 or bool (NumPy has no bfloat16);
    strides must be non-negative multiples of the element size."""
    if not isinstance(array, np.ndarray):
        raise TypeError("expected a numpy.ndarray, got %s" % type(array).__name__)
    try:
        dt = _types.to_dtype(array.dtype)
    except TypeError:
        raise TypeError("can't convert np.ndarray of type numpy.%s; libtensor supports float16, float32, "
                        "float64, uint8, int8, int16, int32, int64 and bool" % array.dtype.name) from None
    if not array.dtype.isnative:
        raise TypeError("can't convert a non-native byte order array")
    item = array.dtype.itemsize
    if any(s % item for s in array.strides):
        raise ValueError("array strides %s are not multiples of the element size %d" % (array.strides, item))
    strides = [s // item for s in array.strides]
    code, bits = _DLPACK_DTYPE[dt.name]
    return _dlpack.from_buffer(array.__array_interface__["data"][0], array.shape, strides,
                               _dlpack.DLDataType(code, bits, 1), not array.flags.writeable, array)
