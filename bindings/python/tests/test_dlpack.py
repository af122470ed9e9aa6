"""Zero-copy exchange with NumPy (and PyTorch when installed) through DLPack, both capsule kinds, and
the ownership rules: every producer's deleter runs exactly once, whoever ends up holding the memory."""
import gc
import sys
import unittest

import numpy as np

import libtensor as lt
from libtensor import _dlpack

try:
    import torch
except ImportError:  # PyTorch is optional: its checks are skipped without it
    torch = None


def address(array):
    return array.__array_interface__["data"][0]


class VersionedConsumer:
    """A stand-in for a DLPack >= 1.0 producer object (as NumPy >= 2.1 is), for Tensor.from_dlpack."""

    def __init__(self, tensor):
        self.tensor = tensor
        self.kwargs = None

    def __dlpack__(self, **kwargs):
        self.kwargs = kwargs
        return self.tensor.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.tensor.__dlpack_device__()


class ToNumPy(unittest.TestCase):
    def test_np_from_dlpack_shares_memory(self):
        t = lt.arange(6, dtype=lt.float64).reshape(2, 3)
        a = np.from_dlpack(t)
        self.assertEqual(a.shape, (2, 3))
        self.assertEqual(a.dtype, np.float64)
        self.assertEqual(address(a), t.data_ptr())
        t.fill_(4.5)  # a write on the libtensor side shows in the array
        np.testing.assert_array_equal(a, np.full((2, 3), 4.5))

    def test_np_from_dlpack_of_a_strided_view(self):
        base = lt.arange(12, dtype=lt.int32).reshape(3, 4)
        view = base.transpose(0, 1)[1:3]
        a = np.from_dlpack(view)
        np.testing.assert_array_equal(a, np.arange(12, dtype=np.int32).reshape(3, 4).T[1:3])
        self.assertEqual(a.strides, (4, 16))
        self.assertEqual(address(a), view.data_ptr())

    def test_array_outlives_the_tensor(self):
        t = lt.tensor([1.0, 2.0, 3.0])
        a = np.from_dlpack(t)
        del t
        gc.collect()
        np.testing.assert_array_equal(a, [1.0, 2.0, 3.0])

    def test_numpy_method_is_writable_and_shared(self):
        t = lt.zeros(3, dtype=lt.int64)
        a = t.numpy()
        self.assertTrue(a.flags.writeable)
        a[1] = 42
        self.assertEqual(t.tolist(), [0, 42, 0])
        b = lt.tensor([True, False]).numpy()  # bool, which NumPy < 2.1's from_dlpack cannot read
        self.assertEqual(b.dtype, np.bool_)
        self.assertEqual(b.tolist(), [True, False])

    def test_np_asarray_uses_the_array_protocol(self):
        t = lt.tensor([[1, 2], [3, 4]], dtype=lt.int32)
        np.testing.assert_array_equal(np.asarray(t), [[1, 2], [3, 4]])
        self.assertEqual(np.asarray(t, dtype=np.float64).dtype, np.float64)

    def test_requires_grad_tensors_are_not_exported(self):
        t = lt.ones(2, requires_grad=True)
        with self.assertRaisesRegex(RuntimeError, "detach"):
            np.from_dlpack(t)
        with self.assertRaisesRegex(RuntimeError, "detach"):
            t.numpy()
        np.testing.assert_array_equal(t.detach().numpy(), [1.0, 1.0])

    def test_dlpack_device(self):
        self.assertEqual(lt.ones(1).__dlpack_device__(), (1, 0))


