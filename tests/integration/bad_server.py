#!/usr/bin/python3
"""A server that misbehaves on purpose, for thrift-call's fault tests.

usage: bad_server.py MODE [--count FILE] [--probes-too]
Listens on 127.0.0.1 (a free port), prints "listening on PORT", and answers
each binary, unframed call to PersonService.getPerson according to MODE.
thrift-call's probes (a method named thrift_call_probe) get what an Apache
server answers, a TApplicationException UNKNOWN_METHOD, unless --probes-too
(then they get MODE's answer as well). --count FILE appends a line to FILE
for each call handled (probes not counted), before its answer goes out.
  close-mid-reply  half of a valid reply, then closes
  garbage          bytes that are no Thrift message
  wrong-seqid      a valid reply carrying another seqid
  too-deep         a reply whose Person nests structs 10,000 levels deep
  huge-reply       a valid reply whose name is a string of 2 MiB
  slow             a valid reply after 5 seconds
  drip             a valid reply, one byte every 200 ms
  silent           reads calls and never answers
  huge-frame       (for framed clients) a frame length of 2^31-1
  endless          the start of a reply whose result is a list of 2^24
                   i32, then zeros as fast as the socket takes them, never
                   ending
  endless-slow     the same, at 64 KB every 50 ms
  http-404, http-500  an HTTP response with that status
  http-html           200 with a text/html page, as a proxy or web server may send
  bad-utf8-exception  a TApplicationException whose message has a byte
                   that is not UTF-8 (0xff)
  control-exception   a TApplicationException whose message holds terminal
                   control: ESC [31m, a newline, a C1 CSI (U+009B)
  http-endless     (HTTP) 200 with a Content-Length of 10^11, and bytes
                   sent as fast as the client takes them, for ever
  http-endless-chunked  the same, chunked, with no length declared
  http-drip        200 with a Content-Length of 10^6, one byte every 50 ms
  bad-base64       (JSON protocol, unframed, ThriftTest.testBinary) answers
                   each connection's first call with a binary value that is
                   not base64, and each later call on it with the base64 of
                   "call N on connection C"
"""
import base64
import itertools
import socket
import sys
import threading
import time

from thrift.protocol import TBinaryProtocol, TJSONProtocol
from thrift.Thrift import TMessageType, TType
from thrift.transport import TTransport


def read_call(conn, protocol=TBinaryProtocol.TBinaryProtocol, received=None):
    """Reads one unframed call; returns (name, seqid). `received` (a
    bytearray) keeps what came in after the call, for the next one."""
    data = received if received is not None else bytearray()
    while True:
        if data:
            try:
                trans = TTransport.TMemoryBuffer(bytes(data))
                proto = protocol(trans)
                name, _, seqid = proto.readMessageBegin()
                proto.skip(TType.STRUCT)
                proto.readMessageEnd()
                del data[: trans._buffer.tell()]
                return name, seqid
            except Exception:
                pass
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk


def answer_bad_base64(conn, connection_number):
    """JSON protocol: the first reply's binary is not base64, the rest are."""
    received = bytearray()
    for calls in itertools.count(1):
        call = read_call(conn, TJSONProtocol.TJSONProtocol, received)
        if call is None:
            return
        name, seqid = call
        if calls == 1:
            value = b'"!not base64!"'
        else:
            value = b'"' + base64.b64encode(b"call %d on connection %d" % (calls, connection_number)) + b'"'
        conn.sendall(b'[1,"%s",2,%d,{"0":{"str":%s}}]' % (name.encode(), seqid, value))


def reply(name, seqid, person_name="Ann", depth=0):
    buf = TTransport.TMemoryBuffer()
    p = TBinaryProtocol.TBinaryProtocol(buf)
    p.writeMessageBegin(name, TMessageType.REPLY, seqid)
    p.writeStructBegin("result")
    p.writeFieldBegin("success", TType.STRUCT, 0)
    p.writeStructBegin("Person")
    for _ in range(depth):  # field 3, a struct in a struct in ...
        p.writeFieldBegin("deep", TType.STRUCT, 3)
    for _ in range(depth):
        p.writeFieldStop()
    p.writeFieldBegin("name", TType.STRING, 1)
    p.writeString(person_name)
    p.writeFieldEnd()
    p.writeFieldBegin("age", TType.I32, 2)
    p.writeI32(30)
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeMessageEnd()
    return buf.getvalue()


def application_exception(name, seqid, message, kind=6):  # 6: INTERNAL_ERROR
    buf = TTransport.TMemoryBuffer()
    p = TBinaryProtocol.TBinaryProtocol(buf)
    p.writeMessageBegin(name, TMessageType.EXCEPTION, seqid)
    p.writeStructBegin("TApplicationException")
    p.writeFieldBegin("message", TType.STRING, 1)
    p.writeBinary(message)
    p.writeFieldEnd()
    p.writeFieldBegin("type", TType.I32, 2)
    p.writeI32(kind)
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeMessageEnd()
    return buf.getvalue()


