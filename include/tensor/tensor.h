/**
 * @file tensor.h
 * @brief libtensor: the C ABI (C99).
 *
 * Conventions kept by every call in this header:
 * - Handles are opaque and reference counted. Every handle returned through an out-parameter is a new
 *   reference owned by the caller; drop it with tensor_free().
 * - Fallible calls return a ::tensor_status and put results in out-parameters, out-parameters first.
 *   On failure every out-parameter is set to NULL, nothing leaks, the inputs are unchanged, and
 *   tensor_last_error() returns a thread-local message naming the call and what was wrong.
 * - No call aborts, exits or prints. Dims are int32_t and may be negative (counted from the end);
 *   sizes and indices are int64_t. A shape is (const int64_t *shape, int32_t ndim); ndim == 0 is a
 *   0-d (scalar) tensor.
 * - Thread safety: different handles may be used from different threads at once, one handle may be
 *   read from several threads at once; the error message, the grad mode and the RNG stream are per thread.
 */
#ifndef TENSOR_TENSOR_H
#define TENSOR_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Version and export */
/**@{*/
/** Major version: changes with any incompatible change of the ABI (and the SONAME with it). */
#define TENSOR_VERSION_MAJOR 0
/** Minor version: changes when functions or enum values are added (compatible). */
#define TENSOR_VERSION_MINOR 1
/** Patch version: changes for fixes that leave the ABI as it is. */
#define TENSOR_VERSION_PATCH 0

/** Marks the functions exported by libtensor (default visibility; the library hides everything else). */
#if defined(_WIN32)
#define TENSOR_API __declspec(dllimport)
#elif defined(__GNUC__)
#define TENSOR_API __attribute__((visibility("default")))
#else
#define TENSOR_API
#endif
/**@}*/

/** Status of a fallible call. Values are fixed forever. */
typedef enum tensor_status {
    TENSOR_OK = 0,                     /**< success */
    TENSOR_ERR_INVALID_ARGUMENT = -1,  /**< NULL handle, bad enum, negative size, ... */
    TENSOR_ERR_SHAPE = -2,             /**< shapes do not fit the operation */
    TENSOR_ERR_DTYPE = -3,             /**< dtype not supported by the operation */
    TENSOR_ERR_DEVICE = -4,            /**< operands on different devices, or device unavailable */
    TENSOR_ERR_INDEX = -5,             /**< dim or index out of range */
    TENSOR_ERR_OUT_OF_MEMORY = -6,     /**< an allocation failed */
    TENSOR_ERR_AUTOGRAD = -7,          /**< the autograd graph cannot do what was asked */
    TENSOR_ERR_BACKEND = -8,           /**< BLAS or CUDA failure */
    TENSOR_ERR_INTERNAL = -9           /**< a bug in libtensor */
} tensor_status;

/** Element type. Values are fixed; new types are appended. */
typedef enum tensor_dtype {
    TENSOR_FLOAT32 = 0, /**< 32-bit IEEE float (the default) */
    TENSOR_FLOAT64 = 1, /**< 64-bit IEEE float */
    TENSOR_INT32 = 2,   /**< 32-bit signed integer */
    TENSOR_INT64 = 3,   /**< 64-bit signed integer (indices, integer sums) */
    TENSOR_BOOL = 4,     /**< boolean stored in one byte (0 or 1) */
    TENSOR_FLOAT16 = 5,  /**< 16-bit IEEE float (binary16); computes in float32 and rounds once */
    TENSOR_BFLOAT16 = 6, /**< bfloat16 (the top 16 bits of a float32); computes in float32 */
    TENSOR_UINT8 = 7,    /**< 8-bit unsigned integer (images); arithmetic wraps */
    TENSOR_INT8 = 8,     /**< 8-bit signed integer; arithmetic wraps */
    TENSOR_INT16 = 9     /**< 16-bit signed integer; arithmetic wraps */
} tensor_dtype;

/** Device type of the host CPU (the type field of ::tensor_device). */
#define TENSOR_CPU 0
/** Device type of an NVIDIA GPU (the type field of ::tensor_device). */
#define TENSOR_CUDA 1

/** Where a tensor lives: type is TENSOR_CPU or TENSOR_CUDA, index the device ordinal (0 for CPU). */
typedef struct tensor_device {
    int32_t type;  /**< TENSOR_CPU or TENSOR_CUDA */
    int32_t index; /**< device ordinal (0 for the CPU) */
} tensor_device;

/** Options for creation calls. Initialise with TENSOR_OPTIONS_INIT, then set fields. */
typedef struct tensor_options {
    uint32_t version;      /**< TENSOR_OPTIONS_VERSION; lets the struct grow without breaking callers */
    tensor_dtype dtype;    /**< element type (default TENSOR_FLOAT32) */
    tensor_device device;  /**< device (default CPU) */
    bool requires_grad;    /**< make the new tensor a leaf that requires grad (floating dtypes only) */
} tensor_options;

/** The tensor_options layout this header declares (the value TENSOR_OPTIONS_INIT puts in version). */
#define TENSOR_OPTIONS_VERSION 1u
/** Default options: float32, CPU, no grad. */
#define TENSOR_OPTIONS_INIT {TENSOR_OPTIONS_VERSION, TENSOR_FLOAT32, {TENSOR_CPU, 0}, false}

/**
 * The most dimensions a tensor may have (NumPy's limit). Every call that makes a shape (creation,
 * reshape, expand, unsqueeze, stack, DLPack import, ...) refuses more with TENSOR_ERR_SHAPE.
 */
#define TENSOR_MAX_NDIM 64

/** Opaque, reference-counted tensor handle. */
typedef struct tensor tensor;

/* ------------------------------------------------------------------------------------------------ */
/** @name Lifecycle and info */
/**@{*/
/** Drops one reference; the tensor is destroyed with its last reference. NULL is a no-op. */
TENSOR_API void tensor_free(tensor *t);
/** Adds a reference and returns @p t (NULL gives NULL). */
TENSOR_API tensor *tensor_retain(tensor *t);
/** The message of the last failed call on this thread ("" if none). Valid until the next call. */
TENSOR_API const char *tensor_last_error(void);
/** A static description of a status code ("unknown status" for values outside the enum). */
TENSOR_API const char *tensor_status_string(tensor_status status);
/** The library version as "MAJOR.MINOR.PATCH". */
TENSOR_API const char *tensor_version(void);
/** True when the CUDA backend is built and at least one GPU is usable. */
TENSOR_API bool tensor_cuda_available(void);
/** Number of usable GPUs (0 without the CUDA backend or a driver). */
TENSOR_API int32_t tensor_cuda_device_count(void);
/** Waits for all queued work on GPU @p device_index and reports any asynchronous error. */
TENSOR_API tensor_status tensor_cuda_synchronize(int32_t device_index);
/** Seeds this thread's random stream (rand, randn) on every device. */
TENSOR_API void tensor_manual_seed(uint64_t seed);
/**
 * Sets the number of CPU threads used by libtensor's kernels and by OpenBLAS. @p n < 1 is
 * TENSOR_ERR_INVALID_ARGUMENT; a count above the machine's logical CPUs is capped there (more threads
 * never speed the kernels up and each costs a stack); tensor_get_num_threads() gives the count in use.
 * Meant as a setup-time call: it is safe while other threads run libtensor's ops (a change waits for
 * running matmuls), but OpenBLAS calls made by other libraries in the process are not coordinated with
 * it. Limits of the threading runtimes: libgomp (OpenMP) terminates the process when it cannot create a
 * thread (e.g. under a tight RLIMIT_NPROC or address-space limit); set 1 thread in such environments.
 */
TENSOR_API tensor_status tensor_set_num_threads(int32_t n);
/** The number of CPU threads libtensor's kernels use. */
TENSOR_API int32_t tensor_get_num_threads(void);
/**
 * Writes a human-readable description of the build and the backends in use (compiler, BLAS library
 * and the kernel/core it selected, thread counts, CUDA) into @p buf, snprintf-style.
 * @return the full length of the text (excluding the terminating NUL).
 */
TENSOR_API int64_t tensor_config_string(char *buf, size_t cap);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Creation. @p opts may be NULL (float32, CPU, no grad). */
/**@{*/
/** Copies @p data (row-major, elements of opts->dtype) into a new tensor of the given shape. */
TENSOR_API tensor_status tensor_from_data(tensor **out, const void *data, const int64_t *shape,
                                          int32_t ndim, const tensor_options *opts);
/** A new tensor with uninitialised contents. */
TENSOR_API tensor_status tensor_empty(tensor **out, const int64_t *shape, int32_t ndim,
                                      const tensor_options *opts);
/** A new tensor filled with zeros. */
TENSOR_API tensor_status tensor_zeros(tensor **out, const int64_t *shape, int32_t ndim,
                                      const tensor_options *opts);
/** A new tensor filled with ones. */
TENSOR_API tensor_status tensor_ones(tensor **out, const int64_t *shape, int32_t ndim,
                                     const tensor_options *opts);
/** A new tensor filled with @p value (converted to opts->dtype). */
TENSOR_API tensor_status tensor_full(tensor **out, const int64_t *shape, int32_t ndim, double value,
                                     const tensor_options *opts);
/**
 * Values start, start+step, ... below @p end (above it for negative step): ceil((end-start)/step) of them.
 * For integer dtypes start, end and step are truncated to integers first (step truncated to 0 is an
 * error) and the values are start + i*step in integers, as in PyTorch: arange(2.1, -2.9, -1, int32) is
 * [2, 1, 0, -1, -2]; for int64 the count too comes from the truncated values (arange(0, 3.1, 1, int64)
 * is [0, 1, 2]).
 */
TENSOR_API tensor_status tensor_arange(tensor **out, double start, double end, double step,
                                       const tensor_options *opts);
/** @p steps evenly spaced values from @p start to @p end inclusive. */
TENSOR_API tensor_status tensor_linspace(tensor **out, double start, double end, int64_t steps,
                                         const tensor_options *opts);
/** The n x n identity matrix. */
TENSOR_API tensor_status tensor_eye(tensor **out, int64_t n, const tensor_options *opts);
/** Uniform [0, 1) from this thread's Philox-4x32-10 stream (floating dtypes). */
TENSOR_API tensor_status tensor_rand(tensor **out, const int64_t *shape, int32_t ndim,
                                     const tensor_options *opts);
/** Standard normal from this thread's Philox-4x32-10 stream (floating dtypes). */
TENSOR_API tensor_status tensor_randn(tensor **out, const int64_t *shape, int32_t ndim,
                                      const tensor_options *opts);
