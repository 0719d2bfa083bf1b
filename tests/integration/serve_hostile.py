#!/usr/bin/python3
"""Hostile clients against `thrift-call serve`, for serve_hostile_test.cpp.

usage: serve_hostile.py THRIFT_CALL SOURCE_DIR SCENARIO...
Prints "ok SCENARIO" for each that holds, else "FAIL SCENARIO: why".
  flood        one client sends 22 MB of calls and never reads a reply;
               another's calls are answered meanwhile, each within 2 s
  descriptors  serve under an open-file limit of 64, 120 connections held
               open: it neither spins (CPU) nor floods stderr, lowers
               --max-conns, and answers a new client once idle ones age
  log-flood    500 connections sending garbage: stderr stays short and
               says how many lines it did not show
  http-413     an HTTP request declaring a 10 GB body is refused with 413
               before a byte of the body is sent
  pipelined    65536 calls in one burst on one connection: every reply,
               in order
The calls are PersonService.getPerson, strict binary, unframed, built here
with Apache's Python library.
"""
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TMessageType
from thrift.transport import TTransport


def call_bytes(seqid):
    buf = TTransport.TMemoryBuffer()
    p = TBinaryProtocol.TBinaryProtocol(buf)
    p.writeMessageBegin("getPerson", TMessageType.CALL, seqid)
    p.writeStructBegin("args")
    p.writeFieldBegin("name", 11, 1)
    p.writeString("Ann")
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeMessageEnd()
    return buf.getvalue()


def send_in_background(sock, data):
    """Sends `data` from a thread; a connection the server closes meanwhile
    (when the scenario ends and serve stops) is no error of the scenario's."""
    def send():
        try:
            sock.sendall(data)
        except OSError:
            pass
    threading.Thread(target=send, daemon=True).start()


def read_seqids(sock, count):
    """Reads `count` replies off `sock`; returns their seqids."""
    data = bytearray()
    seqids = []
    while len(seqids) < count:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError(f"closed after {len(seqids)} replies")
        data += chunk
        while True:
            buf = TTransport.TMemoryBuffer(bytes(data))
            p = TBinaryProtocol.TBinaryProtocol(buf)
            try:
                _, _, seqid = p.readMessageBegin()
                p.skip(12)
                p.readMessageEnd()
            except Exception:
                break  # not all there yet
            used = buf._buffer.tell()
            del data[:used]
            seqids.append(seqid)
    return seqids


class Serve:
    def __init__(self, thrift_call, source, nofile=None, extra=()):
        cmd = [thrift_call, "serve", os.path.join(source, "examples", "person.thrift"), "--listen", "127.0.0.1:0",
               "--responses", os.path.join(source, "examples", "person.responses.json"), "--no-record", *extra]
        if nofile:
            cmd = ["prlimit", f"--nofile={nofile}:{nofile}"] + cmd
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log)
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on "):
            raise RuntimeError(f"serve said {line!r}")
        self.port = int(line.split()[-1])

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.terminate()
        self.process.communicate(timeout=10)
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def call(self, seqid=7, timeout=2.0):
        """One call on a new connection; its latency in seconds."""
        start = time.perf_counter()
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(call_bytes(seqid))
            if read_seqids(s, 1) != [seqid]:
                raise AssertionError("wrong seqid")
        return time.perf_counter() - start


def flood(thrift_call, source):
    serve = Serve(thrift_call, source)
    try:
        hostile = socket.create_connection(("127.0.0.1", serve.port))
        burst = call_bytes(1) * (22 * 1024 * 1024 // len(call_bytes(1)))
        send_in_background(hostile, burst)
        time.sleep(0.5)
        slowest = max(serve.call(i) for i in range(1, 21))
        assert slowest < 2.0, f"a call took {slowest:.2f} s"
    finally:
        serve.stop()


def descriptors(thrift_call, source):
    serve = Serve(thrift_call, source, nofile=64)
    held = []
    try:
        for _ in range(120):
            try:
                held.append(socket.create_connection(("127.0.0.1", serve.port), timeout=1))
            except OSError:
                break
        time.sleep(0.3)
        before = serve.cpu_seconds()
        time.sleep(1.0)
        spent = serve.cpu_seconds() - before
        assert spent < 0.3, f"serve spent {spent:.2f} s of CPU in 1 s holding connections"
        serve.call(timeout=3.0)  # an idle connection makes room
    finally:
        for s in held:
            s.close()
        log = serve.stop()
    assert "--max-conns lowered from 1024 to 32: the open-file limit is 64" in log, log[:500]
    assert len(log) < 20000, f"{len(log)} bytes of stderr"


def log_flood(thrift_call, source):
    serve = Serve(thrift_call, source)
    try:
        for _ in range(500):
            with socket.create_connection(("127.0.0.1", serve.port)) as s:
                s.sendall(b"\x01\x02\x03 garbage")
        time.sleep(1.1)
        serve.call()  # a line after the second passes reports the dropped ones
    finally:
        log = serve.stop()
    lines = log.splitlines()
    assert len(lines) < 60, f"{len(lines)} lines of stderr"
    assert any("more log lines in the last second were not shown" in line for line in lines), log[-500:]


def http_413(thrift_call, source):
    serve = Serve(thrift_call, source, extra=["--transport", "http"])
    try:
        with socket.create_connection(("127.0.0.1", serve.port), timeout=3) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-thrift\r\n"
                      b"Content-Length: 10000000000\r\n\r\n")
            answer = s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    finally:
        serve.stop()


def pipelined(thrift_call, source):
    serve = Serve(thrift_call, source)
    try:
        count = 65536
        with socket.create_connection(("127.0.0.1", serve.port), timeout=20) as s:
            burst = b"".join(call_bytes(i) for i in range(1, count + 1))
            send_in_background(s, burst)
            got = read_seqids(s, count)
        assert got == list(range(1, count + 1)), "replies out of order or missing"
    finally:
        serve.stop()


SCENARIOS = {"flood": flood, "descriptors": descriptors, "log-flood": log_flood, "http-413": http_413,
             "pipelined": pipelined}


def main():
    thrift_call, source = sys.argv[1], sys.argv[2]
    for name in sys.argv[3:]:
        try:
            SCENARIOS[name](thrift_call, source)
            print(f"ok {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, the next scenario runs
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)


if __name__ == "__main__":
    main()