def endless_reply_start(name, seqid):
    """A binary reply envelope and a result struct whose field 0 is a list
    of 2^24 i32: 64 MiB to come."""
    buf = TTransport.TMemoryBuffer()
    p = TBinaryProtocol.TBinaryProtocol(buf)
    p.writeMessageBegin(name, TMessageType.REPLY, seqid)
    p.writeStructBegin("result")
    p.writeFieldBegin("success", TType.LIST, 0)
    p.writeListBegin(TType.I32, 1 << 24)
    return buf.getvalue()


PROBE = "thrift_call_probe"
count_file = None
probes_too = False
count_lock = threading.Lock()


def count_call(name, seqid):
    if count_file:
        with count_lock, open(count_file, "a") as f:
            f.write("%s %d\n" % (name, seqid))


def read_http_request(conn):
    """Reads a request's head and its Content-Length of body; False on close."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def answer_http_endless(conn, mode):
    if not read_http_request(conn):
        return
    count_call("POST", 0)
    try:
        if mode == "http-drip":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-thrift\r\nContent-Length: 1000000\r\n\r\n")
            while True:
                conn.sendall(b"\x00")
                time.sleep(0.05)
        block = b"\x00" * 65536
        if mode == "http-endless-chunked":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-thrift\r\nTransfer-Encoding: chunked\r\n\r\n")
            block = b"%x\r\n%s\r\n" % (len(block), block)
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-thrift\r\nContent-Length: 100000000000\r\n\r\n")
        while True:
            conn.sendall(block)
    except OSError:
        return  # the client gave up


def handle(conn, mode, connection_number):
    with conn:
        if mode.startswith("http-endless") or mode == "http-drip":
            answer_http_endless(conn, mode)
            return
        if mode == "bad-base64":
            answer_bad_base64(conn, connection_number)
            return
        if mode in ("bad-utf8-exception", "control-exception"):
            message = b"no \xff such" if mode == "bad-utf8-exception" else b"red \x1b[31mtext\nsecond line \xc2\x9b2J"
            received = bytearray()
            while True:
                call = read_call(conn, received=received)
                if call is None:
                    return
                conn.sendall(application_exception(call[0], call[1], message))
        if mode == "http-html":  # a proxy's or a web server's page, with 200
            conn.recv(65536)
            body = b"<html><body>\x1b[31mWelcome</body></html>"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (len(body), body))
            return
        if mode.startswith("http-"):
            conn.recv(65536)
            status = mode[5:]
            body = b"no such endpoint" if status == "404" else b"the server broke"
            conn.sendall(b"HTTP/1.1 %s X\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (status.encode(), len(body), body))
            return
        if mode == "huge-frame":
            conn.recv(65536)
            conn.sendall(b"\x7f\xff\xff\xff")
            time.sleep(2)
            return
        if mode == "silent":
            while conn.recv(65536):
                pass
            time.sleep(60)  # not even a close
            return
        call = read_call(conn)
        if call is None:
            return
        name, seqid = call
        if name.endswith(PROBE) and not probes_too:
            # What Apache's (not multiplexed) processors answer: UNKNOWN_METHOD.
            conn.sendall(application_exception(name, seqid, b"Unknown function " + name.encode(), kind=1))
            return
        if not name.endswith(PROBE):
            count_call(name, seqid)
        good = reply(name, seqid)
        if mode == "close-mid-reply":
            conn.sendall(good[: len(good) // 2])
        elif mode == "garbage":
            conn.sendall(b"\xff\xfe\xfdgarbage that is no thrift at all" * 4)
            time.sleep(0.5)
        elif mode == "wrong-seqid":
            conn.sendall(reply(name, seqid + 1))
            time.sleep(0.5)
        elif mode in ("endless", "endless-slow"):
            start = endless_reply_start(name, seqid)
            conn.sendall(start)
            zeros = bytes(65536)
            try:
                while True:
                    conn.sendall(zeros)
                    if mode == "endless-slow":
                        time.sleep(0.05)
            except OSError:
                return  # the client gave up, as it should
        elif mode == "too-deep":
            conn.sendall(reply(name, seqid, depth=10000))
            time.sleep(0.5)
        elif mode == "huge-reply":
            conn.sendall(reply(name, seqid, person_name="x" * (2 << 20)))
            time.sleep(0.5)
        elif mode == "drip":
            for i in range(len(good)):
                conn.sendall(good[i:i + 1])
                time.sleep(0.2)
        elif mode == "slow":
            time.sleep(5)
            conn.sendall(good)


def main():
    global count_file, probes_too
    mode = sys.argv[1]
    args = sys.argv[2:]
    if "--count" in args:
        count_file = args[args.index("--count") + 1]
    probes_too = "--probes-too" in args
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print("listening on %d" % server.getsockname()[1], flush=True)
    for connection_number in itertools.count(1):
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn, mode, connection_number), daemon=True).start()


if __name__ == "__main__":
    main()
