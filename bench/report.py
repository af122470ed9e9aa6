#!/usr/bin/python3
"""Merges the outputs of one bench/run.sh run into one table, prints it and writes bench/RESULTS.md.

Usage: report.py RESULTS_DIR OUTPUT_MD
RESULTS_DIR holds <pass>.<program>.tsv files (pass: default or skylakex; program: libtensor, libtorch,
numpy), each made of the info / result / error lines the benchmark programs print.
"""
import datetime
import os
import platform
import sys

PROGRAMS = ("libtensor", "libtorch", "numpy")
PASSES = (("default", "default kernel (OPENBLAS_CORETYPE unset)"), ("skylakex", "OPENBLAS_CORETYPE=SkylakeX"))

# (group, case, description, floating-point operations or None)
CASES = [
    ("foundation", "add_3", "add, two (3,) float32, result created and freed", None),
    ("foundation", "image_scale", "Image(256,256,3) * Scale(3) float32", None),
    ("foundation", "add_16m", "a + b, 16M float32, new result", None),
    ("foundation", "add_bcast_4096", "(4096,4096) + (4096,) float32", None),
    ("reductions", "sum_16m", "sum, 16M float32", None),
    ("reductions", "std_16m", "std, 16M float32", None),
    ("reductions", "max_dim_last", "max + indices over dim -1 of (5,256,256,3)", None),
    ("reductions", "mean_dim0_4096", "mean over dim 0 of (4096,4096)", None),
    ("reductions", "mean_dim_last_4096", "mean over dim -1 of (4096,4096)", None),
    ("math", "exp_1m_f32", "exp, 1M float32, new result", None),
    ("math", "log_1m_f32", "log, 1M float32", None),
    ("math", "sin_1m_f32", "sin, 1M float32", None),
    ("math", "tanh_1m_f32", "tanh, 1M float32", None),
    ("math", "sqrt_1m_f32", "sqrt, 1M float32", None),
    ("math", "exp_1m_f64", "exp, 1M float64", None),
    ("math", "sin_1m_f64", "sin, 1M float64", None),
    ("math", "tanh_1m_f64", "tanh, 1M float64", None),
    ("math", "pow_1m_f32", "x.pow(2.5), 1M float32", None),
    ("math", "pow_half_1m_f32", "x.pow(0.5), 1M float32", None),
    ("math", "where_1m_f32", "where(x > 0.5, x, y), 1M float32", None),
    ("matmul", "matmul_f32_1000", "A @ A, A = rand(1000,1000) float32", 2 * 1000 ** 3),
    ("matmul", "matmul_f32_2048", "A @ A, A = rand(2048,2048) float32", 2 * 2048 ** 3),
    ("matmul", "matmul_f64_1000", "A @ A, A = rand(1000,1000) float64", 2 * 1000 ** 3),
    ("matmul", "matmul_f64_2048", "A @ A, A = rand(2048,2048) float64", 2 * 2048 ** 3),
    ("autograd", "autograd_seed", "seed graph: x=[[5,8],[4,6]], x.pow(3).sum(), backward, read grad", None),
    ("autograd", "autograd_chain_1m", "forward+backward of (x*x+1).exp().sum(), 1M float32", None),
    ("sorting", "sort_1m", "sort (values + int64 indices), 1M float32", None),
    ("sorting", "sort_rows_1000", "sort along dim -1 of (1000,1000) float32", None),
    ("sorting", "topk10_4096x1000", "topk k=10 along dim -1 of (4096,1000) float32", None),
    ("optim", "adam_step_1m", "one Adam step (lr 1e-3), 1M float32 parameter", None),
    ("optim", "sgd_momentum_step_1m", "one SGD step (momentum 0.9), 1M float32 parameter", None),
    ("random", "randperm_1m", "randperm(1000000), int64", None),
    ("random", "dropout_16m", "dropout(p=0.5, training), 16M float32", None),
    ("math", "exp2_1m_f32", "exp2, 1M float32", None),
    ("math", "log1p_1m_f32", "log1p, 1M float32", None),
    ("math", "erf_1m_f32", "erf, 1M float32", None),
    ("math", "gelu_1m_f32", "gelu (exact, erf form), 1M float32", None),
    ("math", "silu_1m_f32", "silu, 1M float32", None),
    ("nn", "softmax_4096x1024", "softmax over dim -1 of (4096,1024) float32", None),
    ("nn", "cross_entropy_fb_4096x1000", "cross_entropy forward+backward, logits (4096,1000), int64 targets", None),
    ("nn", "gelu_linear_4096", "gelu(linear(x, W, b)), x (4096,1024), W (1024,1024)", None),
    ("nn", "linear_4096", "linear(x, W, b) alone", None),
    ("nn", "sgemm_4096_cblas", "cblas_sgemm x @ W^T on the same buffers (libtensor program only)", None),
    ("nn", "gelu_4m_f32", "gelu of (4096,1024) float32 alone", None),
    ("train", "train_step_mlp_b256", "digits MLP 64-256-256-10 training step, batch 256 (forward, cross_entropy, "
     "backward, AdamW)", None),
    ("train", "digits_epoch", "one epoch of examples/digits (1438 rows, batches of 64, randperm, index_select)", None),
    ("train", "load_safetensors_1g", "open a 1 GiB safetensors file and get its float32 tensor (mmap)", None),
    ("train", "read_pagecache_1g", "read() of the same 1 GiB file from the page cache (floor of a load)", None),
    ("train", "save_safetensors_1g", "tensor_save_safetensors of a 1 GiB float32 tensor (temp file, fsync, rename)",
     None),
    ("train", "write_fsync_1g", "write() + fsync of a 1 GiB buffer (the disk's sequential write speed)", None),
    ("index", "index_select_4096x128", "index_select of 4096 random rows of (100000,128) float32", None),
    ("index", "gather_dim1_4096x1000", "gather along dim 1 of (4096,1000) float32, (4096,1000) index", None),
    ("index", "scatter_add_dim1_4096x1000", "scatter_add along dim 1 into zeros (4096,1000) float32", None),
    ("index", "cumsum_16m", "cumsum of 16M float32", None),
    ("train", "train_step_cnn_b256", "digits CNN training step, batch 256 of (1,8,8): conv 3x3 1->16, batch_norm, "
     "relu, max_pool 2x2, conv 3x3 16->32, relu, adaptive_avg_pool 2x2, linear, cross_entropy, backward, AdamW", None),
    ("conv", "conv2d_fb_b64_1x28x28", "conv2d forward+backward (weight, bias), x (64,1,28,28), 32 filters 3x3, "
     "padding 1", None),
    ("conv", "conv2d_64x64x56x56", "conv2d forward, x (64,64,56,56), 64 filters 3x3, padding 1, no bias", None),
    ("norm", "layer_norm_4096x1024", "layer_norm over dim -1 of (4096,1024) float32, weight and bias, no grad", None),
    ("norm", "layer_norm_fb_4096x1024", "layer_norm (4096,1024) forward + backward into x, weight and bias", None),
    ("norm", "batch_norm_train_64x64x56x56", "batch_norm training step of (64,64,56,56): forward, running stats, "
     "backward into x, weight and bias", None),
    ("pool", "max_pool2d_fb_64x32x28", "max_pool2d 2x2 of (64,32,28,28) float32, forward + backward", None),
    ("dtypes", "dt_matmul_f32_2048", "A @ B, (2048,2048) float32 (the dtypes group's reference)", 2 * 2048 ** 3),
    ("dtypes", "matmul_bf16_2048", "A @ B, (2048,2048) bfloat16", 2 * 2048 ** 3),
    ("dtypes", "matmul_f16_2048", "A @ B, (2048,2048) float16", 2 * 2048 ** 3),
    ("dtypes", "convert_f32_bf16_16m", "dst.copy_(src): 16M float32 -> bfloat16 (preallocated dst)", None),
    ("dtypes", "convert_bf16_f32_16m", "dst.copy_(src): 16M bfloat16 -> float32", None),
    ("dtypes", "convert_f32_f16_16m", "dst.copy_(src): 16M float32 -> float16", None),
    ("dtypes", "convert_f16_f32_16m", "dst.copy_(src): 16M float16 -> float32", None),
    ("dtypes", "convert_u8_f32_16m", "dst.copy_(src): 16M uint8 -> float32", None),
    ("dtypes", "copy_f32_16m", "dst.copy_(src): 16M float32 -> float32", None),
    ("dtypes", "memcpy_f32_16m", "memcpy of 16M float32 (64 MiB; libtensor program only)", None),
    ("dtypes", "dt_add_f32_16m", "a + b, 16M float32 (the dtypes group's reference)", None),
    ("dtypes", "add_bf16_16m", "a + b, 16M bfloat16", None),
    ("dtypes", "add_f16_16m", "a + b, 16M float16", None),
    ("dtypes", "dt_sum_f32_16m", "sum, 16M float32 (the dtypes group's reference)", None),
    ("dtypes", "sum_bf16_16m", "sum, 16M bfloat16 (float32 accumulation)", None),
    ("dtypes", "sum_f16_16m", "sum, 16M float16 (float32 accumulation)", None),
]