/** Zeros with the shape, dtype and device of @p t. */
TENSOR_API tensor_status tensor_zeros_like(tensor **out, const tensor *t);
/** Ones with the shape, dtype and device of @p t. */
TENSOR_API tensor_status tensor_ones_like(tensor **out, const tensor *t);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Inspection. These cannot fail; a NULL handle gives 0 / NULL / false / float32 / CPU. */
/**@{*/
/** Number of dims (0 for a scalar tensor, 0 for NULL). */
TENSOR_API int32_t tensor_ndim(const tensor *t);
/** The shape (ndim entries); valid while @p t lives. */
TENSOR_API const int64_t *tensor_shape(const tensor *t);
/** The strides in elements (ndim entries); valid while @p t lives. */
TENSOR_API const int64_t *tensor_strides(const tensor *t);
/** Size of dim @p dim (negative counts from the end); -1 when the dim is out of range. */
TENSOR_API int64_t tensor_size(const tensor *t, int32_t dim);
/** Number of elements (the product of the shape; 1 for a 0-d tensor, 0 for NULL). */
TENSOR_API int64_t tensor_numel(const tensor *t);
/** The element type. */
TENSOR_API tensor_dtype tensor_get_dtype(const tensor *t);
/** The device the tensor lives on. */
TENSOR_API tensor_device tensor_get_device(const tensor *t);
/** True when the elements are laid out row-major without gaps. */
TENSOR_API bool tensor_is_contiguous(const tensor *t);
/** Size in bytes of one element of @p dtype (0 for an unknown dtype). */
TENSOR_API size_t tensor_dtype_size(tensor_dtype dtype);
/** "float32", "float64", "int32", "int64", "bool" ("unknown" otherwise). */
TENSOR_API const char *tensor_dtype_name(tensor_dtype dtype);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Data out */
/**@{*/
/** Copies the elements of @p t (any device, any strides) row-major into @p dst (nbytes >= numel*itemsize). */
TENSOR_API tensor_status tensor_copy_to_host(const tensor *t, void *dst, size_t nbytes);
/** The value of a one-element tensor as a double. */
TENSOR_API tensor_status tensor_item(const tensor *t, double *value);
/** CPU tensors: pointer to the first element; NULL for other devices or NULL. */
TENSOR_API const void *tensor_data(const tensor *t);
/**
 * Formats @p t as PyTorch prints it, e.g. "tensor([[ 75., 192.],\n        [ 48., 108.]])".
 * snprintf-style: writes at most @p cap bytes including the NUL; returns the full length (or -1 for NULL).
 */
TENSOR_API int64_t tensor_format(const tensor *t, char *buf, size_t cap);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Shape and views. Results share storage with the input where PyTorch's would. */
/**@{*/
/** Reshape; one entry may be -1 (inferred). A view when the strides allow, else a copy. */
TENSOR_API tensor_status tensor_reshape(tensor **out, const tensor *t, const int64_t *shape, int32_t ndim);
/** A view with the dims reordered: output dim i is input dim dims[i] (a permutation of all dims). */
TENSOR_API tensor_status tensor_permute(tensor **out, const tensor *t, const int32_t *dims, int32_t ndim);
/** A view with dims @p d0 and @p d1 swapped. */
TENSOR_API tensor_status tensor_transpose(tensor **out, const tensor *t, int32_t d0, int32_t d1);
/** Broadcast view to @p shape (size-1 dims stretch; -1 keeps a size; new dims are prepended). */
TENSOR_API tensor_status tensor_expand(tensor **out, const tensor *t, const int64_t *shape, int32_t ndim);
/** Removes dim @p dim if its size is 1 (otherwise returns a view of the same shape). */
TENSOR_API tensor_status tensor_squeeze(tensor **out, const tensor *t, int32_t dim);
/** Removes every size-1 dim. */
TENSOR_API tensor_status tensor_squeeze_all(tensor **out, const tensor *t);
/** Inserts a size-1 dim at @p dim (in [-ndim-1, ndim]). */
TENSOR_API tensor_status tensor_unsqueeze(tensor **out, const tensor *t, int32_t dim);
/** Python slicing t[start:end:step] along @p dim (step > 0; start/end clamped, negative from the end). */
TENSOR_API tensor_status tensor_slice(tensor **out, const tensor *t, int32_t dim, int64_t start,
                                      int64_t end, int64_t step);
/** t[..., index, ...] along @p dim: removes the dim (negative index counts from the end). */
TENSOR_API tensor_status tensor_select(tensor **out, const tensor *t, int32_t dim, int64_t index);
/** @p t itself (a new reference) when contiguous, else a contiguous copy. */
TENSOR_API tensor_status tensor_contiguous(tensor **out, const tensor *t);
/** A contiguous copy that does not share storage. */
TENSOR_API tensor_status tensor_clone(tensor **out, const tensor *t);
/**
 * Concatenates @p n tensors along existing dim @p dim (types promoted). As in PyTorch, 1-d tensors of
 * size 0 are skipped whatever their shape (cat of [0] and [2, 2] is [2, 2]).
 */
TENSOR_API tensor_status tensor_cat(tensor **out, const tensor *const *ts, int32_t n, int32_t dim);
/** Stacks @p n tensors of one shape along a new dim @p dim. */
TENSOR_API tensor_status tensor_stack(tensor **out, const tensor *const *ts, int32_t n, int32_t dim);
/** Converts to @p dtype (a new reference to @p t when it already has it). */
TENSOR_API tensor_status tensor_to_dtype(tensor **out, const tensor *t, tensor_dtype dtype);
/** Copies to @p device (a new reference to @p t when it is already there). */
TENSOR_API tensor_status tensor_to_device(tensor **out, const tensor *t, tensor_device device);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/**
 * @name Elementwise.
 * Binary ops broadcast as NumPy and promote dtypes as PyTorch (bool < integer < floating, wider wins).
 * Comparisons return bool. div always returns a floating result (true division).
 * A double scalar does not widen a floating tensor; with an integer tensor it gives float32 if it
 * has a fractional part (as a Python float does in PyTorch) and keeps the integer dtype otherwise.
 */
/**@{*/
/** a + b. */
TENSOR_API tensor_status tensor_add(tensor **out, const tensor *a, const tensor *b);
/** a - b. */
TENSOR_API tensor_status tensor_sub(tensor **out, const tensor *a, const tensor *b);
/** a * b. */
TENSOR_API tensor_status tensor_mul(tensor **out, const tensor *a, const tensor *b);
/** a / b (true division: integer inputs give float32). */
TENSOR_API tensor_status tensor_div(tensor **out, const tensor *a, const tensor *b);
/** a raised to the power b. */
TENSOR_API tensor_status tensor_pow(tensor **out, const tensor *a, const tensor *b);
/** The larger of a and b (NaN propagates). */
TENSOR_API tensor_status tensor_maximum(tensor **out, const tensor *a, const tensor *b);
/** The smaller of a and b (NaN propagates). */
TENSOR_API tensor_status tensor_minimum(tensor **out, const tensor *a, const tensor *b);
/** a == b (bool result). */
TENSOR_API tensor_status tensor_eq(tensor **out, const tensor *a, const tensor *b);
/** a != b (bool result). */
TENSOR_API tensor_status tensor_ne(tensor **out, const tensor *a, const tensor *b);
/** a < b (bool result). */
TENSOR_API tensor_status tensor_lt(tensor **out, const tensor *a, const tensor *b);
/** a <= b (bool result). */
TENSOR_API tensor_status tensor_le(tensor **out, const tensor *a, const tensor *b);
/** a > b (bool result). */
TENSOR_API tensor_status tensor_gt(tensor **out, const tensor *a, const tensor *b);
/** a >= b (bool result). */
TENSOR_API tensor_status tensor_ge(tensor **out, const tensor *a, const tensor *b);
/** The angle of the point (b, a), in [-pi, pi], with IEEE's signed zeros (integer and bool input give
 * float32). */
TENSOR_API tensor_status tensor_atan2(tensor **out, const tensor *a, const tensor *b);
/** a - b * floor(a / b): the sign of the divisor, as Python's % (torch.remainder). Integers: a zero in
 * @p b is TENSOR_ERR_INVALID_ARGUMENT (PyTorch's ZeroDivisionError); bool tensors are TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_remainder(tensor **out, const tensor *a, const tensor *b);
/** a - b * trunc(a / b): the sign of the dividend, as C's fmod. Integers: a zero in @p b is
 * TENSOR_ERR_INVALID_ARGUMENT; bool tensors are TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_fmod(tensor **out, const tensor *a, const tensor *b);
/** floor(a / b), as Python's // (floating: exact, from fmod; a zero divisor gives IEEE's a / b).
 * Integers: a zero in @p b is TENSOR_ERR_INVALID_ARGUMENT, INT_MIN // -1 wraps to INT_MIN; bool tensors
 * are TENSOR_ERR_DTYPE. As in PyTorch it has no derivative: backward through it is TENSOR_ERR_AUTOGRAD. */
TENSOR_API tensor_status tensor_floor_divide(tensor **out, const tensor *a, const tensor *b);
/** (a != 0) and (b != 0): bool result, any dtypes (NaN counts as true). */
TENSOR_API tensor_status tensor_logical_and(tensor **out, const tensor *a, const tensor *b);
/** (a != 0) or (b != 0): bool result, any dtypes (NaN counts as true). */
TENSOR_API tensor_status tensor_logical_or(tensor **out, const tensor *a, const tensor *b);
/** (a != 0) != (b != 0): bool result, any dtypes (NaN counts as true). */
TENSOR_API tensor_status tensor_logical_xor(tensor **out, const tensor *a, const tensor *b);
/** a & b on integer and bool tensors (two bool tensors give bool); floating input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_bitwise_and(tensor **out, const tensor *a, const tensor *b);
/** a | b on integer and bool tensors (two bool tensors give bool); floating input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_bitwise_or(tensor **out, const tensor *a, const tensor *b);
/** a ^ b on integer and bool tensors (two bool tensors give bool); floating input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_bitwise_xor(tensor **out, const tensor *a, const tensor *b);

/** a + s. */
TENSOR_API tensor_status tensor_add_scalar(tensor **out, const tensor *a, double s);
/** a - s. */
TENSOR_API tensor_status tensor_sub_scalar(tensor **out, const tensor *a, double s);
/** a * s. */
TENSOR_API tensor_status tensor_mul_scalar(tensor **out, const tensor *a, double s);
/** a / s (true division). */
TENSOR_API tensor_status tensor_div_scalar(tensor **out, const tensor *a, double s);
/** a raised to the power s. */
TENSOR_API tensor_status tensor_pow_scalar(tensor **out, const tensor *a, double s);

