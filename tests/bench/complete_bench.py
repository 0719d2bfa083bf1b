#!/usr/bin/env python3
"""Shell completion speed: one TAB on the largest corpus IDLs.

For each of the largest corpus files, the whole-process time (median and best
of --runs, alternating) of
  ours       `thrift-call __complete describe --idl FILE ''` (what the scripts
             run for `thrift-call describe --idl FILE <TAB>`: every service,
             method and type of the file, so the whole file is parsed)
  reference  `thrift --gen json FILE`, the Apache compiler reading the same file
and their ratio. The target is 50 ms for ours; exits non-zero only on a real
regression, a median over twice the target (--fail-ms).

usage: complete_bench.py THRIFT_CALL CORPUS_DIR [--runs N] [--files N]
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
    ap.add_argument("thrift_call")
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--files", type=int, default=3)
    ap.add_argument("--target-ms", type=float, default=50.0)
    ap.add_argument("--fail-ms", type=float, default=100.0)
    args = ap.parse_args()

    idl_dir = os.path.join(args.corpus, "idl")
    thrift_call = os.path.abspath(args.thrift_call)

    print(f"{'file':28} {'KB':>4} {'candidates':>10} {'ours median/best ms':>20} {'thrift median/best ms':>22} {'ratio':>6}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as out:
        for rel, incs, size in largest_accepted(args.corpus, args.files):
            ours_cmd = [thrift_call, "__complete", "describe", "--idl", rel] + incs + [""]
            ref_cmd = ["thrift"] + incs + ["--gen", "json", "-out", out, rel]
            answer = subprocess.run(ours_cmd, cwd=idl_dir, check=True, capture_output=True, text=True).stdout
            candidates = len(answer.splitlines()) - 1
            if candidates <= 0:
                print(f"{rel}: no candidates: {answer!r}")
                return 1
            ours, ref = [], []
            for _ in range(args.runs):
                ours.append(timed(ours_cmd, idl_dir))
                ref.append(timed(ref_cmd, idl_dir))
            ours_ms, ref_ms = statistics.median(ours) * 1e3, statistics.median(ref) * 1e3
            worst = max(worst, ours_ms)
            print(f"{os.path.basename(rel):28} {size / 1024:>4.0f} {candidates:>10} "
                  f"{ours_ms:>11.2f} / {min(ours) * 1e3:>6.2f} {ref_ms:>13.2f} / {min(ref) * 1e3:>6.2f} "
                  f"{ref_ms / ours_ms:>5.1f}x")
    print(f"slowest median: {worst:.2f} ms (target {args.target_ms:.0f} ms, failing over {args.fail_ms:.0f} ms)")
    return 0 if worst <= args.fail_ms else 1


if __name__ == "__main__":
    sys.exit(main())
