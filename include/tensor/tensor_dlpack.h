/**
 * @file tensor_dlpack.h
 * @brief The DLPack 1.x exchange structs (C99), for tensor_to_dlpack() and tensor_from_dlpack().
 *
 * These declarations follow the published DLPack specification (https://dmlc.github.io/dlpack/),
 * version 1.1: the names, values and layouts below are the specification's, so a pointer produced by any
 * DLPack 1.x implementation (PyTorch, NumPy >= 2.1, CuPy, JAX, ...) can be handed to libtensor unchanged.
 *
 * The definitions sit behind the specification header's own include guard (DLPACK_DLPACK_H_): a program
 * that also includes an upstream `dlpack/dlpack.h` of version 1.x gets one set of definitions whichever
 * header comes first. Upstream headers older than 1.0 lack DLManagedTensorVersioned and are refused.
 */
#ifndef TENSOR_TENSOR_DLPACK_H
#define TENSOR_TENSOR_DLPACK_H

#include <stddef.h>
#include <stdint.h>

#if defined(DLPACK_DLPACK_H_) && !defined(DLPACK_MAJOR_VERSION)
#error "tensor_dlpack.h needs DLPack >= 1.0; an older dlpack.h was included first"
#endif

#ifndef DLPACK_DLPACK_H_
/** The specification header's include guard, shared so that only one set of DLPack definitions exists. */
#define DLPACK_DLPACK_H_

