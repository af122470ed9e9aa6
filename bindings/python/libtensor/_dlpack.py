"""DLPack in Python: the capsule protocol on top of tensor_to_dlpack / tensor_from_dlpack.

Python exchanges DLPack structs inside PyCapsules. Two kinds exist:
  "dltensor_versioned"  a DLManagedTensorVersioned (DLPack >= 1.0), what libtensor's C API speaks;
  "dltensor"            the legacy DLManagedTensor, the only kind NumPy < 2.1 and PyTorch < 2.3 know.
A consumer renames the capsule to "used_..." when it takes ownership; an unconsumed capsule calls the
deleter when it is garbage collected. The legacy kind is bridged here in both directions by a small
wrapper struct whose deleter forwards to the wrapped one, so every deleter still runs exactly once.

Note [callbacks outlive the module]: deleters can run late (a NumPy array freed at interpreter exit), so
the ctypes callback objects and capsule names below are given an extra reference that is never dropped.
"""
import ctypes

from ._lib import lib, check, c_tensor_p

# ---- the structs of include/tensor/tensor_dlpack.h ----------------------------------------------------

kDLCPU, kDLCUDA, kDLCUDAHost = 1, 2, 3
kDLInt, kDLUInt, kDLFloat, kDLBool = 0, 1, 2, 6
kDLBfloat = 4
READ_ONLY, IS_COPIED = 1 << 0, 1 << 1
MAJOR, MINOR = 1, 1


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    pass


class DLManagedTensorVersioned(ctypes.Structure):
    pass


LegacyDeleter = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
VersionedDeleter = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
DLManagedTensor._fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p),
                            ("deleter", LegacyDeleter)]
DLManagedTensorVersioned._fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p),
                                     ("deleter", VersionedDeleter), ("flags", ctypes.c_uint64),
                                     ("dl_tensor", DLTensor)]

# ---- CPython capsule API (raw pointers: a capsule being destroyed must not be re-referenced) ----------

_api = ctypes.pythonapi
_PyCapsule_New = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(
    ("PyCapsule_New", _api))
_PyCapsule_IsValid = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_char_p)(("PyCapsule_IsValid", _api))
_PyCapsule_IsValid_raw = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_IsValid", _api))
_PyCapsule_GetPointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", _api))
_PyCapsule_GetPointer_raw = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", _api))
_PyCapsule_SetName = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_void_p)(("PyCapsule_SetName", _api))
_Py_IncRef = ctypes.PYFUNCTYPE(None, ctypes.py_object)(("Py_IncRef", _api))


def _immortal(obj):
    _Py_IncRef(obj)  # see Note [callbacks outlive the module]
    return obj


def _name(text):
    return _immortal(ctypes.create_string_buffer(text))


# Capsule names: bytes for comparisons, immortal C strings for names a capsule points at.
VERSIONED_NAME, LEGACY_NAME = b"dltensor_versioned", b"dltensor"
_VERSIONED, _USED_VERSIONED = _name(VERSIONED_NAME), _name(b"used_dltensor_versioned")
_LEGACY, _USED_LEGACY = _name(LEGACY_NAME), _name(b"used_dltensor")

# Wrapper structs (and what they keep alive) by address, until their deleter runs.
_live = {}


def _versioned_at(address):
    return DLManagedTensorVersioned.from_address(address)


def _legacy_at(address):
    return DLManagedTensor.from_address(address)


def _call_versioned_deleter(address):
    m = _versioned_at(address)
    if m.deleter:
        m.deleter(address)


def _call_legacy_deleter(address):
    m = _legacy_at(address)
    if m.deleter:
        m.deleter(address)


@LegacyDeleter
def _legacy_wrapper_deleter(address):
    """Deleter of a legacy struct that wraps one of libtensor's versioned exports."""
    versioned = _live.pop(address)[1]
    _call_versioned_deleter(versioned)


@VersionedDeleter
def _versioned_wrapper_deleter(address):
    """Deleter of a versioned struct that wraps a foreign legacy export (or a Python buffer)."""
    entry = _live.pop(address)
    if entry[1] is not None:
        _call_legacy_deleter(entry[1])


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
def _capsule_destructor(capsule):
    """Runs the deleter of a capsule nobody consumed (a consumer renames it to used_...)."""
    if _PyCapsule_IsValid_raw(capsule, VERSIONED_NAME):
        _call_versioned_deleter(_PyCapsule_GetPointer_raw(capsule, VERSIONED_NAME))
    elif _PyCapsule_IsValid_raw(capsule, LEGACY_NAME):
        _call_legacy_deleter(_PyCapsule_GetPointer_raw(capsule, LEGACY_NAME))


for _cb in (_legacy_wrapper_deleter, _versioned_wrapper_deleter, _capsule_destructor):
    _immortal(_cb)


def _as_ptr(obj):
    return ctypes.cast(obj, ctypes.c_void_p).value


