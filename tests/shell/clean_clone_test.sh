#!/usr/bin/env bash
# A clone as a user gets it, with no ../shared beside it.
# usage: clean_clone_test.sh SOURCE_DIR [configure|demo]
#   configure (the default): it configures, and make finds a rule for every
#     file the build needs (a dry run: the real build is the one this test
#     runs in).
#   demo: the README's first command as a new user runs it there:
#     scripts/demo builds the binary from nothing, serves
#     examples/person.thrift and gets the reply. Prints how long it took
#     (the target is two minutes on 2 cores; measured, not asserted).
# Only committed files are in a clone.
set -euo pipefail
source=$1
mode=${2:-configure}
fail() { echo "clean_clone_test ($mode): $*" >&2; exit 1; }
if ! git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
  echo "skipped: $source is not a git checkout"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q "$source" "$scratch/thrift-call"
[ ! -e "$scratch/shared" ] || fail "$scratch/shared exists"

if [ "$mode" = demo ]; then
  start=$(date +%s.%N)
  # The user's environment, less what would change the build: no generator
  # or configuration chosen beforehand.
  if ! env -u CMAKE_GENERATOR -u CMAKE_BUILD_TYPE -u THRIFT_CALL_IDL "$scratch/thrift-call/scripts/demo" \
    >"$scratch/out" 2>"$scratch/err"; then
    tail -n 30 "$scratch/err" >&2
    fail "scripts/demo failed in a fresh clone"
  fi
  end=$(date +%s.%N)
  expected='{"name":"Ann","age":30}'
  reply=$(tail -n 1 "$scratch/out")  # after the build's progress lines
  [ "$reply" = "$expected" ] || { cat "$scratch/err" >&2; fail "the reply was '$reply', expected '$expected'"; }
  printf 'scripts/demo from a fresh clone: %.0f s (build included, on %s cores), reply %s\n' \
    "$(echo "$end - $start" | bc)" "$(nproc)" "$reply"
  exit 0
fi

# The Makefile generator, whatever the environment says: the dry run below reads make's output.
cmake -G "Unix Makefiles" -S "$scratch/thrift-call" -B "$scratch/build" >"$scratch/configure.log" 2>&1 ||
  { cat "$scratch/configure.log" >&2; fail "the clone does not configure"; }
grep -q "shared/corpus not found: the IDL corpus tests and benchmarks are skipped" "$scratch/configure.log" ||
  { cat "$scratch/configure.log" >&2; fail "configure did not say that the corpus tests are skipped"; }
# A dry run cannot find the libraries it did not build; a file from the
# source side (an absolute path outside the build) that is missing is the fault.
make -k -n -C "$scratch/build" all >"$scratch/make.log" 2>&1 || true
if grep "No rule to make target '/" "$scratch/make.log" | grep -v "'$scratch/build/" >&2; then
  fail "make has no rule for a source file the build needs"
fi
if grep -rq "shared/corpus" "$scratch/build/Makefile" "$scratch/build"/tests/CMakeFiles/*/build.make 2>/dev/null; then
  fail "the build still reads ../shared/corpus"
fi
echo "a clone without ../shared configures, and make finds every input"
