#!/usr/bin/env python3
"""serve's speed beside the C++ generated server, side by side in one run.

Both serve PersonService from examples/person.thrift on 127.0.0.1, binary
protocol, buffered transport:
  - example_server: `thrift --gen cpp` code on libthrift, TThreadedServer
  - thrift-call serve, answering getPerson from examples/person.responses.json
    (recording off, and, for information, recording to a file)
The same C++ generated client (person_client, TBinaryProtocol over
TBufferedTransport) drives each: --calls sequential getPerson("Ann") calls
over one connection, --runs times, the servers alternating, each server and
its client pinned to the same CPU (on a shared machine a loopback round trip
between CPUs varies several-fold from run to run). Prints calls per second
as the client times itself, the best and the median run, and the ratios
(other load only ever slows a run down, so the best runs compare capability);
then, for information, --clients clients at once against each (serve runs one
event-loop thread, TThreadedServer a thread per client).

Target: serve >= 0.5x the generated server. Exits non-zero only below
--fail-below (0.25): a real regression, not noise on a shared machine.

usage: serve_bench.py THRIFT_CALL PERSON_CLIENT EXAMPLE_SERVER [--calls N] [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


CPU = max(os.sched_getaffinity(0))


def pinned():
    os.sched_setaffinity(0, {CPU})


def start(cmd):
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=pinned)
    line = server.stdout.readline()
    if not line.startswith("listening on "):
        server.kill()
        sys.exit(f"serve_bench: {cmd[0]} said {line!r}")
    return server, int(line.split()[-1])


def rate(client, port, calls):
    out = subprocess.run([client, str(port), "--loop", str(calls)], capture_output=True, text=True, preexec_fn=pinned)
    if out.returncode != 0:
        sys.exit(f"serve_bench: person_client failed on port {port}: {out.stderr}")
    fields = out.stdout.split()
    return float(fields[fields.index("calls_per_s") + 1])


def parallel_rate(client, port, calls, clients):
    """Calls/s of `clients` person_client processes at once, each with its own connection."""
    procs = [subprocess.Popen([client, str(port), "--loop", str(calls)], stdout=subprocess.PIPE, text=True)
             for _ in range(clients)]
    total = 0.0
    for p in procs:
        out, _ = p.communicate()
        if p.returncode != 0:
            sys.exit(f"serve_bench: person_client failed on port {port}")
        fields = out.split()
        total += float(fields[fields.index("calls_per_s") + 1])
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("thrift_call")
    parser.add_argument("person_client")
    parser.add_argument("example_server")
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4, help="clients at once, for the information line")
    parser.add_argument("--target", type=float, default=0.5)
    parser.add_argument("--fail-below", type=float, default=0.25)
    args = parser.parse_args()

    record = tempfile.NamedTemporaryFile(prefix="serve-bench-", suffix=".ndjson", delete=False)
    record.close()
    serve_cmd = [args.thrift_call, "serve", os.path.join(SOURCE, "examples", "person.thrift"), "--listen", "127.0.0.1:0",
                 "--responses", os.path.join(SOURCE, "examples", "person.responses.json")]
    servers = {
        "C++ generated (TThreadedServer)": start([args.example_server, "--server", "threaded", "--protocol", "binary",
                                                  "--transport", "buffered", "--port", "0"]),
        "thrift-call serve": start(serve_cmd + ["--no-record"]),
        "thrift-call serve --record FILE": start(serve_cmd + ["--record", record.name]),
    }
    try:
        rates = {name: [] for name in servers}
        for _ in range(args.runs):
            for name, (_, port) in servers.items():
                rates[name].append(rate(args.person_client, port, args.calls))
        together = {name: parallel_rate(args.person_client, servers[name][1], args.calls // 2, args.clients)
                    for name in ("C++ generated (TThreadedServer)", "thrift-call serve")}
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
        os.unlink(record.name)

    median = {name: statistics.median(r) for name, r in rates.items()}
    best = {name: max(r) for name, r in rates.items()}
    print(f"getPerson over one connection, {args.calls} calls, {args.runs} runs each, server and client on CPU {CPU} "
          f"(C++ generated client)")
    for name in rates:
        print(f"  {name:34s} best {best[name]:7.0f} calls/s, median {median[name]:7.0f}   "
              f"runs: {', '.join(f'{r:.0f}' for r in rates[name])}")
    base = "C++ generated (TThreadedServer)"
    ratio = best["thrift-call serve"] / best[base]
    verdict = "meets" if ratio >= args.target else "MISSES"
    print(f"ratio serve / C++ generated server: {ratio:.2f}x best to best ({verdict} the target {args.target}x), "
          f"{median['thrift-call serve'] / median[base]:.2f}x median to median; recording to a file: "
          f"{best['thrift-call serve --record FILE'] / best[base]:.2f}x")
    cpp_together, serve_together = together.values()
    print(f"for information, {args.clients} clients at once (one run): C++ generated {cpp_together:.0f} calls/s, "
          f"serve {serve_together:.0f} calls/s, {serve_together / cpp_together:.2f}x")
    if ratio < args.fail_below:
        sys.exit(f"serve_bench: {ratio:.2f}x is below {args.fail_below}x: a regression")


if __name__ == "__main__":
    main()
