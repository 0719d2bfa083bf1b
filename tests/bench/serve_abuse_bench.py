#!/usr/bin/env python3
"""serve under hostile clients: linear pipelining, and fairness.

Against `thrift-call serve` with PersonService (examples/person.thrift,
binary, buffered), on 127.0.0.1:
  1. one connection sends N getPerson calls back to back in one burst and
     reads the N replies: the time for --large calls against --small
     (262144 and 65536; linear work gives 4x, the target is under 4.5x);
  2. while one client sends --flood-mb MB of calls and never reads a reply,
     and --idle clients hold connections open past what the open-file
     limit allows (serve runs under `prlimit --nofile=N`), a well-behaved
     client makes sequential calls on fresh connections: the slowest of its
     calls (target under 50 ms), and serve's CPU time and stderr meanwhile.

Prints the figures. Exits non-zero only when the ratio of serve's CPU time
passes --fail-ratio (6) or a well-behaved call fails: a real regression
(the quadratic cut of each message off the buffer gave 13x), not noise.

usage: serve_abuse_bench.py THRIFT_CALL [--fail-ratio R] [--flood-mb MB] [--idle N] [--small N --large N]
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


# serve's CPU per call is bimodal run to run on a 2-core machine (about 1.2
# or 2.1 us): the best of this many runs meets the fast mode at both sizes.
ROUNDS = 9


def call_bytes(seqid, name="Ann"):
    """A strict binary, unframed PersonService.getPerson call."""
    method = b"getPerson"
    body = struct.pack(">bhi", 11, 1, len(name)) + name.encode() + b"\x00"
    return struct.pack(">Ii", 0x80010001, len(method)) + method + struct.pack(">i", seqid) + body


def start_serve(thrift_call, nofile=None):
    cmd = [thrift_call, "serve", os.path.join(SOURCE, "examples", "person.thrift"), "--listen", "127.0.0.1:0",
           "--responses", os.path.join(SOURCE, "examples", "person.responses.json"), "--no-record"]
    if nofile:
        cmd = ["prlimit", f"--nofile={nofile}:{nofile}"] + cmd
    # serve logs each call on stderr: a file, not a pipe nobody reads.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
    server.log = log
    line = server.stdout.readline().decode()
    if not line.startswith("listening on "):
        server.kill()
        sys.exit(f"serve_abuse_bench: serve said {line!r}")
    return server, int(line.split()[-1])


def reply_size(port):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(call_bytes(1))
        s.settimeout(5)
        first = s.recv(65536)
        time.sleep(0.05)
        s.setblocking(False)
        try:
            first += s.recv(65536)
        except BlockingIOError:
            pass
        return len(first)


def pipelined(port, calls, size):
    burst = b"".join(call_bytes(i + 1) for i in range(calls))
    with socket.create_connection(("127.0.0.1", port)) as s:
        start = time.perf_counter()
        sender = threading.Thread(target=s.sendall, args=(burst,))
        sender.start()
        want, got = calls * size, 0
        s.settimeout(60)
        while got < want:
            chunk = s.recv(1 << 20)
            if not chunk:
                sys.exit(f"serve_abuse_bench: serve closed after {got} of {want} reply bytes")
            got += len(chunk)
        sender.join()
        return time.perf_counter() - start


def cpu_seconds(pid):
    """CPU time of the process's threads so far, in ns resolution (schedstat),
    where /proc/PID/stat counts 10 ms ticks."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
            total += int(f.read().split()[0])
    return total / 1e9


def serve_pid(server):
    """serve's own pid (under prlimit, which execs it, the same)."""
    return server.pid


def one_call(port, timeout=5.0):
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(call_bytes(7))
        data = s.recv(65536)
        if not data:
            raise ConnectionError("closed without replying")
    return time.perf_counter() - start