/** Elementwise cond ? a : b with broadcasting over all three; @p cond must be bool. */
TENSOR_API tensor_status tensor_where(tensor **out, const tensor *cond, const tensor *a, const tensor *b);

/** -a. */
TENSOR_API tensor_status tensor_neg(tensor **out, const tensor *a);
/** |a|. */
TENSOR_API tensor_status tensor_abs(tensor **out, const tensor *a);
/** e to the power a (integer input gives float32). */
TENSOR_API tensor_status tensor_exp(tensor **out, const tensor *a);
/** Natural logarithm (integer input gives float32). */
TENSOR_API tensor_status tensor_log(tensor **out, const tensor *a);
/** Square root (integer input gives float32). */
TENSOR_API tensor_status tensor_sqrt(tensor **out, const tensor *a);
/** Sine (integer input gives float32). */
TENSOR_API tensor_status tensor_sin(tensor **out, const tensor *a);
/** Cosine (integer input gives float32). */
TENSOR_API tensor_status tensor_cos(tensor **out, const tensor *a);
/** Hyperbolic tangent (integer input gives float32). */
TENSOR_API tensor_status tensor_tanh(tensor **out, const tensor *a);
/** 1 / (1 + exp(-a)) (integer input gives float32). */
TENSOR_API tensor_status tensor_sigmoid(tensor **out, const tensor *a);
/** max(a, 0). */
TENSOR_API tensor_status tensor_relu(tensor **out, const tensor *a);
/** 2 to the power a (integer and bool input give float32). */
TENSOR_API tensor_status tensor_exp2(tensor **out, const tensor *a);
/** exp(a) - 1, accurate near 0 (integer and bool input give float32). */
TENSOR_API tensor_status tensor_expm1(tensor **out, const tensor *a);
/** Base-2 logarithm (integer and bool input give float32). */
TENSOR_API tensor_status tensor_log2(tensor **out, const tensor *a);
/** Base-10 logarithm (integer and bool input give float32). */
TENSOR_API tensor_status tensor_log10(tensor **out, const tensor *a);
/** log(1 + a), accurate near 0 (integer and bool input give float32). */
TENSOR_API tensor_status tensor_log1p(tensor **out, const tensor *a);
/** 1 / sqrt(a) (integer and bool input give float32). */
TENSOR_API tensor_status tensor_rsqrt(tensor **out, const tensor *a);
/** a * a (pow(a, 2): integers wrap and keep their dtype, bool input gives int64). */
TENSOR_API tensor_status tensor_square(tensor **out, const tensor *a);
/** 1 / a (integer and bool input give float32; 1 / 0 is inf). */
TENSOR_API tensor_status tensor_reciprocal(tensor **out, const tensor *a);
/** Tangent (integer and bool input give float32). */
TENSOR_API tensor_status tensor_tan(tensor **out, const tensor *a);
/** Arcsine, NaN outside [-1, 1] (integer and bool input give float32). */
TENSOR_API tensor_status tensor_asin(tensor **out, const tensor *a);
/** Arccosine, NaN outside [-1, 1] (integer and bool input give float32). */
TENSOR_API tensor_status tensor_acos(tensor **out, const tensor *a);
/** Arctangent (integer and bool input give float32). */
TENSOR_API tensor_status tensor_atan(tensor **out, const tensor *a);
/** Hyperbolic sine (integer and bool input give float32). */
TENSOR_API tensor_status tensor_sinh(tensor **out, const tensor *a);
/** Hyperbolic cosine (integer and bool input give float32). */
TENSOR_API tensor_status tensor_cosh(tensor **out, const tensor *a);
/** The error function (integer and bool input give float32). */
TENSOR_API tensor_status tensor_erf(tensor **out, const tensor *a);
/** 1 - erf(a), accurate where erf(a) is near 1 (integer and bool input give float32). */
TENSOR_API tensor_status tensor_erfc(tensor **out, const tensor *a);
/** a * sigmoid(a) (SiLU / swish); floating input only, otherwise TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_silu(tensor **out, const tensor *a);
/** Rounds toward -infinity; integer input is returned as is (a copy), bool input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_floor(tensor **out, const tensor *a);
/** Rounds toward +infinity; integer input is returned as is (a copy), bool input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_ceil(tensor **out, const tensor *a);
/** Rounds to the nearest integer, halves to even (round(2.5) = 2, round(-0.5) = -0); integer input is
 * returned as is (a copy), bool input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_round(tensor **out, const tensor *a);
/** Rounds toward zero; integer input is returned as is (a copy), bool input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_trunc(tensor **out, const tensor *a);
/** a - trunc(a), with a's sign (frac(inf) is NaN); floating input only, otherwise TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_frac(tensor **out, const tensor *a);
/** -1, 0 or 1 in a's dtype (bool stays bool); as PyTorch, NaN and -0 give 0. Its grad is zero. */
TENSOR_API tensor_status tensor_sign(tensor **out, const tensor *a);
/** Whether a is NaN (bool result, any dtype; integers and bool are never NaN). */
TENSOR_API tensor_status tensor_isnan(tensor **out, const tensor *a);
/** Whether a is +inf or -inf (bool result, any dtype). */
TENSOR_API tensor_status tensor_isinf(tensor **out, const tensor *a);
/** Whether a is neither infinite nor NaN (bool result, any dtype; integers and bool always are). */
TENSOR_API tensor_status tensor_isfinite(tensor **out, const tensor *a);
/** a == 0 (bool result, any dtype; NaN counts as true, so its logical_not is false). */
TENSOR_API tensor_status tensor_logical_not(tensor **out, const tensor *a);

/**
 * In place: t += other. For every in-place op (add_, sub_, mul_, div_, copy_, fill_, zero_), other
 * broadcasts to t's shape and the result must fit t's dtype, and t may not have internal overlap (an
 * expanded view, or a stride-0 DLPack import, where several elements share one memory location):
 * such a t is TENSOR_ERR_INVALID_ARGUMENT, as in PyTorch (which lets fill_ and zero_ through).
 */
TENSOR_API tensor_status tensor_add_(tensor *t, const tensor *other);
/** In place: t -= other. */
TENSOR_API tensor_status tensor_sub_(tensor *t, const tensor *other);
/** In place: t *= other. */
TENSOR_API tensor_status tensor_mul_(tensor *t, const tensor *other);
/** In place: t /= other (t must be floating). */
TENSOR_API tensor_status tensor_div_(tensor *t, const tensor *other);
/** Copies @p src (broadcast, converted) into @p dst. */
TENSOR_API tensor_status tensor_copy_(tensor *dst, const tensor *src);
/** In place: sets every element of @p t to @p value. */
TENSOR_API tensor_status tensor_fill_(tensor *t, double value);
/** In place: sets every element of @p t to zero. */
TENSOR_API tensor_status tensor_zero_(tensor *t);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Reductions. dims == NULL with ndims == 0 means all dims. */
/**@{*/
/** Sum; integer and bool input give int64. */
TENSOR_API tensor_status tensor_sum(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                    bool keepdim);
/** Mean; integer or bool input is TENSOR_ERR_DTYPE. */
TENSOR_API tensor_status tensor_mean(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                     bool keepdim);
/** Product; integer and bool input give int64. */
TENSOR_API tensor_status tensor_prod(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                     bool keepdim);
/** Variance with divisor N - correction (1 = unbiased, PyTorch's default). */
TENSOR_API tensor_status tensor_var(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                    int64_t correction, bool keepdim);
/** Standard deviation with divisor N - correction. */
TENSOR_API tensor_status tensor_std(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                    int64_t correction, bool keepdim);
/** Largest element (0-d result; NaN propagates; empty input is an error). */
TENSOR_API tensor_status tensor_max(tensor **out, const tensor *t);
/** Smallest element (0-d result; NaN propagates; empty input is an error). */
TENSOR_API tensor_status tensor_min(tensor **out, const tensor *t);
/** Largest values along @p dim and their int64 indices (first index on ties; NaN wins). */
TENSOR_API tensor_status tensor_max_dim(tensor **values, tensor **indices, const tensor *t, int32_t dim,
                                        bool keepdim);
/** Smallest values along @p dim and their int64 indices (first index on ties; NaN wins). */
TENSOR_API tensor_status tensor_min_dim(tensor **values, tensor **indices, const tensor *t, int32_t dim,
                                        bool keepdim);
/** int64 index of the largest value along @p dim. */
TENSOR_API tensor_status tensor_argmax(tensor **out, const tensor *t, int32_t dim, bool keepdim);
/** int64 index of the smallest value along @p dim. */
TENSOR_API tensor_status tensor_argmin(tensor **out, const tensor *t, int32_t dim, bool keepdim);
/** True where every element is nonzero (bool result). */
TENSOR_API tensor_status tensor_all(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                    bool keepdim);
/** True where any element is nonzero (bool result). */
TENSOR_API tensor_status tensor_any(tensor **out, const tensor *t, const int32_t *dims, int32_t ndims,
                                    bool keepdim);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Linear algebra */
/**@{*/
/** numpy.matmul: 1-D dot, 2-D, matrix-vector, vector-matrix, batched with broadcast batch dims. */
TENSOR_API tensor_status tensor_matmul(tensor **out, const tensor *a, const tensor *b);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Autograd (a dynamic graph, as PyTorch) */
/**@{*/
/** Marks a leaf as requiring grad (floating dtypes only; non-leaves are TENSOR_ERR_AUTOGRAD). */
TENSOR_API tensor_status tensor_set_requires_grad(tensor *t, bool requires_grad);
/** Whether @p t requires grad (a leaf marked so, or the result of an op on one). */
TENSOR_API bool tensor_requires_grad(const tensor *t);
/** True for tensors not produced by a recorded op. */
TENSOR_API bool tensor_is_leaf(const tensor *t);
/**
 * Back-propagates from @p t. @p grad is d(loss)/d(t) (NULL only for one-element t, meaning 1).
 * With retain_graph false the graph's saved tensors are freed and a second backward through it fails.
 * Several threads may run backward at once, also over graphs that share nodes: each node runs under
 * its own lock, and a backward that reaches nodes another backward already freed (retain_graph false)
 * fails with TENSOR_ERR_AUTOGRAD.
 * A failed backward is not all-or-nothing (as in PyTorch): grads already accumulated into leaves
 * reached before the failure stay accumulated, and without retain_graph the saved tensors of the nodes
 * that ran are freed. The values of @p t, @p grad and every leaf are unchanged.
 */
