# OpenBLAS through pkg-config (Debian: libopenblas-dev), as the imported target tensor::openblas.
find_package(PkgConfig REQUIRED)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
add_library(tensor::openblas INTERFACE IMPORTED)
target_link_libraries(tensor::openblas INTERFACE PkgConfig::OPENBLAS)
# Debian's pkg-config file names the include dir that holds cblas.h; make sure it is there.
find_path(TENSOR_CBLAS_INCLUDE_DIR cblas.h HINTS ${OPENBLAS_INCLUDE_DIRS} REQUIRED)
target_include_directories(tensor::openblas INTERFACE ${TENSOR_CBLAS_INCLUDE_DIR})