def fairness(thrift_call, flood_mb, idle, nofile, calls):
    server, port = start_serve(thrift_call, nofile)
    holders = []
    try:
        # Hostile 1: calls and never a read.
        flood = socket.create_connection(("127.0.0.1", port))
        burst = call_bytes(1) * (flood_mb * 1024 * 1024 // len(call_bytes(1)))
        def send_flood():
            try:
                flood.sendall(burst)
            except OSError:
                pass  # serve stopped at the end of the run
        threading.Thread(target=send_flood, daemon=True).start()
        # Hostile 2: connections past the open-file limit, held open, idle.
        for _ in range(idle):
            try:
                holders.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        time.sleep(1.2)  # the idle ones age past serve's eviction threshold
        cpu_before, wall_before = cpu_seconds(serve_pid(server)), time.perf_counter()
        latencies = []
        failures = 0
        for _ in range(calls):
            try:
                latencies.append(one_call(port))
            except OSError:
                failures += 1
            time.sleep(0.01)
        cpu = cpu_seconds(serve_pid(server)) - cpu_before
        wall = time.perf_counter() - wall_before
    finally:
        for h in holders:
            h.close()
        server.terminate()
        server.communicate(timeout=10)
    return latencies, failures, cpu, wall, server.log.tell(), len(holders)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("thrift_call")
    parser.add_argument("--fail-ratio", type=float, default=6.0)
    parser.add_argument("--flood-mb", type=int, default=22)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--nofile", type=int, default=256)
    parser.add_argument("--calls", type=int, default=50)
    # Pipelined burst sizes, 4x apart: at 65536 and 262144 one scheduling
    # hiccup decides the ratio less often than at 32768 and 131072.
    parser.add_argument("--small", type=int, default=65536)
    parser.add_argument("--large", type=int, default=262144)
    args = parser.parse_args()

    server, port = start_serve(args.thrift_call)
    try:
        size = reply_size(port)
        # The two sizes alternate, so both meet the machine in the same state
        # (a run of lucky small ones against unlucky large ones gave 6.6x).
        small, large = args.small, args.large
        runs = {small: [], large: []}
        for _ in range(ROUNDS):
            for calls in (small, large):
                before = cpu_seconds(server.pid)
                wall = pipelined(port, calls, size)
                runs[calls].append((wall, cpu_seconds(server.pid) - before))
        times = {calls: min(r[0] for r in runs[calls]) for calls in runs}
        cpus = {calls: min(r[1] for r in runs[calls]) for calls in runs}
        for calls in runs:
            print(f"pipelined: {calls} calls on one connection: {times[calls]:.3f} s, serve's CPU {cpus[calls]:.3f} s "
                  f"(best of {ROUNDS})")
    finally:
        server.terminate()
        server.communicate(timeout=10)
    ratio = times[large] / times[small]
    cpu_ratio = cpus[large] / max(cpus[small], 0.001)
    print(f"pipelined: {large} / {small} calls: {ratio:.2f}x the time, {cpu_ratio:.2f}x serve's CPU "
          "(linear: 4x; target under 4.5x)")

    latencies, failures, cpu, wall, stderr_bytes, held = fairness(args.thrift_call, args.flood_mb, args.idle,
                                                                  args.nofile, args.calls)
    latencies.sort()
    print(f"fairness: {args.flood_mb} MB of unread calls on one connection, {held} idle connections "
          f"(open-file limit {args.nofile}): {len(latencies)} of {args.calls} calls answered, "
          f"median {latencies[len(latencies) // 2] * 1000:.1f} ms, slowest {latencies[-1] * 1000:.1f} ms "
          f"(target under 50 ms); serve used {cpu:.2f} s of CPU in {wall:.2f} s, wrote {stderr_bytes} bytes to stderr")
    # serve's CPU, not the wall clock: the Python client shares the machine.
    if cpu_ratio > args.fail_ratio or failures:
        sys.exit(f"serve_abuse_bench: CPU ratio {cpu_ratio:.2f} (limit {args.fail_ratio}), {failures} failed calls")


if __name__ == "__main__":
    main()