TENSOR_API tensor_status tensor_backward(tensor *t, const tensor *grad, bool retain_graph);
/** The accumulated grad of @p t; *out is NULL with TENSOR_OK when there is none. */
TENSOR_API tensor_status tensor_grad(tensor **out, const tensor *t);
/** Drops the accumulated grad of @p t. */
TENSOR_API tensor_status tensor_zero_grad(tensor *t);
/** A view of @p t's data outside the graph (no grad). */
TENSOR_API tensor_status tensor_detach(tensor **out, const tensor *t);
/** Turns recording on or off for this thread; returns the previous mode. */
TENSOR_API bool tensor_set_grad_enabled(bool enabled);
/** Whether this thread records the graph. */
TENSOR_API bool tensor_is_grad_enabled(void);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/**
 * @name Interop (DLPack 1.x)
 * Zero-copy exchange with other array libraries. The structs are declared in tensor/tensor_dlpack.h
 * (or any DLPack >= 1.0 dlpack.h); this header only names them.
 */
/**@{*/
struct DLManagedTensorVersioned;
/**
 * Exports @p t without copying: *out describes t's memory (data points at the first element,
 * byte_offset 0, strides in elements; kDLCPU, or kDLCUDA with a device pointer). The export keeps the
 * memory alive until the consumer calls `(*out)->deleter(*out)`, which it must do exactly once.
 * flags has DLPACK_FLAG_BITMASK_READ_ONLY when t's memory is read-only. The export is outside the
 * autograd graph, like tensor_detach().
 */
TENSOR_API tensor_status tensor_to_dlpack(struct DLManagedTensorVersioned **out, const tensor *t);
/**
 * Wraps the memory described by @p m without copying. Takes ownership of @p m in every case: on success
 * m's deleter runs exactly once, when the last tensor or view of that memory is freed; on failure it runs
 * before this call returns. Honours shape, strides (NULL means row-major; negative strides are refused),
 * byte_offset and DLPACK_FLAG_BITMASK_READ_ONLY (in-place writes into such a tensor fail). Accepts
 * float32/64, int32/64 and bool elements on kDLCPU (also kDLCUDAHost), or kDLCUDA when the CUDA backend is
 * available.
 * A major version other than DLPACK_MAJOR_VERSION is TENSOR_ERR_INVALID_ARGUMENT (the deleter still runs).
 */
TENSOR_API tensor_status tensor_from_dlpack(tensor **out, struct DLManagedTensorVersioned *m);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name CUDA memory and math modes (no-ops / zeros without the CUDA backend) */
/**@{*/
/** Returns cached, unused GPU memory of every device to the driver. */
TENSOR_API tensor_status tensor_cuda_empty_cache(void);
/** Bytes in use by tensors and bytes held in the cache on @p device_index. */
TENSOR_API tensor_status tensor_cuda_memory_stats(int32_t device_index, int64_t *allocated_bytes,
                                                  int64_t *cached_bytes);
/** Allows TF32 tensor cores for float32 matmul on CUDA (off by default); returns the previous mode. */
TENSOR_API bool tensor_cuda_set_allow_tf32(bool allow);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name CUDA interop */
/**@{*/
/**
 * Sets *stream to the `cudaStream_t` that libtensor queues all of its work on for GPU @p device (one
 * stream per device, created on first use and owned by libtensor: never destroy it). A caller's own
 * kernels and libraries (NCCL, cuDNN, cuBLAS) launched on this stream run in order with libtensor's
 * ops, with no extra synchronisation; work on another stream must be ordered with events or
 * tensor_cuda_synchronize(). The stream is non-blocking (it does not synchronise with the legacy default
 * stream).
 * Without the CUDA backend, without a GPU, or for an index past the last GPU: TENSOR_ERR_DEVICE, and a
 * negative index or a NULL @p stream: TENSOR_ERR_INVALID_ARGUMENT; *stream is NULL on every failure.
 */
