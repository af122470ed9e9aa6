/* An out-of-tree C99 program using an installed libtensor: checks the version it runs against, a
 * broadcasting add, and the error contract. Exit status 0 means the install works for C users. */
#include <stdio.h>
#include <string.h>
#include <tensor/tensor.h>

static int failures = 0;
#define EXPECT(cond)                                                  \
    do {                                                              \
        if (!(cond)) {                                                \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                               \
        }                                                             \
    } while (0)

int main(void) {
    char expected_version[32];
    const int64_t shape23[] = {2, 3};
    const int64_t shape4[] = {4};
    const float row[] = {10.0f, 20.0f, 30.0f};
    const int64_t shape3[] = {3};
    tensor *a = NULL, *b = NULL, *c = NULL, *bad = NULL, *out = NULL;
    float got[6];
    const float want[6] = {11, 21, 31, 11, 21, 31};
    int i;

    sprintf(expected_version, "%d.%d.%d", TENSOR_VERSION_MAJOR, TENSOR_VERSION_MINOR, TENSOR_VERSION_PATCH);
    EXPECT(strcmp(tensor_version(), expected_version) == 0);

    EXPECT(tensor_ones(&a, shape23, 2, NULL) == TENSOR_OK);
    EXPECT(tensor_from_data(&b, row, shape3, 1, NULL) == TENSOR_OK);
    EXPECT(tensor_add(&c, a, b) == TENSOR_OK);
    EXPECT(tensor_ndim(c) == 2 && tensor_size(c, 0) == 2 && tensor_size(c, 1) == 3);
    EXPECT(tensor_copy_to_host(c, got, sizeof got) == TENSOR_OK);
    for (i = 0; i < 6; ++i) EXPECT(got[i] == want[i]);

    /* The error contract: a status, a NULL out-parameter and a message naming the call. */
    EXPECT(tensor_zeros(&bad, shape4, 1, NULL) == TENSOR_OK);
    out = a; /* must be overwritten with NULL */
    EXPECT(tensor_add(&out, a, bad) == TENSOR_ERR_SHAPE);
    EXPECT(out == NULL);
    EXPECT(strncmp(tensor_last_error(), "tensor_add: ", 12) == 0);

    tensor_free(a);
    tensor_free(b);
    tensor_free(c);
    tensor_free(bad);
    if (failures == 0) printf("C consumer OK: libtensor %s\n", tensor_version());
    return failures == 0 ? 0 : 1;
}
