"""The seed notebook, run through the binding, prints what PyTorch printed (tests/seed_notebook.expected,
the notebook's own outputs; when PyTorch is installed the same cells run under it must print it too)."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "examples", "seed_notebook.py")
with open(os.path.join(HERE, "seed_notebook.expected")) as f:
    EXPECTED = f.read()


PACKAGE_ROOT = os.path.dirname(HERE)


def run(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    if "--torch" in args:
        env.pop("LD_PRELOAD", None)  # PyTorch's run never loads libtensor: no sanitizer runtime for it
    r = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=600, env=env)
    if r.returncode != 0:
        raise AssertionError("seed_notebook.py %s failed:\n%s" % (" ".join(args), r.stderr))
    return r.stdout


class SeedNotebook(unittest.TestCase):
    maxDiff = None

    def test_libtensor_prints_pytorchs_output(self):
        self.assertEqual(run(), EXPECTED)

    def test_expected_output_is_pytorchs(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("PyTorch is not installed")
        self.assertEqual(run("--torch"), EXPECTED)


if __name__ == "__main__":
    unittest.main()
