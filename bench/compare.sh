#!/bin/sh
# Same-run comparison of libtensor against an earlier commit: what a change that must not slow anything
# down (a refactor) is checked with. Builds bench_libtensor (Release, CPU) at REV in a temporary git
# worktree and at the working tree, then runs the two programs alternately, group by group, ROUNDS times
# (other load on the machine thus lands on both columns), and prints each case's median time for both
# and the ratio new/old. Exits 1 when a case is slower than the threshold allows.
#
#   bench/compare.sh REV                 (e.g. HEAD~1)
#   BENCH_ROUNDS=N bench/compare.sh REV  (default 5)
#   BENCH_SLOWER_PCT=P                   (default 3: a case more than P% slower fails)
#   BENCH_NICE=-15                       (run the programs at that nice level, as bench/run.sh does)
set -eu

REV=${1:?usage: bench/compare.sh REV}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_COMPARE_DIR:-"$ROOT/build-compare"}
ROUNDS=${BENCH_ROUNDS:-5}
THREADS=2

mkdir -p "$WORK"
OLD_SRC="$WORK/src-old"
if [ ! -d "$OLD_SRC" ]; then git -C "$ROOT" worktree add --detach "$OLD_SRC" "$REV" >/dev/null; fi
git -C "$OLD_SRC" checkout --quiet --detach "$REV"

build() {  # build SRC DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTENSOR_CUDA=OFF -DTENSOR_BUILD_BENCH=ON \
    -DTENSOR_BUILD_TESTS=OFF -DTENSOR_BUILD_EXAMPLES=OFF >"$2.configure.log" 2>&1 || { cat "$2.configure.log"; exit 1; }
  cmake --build "$2" --parallel "$THREADS" --target bench_libtensor >"$2.build.log" 2>&1 || { tail -30 "$2.build.log"; exit 1; }
}
build "$OLD_SRC" "$WORK/old"
build "$ROOT" "$WORK/new"

OUT="$WORK/results"
rm -rf "$OUT"
mkdir -p "$OUT"
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
unset OPENBLAS_CORETYPE
round=1
while [ "$round" -le "$ROUNDS" ]; do
  for group in foundation reductions math matmul autograd; do
    for side in old new; do
      set -- "$WORK/$side/bench/bench_libtensor" --threads "$THREADS" --only "$group"
      if [ -n "${BENCH_NICE:-}" ]; then set -- nice -n "$BENCH_NICE" "$@"; fi
      "$@" >>"$OUT/$side.tsv"
    done
  done
  round=$((round + 1))
done

/usr/bin/python3 - "$OUT" "$REV" "${BENCH_SLOWER_PCT:-3}" <<'EOF'
import statistics, sys
out, rev, pct = sys.argv[1], sys.argv[2], float(sys.argv[3])
def load(side):
    times = {}
    for line in open(f"{out}/{side}.tsv"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "result":
            times.setdefault(f[1], []).append(float(f[2]))
    return {k: statistics.median(v) for k, v in times.items()}
old, new = load("old"), load("new")
print(f"{'case':<28} {'old (' + rev + ')':>16} {'new':>12} {'new/old':>8}")
worst = []
for case in old:
    if case not in new:
        continue
    r = new[case] / old[case]
    flag = "  SLOWER" if r > 1 + pct / 100 else ""
    if flag:
        worst.append(case)
    print(f"{case:<28} {old[case] * 1e6:>14.2f}us {new[case] * 1e6:>10.2f}us {r:>8.3f}{flag}")
print(f"{len(worst)} case(s) more than {pct:g}% slower" + (": " + ", ".join(worst) if worst else ""))
sys.exit(1 if worst else 0)
EOF