def load(results_dir):
    """{pass: {program: {"info": {key: [values]}, "result": {case: s}, "error": {case: msg}}}}"""
    data = {}
    for pass_name, _ in PASSES:
        for prog in PROGRAMS:
            entry = {"info": {}, "result": {}, "error": {}, "rounds": {}}
            path = os.path.join(results_dir, "%s.%s.tsv" % (pass_name, prog))
            if os.path.exists(path):
                for line in open(path, encoding="utf-8", errors="replace"):
                    parts = line.rstrip("\n").split("\t", 2)
                    if len(parts) != 3 or parts[0] not in entry:
                        continue
                    kind, key, value = parts
                    if kind == "info":
                        entry["info"].setdefault(key, []).append(value)
                    elif kind == "result":
                        entry["rounds"].setdefault(key, []).append(float(value))
                    else:
                        entry["error"][key] = value
            else:
                entry["missing"] = True
            # one number per case: the median of its rounds (each round's number is already a median)
            entry["result"] = {case: median(v) for case, v in entry["rounds"].items()}
            data.setdefault(pass_name, {})[prog] = entry
    return data


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def spread(entry, case):
    """(max - min) / median of a case's rounds: how far one program's own medians moved within this run."""
    rounds = entry["rounds"].get(case) or []
    if len(rounds) < 2:
        return 0.0
    return (max(rounds) - min(rounds)) / median(rounds)


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return "%.3g µs" % (s * 1e6)
    if s < 1:
        return "%.3g ms" % (s * 1e3)
    return "%.3g s" % s