class FromNumPy(unittest.TestCase):
    def test_from_dlpack_shares_memory_and_releases_the_array(self):
        a = np.arange(6, dtype=np.float64).reshape(2, 3)
        refs = sys.getrefcount(a)
        t = lt.from_dlpack(a)
        self.assertEqual(t.shape, (2, 3))
        self.assertIs(t.dtype, lt.float64)
        self.assertEqual(t.data_ptr(), address(a))
        a[0, 0] = 42
        self.assertEqual(t[0, 0].item(), 42)
        self.assertGreater(sys.getrefcount(a), refs)  # the export keeps the array alive...
        view = t[1]
        del t
        gc.collect()
        self.assertEqual(view.tolist(), [3.0, 4.0, 5.0])
        del view
        gc.collect()
        self.assertEqual(sys.getrefcount(a), refs)  # ...until the last view is gone: deleter ran once
        self.assertEqual(_dlpack.live_wrappers(), 0)

    def test_from_dlpack_honours_strides(self):
        a = np.arange(24, dtype=np.int64).reshape(4, 6)[::2, 1::2]
        t = lt.Tensor.from_dlpack(a)
        self.assertEqual(t.tolist(), a.tolist())
        self.assertEqual(t.stride(), (12, 2))

    def test_from_numpy_shares_memory_for_every_dtype(self):
        for dtype in (np.float32, np.float64, np.int32, np.int64, np.bool_):
            with self.subTest(dtype=dtype):
                a = np.zeros(4, dtype=dtype)
                t = lt.from_numpy(a)
                self.assertEqual(t.data_ptr(), address(a))
                t[1] = 1
                self.assertEqual(a.tolist(), [0, 1, 0, 0])

    def test_from_numpy_of_a_read_only_array_is_read_only(self):
        a = np.arange(3.0)
        a.flags.writeable = False
        t = lt.from_numpy(a)
        self.assertEqual((t + 1).tolist(), [1.0, 2.0, 3.0])
        with self.assertRaisesRegex(ValueError, "read-only"):
            t.fill_(0)
        with self.assertRaises(ValueError):
            t += 1
        self.assertEqual(a.tolist(), [0.0, 1.0, 2.0])
        with self.assertRaises(BufferError):  # no legacy capsule could carry the flag
            t.__dlpack__()
        self.assertFalse(t.numpy().flags.writeable)

    def test_from_numpy_rejects_unsupported_arrays(self):
        with self.assertRaisesRegex(TypeError, "uint16"):
            lt.from_numpy(np.zeros(2, dtype=np.uint16))
        with self.assertRaisesRegex(ValueError, "negative stride"):
            lt.from_numpy(np.arange(4.0)[::-1])
        a = np.arange(4.0)
        refs = sys.getrefcount(a)
        with self.assertRaises(ValueError):
            lt.from_numpy(a[::-1])
        gc.collect()
        self.assertEqual(sys.getrefcount(a), refs)  # the failed import released what it held

    def test_from_dlpack_rejects_negative_strides_and_releases_the_array(self):
        a = np.arange(4.0)
        refs = sys.getrefcount(a)
        with self.assertRaises(lt.InvalidArgumentError) as cm:
            lt.from_dlpack(a[::-1])
        self.assertIn("tensor_from_dlpack", str(cm.exception))
        gc.collect()
        self.assertEqual(sys.getrefcount(a), refs)


class Capsules(unittest.TestCase):
    def test_versioned_protocol_round_trip(self):
        t = lt.tensor([[1.0, 2.0], [3.0, 4.0]])
        producer = VersionedConsumer(t)
        back = lt.from_dlpack(producer)
        self.assertEqual(producer.kwargs, {"max_version": (1, 1)})
        self.assertEqual(back.data_ptr(), t.data_ptr())
        self.assertEqual(back.tolist(), [[1.0, 2.0], [3.0, 4.0]])

    def test_capsule_kinds(self):
        t = lt.ones(2)
        self.assertIn('"dltensor_versioned"', repr(t.__dlpack__(max_version=(1, 0))))
        self.assertIn('"dltensor"', repr(t.__dlpack__()))
        self.assertIn('"dltensor"', repr(t.__dlpack__(max_version=(0, 8))))

    def test_unconsumed_capsules_release_their_export(self):
        t = lt.ones(3)
        for kwargs in ({}, {"max_version": (1, 0)}):
            capsule = t.__dlpack__(**kwargs)
            del capsule
            gc.collect()
        self.assertEqual(_dlpack.live_wrappers(), 0)

    def test_a_capsule_is_consumed_once(self):
        capsule = lt.ones(2).__dlpack__(max_version=(1, 0))
        t = lt.from_dlpack(capsule)
        self.assertIn("used_dltensor_versioned", repr(capsule))
        with self.assertRaises(TypeError):
            lt.from_dlpack(capsule)
        self.assertEqual(t.tolist(), [1.0, 1.0])

    def test_copy_true_gives_a_copy(self):
        t = lt.ones(2)
        a = np.from_dlpack(VersionedCopy(t))
        self.assertNotEqual(address(a), t.data_ptr())

    def test_dl_device_must_match(self):
        with self.assertRaises(BufferError):
            lt.ones(1).__dlpack__(max_version=(1, 0), dl_device=(2, 0))


class VersionedCopy:
    def __init__(self, t):
        self.t = t

    def __dlpack__(self, **kwargs):
        return self.t.__dlpack__(copy=True)

    def __dlpack_device__(self):
        return self.t.__dlpack_device__()


@unittest.skipIf(torch is None, "PyTorch is not installed")
class PyTorch(unittest.TestCase):
    def test_torch_reads_libtensor_memory(self):
        t = lt.arange(6, dtype=lt.float32).reshape(2, 3)
        p = torch.from_dlpack(t)
        self.assertEqual(p.data_ptr(), t.data_ptr())
        self.assertEqual(p.tolist(), t.tolist())

    def test_libtensor_reads_torch_memory(self):
        p = torch.arange(6, dtype=torch.int64).reshape(2, 3).t()
        t = lt.from_dlpack(p)
        self.assertEqual(t.data_ptr(), p.data_ptr())
        self.assertEqual(t.stride(), p.stride())
        p.mul_(10)
        self.assertEqual(t.tolist(), p.tolist())


if __name__ == "__main__":
    unittest.main()
