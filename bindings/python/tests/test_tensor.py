"""The Tensor class and module functions: creation, dtypes, operators with PyTorch's scalar rules, views
and indexing, reductions, printing, and library errors surfacing as Python exceptions."""
import unittest

import numpy as np

import libtensor as lt


class Creation(unittest.TestCase):
    def test_tensor_infers_dtype_as_pytorch(self):
        self.assertIs(lt.tensor([1, 2, 3]).dtype, lt.int64)
        self.assertIs(lt.tensor([0.5, 13, 4]).dtype, lt.float32)
        self.assertIs(lt.tensor([True, False]).dtype, lt.bool)
        self.assertIs(lt.tensor(3.5).dtype, lt.float32)
        self.assertIs(lt.tensor([1, 2], dtype=float).dtype, lt.float64)
        self.assertIs(lt.tensor([1, 2], dtype=lt.int32).dtype, lt.int32)

    def test_nested_lists_give_shape_and_values(self):
        t = lt.tensor([[1, 2, 3], [4, 5, 6]])
        self.assertEqual(t.shape, (2, 3))
        self.assertEqual(t.tolist(), [[1, 2, 3], [4, 5, 6]])
        self.assertEqual(lt.tensor(7).shape, ())
        self.assertEqual(lt.tensor(7).tolist(), 7)
        self.assertEqual(lt.tensor([]).shape, (0,))

    def test_ragged_lists_are_rejected(self):
        with self.assertRaisesRegex(ValueError, "equal-length"):
            lt.tensor([[1, 2], [3]])

    def test_tensor_copies_numpy_arrays(self):
        a = np.arange(6, dtype=np.int32).reshape(2, 3)
        t = lt.tensor(a)
        a[0, 0] = 100
        self.assertIs(t.dtype, lt.int32)
        self.assertEqual(t.tolist(), [[0, 1, 2], [3, 4, 5]])

    def test_tensor_keeps_numpy_shapes_0d_and_strided(self):
        zero_d = lt.tensor(np.array(3.5))
        self.assertEqual(zero_d.shape, ())
        self.assertEqual(zero_d.item(), 3.5)
        strided = lt.tensor(np.arange(12, dtype=np.float64).reshape(3, 4).T)
        self.assertEqual(strided.shape, (4, 3))
        self.assertEqual(strided.tolist(), np.arange(12.0).reshape(3, 4).T.tolist())

    def test_factories(self):
        self.assertEqual(lt.zeros(2, 3).tolist(), [[0.0] * 3] * 2)
        self.assertEqual(lt.ones((2,)).tolist(), [1.0, 1.0])
        self.assertEqual(lt.full((2,), 7).tolist(), [7, 7])
        self.assertIs(lt.full((2,), 7).dtype, lt.int64)
        self.assertIs(lt.full((2,), 7.0).dtype, lt.float32)
        self.assertEqual(lt.eye(2).tolist(), [[1.0, 0.0], [0.0, 1.0]])
        self.assertEqual(lt.zeros_like(lt.ones(2, dtype=lt.int32)).dtype, lt.int32)
        self.assertEqual(lt.empty(4, 5).shape, (4, 5))

    def test_arange_and_linspace(self):
        self.assertEqual(lt.arange(5).tolist(), [0, 1, 2, 3, 4])
        self.assertIs(lt.arange(5).dtype, lt.int64)
        self.assertIs(lt.arange(0, 1, 0.25).dtype, lt.float32)
        self.assertEqual(lt.arange(0, 1, 0.25).tolist(), [0.0, 0.25, 0.5, 0.75])
        self.assertEqual(lt.linspace(0, 1, 5).tolist(), [0.0, 0.25, 0.5, 0.75, 1.0])
        self.assertIs(lt.arange(20, dtype=float).dtype, lt.float64)

    def test_random_is_seeded_per_call(self):
        lt.manual_seed(7)
        a = lt.rand(4).tolist()
        lt.manual_seed(7)
        b = lt.rand(4).tolist()
        self.assertEqual(a, b)
        self.assertTrue(all(0.0 <= v < 1.0 for v in a))
        self.assertEqual(lt.randn(2, 256, 3).shape, (2, 256, 3))


