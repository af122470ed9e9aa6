#!/usr/bin/env bash
# The ABI guard: compares a built libtensor.so with the baseline kept in abi/libtensor.abi (libabigail).
#
#   scripts/abi_check.sh [LIB]            check LIB (default build/dev/libtensor.so) against the baseline
#   scripts/abi_check.sh --update [LIB]   rewrite the baseline from LIB (a reviewed ABI change, docs/abi.md)
#   scripts/abi_check.sh --self-test      prove on toy libraries that the guard catches what it must
#
# Fails when a function is removed or changed (its signature, or any type it reaches: struct layout,
# enumerator values, ...) or when the SONAME differs from the baseline's; lists added functions and passes.
# Changes libabigail itself classes as harmless (enumerators appended at the end) pass. A reviewed,
# deliberate exception goes into abi/libtensor.suppr (libabigail suppression syntax), with a comment.
# LIB must carry DWARF (Debug or RelWithDebInfo): without it only symbols could be compared.
# Needs abigail-tools (abidw, abidiff).
set -euo pipefail
cd "$(dirname "$0")/.."

BASELINE=abi/libtensor.abi
SUPPRESSIONS=abi/libtensor.suppr

# One representation for baseline and candidate: only what the public headers expose, no paths or
# line numbers (so documentation edits do not churn the baseline), no DT_NEEDED (CPU and CUDA builds
# share one ABI).
abi_dump() {  # abi_dump <lib> <headers-dir>
  abidw --exported-interfaces-only --headers-dir "$2" --drop-private-types --no-corpus-path \
        --no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash "$1"
}

soname_of() { sed -n "s/.*<abi-corpus [^>]*soname='\([^']*\)'.*/\1/p" "$1" | head -n 1; }

# compare <baseline.abi> <candidate.abi> [suppressions]: prints the report; 0 = compatible.
compare() {
  local old=$1 new=$2 suppr=${3:-} report rc=0
  local args=()
  [ -n "$suppr" ] && [ -f "$suppr" ] && args+=(--suppressions "$suppr")
  local old_so new_so
  old_so=$(soname_of "$old")
  new_so=$(soname_of "$new")
  if [ "$old_so" != "$new_so" ]; then
    echo "ABI check: SONAME is $new_so but the baseline is $old_so."
    echo "A new major version is a new ABI: regenerate the baseline (scripts/abi_check.sh --update)."
    return 1
  fi
  report=$(abidiff "${args[@]}" "$old" "$new") || rc=$?
  if (( rc & 3 )); then
    echo "abidiff failed (status $rc):"
    echo "$report"
    return 1
  fi
  echo "$report" | sed -n '/changes summary/p'
  local removed changed
  # "Functions changes summary: R Removed, C Changed[ (F filtered out)], A Added function" (and Variables)
  removed=$(echo "$report" | awk '/changes summary:/ {n += $4} END {print n + 0}')
  changed=$(echo "$report" | awk '/changes summary:/ {n += $6} END {print n + 0}')
  if (( rc & 8 )) || (( removed > 0 )) || (( changed > 0 )); then
    echo
    echo "ABI check FAILED: $old_so changed incompatibly (removed: $removed, changed: $changed)."
    echo "Keep the old functions and types, or move the major version (docs/abi.md). Details:"
    echo "$report"
    return 1
  fi
  if echo "$report" | grep -q '^\s*\[A\]'; then
    echo "Additions (compatible; they join the baseline at the next release):"
    echo "$report" | grep '^\s*\[A\]'
  fi
  echo "ABI check passed: $new_so is compatible with the baseline."
}

self_test() {
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  mkdir -p "$dir/v1" "$dir/add" "$dir/remove" "$dir/layout" "$dir/enum_value" "$dir/enum_append" "$dir/soname"
  # v1: the baseline API. Each variant changes one thing.
  cat >"$dir/v1/api.h" <<'H'
typedef enum { TOY_A = 0, TOY_B = 1 } toy_kind;
typedef struct { int version; double scale; } toy_options;
int toy_make(const toy_options *o, toy_kind k);
int toy_free(int h);
H
  sed 's/int toy_free(int h);/int toy_free(int h);\nint toy_new(void);/' "$dir/v1/api.h" >"$dir/add/api.h"
  sed '/toy_free/d' "$dir/v1/api.h" >"$dir/remove/api.h"
  sed 's/int version; double scale;/int version; float scale;/' "$dir/v1/api.h" >"$dir/layout/api.h"
  sed 's/TOY_B = 1/TOY_B = 2/' "$dir/v1/api.h" >"$dir/enum_value/api.h"
  sed 's/TOY_B = 1 }/TOY_B = 1, TOY_C = 2 }/' "$dir/v1/api.h" >"$dir/enum_append/api.h"
  cp "$dir/v1/api.h" "$dir/soname/api.h"
  local v
  for v in v1 add remove layout enum_value enum_append soname; do
    {
      echo '#include "api.h"'
      echo 'int toy_make(const toy_options *o, toy_kind k) { return o->version + (int)o->scale + (int)k; }'
      grep -q toy_free "$dir/$v/api.h" && echo 'int toy_free(int h) { return h; }'
      grep -q toy_new "$dir/$v/api.h" && echo 'int toy_new(void) { return 1; }'
    } >"$dir/$v/api.c"
    local so=libtoy.so.1
    [ "$v" = soname ] && so=libtoy.so.2
    cc -g -O0 -shared -fPIC -Wl,-soname,$so -o "$dir/$v/libtoy.so" "$dir/$v/api.c"
    abi_dump "$dir/$v/libtoy.so" "$dir/$v" >"$dir/$v.abi"
  done
  local failures=0 expect out
  for v in add remove layout enum_value enum_append soname; do
    case $v in add | enum_append) expect=pass ;; *) expect=fail ;; esac
    if out=$(compare "$dir/v1.abi" "$dir/$v.abi"); then got=pass; else got=fail; fi
    if [ "$got" = "$expect" ]; then
      echo "self-test $v: $got (as expected)"
    else
      echo "self-test $v: $got, expected $expect:"
      echo "$out"
      failures=$((failures + 1))
    fi
    if [ "$v" = add ] && ! echo "$out" | grep -q "toy_new"; then
      echo "self-test add: the addition of toy_new was not listed"
      failures=$((failures + 1))
    fi
  done
  (( failures == 0 )) && echo "ABI guard self-test passed"
  return $(( failures > 0 ))
}

case "${1:-}" in
--self-test)
  self_test
  ;;
--update)
  lib=${2:-build/dev/libtensor.so}
  mkdir -p abi
  abi_dump "$lib" include/tensor >"$BASELINE"
  echo "baseline $BASELINE rewritten from $lib ($(soname_of "$BASELINE"), $(grep -c '<elf-symbol' "$BASELINE") functions)"
  ;;
*)
  lib=${1:-build/dev/libtensor.so}
  [ -f "$lib" ] || { echo "no library at $lib (build first, or pass its path)" >&2; exit 2; }
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  abi_dump "$lib" include/tensor >"$tmp"
  compare "$BASELINE" "$tmp" "$SUPPRESSIONS"
  ;;
esac