def cell(entry, case):
    if case in entry["result"]:
        return fmt_time(entry["result"][case])
    if case in entry["error"]:
        msg = entry["error"][case].replace("|", "/")
        return "n/a" if msg.startswith("n/a") else "error: " + (msg[:60] + "…" if len(msg) > 60 else msg)
    return "missing" if entry.get("missing") else "—"


def speedup(ours, theirs):
    """How many times faster libtensor is (their time / our time)."""
    if ours is None or theirs is None or ours <= 0:
        return "—"
    return "%.2fx" % (theirs / ours)


def first_info(entry, key, default="?"):
    return entry["info"].get(key, [default])[0]


def load_line(results_dir):
    """The machine's load average when the run started and when it ended (other programs running)."""
    try:
        start = open(os.path.join(results_dir, "loadavg.start")).read().split()[:3]
    except OSError:
        start = ["?"] * 3
    end = ["%.2f" % x for x in os.getloadavg()]
    line = "- Load average (1, 5, 15 min) at the start: %s; at the end: %s" % (" ".join(start), " ".join(end))
    try:
        nice = open(os.path.join(results_dir, "nice")).read().strip()
        line += "; the benchmark programs ran at `nice -n %s` (BENCH_NICE), ahead of that other load" % nice
    except OSError:
        pass
    return line


