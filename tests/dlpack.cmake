# DLPack interop (capi/dlpack.cpp) through the public C API.
tensor_add_test(test_dlpack SOURCES test_dlpack.cpp LABELS dlpack)