class Operators(unittest.TestCase):
    def test_broadcasting_add_matches_numpy(self):
        a, b = lt.ones((6, 5)), lt.arange(5).reshape(1, 5)
        r = a + b
        self.assertIs(r.dtype, lt.float32)
        np.testing.assert_array_equal(np.array(r.tolist()), np.ones((6, 5)) + np.arange(5).reshape(1, 5))

    def test_arithmetic_operators(self):
        a = lt.tensor([1.0, 2.0, 4.0])
        b = lt.tensor([2.0, 2.0, 2.0])
        self.assertEqual((a - b).tolist(), [-1.0, 0.0, 2.0])
        self.assertEqual((a * b).tolist(), [2.0, 4.0, 8.0])
        self.assertEqual((a / b).tolist(), [0.5, 1.0, 2.0])
        self.assertEqual((a ** b).tolist(), [1.0, 4.0, 16.0])
        self.assertEqual((-a).tolist(), [-1.0, -2.0, -4.0])
        self.assertEqual(abs(lt.tensor([-3, 3])).tolist(), [3, 3])

    def test_python_scalars_follow_pytorch_promotion(self):
        i = lt.tensor([1, 2, 3])
        f = lt.tensor([1.0, 2.0, 3.0])
        self.assertIs((i + 1).dtype, lt.int64)
        self.assertIs((i + 1.0).dtype, lt.float32)  # a Python float makes an int tensor float32
        self.assertIs((i / 2).dtype, lt.float32)
        self.assertIs((f * 2).dtype, lt.float32)
        self.assertIs((lt.tensor([1.0], dtype=lt.float64) + 0.1).dtype, lt.float64)
        self.assertEqual((lt.tensor([1.0], dtype=lt.float64) + 0.1).tolist(), [1.1])  # no float32 rounding
        self.assertIs((lt.tensor([True]) + 1).dtype, lt.int64)
        self.assertIs((lt.tensor(2.0) + 1.5).dtype, lt.float32)  # 0-d tensors too

    def test_reflected_operators(self):
        f = lt.tensor([1.0, 2.0, 4.0])
        self.assertEqual((1 - f).tolist(), [0.0, -1.0, -3.0])
        self.assertEqual((8 / f).tolist(), [8.0, 4.0, 2.0])
        self.assertEqual((2 ** f).tolist(), [2.0, 4.0, 16.0])
        self.assertEqual((3 + f).tolist(), [4.0, 5.0, 7.0])
        self.assertEqual((3 * f).tolist(), [3.0, 6.0, 12.0])

    def test_numpy_operands_promote_as_tensors(self):
        r = np.ones(3) + lt.tensor([1.0, 2.0, 3.0])  # Tensor's reflected op wins over ndarray's
        self.assertIsInstance(r, lt.Tensor)
        self.assertIs(r.dtype, lt.float64)
        self.assertEqual(r.tolist(), [2.0, 3.0, 4.0])
        r = lt.tensor([1.0, 2.0]) * np.array([2, 3], dtype=np.int32)
        self.assertIs(r.dtype, lt.float32)
        self.assertEqual(r.tolist(), [2.0, 6.0])

    def test_comparisons_give_bool(self):
        a = lt.tensor([1, 2, 3])
        self.assertEqual((a > 1).tolist(), [False, True, True])
        self.assertEqual((a == lt.tensor([1, 0, 3])).tolist(), [True, False, True])
        self.assertIs((a <= 2.5).dtype, lt.bool)
        self.assertEqual((a != 2).tolist(), [True, False, True])

    def test_unary_functions_match_numpy(self):
        x = [0.25, 0.5, 1.5]
        t = lt.tensor(x, dtype=lt.float64)
        for name in ("exp", "log", "sqrt", "sin", "cos", "tanh"):
            np.testing.assert_allclose(getattr(lt, name)(t).tolist(), getattr(np, name)(x), rtol=1e-12)
        np.testing.assert_allclose(t.sigmoid().tolist(), 1 / (1 + np.exp(-np.array(x))), rtol=1e-12)
        self.assertEqual(lt.relu(lt.tensor([-1.0, 2.0])).tolist(), [0.0, 2.0])

    def test_inplace_operators_modify_and_return_self(self):
        t = lt.tensor([1.0, 2.0])
        u = t
        t += 1
        t *= lt.tensor([2.0, 3.0])
        self.assertIs(t, u)
        self.assertEqual(u.tolist(), [4.0, 9.0])
        self.assertEqual(u.fill_(5).tolist(), [5.0, 5.0])
        self.assertEqual(u.zero_().tolist(), [0.0, 0.0])

    def test_where_maximum_minimum(self):
        c = lt.tensor([True, False, True])
        self.assertEqual(lt.where(c, lt.tensor([1, 2, 3]), lt.tensor([9, 9, 9])).tolist(), [1, 9, 3])
        self.assertEqual(lt.maximum(lt.tensor([1, 5]), lt.tensor([3, 2])).tolist(), [3, 5])
        self.assertEqual(lt.minimum(lt.tensor([1, 5]), lt.tensor([3, 2])).tolist(), [1, 2])

    def test_matmul_operator(self):
        a = lt.tensor([[1.0, 2.0], [3.0, 4.0]])
        b = lt.tensor([[5.0], [6.0]])
        self.assertEqual((a @ b).tolist(), [[17.0], [39.0]])


    def test_floor_division_remainder_and_bitwise_operators(self):
        a, b = lt.tensor([-7, 7, -7, 7]), lt.tensor([2, -2, -2, 2])
        self.assertEqual((a // b).tolist(), [-4, -4, 3, 3])  # Python's floor division
        self.assertEqual((a % b).tolist(), [1, -1, -1, 1])   # the divisor's sign
        self.assertEqual(lt.fmod(a, b).tolist(), [-1, 1, -1, 1])
        self.assertEqual((7 // lt.tensor([2, -2])).tolist(), [3, -4])
        self.assertEqual((lt.tensor([6, 5]) & 3).tolist(), [2, 1])
        self.assertEqual((lt.tensor([True, False]) | lt.tensor([False, False])).tolist(), [True, False])
        self.assertEqual((lt.tensor([6]) ^ 3).tolist(), [5])
        with self.assertRaises(TypeError):
            lt.tensor([1.5]) & 1  # bitwise ops take integer and bool tensors only (DTypeError)
        with self.assertRaisesRegex(ValueError, "ZeroDivisionError"):
            lt.tensor([1]) // 0

    def test_math_functions(self):
        self.assertEqual(lt.round(lt.tensor([0.5, 1.5, 2.5, -0.5])).tolist(), [0.0, 2.0, 2.0, -0.0])
        self.assertEqual(lt.isnan(lt.tensor([float("nan"), 1.0])).tolist(), [True, False])
        self.assertEqual(lt.tensor([0, 3]).logical_not().tolist(), [True, False])
        self.assertIs(lt.exp2(lt.tensor([3])).dtype, lt.float32)
        self.assertEqual(lt.exp2(lt.tensor([3])).tolist(), [8.0])


class ViewsAndIndexing(unittest.TestCase):
    def setUp(self):
        self.t = lt.arange(24).reshape(2, 3, 4)
        self.n = np.arange(24).reshape(2, 3, 4)

    def test_basic_indexing_matches_numpy(self):
        for index in [1, (1, 2), (slice(None), 1), (Ellipsis, 0), (0, slice(1, 3)), (slice(None, None, 2),),
                      (None, 1), (1, Ellipsis, slice(1, None, 2)), -1, (slice(-2, None),)]:
            with self.subTest(index=index):
                self.assertEqual(self.t[index].tolist(), self.n[index].tolist())

    def test_indexing_errors(self):
        with self.assertRaises(IndexError):
            self.t[5]
        with self.assertRaises(IndexError):
            self.t[0, 0, 0, 0]

    def test_views_share_memory(self):
        row = self.t[1]
        row[0] = 100  # writes through the view
        self.assertEqual(self.t[1, 0].tolist(), [100] * 4)
        self.t[0, :, 1] = lt.tensor([7, 8, 9])
        self.assertEqual(self.t[0, :, 1].tolist(), [7, 8, 9])

    def test_shape_methods(self):
        t = self.t
        self.assertEqual(t.permute(2, 0, 1).shape, (4, 2, 3))
        self.assertEqual(t.transpose(0, 2).shape, (4, 3, 2))
        self.assertEqual(t.T.shape, (4, 3, 2))
        self.assertEqual(t.reshape(-1, 4).shape, (6, 4))
        self.assertEqual(t.view(6, 4).shape, (6, 4))
        self.assertEqual(t.flatten().shape, (24,))
        self.assertEqual(t.unsqueeze(0).shape, (1, 2, 3, 4))
        self.assertEqual(t.unsqueeze(0).squeeze().shape, (2, 3, 4))
        self.assertEqual(lt.ones(3, 1).expand(3, 4).shape, (3, 4))
        self.assertFalse(t.transpose(0, 1).is_contiguous())
        self.assertTrue(t.transpose(0, 1).contiguous().is_contiguous())
        self.assertEqual(t.stride(), (12, 4, 1))
        self.assertEqual(t.size(1), 3)
        self.assertEqual(len(t), 2)
        self.assertEqual([r.shape for r in t], [(3, 4), (3, 4)])

    def test_cat_and_stack(self):
        a, b = lt.tensor([[1, 2]]), lt.tensor([[3, 4]])
        self.assertEqual(lt.cat([a, b]).tolist(), [[1, 2], [3, 4]])
        self.assertEqual(lt.cat([a, b], dim=1).tolist(), [[1, 2, 3, 4]])
        self.assertEqual(lt.stack([a, b]).shape, (2, 1, 2))

    def test_conversions(self):
        t = lt.tensor([1.7, -2.2])
        self.assertIs(t.double().dtype, lt.float64)
        self.assertEqual(t.long().tolist(), [1, -2])
        self.assertEqual(t.to(lt.int32).tolist(), [1, -2])
        self.assertEqual(t.bool().tolist(), [True, True])
        self.assertIs(t.to("cpu").device.type, "cpu")
        self.assertEqual(float(lt.tensor(2.5)), 2.5)
        self.assertEqual(int(lt.tensor(7)), 7)
        self.assertEqual(lt.tensor([3]).item(), 3)
        self.assertIsInstance(lt.tensor([3]).item(), int)
        self.assertEqual([1, 2, 3][lt.tensor(1)], 2)


class Reductions(unittest.TestCase):
    def test_full_reductions_match_pytorch(self):
        t = lt.tensor([0.5, 13, 4])
        self.assertAlmostEqual(lt.mean(t).item(), 5.833333, places=5)
        self.assertAlmostEqual(lt.std(t).item(), 6.448514, places=5)
        self.assertEqual(lt.max(t).item(), 13.0)
        self.assertEqual(lt.min(t).item(), 0.5)
        self.assertEqual(t.sum().item(), 17.5)
        self.assertEqual(t.prod().item(), 26.0)

    def test_dim_reductions_match_numpy(self):
        n = np.arange(20, dtype=np.float64).reshape(5, 4)
        t = lt.tensor(n)
        np.testing.assert_allclose(lt.mean(t, axis=0).tolist(), n.mean(axis=0))
        np.testing.assert_allclose(t.sum(dim=1, keepdim=True).tolist(), n.sum(axis=1, keepdims=True))
        np.testing.assert_allclose(t.sum(dim=(0, 1)).tolist(), n.sum())
        np.testing.assert_allclose(t.var(1).tolist(), n.var(axis=1, ddof=1))
        np.testing.assert_allclose(t.std(0, unbiased=False).tolist(), n.std(axis=0))
        np.testing.assert_allclose(t.std(0, correction=0).tolist(), n.std(axis=0))

    def test_max_along_dim_gives_values_and_indices(self):
        t = lt.tensor([[1, 5, 5], [7, 0, 2]])
        values, indices = lt.max(t, axis=-1)
        self.assertEqual(values.tolist(), [5, 7])
        self.assertEqual(indices.tolist(), [1, 0])  # first index on ties
        r = t.min(dim=0)
        self.assertEqual(r.values.tolist(), [1, 0, 2])
        self.assertEqual(r.indices.tolist(), [0, 1, 1])
        self.assertTrue(repr(r).startswith("torch.return_types.min(\nvalues=tensor("))
        self.assertEqual(t.argmax().item(), 3)
        self.assertEqual(t.argmax(dim=1).tolist(), [1, 0])
        self.assertEqual(lt.max(lt.tensor([1, 4]), lt.tensor([3, 2])).tolist(), [3, 4])

    def test_all_any(self):
        t = lt.tensor([[True, False], [True, True]])
        self.assertEqual(t.all(dim=1).tolist(), [False, True])
        self.assertTrue(t.any().item())

    def test_mean_of_integers_is_a_dtype_error(self):
        with self.assertRaises(lt.DTypeError) as cm:
            lt.mean(lt.tensor([1, 2]))
        self.assertIsInstance(cm.exception, TypeError)
        self.assertIn("tensor_mean", str(cm.exception))


class Printing(unittest.TestCase):
    def test_repr_is_pytorchs(self):
        self.assertEqual(repr(lt.tensor([[75.0, 192.0], [48.0, 108.0]])),
                         "tensor([[ 75., 192.],\n        [ 48., 108.]])")
        self.assertEqual(repr(lt.tensor(0.5)), "tensor(0.5000)")
        self.assertEqual(repr(lt.arange(20, dtype=float).reshape(5, 4)[0]),
                         "tensor([0., 1., 2., 3.], dtype=torch.float64)")
        self.assertEqual(str(lt.tensor([1, 2])), "tensor([1, 2])")

    def test_types_print_as_pytorch(self):
        self.assertEqual(repr(lt.ones(2, 3).shape), "torch.Size([2, 3])")
        self.assertEqual(repr(lt.float64), "torch.float64")
        self.assertEqual(repr(lt.ones(1).device), "device(type='cpu')")

    def test_format_spec_on_scalars(self):
        self.assertEqual("%s" % format(lt.tensor(2.0), ".3f"), "2.000")


class Errors(unittest.TestCase):
    def test_shape_errors_carry_the_library_message(self):
        with self.assertRaises(lt.ShapeError) as cm:
            lt.ones(3, 4) + lt.ones(5)
        e = cm.exception
        self.assertIsInstance(e, RuntimeError)
        self.assertEqual(e.status, -2)
        self.assertTrue(str(e).startswith("tensor_add: "), str(e))
        self.assertIn("[3, 4]", str(e))
        self.assertIn("[5]", str(e))

    def test_index_errors(self):
        with self.assertRaises(IndexError) as cm:
            lt.ones(2, 2).transpose(0, 5)
        self.assertIsInstance(cm.exception, lt.Error)
        self.assertIn("tensor_transpose", str(cm.exception))

    def test_invalid_arguments(self):
        with self.assertRaises(ValueError):
            lt.zeros(-1)
        with self.assertRaises(TypeError):
            lt.ones(2) + "x"
        with self.assertRaises(TypeError):
            lt.tensor([1], dtype="complex64")

    def test_ambiguous_truth_value(self):
        with self.assertRaises(RuntimeError):
            bool(lt.ones(2))
        self.assertTrue(bool(lt.ones(1)))

    def test_errors_leave_the_binding_usable(self):
        with self.assertRaises(lt.Error):
            lt.ones(2).reshape(3)
        self.assertEqual(lt.ones(2).reshape(2, 1).shape, (2, 1))

    def test_library_version(self):
        self.assertRegex(lt.__version__, r"^0\.\d+\.\d+$")
        self.assertGreaterEqual(lt.get_num_threads(), 1)


class PyTorchParity(unittest.TestCase):
    """Gaps against PyTorch 1.13 found by running its per-op test inputs through the binding."""

    def test_flatten_of_an_empty_tensor(self):
        # reshape with -1 is ambiguous next to a 0, so flatten spells the size out (torch: (0, 12)).
        t = lt.zeros(0, 3, 4)
        self.assertEqual(t.flatten(1, 2).shape, (0, 12))
        self.assertEqual(t.flatten().shape, (0,))
        self.assertEqual(t.flatten(0, 1).shape, (0, 4))
        self.assertEqual(lt.zeros(2, 0, 4).flatten(1).shape, (2, 0))
        self.assertEqual(lt.flatten(lt.zeros(3, 0), 0, -1).shape, (0,))
        self.assertEqual(lt.ones(2, 3, 4).flatten(1, 2).shape, (2, 12))
        with self.assertRaises(IndexError):
            lt.ones(2, 3).flatten(0, 2)
        with self.assertRaisesRegex(ValueError, "start_dim cannot come after end_dim"):
            lt.ones(2, 3, 4).flatten(2, 1)

    def test_where_with_two_python_scalars(self):
        cond = lt.tensor([True, False, True])
        r = lt.where(cond, 1.0, 2.0)
        self.assertIs(r.dtype, lt.float32)
        self.assertEqual(r.tolist(), [1.0, 2.0, 1.0])
        r = lt.where(cond, 1, 2)
        self.assertIs(r.dtype, lt.int64)
        self.assertEqual(r.tolist(), [1, 2, 1])
        r = lt.where(cond, True, False)
        self.assertIs(r.dtype, lt.bool)
        self.assertEqual(r.tolist(), [True, False, True])
        r = lt.where(cond, 1, 2.5)
        self.assertIs(r.dtype, lt.float32)
        self.assertEqual(r.tolist(), [1.0, 2.5, 1.0])
        # One scalar with a tensor keeps the existing rules.
        r = lt.where(cond, lt.tensor([1.0, 2.0, 3.0], dtype=lt.float64), 0)
        self.assertIs(r.dtype, lt.float64)
        self.assertEqual(r.tolist(), [1.0, 0.0, 3.0])

    def test_t_refuses_more_than_two_dims(self):
        with self.assertRaisesRegex(RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions"):
            lt.ones(2, 3, 4).t()
        self.assertEqual(lt.ones(2, 3).t().shape, (3, 2))
        self.assertEqual(lt.ones(3).t().shape, (3,))
        self.assertEqual(lt.tensor(1.0).t().shape, ())


if __name__ == "__main__":
    unittest.main()