def machine_lines():
    model, cores = "?", os.cpu_count()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        flags = open("/proc/cpuinfo").read()
        isa = ", ".join(f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl") if " %s " % f in flags)
    except OSError:
        isa = "?"
    lines = ["- CPU: %s, %s logical cores (`nproc`: %s); ISA: %s" % (model, cores, len(os.sched_getaffinity(0)), isa),
             "- OS: %s %s (%s)" % (platform.system(), platform.release(), platform.machine())]
    try:
        mem = [l for l in open("/proc/meminfo") if l.startswith("MemTotal")][0].split()[1]
        lines.append("- Memory: %.1f GiB" % (int(mem) / 1024 / 1024))
    except (OSError, IndexError):
        pass
    return lines


def kernel_label(data, pass_name):
    cores = {prog: first_info(data[pass_name][prog], "blas_core", "?") for prog in PROGRAMS}
    known = sorted({c for c in cores.values() if c != "?"})
    label = known[0] if len(known) == 1 else "/".join("%s:%s" % kv for kv in cores.items())
    return label, cores


def run_time(results_dir):
    """When the run started (its loadavg.start file), so that a report rebuilt later keeps the run's date."""
    start = os.path.join(results_dir, "loadavg.start")
    if os.path.exists(start):
        return datetime.datetime.fromtimestamp(os.path.getmtime(start))
    return datetime.datetime.now()


def fused_linear_section(lt):
    """Issue 15's target for gelu(linear(x)): within 5% of its floors, the sgemm alone plus one gelu pass."""
    need = ("gelu_linear_4096", "sgemm_4096_cblas", "gelu_4m_f32")
    if any(k not in lt for k in need):
        return []
    floor = lt["sgemm_4096_cblas"] + lt["gelu_4m_f32"]
    ratio = lt["gelu_linear_4096"] / floor
    return ["", "## gelu(linear(x)) against its floors", "",
            "libtensor's gelu(linear(x, W, b)) for x (4096,1024), W (1024,1024) took %s; cblas_sgemm of the same "
            "product alone %s plus one gelu pass over the (4096,1024) result %s make %s. Ratio %.3f (target: "
            "<= 1.05, issue 15)." % (fmt_time(lt["gelu_linear_4096"]), fmt_time(lt["sgemm_4096_cblas"]),
                                     fmt_time(lt["gelu_4m_f32"]), fmt_time(floor), ratio)]


def dtypes_section(d):
    """Issue 14's CPU targets, from the dtypes group (run with OPENBLAS_CORETYPE=SkylakeX): each ratio of
    two rows measured in the same program run."""
    lt, torch_r = d["libtensor"]["result"], d["libtorch"]["result"]
    rows = []

    def ratio(what, num, den, target, higher_is_better=True, src=lt, den_src=lt):
        if num not in src or den not in den_src:
            rows.append("| %s | — | %s %.2fx | incomplete (a row is missing or an error) |" % (
                what, ">=" if higher_is_better else "<=", target))
            return
        r = den_src[den] / src[num] if higher_is_better else src[num] / den_src[den]
        ok = r >= target if higher_is_better else r <= target
        rows.append("| %s | %.2fx | %s %.2fx | %s |" % (what, r, ">=" if higher_is_better else "<=", target,
                                                         "met" if ok else "missed"))

    ratio("bfloat16 matmul 2048 throughput / float32 sgemm", "matmul_bf16_2048", "dt_matmul_f32_2048", 1.6)
    ratio("bfloat16 matmul 2048 throughput / libtorch's bfloat16", "matmul_bf16_2048", "matmul_bf16_2048", 1.0,
          den_src=torch_r)
    ratio("float16 matmul 2048 throughput / libtorch's float16", "matmul_f16_2048", "matmul_f16_2048", 1.0,
          den_src=torch_r)
    ratio("add 16M bfloat16 speed / float32 add", "add_bf16_16m", "dt_add_f32_16m", 1.6)
    ratio("add 16M float16 speed / float32 add", "add_f16_16m", "dt_add_f32_16m", 1.6)
    ratio("sum 16M bfloat16 time / float32 sum", "sum_bf16_16m", "dt_sum_f32_16m", 1.2, higher_is_better=False)
    ratio("float32 -> bfloat16 16M speed / memcpy 16M float32", "convert_f32_bf16_16m", "memcpy_f32_16m", 0.6)
    ratio("bfloat16 -> float32 16M speed / memcpy 16M float32", "convert_bf16_f32_16m", "memcpy_f32_16m", 0.6)
    if not lt:
        return []
    return ["", "## Half-precision targets (issue 14)", "",
            "Ratios of libtensor rows of the dtypes group against its own float32 rows or libtorch's, from the "
            "OPENBLAS_CORETYPE=SkylakeX pass. libtorch 1.13 has no CPU float16 matmul (its row is an error).", "",
            "| ratio | measured | target | verdict |", "| --- | ---: | --- | --- |"] + rows


def train_files_section(lt):
    """Issue 18's file targets: loading 1 GiB of safetensors in <= 5% of reading it from the page cache,
    saving it at >= 50% of the disk's sequential write speed (write + fsync), both measured in this run."""
    out = []
    if "load_safetensors_1g" in lt and "read_pagecache_1g" in lt:
        ratio = lt["load_safetensors_1g"] / lt["read_pagecache_1g"]
        out.append("Loading a 1 GiB safetensors file to a usable CPU tensor took %s, reading it from the page cache "
                   "%s: %.2f%% (target: <= 5%%, issue 18)." % (fmt_time(lt["load_safetensors_1g"]),
                                                             fmt_time(lt["read_pagecache_1g"]), 100 * ratio))
    if "save_safetensors_1g" in lt and "write_fsync_1g" in lt:
        ratio = lt["write_fsync_1g"] / lt["save_safetensors_1g"]
        out.append("Saving it took %s against %s for write + fsync of the same bytes: %.0f%% of the disk's sequential "
                   "write speed (target: >= 50%%)." % (fmt_time(lt["save_safetensors_1g"]),
                                                       fmt_time(lt["write_fsync_1g"]), 100 * ratio))
    return ["", "## Checkpoint files against the page cache and the disk", ""] + out if out else []


def build_report(data, command, results_dir):
    out = []
    lt = data["default"]["libtensor"]
    out.append("# libtensor CPU benchmarks")
    out.append("")
    rounds = max([len(v) for v in lt["rounds"].values()] or [0])
    out.append("Generated by `%s` on %s. Each number is the median time per call (batches of at least 2 ms, "
               "about 1 s of samples per case, at least 7), median over %d rounds that alternate the programs, "
               "with 2 threads for every library "
               "(`tensor_set_num_threads(2)`, `torch::set_num_threads(2)`, `OPENBLAS_NUM_THREADS=2`, "
               "`OMP_NUM_THREADS=2`), all measured in this one run. Speedups are the other library's time "
               "divided by libtensor's (above 1.00x: libtensor is faster)."
               % (command, run_time(results_dir).strftime("%Y-%m-%d %H:%M"), rounds))
    out.append("")
    out.append("## Machine and software")
    out.append("")
    out.extend(machine_lines())
    out.append(load_line(results_dir))
    for line in dict.fromkeys(lt["info"].get("config", [])):  # each program invocation prints it: once each
        out.append("- libtensor config: `%s`" % line)
    out.append("- libtorch %s (Debian libtorch-dev, C++ API); NumPy %s on Python %s (/usr/bin/python3)" % (
        first_info(data["default"]["libtorch"], "torch_version"), first_info(data["default"]["numpy"], "numpy_version"),
        first_info(data["default"]["numpy"], "python_version")))
    for pass_name, desc in PASSES:
        label, cores = kernel_label(data, pass_name)
        out.append("- OpenBLAS kernel, %s: **%s** (reported by each program: %s)" % (
            desc, label, ", ".join("%s %s" % (p, c) for p, c in cores.items())))
    out.append("")
    out.append("NumPy and libtorch call the same OpenBLAS library as libtensor (Debian's libopenblas0-pthread "
               "0.3.21 through libblas.so.3), so every matmul row compares like with like: the kernel named in "
               "the row ran in all three programs. Rows other than matmul do not use BLAS and ran "
               "with the default kernel only.")
    out.append("")
    out.append("## All cases")
    out.append("")
    out.append("| case | libtensor | libtorch | NumPy | vs libtorch | vs NumPy |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for group, case, desc, _ in CASES:
        passes = [p for p, _ in PASSES] if group == "matmul" else ["skylakex"] if group == "dtypes" else ["default"]
        for pass_name in passes:
            d = data[pass_name]
            label = desc if group not in ("matmul", "dtypes") else "%s [%s]" % (desc, kernel_label(data, pass_name)[0])
            ours = d["libtensor"]["result"].get(case)
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                label, cell(d["libtensor"], case), cell(d["libtorch"], case), cell(d["numpy"], case),
                speedup(ours, d["libtorch"]["result"].get(case)), speedup(ours, d["numpy"]["result"].get(case))))
    out.extend(fused_linear_section(data["default"]["libtensor"]["result"]))
    out.extend(train_files_section(data["default"]["libtensor"]["result"]))
    out.extend(dtypes_section(data["skylakex"]))
    out.append("")
    out.append("## Matmul against cblas on the same buffers")
    out.append("")
    out.append("`cblas` is cblas_sgemm/cblas_dgemm called directly by the libtensor benchmark program on the "
               "tensors' own buffers (into a preallocated result), measured in alternation with tensor_matmul. "
               "Targets (issue 4): libtensor >= 0.95x cblas throughput, and >= libtorch's and NumPy's.")
    out.append("")
    out.append("| case | kernel | libtensor | cblas | libtorch | NumPy | libtensor / cblas | targets |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for group, case, desc, flops in CASES:
        if group != "matmul":
            continue
        for pass_name, _ in PASSES:
            d = data[pass_name]
            ours = d["libtensor"]["result"].get(case)
            direct = d["libtensor"]["result"].get(case + "_cblas")
            torch_t, numpy_t = d["libtorch"]["result"].get(case), d["numpy"]["result"].get(case)

            def gf(t):
                return "—" if t is None else "%.1f GFLOP/s" % (flops / t / 1e9)

            ratio = "—" if ours is None or direct is None else "%.3f" % (direct / ours)
            if None in (ours, direct, torch_t, numpy_t):
                verdict = "incomplete"
            else:
                # The three programs make the same OpenBLAS call: a median that trails a peer's by less than
                # the spread of either program's rounds is a tie, and is reported as one, with the figures.
                misses, ties = [], []
                if direct / ours < 0.95:
                    misses.append("< 0.95x cblas")
                for peer, name, t in (("libtorch", "libtorch", torch_t), ("numpy", "NumPy", numpy_t)):
                    if ours <= t:
                        continue
                    behind = ours / t - 1
                    noise = max(spread(d["libtensor"], case), spread(d[peer], case))
                    if behind <= noise:
                        ties.append("%s %.1f%% ahead, within the rounds' %.1f%% spread" % (name, 100 * behind, 100 * noise))
                    else:
                        misses.append("slower than %s (%.1f%%, rounds spread %.1f%%)" % (name, 100 * behind, 100 * noise))
                if misses:
                    verdict = "missed: " + ", ".join(misses)
                elif ties:
                    verdict = "tie: " + "; ".join(ties)
                else:
                    verdict = "met"
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                case.replace("matmul_", ""), kernel_label(data, pass_name)[0], gf(ours), gf(direct), gf(torch_t),
                gf(numpy_t), ratio, verdict))
    out.append("")
    out.extend(gpu_section())
    return "\n".join(out)


def gpu_section():
    """The latest GPU table (bench/gpu/RESULTS.md, written from scripts/gpu_check.sh's output), so that
    the CPU and GPU numbers sit in one file."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpu", "RESULTS.md")
    if not os.path.exists(path):
        return []
    lines = open(path, encoding="utf-8").read().splitlines()
    table = [l for l in lines if l.startswith("|")]
    heading = next((l[3:] for l in lines if l.startswith("## 20")), None)
    if not table or heading is None:
        return []
    return ["## GPU (from bench/gpu/RESULTS.md: %s)" % heading, "",
            "Made by `scripts/gpu_check.sh` on a lent GPU, libtensor and PyTorch in the same call; details, "
            "the CUDA test results and how to rerun it are in bench/gpu/RESULTS.md.", ""] + table + [""]


def main():
    results_dir, output = sys.argv[1], sys.argv[2]
    command = sys.argv[3] if len(sys.argv) > 3 else "bench/run.sh"
    text = build_report(load(results_dir), command, results_dir)
    print(text)
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
