# Issue 14 (dtypes) performance paths: the vectorised float32 <-> float16 / bfloat16 / uint8 conversions
# of the CPU copy kernel, and matmul on the half and small integer dtypes.
tensor_add_test(test_convert SOURCES test_convert.cpp INTERNAL LABELS dtypes)
