#!/usr/bin/env python3
"""IDL parse-and-resolve speed, side by side with the reference compiler.

For each of the largest corpus files:
  reference  `thrift --gen json FILE` minus `thrift --gen json EMPTY` (median of
             alternating runs): the compiler's own work on the file, without
             its process start-up.
  ours       parse + resolve of the same file in one process (idl_parse_bench,
             best of many runs).
Prints both and their ratio, then the whole-process times of
`thrift --gen json FILE` and `thrift-call schema --format thrift-json FILE`
for reference. Exits non-zero if the slowest ratio is under --target.

usage: idl_bench.py IDL_PARSE_BENCH THRIFT_CALL CORPUS_DIR [--runs N] [--target X]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from corpus_files import largest_accepted, timed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parse_bench")
    ap.add_argument("thrift_call")
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--target", type=float, default=10.0)
    args = ap.parse_args()

    idl_dir = os.path.join(args.corpus, "idl")

    print(f"{'file':40} {'KB':>5} {'thrift ms':>9} {'ours ms':>8} {'ratio':>7}   "
          f"{'whole process: thrift':>21} {'thrift-call':>11}")
    worst = None
    with tempfile.TemporaryDirectory() as out:
        empty = os.path.join(out, "empty.thrift")
        open(empty, "w").close()
        for rel, incs, size in largest_accepted(args.corpus, args.files):
            ref_cmd = ["thrift"] + incs + ["--gen", "json", "-out", out, rel]
            empty_cmd = ["thrift", "--gen", "json", "-out", out, empty]
            our_cmd = [os.path.abspath(args.thrift_call), "-q", "schema", "--format", "thrift-json"] + incs + [rel]
            ref, base, whole = [], [], []
            for _ in range(args.runs):
                ref.append(timed(ref_cmd, idl_dir))
                base.append(timed(empty_cmd, idl_dir))
                whole.append(timed(our_cmd, idl_dir))
            ref_ms = (statistics.median(ref) - statistics.median(base)) * 1e3
            line = subprocess.run([os.path.abspath(args.parse_bench)] + incs + [rel], cwd=idl_dir, check=True,
                                  capture_output=True, text=True).stdout.split()
            ours_ms = float(line[-1])
            ratio = ref_ms / ours_ms
            worst = ratio if worst is None else min(worst, ratio)
            name = os.path.basename(rel)
            print(f"{name:40} {size / 1024:>5.0f} {ref_ms:>9.2f} {ours_ms:>8.3f} {ratio:>6.1f}x   "
                  f"{statistics.median(ref) * 1e3:>18.2f} ms {statistics.median(whole) * 1e3:>8.2f} ms")
    print(f"slowest ratio: {worst:.1f}x (target {args.target}x)")
    return 0 if worst >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
