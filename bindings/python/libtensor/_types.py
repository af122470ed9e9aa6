"""Value types of the binding: dtype, device and Size. Their reprs are PyTorch's, so that a program
written for PyTorch prints the same text through libtensor."""
import builtins


class dtype:
    """An element type (tensor_dtype)."""
    __slots__ = ("name", "code", "itemsize", "is_floating_point", "_typestr")

    def __init__(self, name, code, itemsize, is_floating_point, typestr):
        self.name, self.code, self.itemsize = name, code, itemsize
        self.is_floating_point = is_floating_point
        self._typestr = typestr  # NumPy's array-interface type string

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return self.name


float32 = dtype("float32", 0, 4, True, "<f4")
float64 = dtype("float64", 1, 8, True, "<f8")
int32 = dtype("int32", 2, 4, False, "<i4")
int64 = dtype("int64", 3, 8, False, "<i8")
bool = dtype("bool", 4, 1, False, "|b1")
float16 = dtype("float16", 5, 2, True, "<f2")
bfloat16 = dtype("bfloat16", 6, 2, True, None)  # NumPy has no bfloat16: numpy() gives a float32 copy
uint8 = dtype("uint8", 7, 1, False, "|u1")
int8 = dtype("int8", 8, 1, False, "|i1")
int16 = dtype("int16", 9, 2, False, "<i2")
float, double, int, long = float32, float64, int32, int64  # PyTorch's aliases
half, short = float16, int16

_BY_CODE = {d.code: d for d in (float32, float64, int32, int64, bool, float16, bfloat16, uint8, int8, int16)}
_BY_NAME = {"float32": float32, "float": float32, "float64": float64, "double": float64, "int32": int32,
            "int": int32, "int64": int64, "long": int64, "bool": bool, "float16": float16, "half": float16,
            "bfloat16": bfloat16, "uint8": uint8, "int8": int8, "int16": int16, "short": int16}
# Python's own types mean what they mean to PyTorch: float -> float64, int -> int64.
_BY_PYTYPE = {builtins.float: float64, builtins.int: int64, builtins.bool: bool}


def from_code(code):
    return _BY_CODE[code]


def to_dtype(value):
    """A dtype from a dtype, a Python type (float, int, bool), a name, or a NumPy dtype/type."""
    if value is None or isinstance(value, dtype):
        return value
    if isinstance(value, type) and value in _BY_PYTYPE:
        return _BY_PYTYPE[value]
    name = getattr(value, "name", None)  # numpy.dtype
    if name is None and isinstance(value, type) and hasattr(value, "__name__"):
        name = value.__name__  # numpy scalar types (numpy.float32, ...)
    if isinstance(value, str):
        name = value.replace("torch.", "")
    if name in _BY_NAME:
        return _BY_NAME[name]
    raise TypeError("unsupported dtype %r (libtensor has float32, float64, int32, int64, bool, float16, "
                    "bfloat16, uint8, int8 and int16)" % (value,))


class device:
    """Where a tensor lives: device('cpu'), device('cuda', 0), device('cuda:1')."""
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif ":" in type:
            type, idx = type.split(":", 1)
            index = builtins.int(idx)
        if type not in ("cpu", "cuda"):
            raise ValueError("unsupported device type %r (expected 'cpu' or 'cuda')" % type)
        self.type = type
        self.index = index if type == "cuda" else None

    @property
    def _c(self):
        return (0, 0) if self.type == "cpu" else (1, self.index or 0)

    def __eq__(self, other):
        other = to_device(other)
        return other is not None and self._c == other._c

    def __hash__(self):
        return hash(self._c)

    def __repr__(self):
        if self.index is None:
            return "device(type=%r)" % self.type
        return "device(type=%r, index=%d)" % (self.type, self.index)

    def __str__(self):
        return self.type if self.index is None else "%s:%d" % (self.type, self.index)


def to_device(value):
    if value is None or isinstance(value, device):
        return value
    if isinstance(value, str):
        return device(value)
    if isinstance(value, builtins.int):
        return device("cuda", value)
    raise TypeError("expected a device, got %r" % (value,))


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as PyTorch's torch.Size."""

    def __repr__(self):
        return "torch.Size([%s])" % ", ".join(str(s) for s in self)

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n