TENSOR_API tensor_status tensor_cuda_stream(void **stream, int32_t device);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Softmax and losses (PyTorch's torch.softmax, torch.nn.functional losses) */
/**@{*/
/** How a loss folds its per-element values: none keeps them, mean averages, sum adds them up. */
typedef enum { TENSOR_REDUCTION_NONE = 0, TENSOR_REDUCTION_MEAN = 1, TENSOR_REDUCTION_SUM = 2 } tensor_reduction;

/**
 * *out = softmax of @p a along @p dim (negative counts from the end; a 0-d tensor takes 0 or -1):
 * exp(a - max) / sum(exp(a - max)), max-subtracted so that large inputs do not overflow. A row holding
 * NaN, or +inf, or only -inf gives NaN as PyTorch. Floating dtypes only: an integer or bool @p a is
 * TENSOR_ERR_DTYPE (convert it first); a dim out of range is TENSOR_ERR_INDEX. grad_fn SoftmaxBackward0.
 */
TENSOR_API tensor_status tensor_softmax(tensor **out, const tensor *a, int32_t dim);
/** *out = log_softmax of @p a along @p dim: (a - max) - log(sum(exp(a - max))); as tensor_softmax
 * otherwise. grad_fn LogSoftmaxBackward0. */
TENSOR_API tensor_status tensor_log_softmax(tensor **out, const tensor *a, int32_t dim);
/**
 * *out = log(sum(exp(a))) over @p dims (NULL with @p ndims 0: all dims), shifted by the max (by 0 where
 * the max is infinite, so +inf gives +inf and an all -inf fold gives -inf); an empty fold gives -inf.
 * Integer and bool inputs give float32. grad_fn LogsumexpBackward0.
 */
TENSOR_API tensor_status tensor_logsumexp(tensor **out, const tensor *a, const int32_t *dims, int32_t ndims,
                                          bool keepdim);
/**
 * Cross-entropy of @p logits, shape (N, C, d1, ...) or (C), against @p target: either int64 class indices
 * of shape (N, d1, ...) (0-d for a (C) input) or class probabilities of the logits' shape (floating).
 * @p weight (may be NULL) is a rescaling weight per class, 1-D of size C. With class indices, targets
 * equal to @p ignore_index (PyTorch's default is -100) add nothing, and TENSOR_REDUCTION_MEAN divides by
 * the sum of the weights of the targets used (their count without @p weight), so it is NaN when every
 * target is ignored or the batch is empty. @p label_smoothing in [0, 1] mixes the target with the
 * uniform distribution. A class index outside [0, C) that is not @p ignore_index is TENSOR_ERR_INDEX
 * naming it (on CUDA too: checked on the device, reported when the call synchronises). With class
 * indices, one fused log_softmax + nll kernel forward and one backward; grad_fn NllLossBackward0
 * (AddBackward0 with label smoothing, as PyTorch's composition shows).
 */
TENSOR_API tensor_status tensor_cross_entropy(tensor **out, const tensor *logits, const tensor *target,
                                              const tensor *weight, int64_t ignore_index, double label_smoothing,
                                              tensor_reduction reduction);
/** Negative log-likelihood of @p log_probs (N, C, d1, ...) or (C) at int64 class @p target: -weight[t] *
 * log_probs[t]; @p weight, @p ignore_index and the reduction as tensor_cross_entropy. grad_fn
 * NllLossBackward0. */
TENSOR_API tensor_status tensor_nll_loss(tensor **out, const tensor *log_probs, const tensor *target,
                                         const tensor *weight, int64_t ignore_index, tensor_reduction reduction);
/** (input - target)^2, broadcasting, reduced; floating dtypes. grad_fn MseLossBackward0. */
TENSOR_API tensor_status tensor_mse_loss(tensor **out, const tensor *input, const tensor *target,
                                         tensor_reduction reduction);
/** |input - target|, broadcasting, reduced; floating dtypes (built from abs and mean/sum, as PyTorch). */
TENSOR_API tensor_status tensor_l1_loss(tensor **out, const tensor *input, const tensor *target,
                                        tensor_reduction reduction);
/** Huber-like: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target; beta 0 is the
 * l1 loss, negative beta TENSOR_ERR_INVALID_ARGUMENT; PyTorch's default is 1). grad_fn
 * SmoothL1LossBackward0. */
TENSOR_API tensor_status tensor_smooth_l1_loss(tensor **out, const tensor *input, const tensor *target, double beta,
                                               tensor_reduction reduction);
/**
 * Binary cross-entropy on logits, stable for large |logits|: -w [pw y log sigmoid(x) + (1 - y)
 * log(1 - sigmoid(x))]. @p target has the logits' shape; @p weight (per element, broadcast) and
 * @p pos_weight (per class, broadcast along the last dim) may be NULL. grad_fn
 * BinaryCrossEntropyWithLogitsBackward0 (grads for logits and target).
 */
TENSOR_API tensor_status tensor_binary_cross_entropy_with_logits(tensor **out, const tensor *logits,
                                                                 const tensor *target, const tensor *weight,
                                                                 const tensor *pos_weight, tensor_reduction reduction);
/**@}*/

/* ------------------------------------------------------------------------------------------------ */
/** @name Indexing, scans and masks (PyTorch's index_select, gather, scatter, masked_fill, cumsum ...) */
/**@{*/
/**
 * *out = the slices of @p a along @p dim (negative counts from the end) at @p index, a 0-d or 1-D int64
 * (or int32) tensor: out.shape is a's with dim's size replaced by the index's length (a 0-d @p a gives
 * the index's shape). Any dtype. An index outside [0, size) is TENSOR_ERR_INDEX naming it and the size
 * (on CUDA too: checked on the device, reported when the call synchronises); a float index is
 * TENSOR_ERR_DTYPE, an index of 2 or more dims TENSOR_ERR_SHAPE, a dim out of range TENSOR_ERR_INDEX.
 * grad_fn IndexSelectBackward0.
 */
TENSOR_API tensor_status tensor_index_select(tensor **out, const tensor *a, int32_t dim, const tensor *index);
/**
 * *out[i][j][k] = a[index[i][j][k]][j][k] (for dim 0; likewise along any @p dim): @p index is int64 with
 * a's number of dims and index.size(d) <= a.size(d) for d != dim; out has the index's shape and a's
 * dtype. Errors as tensor_index_select (a shape rule broken: TENSOR_ERR_SHAPE). grad_fn GatherBackward0.
 */
TENSOR_API tensor_status tensor_gather(tensor **out, const tensor *a, int32_t dim, const tensor *index);
/**
 * *out = a copy of @p a with out[index[i][j][k]][j][k] = src[i][j][k] (for dim 0): @p index int64 with a's
 * number of dims, index.size(d) <= src.size(d) for every d and <= a.size(d) for d != dim; @p src of a's
 * dtype (only its part within the index's extent is read). Where indices repeat, the CPU writes in order
 * (the last write wins); on CUDA the winner is unspecified, as PyTorch documents. Errors as tensor_gather;
 * src of another dtype is TENSOR_ERR_DTYPE. grad_fn ScatterBackward0 (grads for a and src).
 */
TENSOR_API tensor_status tensor_scatter(tensor **out, const tensor *a, int32_t dim, const tensor *index,
                                        const tensor *src);
/** As tensor_scatter, but adds: out[index[i][j][k]][j][k] += src[i][j][k], repeated indices summed (CUDA:
 * atomics, so float sums may differ in the last bits from run to run). bool adds as OR. grad_fn
 * ScatterAddBackward0. */
TENSOR_API tensor_status tensor_scatter_add(tensor **out, const tensor *a, int32_t dim, const tensor *index,
                                            const tensor *src);
/**
 * In place: t.select(dim, index[i]) += alpha * src.select(dim, i) for each i, repeated indices summed.
 * @p index is a 0-d or 1-D int64 (or int32) tensor, @p src has t's dtype and t's shape but for dim, whose
 * size is the index's length. @p alpha must be integral for an integer @p t (TENSOR_ERR_INVALID_ARGUMENT
 * otherwise). Every index is checked before @p t is written: a bad one (TENSOR_ERR_INDEX) leaves t as it
 * was. grad_fn IndexAddBackward0 (grads for t and src).
 */
TENSOR_API tensor_status tensor_index_add_(tensor *t, int32_t dim, const tensor *index, const tensor *src,
                                           double alpha);
/**
 * *out = @p a with the elements where @p mask is true set to @p value: @p mask is bool (another dtype is
 * TENSOR_ERR_DTYPE) and broadcasts with @p a (out has the broadcast shape, a's dtype). @p value must fit
 * a's dtype as for tensor_fill_ (fractions truncate for integers). grad_fn MaskedFillBackward0.
 */
TENSOR_API tensor_status tensor_masked_fill(tensor **out, const tensor *a, const tensor *mask, double value);
/** In place: as tensor_masked_fill, the mask broadcasting to @p t's shape (TENSOR_ERR_SHAPE otherwise).
 * grad_fn MaskedFillBackward0. */
TENSOR_API tensor_status tensor_masked_fill_(tensor *t, const tensor *mask, double value);
/** *out = the elements of @p a where the bool @p mask is true, 1-D in row-major order (a and mask
 * broadcast together). Reads the count back to the host (a synchronisation on CUDA). grad_fn
 * MaskedSelectBackward0. */
TENSOR_API tensor_status tensor_masked_select(tensor **out, const tensor *a, const tensor *mask);
/** *out = the coordinates of the nonzero elements of @p a (NaN counts as nonzero), int64 of shape (n,
 * ndim), row-major order, as torch.nonzero. Reads the count back to the host (a synchronisation on CUDA). */
TENSOR_API tensor_status tensor_nonzero(tensor **out, const tensor *a);
/**
 * *out = int64 of shape (*index.shape, C) with out[..., c] = (index[...] == c), C = @p num_classes, or
 * max(index) + 1 when it is -1. @p index is int64 (another dtype: TENSOR_ERR_DTYPE). A class outside [0,
 * C) is TENSOR_ERR_INDEX naming it and C; -1 with an empty index or num_classes < -1 is
 * TENSOR_ERR_INVALID_ARGUMENT.
 */
TENSOR_API tensor_status tensor_one_hot(tensor **out, const tensor *index, int64_t num_classes);
/**
 * *out = the cumulative sum of @p a along @p dim (negative counts from the end; a 0-d tensor takes 0 or
 * -1): out[i] = a[0] + ... + a[i]. Floating inputs keep their dtype (the CPU accumulates in double, as
 * PyTorch's CPU kernel); integer and bool inputs give int64 (wrapping). grad_fn CumsumBackward0.
 */
TENSOR_API tensor_status tensor_cumsum(tensor **out, const tensor *a, int32_t dim);
/** The cumulative product, as tensor_cumsum otherwise. Its grad is PyTorch's formula, exact with zeros in
 * @p a. grad_fn CumprodBackward0. */
TENSOR_API tensor_status tensor_cumprod(tensor **out, const tensor *a, int32_t dim);
/**@}*/

/** @name Activations, clamp and linear (PyTorch's torch.nn.functional.gelu ... linear, torch.clamp) */
/**@{*/
/**
 * *out = gelu(@p a): a * Phi(a) = a / 2 * (1 + erf(a / sqrt(2))) (PyTorch's approximate='none'), or with
 * @p tanh_approximation a / 2 * (1 + tanh(sqrt(2 / pi) * (a + 0.044715 a^3))) (approximate='tanh').
 * Floating dtypes only: an integer or bool @p a is TENSOR_ERR_DTYPE, as PyTorch refuses them.
 * grad_fn GeluBackward0.
 */
TENSOR_API tensor_status tensor_gelu(tensor **out, const tensor *a, bool tanh_approximation);
/**
 * *out = softplus(@p a) = log(1 + exp(beta a)) / beta, and a itself where beta a > @p threshold (PyTorch's
 * defaults: beta 1, threshold 20). Floating dtypes only (TENSOR_ERR_DTYPE otherwise). grad_fn
 * SoftplusBackward0.
 */
TENSOR_API tensor_status tensor_softplus(tensor **out, const tensor *a, double beta, double threshold);
/** *out = a where a > 0, else @p negative_slope * a (PyTorch's default slope: 0.01). Floating dtypes only.
 * grad_fn LeakyReluBackward0 (the slope at 0). */
TENSOR_API tensor_status tensor_leaky_relu(tensor **out, const tensor *a, double negative_slope);
/** *out = a where a > 0, else @p alpha * (exp(a) - 1) (PyTorch's default alpha: 1). Floating dtypes only.
 * grad_fn EluBackward0. */
TENSOR_API tensor_status tensor_elu(tensor **out, const tensor *a, double alpha);
/**
 * *out = min(max(a, min), max) elementwise, @p min and @p max tensors that broadcast with @p a (NULL: no
 * bound; both NULL is TENSOR_ERR_INVALID_ARGUMENT). The result has the broadcast shape and the promoted
 * dtype of the three. As PyTorch: a NaN in @p a or in a bound gives NaN; where min > max the result is
 * max. grad_fn ClampBackward0, with grads for a (where min <= a <= max), min (where a < min < max) and
 * max (where a > max or max < min), each summed back to its operand's shape.
 */
TENSOR_API tensor_status tensor_clamp(tensor **out, const tensor *a, const tensor *min, const tensor *max);
/**
 * *out = @p a clamped to [@p min, @p max]; -INFINITY for @p min / INFINITY for @p max mean no bound. NaN in
 * @p a stays NaN, a NaN bound gives NaN (PyTorch 2's rule), min > max gives max. Floating tensors keep
 * their dtype; integer tensors keep theirs with integral bounds (bool becomes int64) and become float32
 * with a fractional or NaN bound (PyTorch's result type for a float bound). grad_fn ClampBackward1: the
 * grad passes where min <= a <= max, bounds included.
 */
TENSOR_API tensor_status tensor_clamp_scalar(tensor **out, const tensor *a, double min, double max);
/**
 * *out = x @ weight^T + bias: @p x (..., in_features), @p weight (out_features, in_features), @p bias
 * (out_features) or NULL; the result is (..., out_features), the batch dims of x flattened into the rows
 * of one GEMM. The bias is fused: the output is filled with it and the GEMM accumulates into it (BLAS
 * beta = 1; cuBLAS on CUDA). x, weight and bias share one dtype (TENSOR_ERR_DTYPE otherwise); integer
 * tensors use the integer matmul. An in_features mismatch is TENSOR_ERR_SHAPE naming both shapes.
 * grad_fn AddmmBackward0 with a bias, MmBackward0 without, for every rank of x (PyTorch shows the same
 * names for 2-D x; for other ranks its composition shows ViewBackward0, UnsafeViewBackward0,
 * AddBackward0 or SqueezeBackward3), with grads for x, weight and bias.
 */
TENSOR_API tensor_status tensor_linear(tensor **out, const tensor *x, const tensor *weight, const tensor *bias);
/**@}*/

/** @name Advanced indexing (NumPy's and PyTorch's a[i0, i1, ...] and a[i0, i1, ...] = v) */
/**@{*/
/**
 * *out = @p a[indices[0], ..., indices[nindices - 1]] as NumPy / PyTorch advanced indexing (always a new
 * tensor, a's dtype). Each entry is an int64 or int32 tensor (an index into one dim; negative values
 * count from the end), a bool tensor (a mask standing for its nonzero() coordinates: it covers as many
 * dims as it has, whose sizes must equal a's there; a 0-d bool adds a dim of size 1 (true) or 0 (false)),
 * or NULL (the whole dim, ':'). Dims after the last entry are kept whole; @p nindices == 0 (or only NULL
 * entries) gives a copy of @p a. The index tensors broadcast together to a shape I; the result is
 * a's shape with the indexed dims replaced by I, placed where the first indexed dim was when the indexed
 * dims are adjacent, and first when a NULL entry separates them (PyTorch's and NumPy's rule). Index
 * tensors on another device than @p a are copied to it.
 * Errors: an index outside [-size, size) is TENSOR_ERR_INDEX naming the value, the dim and its size
 * (on CUDA the range is read back at this call's synchronisation: a status, never a device assert); more
 * indices than dims, a mask whose shape differs from the dims it covers, and index shapes that do not
 * broadcast are TENSOR_ERR_INDEX (PyTorch's IndexError); an index of another dtype is TENSOR_ERR_DTYPE;
 * NULL @p indices with @p nindices > 0 or @p nindices < 0 is TENSOR_ERR_INVALID_ARGUMENT.
 * grad_fn IndexBackward0: the grad is accumulated into zeros of a's shape at the indexed positions
 * (repeated indices sum).
 */
TENSOR_API tensor_status tensor_index(tensor **out, const tensor *a, const tensor *const *indices, int32_t nindices);
/**
 * In place: @p t[indices...] = @p values (tensor_index's indexing rules), or += when @p accumulate.
 * @p values has t's dtype (TENSOR_ERR_DTYPE otherwise, as PyTorch's index_put_) and broadcasts to the
 * shape tensor_index would return (TENSOR_ERR_SHAPE otherwise). With @p accumulate, repeated indices sum
 * (CUDA: atomics; a bool t accumulates as a logical or). Without it and with repeated indices, the CPU
 * writes in index order so the last write wins; CUDA leaves the winner unspecified (PyTorch calls the
 * result undefined). Every index is checked before @p t is written: a bad one leaves t as it was.
 * @p values and the indices may be views of @p t: they are read as they were before the write.
 * Writing into a leaf that requires grad is TENSOR_ERR_AUTOGRAD, as PyTorch refuses it. grad_fn
 * IndexPutBackward0: the grad of t is the incoming grad with the indexed positions zeroed (unchanged with
 * @p accumulate); the grad of values is the incoming grad at the indexed positions, summed over the dims
 * values was broadcast along.
 */
TENSOR_API tensor_status tensor_index_put_(tensor *t, const tensor *const *indices, int32_t nindices,
                                           const tensor *values, bool accumulate);
/**@}*/

/** @name Sorting (PyTorch's torch.sort, torch.argsort, torch.topk)
 * Any dim (negative counts from the end; a 0-d tensor takes 0 or -1, TENSOR_ERR_INDEX otherwise), any
 * layout, every dtype (topk: not bool). Indices are int64. Order: PyTorch's. NaN is the largest value (last
 * ascending, first descending, all NaNs equal), -0.0 equals +0.0. Both backends sort stably: equal
 * elements keep their order, descending included. */
/**@{*/
/**
 * *values, *indices = @p a sorted along @p dim (ascending, or descending), values[..., j, ...] =
 * a[..., indices[..., j, ...], ...]. The sort is always stable (equal elements keep their order), so
 * @p stable changes nothing (PyTorch's stable=True order; with stable=False PyTorch's CPU may order equal
 * elements differently, as it documents no order for them). 0-d input: 0-d results (index 0); empty
 * input: empty results. grad_fn of values SortBackward0 (the grad goes back to the sorted positions);
 * indices are not differentiable. On failure both outputs are NULL; @p values == @p indices is
 * TENSOR_ERR_INVALID_ARGUMENT.
 */
TENSOR_API tensor_status tensor_sort(tensor **values, tensor **indices, const tensor *a, int32_t dim, bool descending,
                                     bool stable);
/** *out = the int64 indices that sort @p a along @p dim, as tensor_sort's indices (stable). Not
 * differentiable. */
TENSOR_API tensor_status tensor_argsort(tensor **out, const tensor *a, int32_t dim, bool descending);
/**
 * *values, *indices = the @p k largest (@p largest) or smallest elements of @p a along @p dim, the dim's
 * size becoming k; sorted (largest first / smallest first) when @p sorted, in an unspecified order
 * otherwise. k outside [0, size of dim] is TENSOR_ERR_INVALID_ARGUMENT (PyTorch: "selected index k out of
 * range"); a bool @p a is TENSOR_ERR_DTYPE (PyTorch refuses it). A 0-d @p a takes k = 0 or 1 and gives
 * 0-d results holding its element (both k, as PyTorch). Ties: on the CPU, equal elements are chosen and
 * ordered exactly as PyTorch's CPU kernel does (its selection, run on the same comparisons); on CUDA
 * (a full stable sort, then the first k) the lowest indices come first. grad_fn of values TopkBackward0.
 */
TENSOR_API tensor_status tensor_topk(tensor **values, tensor **indices, const tensor *a, int64_t k, int32_t dim,
                                     bool largest, bool sorted);
/**@}*/

/** @name Optimizers and gradient clipping (PyTorch's torch.optim.SGD, Adam, AdamW, torch.nn.utils.clip_grad_norm_)
 *
 * An optimizer is an opaque handle over a list of parameters (one torch parameter group) with PyTorch
 * 1.13's update formulas, defaults, option checks and state names. It keeps its own reference to each
 * parameter (tensor_retain), so the caller may free its handles at any time; tensor_optimizer_free drops
 * those references and the state. A handle is used by one thread at a time, as a torch optimizer.
 *
 * Each step runs under no-grad, skips every parameter without a grad (as torch), and updates each other
 * parameter and its state in one fused pass (one kernel per parameter on CUDA), bumping the version
 * counters of what it writes (as torch's in-place updates). A parameter listed twice shares one state and
 * is updated once per listing (torch 1.13 warns and does the same). */
/**@{*/
/** Opaque optimizer handle (SGD or Adam/AdamW); free with tensor_optimizer_free. */
typedef struct tensor_optimizer tensor_optimizer;

/** Options of tensor_optimizer_sgd (torch.optim.SGD). Initialise with TENSOR_SGD_OPTIONS_INIT. */
typedef struct tensor_sgd_options {
    uint32_t version;     /**< TENSOR_SGD_OPTIONS_VERSION */
    double lr;            /**< learning rate (default 1e-3; torch has none); >= 0 */
    double momentum;      /**< momentum factor (default 0); >= 0 */
    double dampening;     /**< dampening of the momentum (default 0) */
    double weight_decay;  /**< L2 penalty added to the grad (default 0); >= 0 */
    bool nesterov;        /**< Nesterov momentum (needs momentum > 0 and dampening 0) */
    bool maximize;        /**< maximise the objective (step along +grad) */
} tensor_sgd_options;
/** The tensor_sgd_options layout this header declares. */
#define TENSOR_SGD_OPTIONS_VERSION 1u
/** Default SGD options: lr 1e-3, no momentum, dampening, weight decay, nesterov or maximize. */
#define TENSOR_SGD_OPTIONS_INIT {TENSOR_SGD_OPTIONS_VERSION, 1e-3, 0.0, 0.0, 0.0, false, false}

/** Options of tensor_optimizer_adam (torch.optim.Adam, or AdamW with decoupled_weight_decay). Initialise with
 * TENSOR_ADAM_OPTIONS_INIT. */
typedef struct tensor_adam_options {
    uint32_t version;             /**< TENSOR_ADAM_OPTIONS_VERSION */
    double lr;                    /**< learning rate (default 1e-3); >= 0 */
    double beta1;                 /**< first moment decay (default 0.9); in [0, 1) */
    double beta2;                 /**< second moment decay (default 0.999); in [0, 1) */
    double eps;                   /**< added to the denominator (default 1e-8); >= 0 */
    double weight_decay;          /**< weight decay (default 0; AdamW callers set e.g. 0.01 themselves); >= 0 */
    bool amsgrad;                 /**< keep the maximum of the second moment (max_exp_avg_sq) */
    bool decoupled_weight_decay;  /**< AdamW: p *= 1 - lr * weight_decay instead of grad += weight_decay * p */
    bool maximize;                /**< maximise the objective */
} tensor_adam_options;
/** The tensor_adam_options layout this header declares. */
#define TENSOR_ADAM_OPTIONS_VERSION 1u
/** Default Adam options: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, amsgrad, AdamW or maximize. */
#define TENSOR_ADAM_OPTIONS_INIT {TENSOR_ADAM_OPTIONS_VERSION, 1e-3, 0.9, 0.999, 1e-8, 0.0, false, false, false}

/**
 * *out = an SGD optimizer over the @p n tensors of @p params (torch.optim.SGD; NULL @p o: the defaults).
 * Per parameter p with grad g: d = g (-g with maximize); d += weight_decay * p; with momentum,
 * buf = d on the first step, else buf = momentum * buf + (1 - dampening) * d, and d = d + momentum * buf
 * (nesterov) or buf; p -= lr * d. Each parameter must be a leaf that requires grad, of a floating dtype
 * (float16 and bfloat16 step in float32 and keep their state in their dtype)
 * (TENSOR_ERR_INVALID_ARGUMENT "can't optimize a non-leaf Tensor", ... / TENSOR_ERR_DTYPE); an empty list
 * is "optimizer got an empty parameter list". Options as torch checks them, with its messages: "Invalid
 * learning rate: -0.1", "Invalid momentum value: ...", "Invalid weight_decay value: ...", "Nesterov momentum
 * requires a momentum and zero dampening" (TENSOR_ERR_INVALID_ARGUMENT); a version other than
 * TENSOR_SGD_OPTIONS_VERSION too.
 */
TENSOR_API tensor_status tensor_optimizer_sgd(tensor_optimizer **out, tensor *const *params, int32_t n,
                                              const tensor_sgd_options *o);
/**
 * *out = an Adam optimizer (torch.optim.Adam; AdamW with decoupled_weight_decay) over @p params (NULL @p o:
 * the defaults). Per parameter with grad g, step t counted first: d = g (-g with maximize); AdamW:
 * p *= 1 - lr * weight_decay, Adam: d += weight_decay * p; m = beta1 m + (1 - beta1) d;
 * v = beta2 v + (1 - beta2) d^2; amsgrad: vmax = max(vmax, v) used for v;
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps). Parameters as tensor_optimizer_sgd;
 * options as torch: "Invalid learning rate", "Invalid epsilon value", "Invalid beta parameter at index 0"
 * (or 1; betas must lie in [0, 1)), "Invalid weight_decay value" (TENSOR_ERR_INVALID_ARGUMENT).
 */
TENSOR_API tensor_status tensor_optimizer_adam(tensor_optimizer **out, tensor *const *params, int32_t n,
                                               const tensor_adam_options *o);
/** One optimization step over every parameter that has a grad (the others are skipped, as torch). A grad
 * whose shape, dtype or device differs from its parameter's, or a read-only parameter, is an error before
 * any parameter is written. */
TENSOR_API tensor_status tensor_optimizer_step(tensor_optimizer *o);
/** Clears the grads of the parameters: @p set_to_none drops them (tensor_grad then gives NULL and the next
 * step skips them), otherwise existing grads are filled with zeros in place (torch's zero_grad). */
TENSOR_API tensor_status tensor_optimizer_zero_grad(tensor_optimizer *o, bool set_to_none);
/** Sets the learning rate used by the next steps (param_groups[0]['lr'] = lr); a negative one (for Adam also
 * NaN) is TENSOR_ERR_INVALID_ARGUMENT "Invalid learning rate: ...", as the constructors. */
TENSOR_API tensor_status tensor_optimizer_set_lr(tensor_optimizer *o, double lr);
/** The learning rate (NaN for a NULL or invalid handle). */
TENSOR_API double tensor_optimizer_get_lr(const tensor_optimizer *o);
/**
 * *out = the live state tensor @p name of parameter @p param_index (a new reference: free it; writing into it,
 * e.g. with tensor_copy_, changes the optimizer's state, which is how a checkpoint is restored). PyTorch's
 * names: SGD "momentum_buffer"; Adam "step" (a 0-d float32 CPU tensor counting the steps taken, as torch's
 * non-capturable state), "exp_avg", "exp_avg_sq", "max_exp_avg_sq" (the others: the parameter's shape, dtype
 * and device). Where torch keeps no tensor *out is NULL with TENSOR_OK: SGD's momentum_buffer without
 * momentum, max_exp_avg_sq without amsgrad. Before a parameter's first step torch's state for it is empty;
 * asking for a tensor then creates the parameter's state as torch's first step would begin it (step 0, zero
 * moments, a zero momentum buffer), which changes no result: Adam's first step starts from exactly these
 * values, and a momentum buffer created this way but not written before the next step is still set to the
 * grad by that step (torch's first step), while a written one is used as a loaded one (load_state_dict).
 * Duplicated parameters share their state. An unknown name (or another optimizer's) is
 * TENSOR_ERR_INVALID_ARGUMENT, a @p param_index outside [0, n) TENSOR_ERR_INDEX.
 */
TENSOR_API tensor_status tensor_optimizer_state(tensor **out, const tensor_optimizer *o, int32_t param_index,
                                                const char *name);
/** Frees the optimizer, its state and its references to the parameters. NULL is a no-op. */
TENSOR_API void tensor_optimizer_free(tensor_optimizer *o);
/**
 * torch.nn.utils.clip_grad_norm_ (error_if_nonfinite=False): *total_norm = the @p norm_type norm of the vector
 * of the norms of the grads of @p params (parameters without a grad are ignored; none gives 0): 2, 1, INFINITY
 * (max |g|), -INFINITY, 0 (counts of nonzeros) or any p. Every grad is then multiplied in place by
 * min(1, max_norm / (total + 1e-6)); a non-finite total is returned as it is and scales the grads by 0
 * (infinite total: the grads become 0, their infinities NaN) or NaN, as torch. A NaN @p norm_type is
 * TENSOR_ERR_INVALID_ARGUMENT.
 */
TENSOR_API tensor_status tensor_clip_grad_norm_(double *total_norm, tensor *const *params, int32_t n,
                                                double max_norm, double norm_type);
/**@}*/

/** @name Tensor files: safetensors, NumPy .npy and .npz
 * Saving writes a temporary file beside @p path (path.tmp.XXXXXX), syncs it and renames it over @p path: a
 * failed save leaves the old file intact. CUDA tensors are copied to the host; any layout is saved
 * row-major. Reading maps the file (MAP_PRIVATE) and detects the format from its content. A file that
 * cannot be opened is TENSOR_ERR_INVALID_ARGUMENT with the system's reason; a malformed, truncated or
 * hostile file (header length past the end, bad JSON, offsets out of range or overlapping, sizes that do
 * not match the shape, unknown dtype, too many dims, a bad zip) is TENSOR_ERR_INVALID_ARGUMENT naming the
 * defect, never a crash or an allocation of the claimed size. */
/**@{*/
/** An open tensor file (opaque): its tensors' names, metadata and memory map. */
typedef struct tensor_file tensor_file;
/**
 * Writes @p n tensors under @p names (unique, not "__metadata__") as a safetensors file: an 8-byte
 * little-endian header length, a JSON header padded with spaces to 8 bytes, then the data, the widest
 * dtypes first (as the reference writer, so every tensor is aligned). @p metadata_json: NULL or a JSON
 * object of strings, stored as "__metadata__".
 */
TENSOR_API tensor_status tensor_save_safetensors(const char *path, const char *const *names,
                                                 const tensor *const *tensors, int32_t n, const char *metadata_json);
/** Writes @p t as a NumPy .npy file (format 1.0, C order, little-endian; 2.0 if the header needs it). */
TENSOR_API tensor_status tensor_save_npy(const char *path, const tensor *t);
/** Writes a NumPy .npz file (a zip of NAME.npy members, zip64 where sizes need it), members stored or,
 * with @p compress, deflated (np.savez / np.savez_compressed). */
TENSOR_API tensor_status tensor_save_npz(const char *path, const char *const *names, const tensor *const *tensors,
                                         int32_t n, bool compress);
/**
 * Opens a safetensors, .npy (versions 1.0-3.0, C or Fortran order, little- or big-endian) or .npz (stored
 * or deflated members) file, recognised by its content. Only the headers are read here. Close it with
 * tensor_file_close.
 */
TENSOR_API tensor_status tensor_file_open(tensor_file **out, const char *path);
/** The number of tensors in @p f (0 for NULL). A .npy file holds one, named "". */
TENSOR_API int64_t tensor_file_count(const tensor_file *f);
/** The name of tensor @p i in file order (.npz: the member name without ".npy"); NULL when out of range.
 * Valid until tensor_file_close. */
TENSOR_API const char *tensor_file_name(const tensor_file *f, int64_t i);
/**
 * *out = the tensor named @p name (TENSOR_ERR_INVALID_ARGUMENT when absent; TENSOR_ERR_DTYPE for a dtype
 * libtensor lacks, e.g. F16). Zero-copy over the mapping when the data is stored, native-endian and
 * aligned (Fortran order as strides); a copy otherwise (deflated, big-endian, unaligned). Writing to the
 * tensor never changes the file, and the tensor stays valid after tensor_file_close.
 */
TENSOR_API tensor_status tensor_file_get(tensor **out, const tensor_file *f, const char *name);
/** The safetensors "__metadata__" value of @p key, or NULL (no such key, or a .npy/.npz file). Valid until
 * tensor_file_close. */
TENSOR_API const char *tensor_file_metadata(const tensor_file *f, const char *key);
/** Closes @p f (NULL is a no-op). Tensors taken from it stay valid. */
TENSOR_API void tensor_file_close(tensor_file *f);
/**@}*/

/* Random draws from the calling thread's Philox-4x32-10 stream (seed, offset), the stream of tensor_rand and
 * tensor_randn: tensor_manual_seed sets the seed and rewinds the offset, and each draw advances the
 * offset past the Philox blocks it used. Every value is a pure function of (seed, offset, element index),
 * computed the same way on the CPU and on CUDA, so one seed gives bitwise the same randint, randperm,
 * bernoulli, dropout masks, uniform_ and normal_ on both (Note [random stream layout] in src/core/philox.h
 * gives the element-to-counter mapping). Semantics, errors and grad_fn names are PyTorch's.
 */
/** @name Random draws (PyTorch's torch.randint ... torch.Tensor.normal_, torch.nn.functional.dropout) */
/**@{*/
/**
 * *out = integers uniformly drawn from [@p low, @p high) of shape (@p shape, @p ndim), as int64 with
 * NULL @p opts, else converted to opts->dtype (PyTorch's randint). Each value is low + floor(x * (high -
 * low) / 2^64) for 64 random bits x, a bias below (high - low) / 2^64. low >= high is
 * TENSOR_ERR_INVALID_ARGUMENT, and so is a bound the dtype cannot hold ("to - 1 is out of bounds").
 */
TENSOR_API tensor_status tensor_randint(tensor **out, int64_t low, int64_t high, const int64_t *shape, int32_t ndim,
                                        const tensor_options *opts);
/**
 * *out = a random permutation of 0 .. @p n - 1 (1-D), int64 with NULL @p opts: the indices sorted by a
 * random 64-bit key each (ties by index). n < 0, or n beyond what opts->dtype holds exactly (2^24 + 1 for
 * float32), is TENSOR_ERR_INVALID_ARGUMENT.
 */
TENSOR_API tensor_status tensor_randperm(tensor **out, int64_t n, const tensor_options *opts);
/**
 * *out = 1 with probability @p probs[i], else 0, in probs' shape and (floating) dtype. A probability
 * outside [0, 1] or NaN is TENSOR_ERR_INVALID_ARGUMENT, an integer @p probs TENSOR_ERR_DTYPE. The
 * result does not require grad.
 */
TENSOR_API tensor_status tensor_bernoulli(tensor **out, const tensor *probs);
/**
 * *out = @p num_samples category indices (int64) per row of the nonnegative weights @p probs (1-D (C):
 * result (num_samples); 2-D (R, C): result (R, num_samples)); rows need not sum to 1. With
 * @p replacement each sample is drawn by inverse CDF; without, the samples are distinct (an exponential
 * race: the num_samples smallest -log(1 - u) / w, in draw order; zero weights come last). Errors as
 * PyTorch: integer probs (TENSOR_ERR_DTYPE), other than 1 or 2 dims (TENSOR_ERR_SHAPE), num_samples <= 0,
 * a negative, infinite or NaN weight, a row summing to 0, num_samples > C without replacement
 * (TENSOR_ERR_INVALID_ARGUMENT).
 */
TENSOR_API tensor_status tensor_multinomial(tensor **out, const tensor *probs, int64_t num_samples, bool replacement);
/**
 * Dropout: with @p training, *out = @p a * mask / (1 - @p p) where mask[i] is 1 with probability 1 - p
 * (p = 1 gives zeros); grad_fn NativeDropoutBackward0 (PyTorch 2.x's name; PyTorch 1.13 shows
 * MulBackward0) with the grad g * mask / (1 - p). Without @p training, *out is a new handle to @p a itself
 * (PyTorch returns its input). p outside [0, 1] is TENSOR_ERR_INVALID_ARGUMENT; a non-floating @p a in
 * training TENSOR_ERR_DTYPE.
 */
TENSOR_API tensor_status tensor_dropout(tensor **out, const tensor *a, double p, bool training);
/**
 * Fills floating @p t in place with uniform values in [@p low, @p high): u * (high - low) + low in t's
 * dtype, u being tensor_rand's value. low > high or an infinite range is TENSOR_ERR_INVALID_ARGUMENT, an
 * integer t TENSOR_ERR_DTYPE, a leaf requiring grad refused as any in-place op. A t already in the graph
 * gets grad_fn UniformBackward0 (a zero grad).
 */
TENSOR_API tensor_status tensor_uniform_(tensor *t, double low, double high);
/**
 * Fills floating @p t in place with normal values: z * @p std + @p mean in t's dtype, z being
 * tensor_randn's value. std < 0 is TENSOR_ERR_INVALID_ARGUMENT; otherwise as tensor_uniform_ (grad_fn
 * NormalBackward0).
 */
TENSOR_API tensor_status tensor_normal_(tensor *t, double mean, double std);
/** Reads the calling thread's stream state; a NULL pointer is TENSOR_ERR_INVALID_ARGUMENT. */
TENSOR_API tensor_status tensor_get_rng_state(uint64_t *seed, uint64_t *offset);
/**
 * Sets the calling thread's stream state, so the next draws repeat those made after the
 * tensor_get_rng_state that returned (seed, offset).
 */
TENSOR_API tensor_status tensor_set_rng_state(uint64_t seed, uint64_t offset);
/**@}*/

/** @name Normalisation layers (PyTorch's torch.nn.functional.batch_norm, layer_norm, group_norm; NCHW)
 * float32 and float64, CPU and CUDA; weight, bias and the per-channel tensors must have the input's dtype
 * and device. Grads flow to input, weight and bias (grad_fn NativeBatchNormBackward0,
 * NativeLayerNormBackward0, NativeGroupNormBackward0); the statistics are accumulated in double.
 */
/**@{*/
/**
 * *out = (input - mean) / sqrt(var + @p eps) * weight + bias per channel (dim 1) of @p input (N, C, ...).
 * @p training: mean and the biased var of the batch (over N and the spatial dims), and @p running_mean /
 * @p running_var (C) updated in place as r = (1 - @p momentum) * r + @p momentum * s with the unbiased
 * variance (either may be NULL; an empty batch leaves them alone; one value per channel is
 * TENSOR_ERR_SHAPE, "Expected more than 1 value per channel when training"). Not @p training: the running
 * stats, which must then be given (TENSOR_ERR_INVALID_ARGUMENT). @p weight, @p bias (C) may be NULL
 * (1 and 0). A tensor of the wrong size is TENSOR_ERR_SHAPE ("weight should contain 3 elements not 4").
 */
TENSOR_API tensor_status tensor_batch_norm(tensor **out, const tensor *input, const tensor *weight,
                                           const tensor *bias, tensor *running_mean, tensor *running_var,
                                           bool training, double momentum, double eps);
/**
 * *out = layer normalisation of @p input over its trailing dims (@p normalized_shape, @p n >= 1), which
 * must equal the input's last @p n sizes (TENSOR_ERR_SHAPE with PyTorch's "Given normalized_shape=[3],
 * expected input with shape [*, 3], but got input of size[2, 3, 4]"); @p weight and @p bias have shape
 * @p normalized_shape or are NULL.
 */
TENSOR_API tensor_status tensor_layer_norm(tensor **out, const tensor *input, const int64_t *normalized_shape,
                                           int32_t n, const tensor *weight, const tensor *bias, double eps);
/**
 * *out = group normalisation of @p input (N, C, ...): the C channels in @p num_groups groups (C divisible
 * by it, else TENSOR_ERR_SHAPE; @p num_groups <= 0 is TENSOR_ERR_INVALID_ARGUMENT), each group of each
 * sample normalised over its channels and spatial dims, then scaled by @p weight and shifted by @p bias
 * per channel (C, or NULL).
 */
TENSOR_API tensor_status tensor_group_norm(tensor **out, const tensor *input, int64_t num_groups,
                                           const tensor *weight, const tensor *bias, double eps);
/**@}*/

/** @name Pooling, embedding and pad (PyTorch's torch.nn.functional.max_pool2d ... embedding, pad)
 * Pools take a (C, H, W) or (N, C, H, W) float32/float64 input of any layout (the batch may be 0; C, H
 * and W not) and give a contiguous result of the same rank. A NULL @p stride means the kernel size, a
 * NULL @p padding 0, a NULL @p dilation 1 (PyTorch's defaults); a NULL @p kernel is
 * TENSOR_ERR_INVALID_ARGUMENT. Output size per dim: (in + 2 pad - dilation (kernel - 1) - 1) / stride + 1,
 * rounded up with @p ceil_mode (then a last window starting beyond the left-padded input is dropped).
 * Impossible shapes are TENSOR_ERR_SHAPE with PyTorch's messages (kernel, stride or dilation <= 0, pad
 * above half the kernel, an output size <= 0, a wrong rank); other dtypes TENSOR_ERR_DTYPE. */
/**@{*/
/**
 * *out = the max over each window (dilated by @p dilation); when @p indices is not NULL, *indices = the
 * int64 plane-local flat index (h * W + w) of each chosen element, as PyTorch's return_indices. Equal
 * maxima: the first in row-major order wins; a NaN in a window is the max (the last NaN's index).
 * grad_fn MaxPool2DWithIndicesBackward0: the grad goes to the chosen elements (adding where windows
 * overlap). A window that holds no input element (dilation with padding can make one) gives -inf and, as
 * PyTorch, the index of its first row and column, which lies outside the plane; it passes no grad. On
 * failure both outputs are NULL.
 */
TENSOR_API tensor_status tensor_max_pool2d(tensor **out, tensor **indices, const tensor *input, const int64_t kernel[2],
                                           const int64_t stride[2], const int64_t padding[2],
                                           const int64_t dilation[2], bool ceil_mode);
/**
 * *out = the mean over each window; the divisor counts the zero padding inside the window when
 * @p count_include_pad, only the input elements otherwise (PyTorch's rule). grad_fn AvgPool2DBackward0.
 */
TENSOR_API tensor_status tensor_avg_pool2d(tensor **out, const tensor *input, const int64_t kernel[2],
                                           const int64_t stride[2], const int64_t padding[2], bool ceil_mode,
                                           bool count_include_pad);
/**
 * *out (..., output_size[0], output_size[1]) = the mean over PyTorch's adaptive windows, rows
 * [floor(i H / OH), ceil((i + 1) H / OH)) (columns alike). A negative size is TENSOR_ERR_SHAPE, a NULL
 * @p output_size TENSOR_ERR_INVALID_ARGUMENT. grad_fn AdaptiveAvgPool2DBackward0.
 */
TENSOR_API tensor_status tensor_adaptive_avg_pool2d(tensor **out, const tensor *input, const int64_t output_size[2]);
/**
 * *out (indices.shape..., D) = the rows of @p weight (V, D), any dtype, picked by @p indices (int64 or
 * int32, any shape, 0-d included). A weight that is not 2-D is TENSOR_ERR_SHAPE, other index dtypes
 * TENSOR_ERR_DTYPE, an index outside [0, V) TENSOR_ERR_INDEX (negative ones too, as PyTorch). grad_fn
 * EmbeddingBackward0: the grad of each row is the sum over the places that picked it.
 */
TENSOR_API tensor_status tensor_embedding(tensor **out, const tensor *weight, const tensor *indices);
/**
 * Constant padding, as torch.nn.functional.pad(a, pads, value=value): @p pads holds @p npads (even,
 * at most 2 * ndim) sizes, pads[0], pads[1] for the front and back of the last dim, pads[2], pads[3] for
 * the one before, and so on. A negative size crops. *out is a new contiguous tensor of a's dtype (every
 * dtype; @p value converted as tensor_full converts it); an odd @p npads, too many pads, a resulting
 * size below 0 or a crop reaching past the input on one side (PyTorch crops before it pads, e.g. pads
 * (1, -2) of a size-1 dim) are TENSOR_ERR_SHAPE. grad_fn ConstantPadNdBackward0 (the grad cropped back).
 */
TENSOR_API tensor_status tensor_pad(tensor **out, const tensor *a, const int64_t *pads, int32_t npads, double value);
/**@}*/

/** @name Convolutions (PyTorch's torch.nn.functional.conv1d, conv2d, conv_transpose2d; NCHW) */
/**@{*/
/**
 * 2-D convolution: @p input (N, C, H, W) or unbatched (C, H, W), @p weight (O, C/groups, kH, kW),
 * @p bias (O) or NULL, of one floating dtype (float16 and bfloat16 compute in float32) and device.
 * *out is (N, O, OH, OW) (unbatched: (O, OH, OW)) with
 * OH = (H + 2 padding[0] - dilation[0] (kH - 1) - 1) / stride[0] + 1, likewise OW.
 * NULL @p stride, @p padding, @p dilation mean PyTorch's defaults (1, 0, 1); @p groups >= 1 (groups = C is
 * depthwise). Grads for input, weight and bias, grad_fn ConvolutionBackward0 (first order only).
 * Errors: TENSOR_ERR_SHAPE with PyTorch's messages for a weight that is not 4-D, an input that is not 3-D
 * or 4-D, a kernel larger than the padded input, C != weight.size(1) * groups, O not divisible by groups,
 * a bias that is not (O); TENSOR_ERR_INVALID_ARGUMENT for non-positive stride, dilation or groups and
 * negative padding; TENSOR_ERR_DTYPE for mixed or non-floating dtypes; TENSOR_ERR_DEVICE for mixed devices.
 */
TENSOR_API tensor_status tensor_conv2d(tensor **out, const tensor *input, const tensor *weight, const tensor *bias,
                                       const int64_t stride[2], const int64_t padding[2], const int64_t dilation[2],
                                       int64_t groups);
/**
 * 1-D convolution: @p input (N, C, L) or (C, L), @p weight (O, C/groups, kW), arrays of one element
 * (NULL: 1, 0, 1); otherwise as tensor_conv2d (weight must be 3-D, input 2-D or 3-D).
 */
TENSOR_API tensor_status tensor_conv1d(tensor **out, const tensor *input, const tensor *weight, const tensor *bias,
                                       const int64_t stride[1], const int64_t padding[1], const int64_t dilation[1],
                                       int64_t groups);
/**
 * 2-D transposed convolution (the input grad of tensor_conv2d): @p input (N, C_in, H, W) or (C_in, H, W),
 * @p weight (C_in, C_out/groups, kH, kW), @p bias (C_out) or NULL. *out is (N, C_out, OH, OW) with
 * OH = (H - 1) stride[0] - 2 padding[0] + dilation[0] (kH - 1) + output_padding[0] + 1, likewise OW.
 * NULL arrays: stride 1, padding 0, output_padding 0, dilation 1. output_padding must be smaller than
 * the stride or the dilation of its dim, and the output at least 1x1 (TENSOR_ERR_SHAPE with PyTorch's
 * messages); C_in must equal weight.size(0). Grads and the other errors as tensor_conv2d.
 */
TENSOR_API tensor_status tensor_conv_transpose2d(tensor **out, const tensor *input, const tensor *weight,
                                                 const tensor *bias, const int64_t stride[2], const int64_t padding[2],
                                                 const int64_t output_padding[2], const int64_t dilation[2],
                                                 int64_t groups);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* TENSOR_TENSOR_H */
