#!/usr/bin/env bash
# A clone as a user gets it, with no ../shared beside it: it configures, and
# make finds a rule for every file the build needs (a dry run: the real
# build is the one this test runs in). Only committed files are in a clone.
# usage: clean_clone_test.sh SOURCE_DIR
set -euo pipefail
source=$1
fail() { echo "clean_clone_test: $*" >&2; exit 1; }
if ! git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
  echo "skipped: $source is not a git checkout"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q "$source" "$scratch/thrift-call"
[ ! -e "$scratch/shared" ] || fail "$scratch/shared exists"
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
