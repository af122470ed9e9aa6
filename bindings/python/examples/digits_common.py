"""What the Python digits programs share (digits.py: the MLP, digits_cnn.py: the CNN), as
examples/digits/digits_common.c does for the C ones: the data and its split, the epoch loop, accuracy and
checkpoint reading. Each program keeps its model, its checkpoint layout and its options."""
import argparse
import os
import time

import libtensor as lt
import libtensor.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "..", "examples", "digits", "digits.npz")


def load_data(path, program, x_shape=None):
    """x (N, 64) float32 (reshaped to x_shape first when given) and y (N,) int64; rows perm[:n - n//5] train,
    the rest test (one randperm right after the seed, the only draw)."""
    data = lt.load_file(path)
    x, y = data["x"], data["y"]
    if x.dtype != lt.float32 or tuple(x.shape)[1:] != (64,) or y.dtype != lt.int64 or tuple(y.shape) != (x.shape[0],):
        raise SystemExit(f"{program}: expected x float32 (N, 64) and y int64 (N,) in {path}")
    if x_shape is not None:
        x = x.reshape(*x_shape)
    n = x.shape[0]
    n_test = n // 5
    perm = lt.randperm(n)
    train, test = perm[:n - n_test], perm[n - n_test:]
    return (lt.index_select(x, 0, train), lt.index_select(y, 0, train), lt.index_select(x, 0, test),
            lt.index_select(y, 0, test))


def accuracy(x, y, forward):
    """Test accuracy with grad off; forward(x, training) gives the logits (training False: eval mode)."""
    with lt.no_grad():
        pred = forward(x, False).argmax(1)
        return (pred == y).to(lt.float64).mean().item()


def train_epoch(x, y, forward, opt, batch):
    """One epoch of shuffled mini-batches (one randperm, the last batch short); the mean loss."""
    n = x.shape[0]
    perm = lt.randperm(n)
    total = 0.0
    for start in range(0, n, batch):
        idx = perm[start:start + batch]
        loss = F.cross_entropy(forward(lt.index_select(x, 0, idx), True), lt.index_select(y, 0, idx))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item() * idx.shape[0]
    return total / n


def read_metadata(path, keys, program):
    """The checkpoint's __metadata__ values of keys as ints (exits if one is missing or not a number)."""
    meta = {k: lt.load_metadata(path, k) for k in keys}
    if any(v is None or not v.isdigit() for v in meta.values()):
        raise SystemExit(f"{program}: {path}: not a {program} checkpoint ({' / '.join(keys)} missing)")
    return {k: int(v) for k, v in meta.items()}


def restore(saved, key, dst, path, program):
    """Copies the checkpoint's tensor key into dst, which it must match in shape and dtype (under no_grad)."""
    if key not in saved:
        raise SystemExit(f"{program}: {path}: no tensor {key}")
    src = saved[key]
    if tuple(src.shape) != tuple(dst.shape) or src.dtype != dst.dtype:
        raise SystemExit(f"{program}: {path}: {key} has another shape or dtype than the model's")
    dst.copy_(src)


def parse_args(argv, description, epochs, out, pool=False):
    """The digits programs' command line (--pool 1|2 only where pool); creates the --out folder."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--out", default=out)
    ap.add_argument("--resume")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=0)
    if pool:
        ap.add_argument("--pool", type=int, default=2, choices=[1, 2])
    args = ap.parse_args(argv)
    if args.epochs < 1:
        ap.error("--epochs must be positive")
    os.makedirs(args.out, exist_ok=True)
    return args


def run_epochs(first, last, out, train, evaluate, save, acc):
    """Epochs first .. last: train(epoch) gives the mean loss, evaluate() the test accuracy (printed), then
    save(path, epoch) writes out/digits-epoch-NN.safetensors. Returns the last accuracy (acc if none ran)."""
    for epoch in range(first, last + 1):
        t0 = time.perf_counter()
        loss = train(epoch)
        ms = 1e3 * (time.perf_counter() - t0)
        acc = evaluate()
        print(f"epoch {epoch:3d}  loss {loss:.4f}  test accuracy {acc:.4f}  ({ms:.1f} ms)", flush=True)
        save(os.path.join(out, f"digits-epoch-{epoch:02d}.safetensors"), epoch)
    return acc