# ---- export: libtensor -> capsule ---------------------------------------------------------------------

def export_versioned(handle):
    """tensor_to_dlpack: the address of a new DLManagedTensorVersioned for tensor `handle`."""
    out = ctypes.c_void_p()
    check(lib.tensor_to_dlpack(ctypes.byref(out), handle))
    return out.value


def to_capsule(handle, versioned, copied=False):
    """A capsule holding an export of `handle`: the versioned kind, or the legacy kind for old consumers."""
    address = export_versioned(handle)
    m = _versioned_at(address)
    if copied:
        m.flags |= IS_COPIED
    if versioned:
        return _PyCapsule_New(address, _as_ptr(_VERSIONED), _as_ptr(_capsule_destructor))
    if m.flags & READ_ONLY:
        _call_versioned_deleter(address)
        raise BufferError("cannot export a read-only tensor as a legacy (unversioned) DLPack capsule, which "
                          "has no read-only flag; ask for max_version=(1, 0) or clone() the tensor")
    legacy = DLManagedTensor()
    legacy.dl_tensor = m.dl_tensor  # shape/strides point into the versioned export, alive until its deleter
    legacy.manager_ctx = address
    legacy.deleter = _legacy_wrapper_deleter
    _live[ctypes.addressof(legacy)] = (legacy, address)
    return _PyCapsule_New(ctypes.addressof(legacy), _as_ptr(_LEGACY), _as_ptr(_capsule_destructor))


# ---- import: capsule -> libtensor ---------------------------------------------------------------------

def _import_versioned(address):
    """tensor_from_dlpack; the library owns `address` from here (its deleter runs even on failure)."""
    out = c_tensor_p()
    check(lib.tensor_from_dlpack(ctypes.byref(out), address))
    return out.value


def _wrap(dl_tensor, flags, keep, legacy_address):
    """A versioned struct describing `dl_tensor`, owned by libtensor once imported; its deleter releases
    `keep` (Python objects) and calls the legacy deleter at `legacy_address` (if any)."""
    w = DLManagedTensorVersioned()
    w.version.major, w.version.minor = MAJOR, MINOR
    w.manager_ctx = legacy_address or 0
    w.deleter = _versioned_wrapper_deleter
    w.flags = flags
    w.dl_tensor = dl_tensor
    _live[ctypes.addressof(w)] = (w, legacy_address, keep)
    return ctypes.addressof(w)


def from_capsule(capsule, dtype_override=None):
    """Consumes a "dltensor_versioned" or "dltensor" capsule; returns a new tensor handle."""
    if _PyCapsule_IsValid(capsule, VERSIONED_NAME):
        address = _PyCapsule_GetPointer(capsule, VERSIONED_NAME)
        _PyCapsule_SetName(capsule, _as_ptr(_USED_VERSIONED))
        return _import_versioned(address)
    if _PyCapsule_IsValid(capsule, LEGACY_NAME):
        address = _PyCapsule_GetPointer(capsule, LEGACY_NAME)
        _PyCapsule_SetName(capsule, _as_ptr(_USED_LEGACY))
        dl = DLTensor.from_buffer_copy(_legacy_at(address).dl_tensor)
        if dtype_override is not None:
            dl.dtype = dtype_override
        return _import_versioned(_wrap(dl, 0, None, address))
    raise TypeError("expected a DLPack capsule named 'dltensor_versioned' or 'dltensor' (not yet consumed)")


def from_buffer(data, shape, strides_in_elements, dlpack_dtype, read_only, keep):
    """Imports host memory at address `data` that Python objects `keep` keep alive (NumPy arrays)."""
    ndim = len(shape)
    geometry = (ctypes.c_int64 * max(2 * ndim, 1))(*shape, *strides_in_elements)
    dl = DLTensor()
    dl.data = data
    dl.device = DLDevice(kDLCPU, 0)
    dl.ndim = ndim
    dl.dtype = dlpack_dtype
    dl.shape = ctypes.cast(geometry, ctypes.POINTER(ctypes.c_int64))
    dl.strides = ctypes.cast(ctypes.addressof(geometry) + 8 * ndim, ctypes.POINTER(ctypes.c_int64))
    dl.byte_offset = 0
    return _import_versioned(_wrap(dl, READ_ONLY if read_only else 0, (keep, geometry), None))


def from_object(obj):
    """Tensor handle for any object with __dlpack__ (or a capsule): versioned protocol first, legacy after."""
    if not hasattr(obj, "__dlpack__"):
        return from_capsule(obj)
    try:
        capsule = obj.__dlpack__(max_version=(MAJOR, MINOR))
    except TypeError:  # a producer that predates max_version (NumPy < 2.1, PyTorch < 2.3)
        capsule = obj.__dlpack__()
    return from_capsule(capsule)


def live_wrappers():
    """How many bridge structs are waiting for their deleter (for tests)."""
    return len(_live)

