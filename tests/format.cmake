# Printing (tensor_format) against strings produced by real PyTorch.
tensor_add_test(test_format SOURCES test_format.cpp LABELS format)
tensor_add_test(test_format_internal SOURCES test_format_internal.cpp INTERNAL LABELS format)
