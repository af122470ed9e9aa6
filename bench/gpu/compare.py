"""Merges the outputs of bench_gpu (libtensor) and bench_torch.py (PyTorch) into the GPU table:
throughput of each (TB/s of bytes read + written, TFLOP/s for matmul, microseconds for the tiny op),
the speed ratio libtensor / PyTorch, the issue's target for it and whether it is met.

Usage: compare.py LIBTENSOR_OUTPUT TORCH_OUTPUT [DEVICE_NAME]"""
import sys

# case -> (label, metric, target ratio libtensor/PyTorch); a case ending in _alt_cublas is compared with
# PyTorch's row of the same name without that suffix.
CASES = [
    ("copy_256M_f32", "device-to-device copy, 256M float32", "TB/s", None),
    ("add_256M_f32", "add, two 256M float32", "TB/s", 0.97),
    ("add_bcast_16384x16384_row", "(16384,16384) + (16384,)", "TB/s", 1.3),
    ("sum_256M_f32", "sum of 256M float32", "TB/s", 0.97),
    ("std_256M_f32", "std of 256M float32", "TB/s", 1.2),
    ("max_dim_last_16384x16384", "max with indices, dim -1 of (16384,16384)", "TB/s", 1.25),
    ("max_dim_first_16384x16384", "max with indices, dim 0 of (16384,16384)", "TB/s", 1.25),
    ("matmul_8192_f32", "matmul 8192 float32, no TF32", "TFLOP/s", 0.98),
    ("matmul_8192_f32_alt_cublas", "same, with PyTorch's own cuBLAS library", "TFLOP/s", None),
    ("tiny_add_host_time", "host time per tiny add (no sync)", "us", 2.0),
]


def load(path):
    results, errors, info = {}, {}, []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "result" and len(parts) >= 5:
                results[parts[1]] = (float(parts[2]), float(parts[3]), float(parts[4]))
            elif parts[0] == "error" and len(parts) >= 2:
                errors[parts[1]] = " ".join(parts[2:])
            elif parts[0] == "info" and "torch" in parts[1:2]:
                info.append(" ".join(parts[1:]))
    return results, errors, info


def value(metric, r):
    seconds, nbytes, flops = r
    if metric == "TB/s":
        return nbytes / seconds / 1e12
    if metric == "TFLOP/s":
        return flops / seconds / 1e12
    return seconds * 1e6


def main():
    ours, our_err, _ = load(sys.argv[1])
    theirs, their_err, info = load(sys.argv[2])
    device = sys.argv[3] if len(sys.argv) > 3 else ""
    print(f"GPU: {device}  |  {'; '.join(info)}")
    print()
    print("| case | libtensor | PyTorch | ratio | target | met |")
    print("| --- | ---: | ---: | ---: | ---: | :---: |")
    for key, label, metric, target in CASES:
        torch_key = key.replace("_alt_cublas", "")
        if key != torch_key and key not in ours and key not in our_err:
            continue  # the alternative cuBLAS run did not happen
        if key not in ours or torch_key not in theirs:
            why = our_err.get(key) or their_err.get(torch_key) or "missing"
            print(f"| {label} | - | - | - | {target or ''} | error: {why} |")
            continue
        a, b = value(metric, ours[key]), value(metric, theirs[torch_key])
        # For the host time smaller is better: the ratio is PyTorch's time over ours.
        ratio = b / a if metric == "us" else a / b
        met = "" if target is None else ("yes" if ratio >= target else "NO")
        tgt = "" if target is None else f">= {target:g}x"
        print(f"| {label} | {a:.2f} {metric} | {b:.2f} {metric} | {ratio:.3f}x | {tgt} | {met} |")


if __name__ == "__main__":
    main()
