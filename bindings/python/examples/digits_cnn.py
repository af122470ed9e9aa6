"""The digits CNN through libtensor's Python binding: the program of examples/digits/digits_cnn.c.

The same data (examples/digits/digits.npz, as (N, 1, 8, 8) images), split, model (conv1 3x3 without bias ->
bn1 -> relu -> max_pool2d(2) -> conv2 3x3 -> relu -> adaptive_avg_pool2d(P) -> fc, torch's initialisation),
cross_entropy, AdamW with the StepLR schedule and shuffled batches of 64, drawn in the same order from the
same stream, and the same checkpoint (OUT/digits-epoch-NN.safetensors: conv1.weight ..., bn1.running_mean /
running_var / num_batches_tracked, optimizer.state.I.step / exp_avg / exp_avg_sq, epoch, pool and stream
state in __metadata__): for one seed its checkpoints are bitwise those of the C program, which
tests/digits.cmake checks, and each resumes the other's.

Usage: digits_cnn.py [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--pool P]
"""
import math
import sys

import libtensor as lt
import libtensor.nn.functional as F
from digits_common import accuracy, load_data, parse_args, read_metadata, restore, run_epochs, train_epoch

PROGRAM = "digits_cnn.py"
C1, C2, CLASSES, BATCH = 16, 32, 10, 64
PARAM_NAMES = ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias"]
BUFFER_NAMES = ["bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"]
STATE_NAMES = ["step", "exp_avg", "exp_avg_sq"]
LR, LR_GAMMA, LR_STEP, WEIGHT_DECAY, BN_MOMENTUM, BN_EPS = 1e-2, 0.1, 8, 0.01, 0.1, 1e-5


def uniform_param(shape, fan_in):
    """torch's conv and linear init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), a leaf that requires grad."""
    bound = 1.0 / math.sqrt(fan_in)
    t = lt.empty(*shape)
    t.uniform_(-bound, bound)
    return t.requires_grad_()


class Model:
    """Parameters in PARAM_NAMES order (the optimizer state indices), bn1's buffers, the pool size."""

    def __init__(self, pool):
        # Draws in module order (conv1, conv2, fc; weight before bias), as torch constructs them.
        self.pool = pool
        fc_in = C2 * pool * pool
        self.params = [uniform_param((C1, 1, 3, 3), 9), lt.full((C1,), 1.0).requires_grad_(),
                       lt.full((C1,), 0.0).requires_grad_(), uniform_param((C2, C1, 3, 3), C1 * 9),
                       uniform_param((C2,), C1 * 9), uniform_param((CLASSES, fc_in), fc_in),
                       uniform_param((CLASSES,), fc_in)]
        self.buffers = [lt.full((C1,), 0.0), lt.full((C1,), 1.0), lt.full((), 0, dtype=lt.int64)]

    def __call__(self, x, training):
        """Logits; training: batch statistics, running stats updated, num_batches_tracked counted."""
        p, (mean, var, count) = self.params, self.buffers
        h = F.conv2d(x, p[0], None, padding=1)
        h = F.batch_norm(h, mean, var, p[1], p[2], training, BN_MOMENTUM, BN_EPS).relu()
        h = F.max_pool2d(h, 2)
        h = F.conv2d(h, p[3], p[4], padding=1).relu()
        h = F.adaptive_avg_pool2d(h, self.pool).reshape(-1, C2 * self.pool * self.pool)
        h = F.linear(h, p[5], p[6])
        if training:
            count.fill_(count.item() + 1)
        return h


def entries(model, opt):
    """Parameters, buffers, then the AdamW state of each parameter: digits_cnn.c's order."""
    tensors = dict(zip(PARAM_NAMES, model.params))
    tensors.update(zip(BUFFER_NAMES, model.buffers))
    for i, p in enumerate(model.params):
        state = opt.state[p]
        for name in STATE_NAMES:
            tensors[f"optimizer.state.{i}.{name}"] = state[name]
    return tensors


def save_checkpoint(path, epoch, model, opt):
    seed, offset = lt.get_rng_state()
    # The C program writes lr and weight_decay with "%.17g"; so does this one, for the same bytes.
    metadata = {"format": "libtensor-digits-cnn-1", "epoch": str(epoch), "pool": str(model.pool),
                "rng_seed": str(seed), "rng_offset": str(offset), "optimizer": "AdamW", "lr": "%.17g" % opt.lr,
                "weight_decay": "%.17g" % WEIGHT_DECAY}
    lt.save_file(entries(model, opt), path, metadata)


def load_checkpoint(path, model, opt):
    saved = lt.load_file(path)
    meta = read_metadata(path, ("epoch", "pool", "rng_seed", "rng_offset"), PROGRAM)
    if meta["pool"] != model.pool:
        raise SystemExit(f"{PROGRAM}: the checkpoint has another --pool: {path}")
    with lt.no_grad():  # writing into leaves that require grad
        for key, dst in entries(model, opt).items():
            restore(saved, key, dst, path, PROGRAM)
    lt.set_rng_state((meta["rng_seed"], meta["rng_offset"]))
    return meta["epoch"]


def main(argv):
    args = parse_args(argv, __doc__.splitlines()[0], 16, "digits-cnn-checkpoints", pool=True)
    lt.manual_seed(args.seed)  # draw order as digits_cnn.c: split, initialisation, one permutation per epoch
    x_train, y_train, x_test, y_test = load_data(args.data, PROGRAM, (-1, 1, 8, 8))
    model = Model(args.pool)
    opt = lt.optim.AdamW(model.params, lr=LR, weight_decay=WEIGHT_DECAY)
    epoch, acc = 0, 0.0
    if args.resume:
        epoch = load_checkpoint(args.resume, model, opt)
        acc = accuracy(x_test, y_test, model)
        print(f"resumed from {args.resume} at epoch {epoch} (test accuracy {acc:.4f})")
    print(f"digits_cnn (Python): {x_train.shape[0]} train, {x_test.shape[0]} test images; "
          f"conv-bn-relu-pool-conv-relu-avgpool({args.pool})-linear, AdamW, batch {BATCH}")

    def train(e):
        opt.lr = LR * math.pow(LR_GAMMA, (e - 1) // LR_STEP)  # StepLR from the epoch alone, as digits_cnn.c
        return train_epoch(x_train, y_train, model, opt, BATCH)

    acc = run_epochs(epoch + 1, args.epochs, args.out, train, lambda: accuracy(x_test, y_test, model),
                     lambda path, e: save_checkpoint(path, e, model, opt), acc)
    print(f"final test accuracy: {acc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
