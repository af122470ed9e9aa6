# Generated from src/core/op_kinds.h and the op definitions by tests/op_table_dump.cpp.
# Do not edit: run scripts/gen_op_table.sh (test_op_table_generated checks it is current).
"""The elementwise op tables of the C library, with the flags the binding needs."""

# name: (promotes integers to float32, test domain lo, hi, grad node name)
UNARY = {
    "neg": (False, -4, 4, "NegBackward0"),
    "abs": (False, -4, 4, "AbsBackward0"),
    "exp": (True, -10, 10, "ExpBackward0"),
    "log": (True, 0.01, 10, "LogBackward0"),
    "sqrt": (True, 0.01, 10, "SqrtBackward0"),
    "sin": (True, -6, 6, "SinBackward0"),
    "cos": (True, -6, 6, "CosBackward0"),
    "tanh": (True, -5, 5, "TanhBackward0"),
    "sigmoid": (True, -10, 10, "SigmoidBackward0"),
    "relu": (False, -4, 4, "ReluBackward0"),
}

# name: (comparison, promotes integers to float32, a domain lo, hi, b domain lo, hi)
BINARY = {
    "add": (False, False, -4, 4, -4, 4),
    "sub": (False, False, -4, 4, -4, 4),
    "mul": (False, False, -4, 4, -4, 4),
    "div": (False, True, -4, 4, 0.5, 4),
    "pow": (False, False, 0.5, 3, -2, 2),
    "maximum": (False, False, -4, 4, -4, 4),
    "minimum": (False, False, -4, 4, -4, 4),
    "eq": (True, False, -3, 3, -3, 3),
    "ne": (True, False, -3, 3, -3, 3),
    "lt": (True, False, -3, 3, -3, 3),
    "le": (True, False, -3, 3, -3, 3),
    "gt": (True, False, -3, 3, -3, 3),
    "ge": (True, False, -3, 3, -3, 3),
}

SCALAR = ("add", "sub", "mul", "div", "pow", )
INPLACE = ("add", "sub", "mul", "div", )
