"""Autograd through the binding: requires_grad, backward, grad accumulation, no_grad, and errors."""
import unittest

import libtensor as lt


class Autograd(unittest.TestCase):
    def test_seed_notebook_gradient(self):
        x = lt.tensor([[5.0, 8.0], [4.0, 6.0]], requires_grad=True)
        y = x.pow(3).sum()
        self.assertEqual(repr(y), "tensor(917., grad_fn=<SumBackward0>)")
        self.assertFalse(y.is_leaf)
        self.assertTrue(y.requires_grad)
        y.backward()
        self.assertEqual(x.grad.tolist(), [[75.0, 192.0], [48.0, 108.0]])  # 3 x^2
        self.assertEqual(repr(x.grad), "tensor([[ 75., 192.],\n        [ 48., 108.]])")

    def test_grads_accumulate_and_reset(self):
        x = lt.tensor([1.0, 2.0], requires_grad=True)
        self.assertIsNone(x.grad)
        (x * x).sum().backward()
        (x * 3).sum().backward()
        self.assertEqual(x.grad.tolist(), [5.0, 7.0])  # 2x + 3
        x.grad = None
        self.assertIsNone(x.grad)

    def test_broadcast_grads_are_summed_back(self):
        w = lt.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = lt.ones(4, 3)
        (x * w).sum().backward()
        self.assertEqual(w.grad.tolist(), [4.0, 4.0, 4.0])

    def test_backward_with_an_explicit_gradient(self):
        x = lt.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.backward(lt.tensor([1.0, 10.0]))
        self.assertEqual(x.grad.tolist(), [2.0, 20.0])

    def test_retain_graph(self):
        x = lt.tensor([3.0], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        self.assertEqual(x.grad.tolist(), [12.0])

    def test_no_grad_and_detach(self):
        x = lt.ones(2, requires_grad=True)
        with lt.no_grad():
            self.assertFalse(lt.is_grad_enabled())
            self.assertFalse((x * 2).requires_grad)
        self.assertTrue(lt.is_grad_enabled())
        self.assertFalse(x.detach().requires_grad)

        @lt.no_grad()
        def f(t):
            return t + 1
        self.assertFalse(f(x).requires_grad)
        with lt.set_grad_enabled(False):
            self.assertFalse(lt.is_grad_enabled())
        self.assertTrue(lt.is_grad_enabled())

    def test_requires_grad_setters(self):
        x = lt.zeros(2)
        self.assertFalse(x.requires_grad)
        self.assertIs(x.requires_grad_(), x)
        self.assertTrue(x.requires_grad)
        x.requires_grad = False
        self.assertFalse(x.requires_grad)

    def test_autograd_errors_are_exceptions(self):
        with self.assertRaises(lt.Error) as cm:
            lt.tensor([1, 2]).requires_grad = True  # integer tensors cannot require grad
        self.assertIn("tensor_set_requires_grad", str(cm.exception))
        y = lt.ones(2, requires_grad=True) * 2
        with self.assertRaises(lt.Error) as cm:
            y.backward()  # grad can be implicitly created only for one-element outputs
        self.assertIn("tensor_backward", str(cm.exception))
        with self.assertRaises(lt.AutogradError):
            y.requires_grad = False  # not a leaf


if __name__ == "__main__":
    unittest.main()
