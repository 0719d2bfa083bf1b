#!/usr/bin/env python3
"""decode's speed on a large capture beside tshark's Thrift dissector, side by side in one run.

Writes a pcap (--mb megabytes, default 200) of many connections to port 9090,
each a client calling PersonService (examples/person.thrift) over framed
binary: getPerson(name) answered with a Person, and savePerson(Person)
answered void, one message a TCP segment, as a loopback tcpdump records it.
Then times, on the same file:
  thrift-call decode FILE --idl examples/person.thrift          (NDJSON to /dev/null)
  tshark -r FILE -d tcp.port==9090,thrift -V -Y thrift           (to /dev/null)
with /usr/bin/time (CPU seconds, peak RSS), and prints throughput (MB/s,
messages/s), memory and the CPU-time ratio.

Target: >= 50x tshark, peak RSS < 50 MB. Exits non-zero only on a real
regression (below --fail-below, default 25x, or 100 MB of memory): a missed
target on a shared machine must not fail CI.

usage: decode_bench.py THRIFT_CALL [--mb N] [--skip-tshark] [--keep FILE]
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IDL = os.path.join(HERE, "..", "..", "examples", "person.thrift")


def tstring(b):
    return struct.pack(">i", len(b)) + b


def framed(m):
    return struct.pack(">I", len(m)) + m


def messages(rng):
    """A pool of (call, reply) pairs with seqid placeholders at byte 4 + 4 + 4 + len(name)."""
    pool = []
    for i in range(64):
        name = ("person-%d-" % i).encode() + b"x" * rng.randrange(0, 40)
        person = b"\x0b\x00\x01" + tstring(name) + b"\x08\x00\x02" + struct.pack(">i", len(name) * 10) + b"\x00"
        if i % 4 == 3:
            call = b"\x80\x01\x00\x01" + tstring(b"savePerson") + b"SEQI" + b"\x0c\x00\x01" + person + b"\x00"
            reply = b"\x80\x01\x00\x02" + tstring(b"savePerson") + b"SEQI" + b"\x00"
        else:
            call = b"\x80\x01\x00\x01" + tstring(b"getPerson") + b"SEQI" + b"\x0b\x00\x01" + tstring(name) + b"\x00"
            reply = b"\x80\x01\x00\x02" + tstring(b"getPerson") + b"SEQI" + b"\x0c\x00\x00" + person + b"\x00"
        pool.append((framed(call), framed(reply)))
    return pool


def write_capture(path, megabytes):
    rng = random.Random(1)
    pool = messages(rng)
    target = megabytes * 1000 * 1000
    out = open(path, "wb")
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    written = 24
    count = 0
    t = 1700000000.0
    conn = 0
    eth = bytes(12) + b"\x08\x00"
    while written < target:
        conn += 1
        cport = 20000 + conn % 40000
        seq = {0: 1000, 1: 5000}
        chunks = []
        for k in range(1000):  # calls per connection
            call, reply = pool[rng.randrange(len(pool))]
            seqid = struct.pack(">i", k)
            for side, msg in ((0, call.replace(b"SEQI", seqid)), (1, reply.replace(b"SEQI", seqid))):
                src, dst = (cport, 9090) if side == 0 else (9090, cport)
                tcp = struct.pack(">HHIIBBHHH", src, dst, seq[side], 0, 0x50, 0x18, 65535, 0, 0)
                ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(msg), 1, 0x4000, 64, 6, 0,
                                 b"\x7f\x00\x00\x01", b"\x7f\x00\x00\x01")
                frame = eth + ip + tcp + msg
                seq[side] += len(msg)
                t += 0.00002 + (0.0001 if side == 1 else 0)
                chunks.append(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame)))
                chunks.append(frame)
                written += 16 + len(frame)
                count += 1
        out.write(b"".join(chunks))
    out.close()
    return count


def timed(argv):
    """CPU seconds (user + sys), wall seconds and peak RSS in MB of a command, output to /dev/null."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        subprocess.run(["/usr/bin/time", "-o", f.name, "-f", "%U %S %e %M"] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        user, system, wall, rss_kb = f.read().split()[-4:]
    return float(user) + float(system), float(wall), int(rss_kb) / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("thrift_call")
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--skip-tshark", action="store_true")
    ap.add_argument("--keep")
    ap.add_argument("--fail-below", type=float, default=25.0)
    args = ap.parse_args()

    path = args.keep or tempfile.mktemp(suffix=".pcap", prefix="decode-bench-")
    try:
        count = write_capture(path, args.mb)
        size_mb = os.path.getsize(path) / 1e6
        print("capture: %.1f MB, %d messages, framed binary PersonService calls" % (size_mb, count))
        cpu, wall, rss = timed([args.thrift_call, "decode", path, "--idl", IDL])
        print("thrift-call decode: %.2f s CPU (%.2f s wall), %.0f MB/s, %.0f messages/s, peak RSS %.1f MB"
              % (cpu, wall, size_mb / cpu, count / cpu, rss))
        cpu_p, _, rss_p = timed([args.thrift_call, "decode", "--pairs", path, "--idl", IDL])
        cpu_s, _, rss_s = timed([args.thrift_call, "decode", "--stats", path, "--idl", IDL])
        print("  --pairs: %.2f s CPU, peak RSS %.1f MB; --stats: %.2f s CPU, peak RSS %.1f MB" % (cpu_p, rss_p, cpu_s, rss_s))
        failed = rss > 100 or rss_p > 100 or rss_s > 100
        if not args.skip_tshark:
            cpu_t, wall_t, rss_t = timed(["tshark", "-r", path, "-d", "tcp.port==9090,thrift", "-V", "-Y", "thrift"])
            ratio = cpu_t / cpu
            print("tshark -V -Y thrift: %.2f s CPU (%.2f s wall), %.1f MB/s, %.0f messages/s, peak RSS %.1f MB"
                  % (cpu_t, wall_t, size_mb / cpu_t, count / cpu_t, rss_t))
            print("ratio (tshark CPU / thrift-call CPU): %.1fx (target 50x); thrift-call memory %.1f MB (target < 50 MB)"
                  % (ratio, rss))
            failed = failed or ratio < args.fail_below
        sys.exit(1 if failed else 0)
    finally:
        if not args.keep and os.path.exists(path):
            os.remove(path)


if __name__ == "__main__":
    main()
