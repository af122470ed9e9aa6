"""PyTorch side of the GPU benchmarks: the cases of bench_gpu.c with the same timing rule (see there),
on the same GPU in the same run. Prints "result <case> <seconds> <bytes> <flops>" lines."""
import statistics
import time

import torch

SAMPLES = 7
GiB = 1024.0 ** 3


def measure(step, reps):
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    samples = []
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        torch.cuda.synchronize()
        samples.append((time.perf_counter() - t0) / reps)
    return statistics.median(samples)


def report(name, seconds, nbytes, flops):
    print(f"result {name} {seconds:.9g} {nbytes:.6g} {flops:.6g}", flush=True)


def main():
    dev = torch.device("cuda", 0)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    a = torch.randn(1 << 28, device=dev)
    b = torch.randn(1 << 28, device=dev)
    report("copy_256M_f32", measure(lambda: a.clone(), 20), 2 * GiB, 0)
    report("add_256M_f32", measure(lambda: a + b, 20), 3 * GiB, 0)
    del b
    report("sum_256M_f32", measure(lambda: a.sum(), 20), GiB, 0)
    report("std_256M_f32", measure(lambda: a.std(), 20), GiB, 0)
    del a
    a = torch.randn(16384, 16384, device=dev)
    b = torch.randn(16384, device=dev)
    report("add_bcast_16384x16384_row", measure(lambda: a + b, 20), 2 * GiB + 16384 * 4.0, 0)
    del b
    report("max_dim_last_16384x16384", measure(lambda: torch.max(a, dim=-1), 20), GiB + 16384 * 12.0, 0)
    report("max_dim_first_16384x16384", measure(lambda: torch.max(a, dim=0), 20), GiB + 16384 * 12.0, 0)
    del a
    a = torch.randn(8192, 8192, device=dev)
    b = torch.randn(8192, 8192, device=dev)
    report("matmul_8192_f32", measure(lambda: a @ b, 5), 3 * 8192.0 * 8192 * 4, 2.0 * 8192 ** 3)
    del a, b
    a = torch.randn(4, device=dev)
    b = torch.randn(4, device=dev)
    for _ in range(1000):
        a + b
    torch.cuda.synchronize()
    samples = []
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        for _ in range(20000):
            a + b
        samples.append((time.perf_counter() - t0) / 20000)
        torch.cuda.synchronize()
    report("tiny_add_host_time", statistics.median(samples), 0, 0)
    print(f"info torch {torch.__version__} {torch.cuda.get_device_name(0)}", flush=True)


if __name__ == "__main__":
    main()
