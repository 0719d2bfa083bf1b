"""What the IDL benchmarks share: the corpus's largest files the reference
compiler accepts, and the wall time of one process."""
import json
import os
import subprocess
import time


def timed(cmd, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def largest_accepted(corpus, count):
    """The `count` largest accepted files of ../shared/corpus, as
    (path relative to the corpus's idl/ folder, -I arguments, size in bytes)."""
    manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    accepted = [f for f in manifest["files"] if f["status"] == "accepted"]
    for f in sorted(accepted, key=lambda f: f["bytes"], reverse=True)[:count]:
        includes = []
        for d in f["include_dirs"]:
            includes += ["-I", d]
        yield f["idl"][len("idl/"):], includes, f["bytes"]