#ifdef __cplusplus
extern "C" {
#endif

/** Major version of the DLPack ABI declared here; a tensor with another major version is not readable. */
#define DLPACK_MAJOR_VERSION 1
/** Minor version of the DLPack ABI declared here; minor versions only append enum values. */
#define DLPACK_MINOR_VERSION 1

/** The tensor's data must not be written by the consumer. */
#define DLPACK_FLAG_BITMASK_READ_ONLY (1UL << 0UL)
/** The producer made a copy for this exchange: the consumer owns the only reference to the data. */
#define DLPACK_FLAG_BITMASK_IS_COPIED (1UL << 1UL)
/** Sub-byte elements are padded to whole bytes rather than packed. */
#define DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED (1UL << 2UL)

/**
 * A DLPack ABI version. A different major version means the layout of DLManagedTensorVersioned after
 * its first three fields changed: only the deleter may be called.
 */
typedef struct {
    uint32_t major; /**< DLPack major version */
    uint32_t minor; /**< DLPack minor version */
} DLPackVersion;

/** Kinds of device memory. */
typedef enum {
    kDLCPU = 1,          /**< host memory */
    kDLCUDA = 2,         /**< CUDA device memory */
    kDLCUDAHost = 3,     /**< host memory pinned by cudaMallocHost (readable by the CPU) */
    kDLOpenCL = 4,       /**< OpenCL buffers */
    kDLVulkan = 7,       /**< Vulkan buffers */
    kDLMetal = 8,        /**< Metal buffers (Apple GPUs) */
    kDLVPI = 9,          /**< Verilog simulator buffers */
    kDLROCM = 10,        /**< ROCm device memory (AMD GPUs) */
    kDLROCMHost = 11,    /**< host memory pinned by hipMallocHost */
    kDLExtDev = 12,      /**< reserved for extension devices */
    kDLCUDAManaged = 13, /**< CUDA managed (unified) memory */
    kDLOneAPI = 14,      /**< Intel oneAPI unified shared memory */
    kDLWebGPU = 15,      /**< WebGPU buffers */
    kDLHexagon = 16,     /**< Qualcomm Hexagon DSP memory */
    kDLMAIA = 17         /**< Microsoft MAIA device memory */
} DLDeviceType;

/** A device: its kind and its ordinal (0 for the CPU). */
typedef struct {
    DLDeviceType device_type; /**< the kind of device */
    int32_t device_id;        /**< the device ordinal */
} DLDevice;

/** Base kinds of element types (DLDataType::code). */
typedef enum {
    kDLInt = 0U,                 /**< signed integer */
    kDLUInt = 1U,                /**< unsigned integer */
    kDLFloat = 2U,               /**< IEEE floating point */
    kDLOpaqueHandle = 3U,        /**< opaque handle, for testing */
    kDLBfloat = 4U,              /**< bfloat16 */
    kDLComplex = 5U,             /**< complex number (a pair of floats) */
    kDLBool = 6U,                /**< boolean, stored in 8 bits */
    kDLFloat8_e3m4 = 7U,         /**< FP8 with 3 exponent and 4 mantissa bits */
    kDLFloat8_e4m3 = 8U,         /**< FP8 e4m3 */
    kDLFloat8_e4m3b11fnuz = 9U,  /**< FP8 e4m3, bias 11, finite, unsigned zero */
    kDLFloat8_e4m3fn = 10U,      /**< FP8 e4m3, finite */
    kDLFloat8_e4m3fnuz = 11U,    /**< FP8 e4m3, finite, unsigned zero */
    kDLFloat8_e5m2 = 12U,        /**< FP8 e5m2 */
    kDLFloat8_e5m2fnuz = 13U,    /**< FP8 e5m2, finite, unsigned zero */
    kDLFloat8_e8m0fnu = 14U,     /**< FP8 e8m0, finite, unsigned */
    kDLFloat6_e2m3fn = 15U,      /**< FP6 e2m3, finite */
    kDLFloat6_e3m2fn = 16U,      /**< FP6 e3m2, finite */
    kDLFloat4_e2m1fn = 17U       /**< FP4 e2m1, finite */
} DLDataTypeCode;

/**
 * An element type: float32 is {kDLFloat, 32, 1}, bool is {kDLBool, 8, 1}. Native endianness.
 */
typedef struct {
    uint8_t code;   /**< a DLDataTypeCode value */
    uint8_t bits;   /**< bits per lane: 8, 16, 32, 64, ... */
    uint16_t lanes; /**< lanes of a vector type; 1 for scalars */
} DLDataType;

/**
 * A strided view of memory; it owns nothing. The first element is at `(char *)data + byte_offset`.
 */
typedef struct {
    void *data;           /**< base of the memory (a device pointer for device memory) */
    DLDevice device;      /**< where the memory lives */
    int32_t ndim;         /**< number of dims (0 for a scalar) */
    DLDataType dtype;     /**< element type */
    int64_t *shape;       /**< ndim sizes */
    int64_t *strides;     /**< ndim strides in elements, or NULL for a compact row-major layout */
    uint64_t byte_offset; /**< bytes from data to the first element */
} DLTensor;

/**
 * The legacy (pre-1.0) managed tensor: a DLTensor with a deleter, without version or flags.
 * Kept so that consumers of older producers (for example NumPy < 2.1) can be bridged.
 */
typedef struct DLManagedTensor {
    DLTensor dl_tensor;                          /**< the tensor being managed */
    void *manager_ctx;                           /**< the producer's context (may be NULL) */
    void (*deleter)(struct DLManagedTensor *self); /**< releases manager_ctx and self (may be NULL) */
} DLManagedTensor;

/**
 * The versioned managed tensor of DLPack 1.x, the exchange struct of tensor_to_dlpack() and
 * tensor_from_dlpack(). The consumer calls `deleter(self)` exactly once when it no longer needs the data.
 * Fields up to and including `flags` keep their layout in every future major version.
 */
typedef struct DLManagedTensorVersioned {
    DLPackVersion version;                                  /**< the DLPack version of this struct */
    void *manager_ctx;                                      /**< the producer's context (may be NULL) */
    void (*deleter)(struct DLManagedTensorVersioned *self); /**< releases manager_ctx and self (may be NULL) */
    uint64_t flags;                                         /**< DLPACK_FLAG_BITMASK_* bits (0 by default) */
    DLTensor dl_tensor;                                     /**< the tensor being managed */
} DLManagedTensorVersioned;

#ifdef __cplusplus
}
#endif

#endif /* DLPACK_DLPACK_H_ */

#endif /* TENSOR_TENSOR_DLPACK_H */
