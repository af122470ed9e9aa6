# Generated from src/core/op_kinds.h and the op definitions by tests/op_table_dump.cpp.
# Do not edit: run scripts/gen_op_table.sh (test_op_table_generated checks it is current).
"""The elementwise op tables of the C library, with the flags the binding needs."""

# inputs: which dtypes an op takes (all, numeric: no bool, floating: integers and bool become
# float32, floating_only, integral: integers and bool, numeric_bool_as_int64: bool becomes int64)
# name: (promotes integers to float32, test domain lo, hi, grad node name, bool result, inputs)
UNARY = {
    "neg": (False, -4, 4, "NegBackward0", False, "numeric"),
    "abs": (False, -4, 4, "AbsBackward0", False, "numeric"),
    "exp": (True, -10, 10, "ExpBackward0", False, "floating"),
    "log": (True, 0.01, 10, "LogBackward0", False, "floating"),
    "sqrt": (True, 0.01, 10, "SqrtBackward0", False, "floating"),
    "sin": (True, -6, 6, "SinBackward0", False, "floating"),
    "cos": (True, -6, 6, "CosBackward0", False, "floating"),
    "tanh": (True, -5, 5, "TanhBackward0", False, "floating"),
    "sigmoid": (True, -10, 10, "SigmoidBackward0", False, "floating"),
    "relu": (False, -4, 4, "ReluBackward0", False, "numeric"),
    "exp2": (True, -10, 10, "Exp2Backward0", False, "floating"),
    "expm1": (True, -5, 5, "Expm1Backward0", False, "floating"),
    "log2": (True, 0.01, 10, "Log2Backward0", False, "floating"),
    "log10": (True, 0.01, 10, "Log10Backward0", False, "floating"),
    "log1p": (True, -0.9, 10, "Log1PBackward0", False, "floating"),
    "rsqrt": (True, 0.01, 10, "RsqrtBackward0", False, "floating"),
    "square": (False, -4, 4, "PowBackward0", False, "numeric_bool_as_int64"),
    "reciprocal": (True, 0.25, 4, "ReciprocalBackward0", False, "floating"),
    "tan": (True, -1.4, 1.4, "TanBackward0", False, "floating"),
    "asin": (True, -0.95, 0.95, "AsinBackward0", False, "floating"),
    "acos": (True, -0.95, 0.95, "AcosBackward0", False, "floating"),
    "atan": (True, -5, 5, "AtanBackward0", False, "floating"),
    "sinh": (True, -5, 5, "SinhBackward0", False, "floating"),
    "cosh": (True, -5, 5, "CoshBackward0", False, "floating"),
    "erf": (True, -3, 3, "ErfBackward0", False, "floating"),
    "erfc": (True, -3, 3, "ErfcBackward0", False, "floating"),
    "silu": (False, -10, 10, "SiluBackward0", False, "floating_only"),
    "floor": (False, -4, 4, "FloorBackward0", False, "numeric"),
    "ceil": (False, -4, 4, "CeilBackward0", False, "numeric"),
    "round": (False, -4, 4, "RoundBackward0", False, "numeric"),
    "trunc": (False, -4, 4, "TruncBackward0", False, "numeric"),
    "frac": (False, -4, 4, "FracBackward0", False, "floating_only"),
    "sign": (False, -4, 4, "SignBackward0", False, "all"),
    "isnan": (False, -3, 3, None, True, "all"),
    "isinf": (False, -3, 3, None, True, "all"),
    "isfinite": (False, -3, 3, None, True, "all"),
    "logical_not": (False, -3, 3, None, True, "all"),
}

# name: (bool result, promotes integers to float32, a domain lo, hi, b domain lo, hi, inputs,
#        integer zero divisors refused)
BINARY = {
    "add": (False, False, -4, 4, -4, 4, "all", False),
    "sub": (False, False, -4, 4, -4, 4, "all", False),
    "mul": (False, False, -4, 4, -4, 4, "all", False),
    "div": (False, True, -4, 4, 0.5, 4, "floating", False),
    "pow": (False, False, 0.5, 3, -2, 2, "all", False),
    "maximum": (False, False, -4, 4, -4, 4, "all", False),
    "minimum": (False, False, -4, 4, -4, 4, "all", False),
    "eq": (True, False, -3, 3, -3, 3, "all", False),
    "ne": (True, False, -3, 3, -3, 3, "all", False),
    "lt": (True, False, -3, 3, -3, 3, "all", False),
    "le": (True, False, -3, 3, -3, 3, "all", False),
    "gt": (True, False, -3, 3, -3, 3, "all", False),
    "ge": (True, False, -3, 3, -3, 3, "all", False),
    "atan2": (False, True, -4, 4, -4, 4, "floating", False),
    "remainder": (False, False, -6, 6, -4, -0.5, "numeric", True),
    "fmod": (False, False, -6, 6, 0.5, 4, "numeric", True),
    "floor_divide": (False, False, -6, 6, -4, -0.5, "numeric", True),
    "logical_and": (True, False, -3, 3, -3, 3, "all", False),
    "logical_or": (True, False, -3, 3, -3, 3, "all", False),
    "logical_xor": (True, False, -3, 3, -3, 3, "all", False),
    "bitwise_and": (False, False, -8, 8, -8, 8, "integral", False),
    "bitwise_or": (False, False, -8, 8, -8, 8, "integral", False),
    "bitwise_xor": (False, False, -8, 8, -8, 8, "integral", False),
}

SCALAR = ("add", "sub", "mul", "div", "pow", )
INPLACE = ("add", "sub", "mul", "div", )
