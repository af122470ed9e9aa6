"""Handwritten digits through libtensor's Python binding: the program of examples/digits/digits.c.

The same data (examples/digits/digits.npz), split, model (MLP 64-256-256-10, ReLU, torch.nn.Linear's
initialisation), cross_entropy, AdamW and shuffled batches of 64, drawn in the same order from the same
stream, and the same checkpoint (OUT/digits-epoch-NN.safetensors: fc1.weight ..., optimizer.state.I.step /
exp_avg / exp_avg_sq, epoch and stream state in __metadata__): for one seed its checkpoints are bitwise
those of the C program, which tests/digits.cmake checks, and each resumes the other's.

It reads like the PyTorch program it mirrors: `import libtensor as torch` would run it unchanged except
for lt.get_rng_state, whose value is (seed, offset) here.

Usage: digits.py [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S]
"""
import math
import sys

import libtensor as lt
import libtensor.nn.functional as F
from digits_common import accuracy, load_data, parse_args, read_metadata, restore, run_epochs, train_epoch

PROGRAM = "digits.py"
PARAM_NAMES = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]
STATE_NAMES = ["step", "exp_avg", "exp_avg_sq"]
LR, WEIGHT_DECAY, BATCH = 1e-3, 0.01, 64


def init_params():
    """torch.nn.Linear: weight and bias U(-1/sqrt(in), 1/sqrt(in)), drawn fc1.weight, fc1.bias, ..."""
    params = []
    for fan_in, fan_out in [(64, 256), (256, 256), (256, 10)]:
        bound = 1.0 / math.sqrt(fan_in)
        w, b = lt.empty(fan_out, fan_in), lt.empty(fan_out)
        w.uniform_(-bound, bound)
        b.uniform_(-bound, bound)
        params += [w.requires_grad_(), b.requires_grad_()]
    return params


def forward(x, p):
    h = F.linear(x, p[0], p[1]).relu()
    h = F.linear(h, p[2], p[3]).relu()
    return F.linear(h, p[4], p[5])


def save_checkpoint(path, epoch, params, opt):
    tensors = dict(zip(PARAM_NAMES, params))
    for i, p in enumerate(params):
        state = opt.state[p]
        for name in STATE_NAMES:
            tensors[f"optimizer.state.{i}.{name}"] = state[name]
    seed, offset = lt.get_rng_state()
    metadata = {"format": "libtensor-digits-1", "epoch": str(epoch), "rng_seed": str(seed),
                "rng_offset": str(offset), "optimizer": "AdamW", "lr": repr(LR), "weight_decay": repr(WEIGHT_DECAY)}
    lt.save_file(tensors, path, metadata)


def load_checkpoint(path, params, opt):
    saved = lt.load_file(path)
    meta = read_metadata(path, ("epoch", "rng_seed", "rng_offset"), PROGRAM)
    with lt.no_grad():  # writing into leaves that require grad
        for i, (name, p) in enumerate(zip(PARAM_NAMES, params)):
            state = opt.state[p]
            for key, dst in [(name, p)] + [(f"optimizer.state.{i}.{s}", state[s]) for s in STATE_NAMES]:
                restore(saved, key, dst, path, PROGRAM)
    lt.set_rng_state((meta["rng_seed"], meta["rng_offset"]))
    return meta["epoch"]


def main(argv):
    args = parse_args(argv, __doc__.splitlines()[0], 30, "digits-checkpoints")
    lt.manual_seed(args.seed)  # draw order as digits.c: split, initialisation, one permutation per epoch
    x_train, y_train, x_test, y_test = load_data(args.data, PROGRAM)
    params = init_params()

    def model(x, training):  # the MLP has no training mode
        return forward(x, params)

    opt = lt.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY)
    epoch, acc = 0, 0.0
    if args.resume:
        epoch = load_checkpoint(args.resume, params, opt)
        acc = accuracy(x_test, y_test, model)
        print(f"resumed from {args.resume} at epoch {epoch} (test accuracy {acc:.4f})")
    print(f"digits (Python): {x_train.shape[0]} train, {x_test.shape[0]} test rows; MLP 64-256-256-10, AdamW, "
          f"batch {BATCH}")
    acc = run_epochs(epoch + 1, args.epochs, args.out, lambda e: train_epoch(x_train, y_train, model, opt, BATCH),
                     lambda: accuracy(x_test, y_test, model), lambda path, e: save_checkpoint(path, e, params, opt),
                     acc)
    print(f"final test accuracy: {acc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
