# Issue 14's dtypes (float16, bfloat16, uint8, int8, int16) at the edges of the library: printing against
# PyTorch's repr (tests/format_dtypes_cases.py -> .inc), tensor_item, and through the Python binding the
# dtype objects, NumPy/DLPack/file interop, the promotion table and every conversion against torch.
tensor_add_test(test_format_dtypes SOURCES test_format_dtypes.cpp LABELS "format;dtypes")
tensor_add_test(test_format_dtypes_internal SOURCES test_format_dtypes_internal.cpp INTERNAL LABELS "format;dtypes")
