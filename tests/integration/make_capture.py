#!/usr/bin/python3
"""Synthetic captures and dumps for decode's tests, written with `struct`.

usage: make_capture.py KIND OUT
KIND:
  ordered       one connection, calls getPerson("Ann"), getPerson("Bo") framed binary, in order (Ethernet)
  reordered     the same, segments out of order, duplicated and overlapping, a call split in 1-byte segments
  reversed      a 2000-byte call in 1-byte segments, last byte first
  http-chunked  HTTP/1.1 calls whose replies come in chunks (over two segments)
  gap           a segment of the first reply never captured: the decoder reports the gap and reads on
  garbage       300 random bytes between two framed calls
  huge-frame    a frame claiming 2 GB, then a good call
  sll2 / null / raw / ipv6   the ordered exchange over other link types and IPv6
  truncated     the ordered capture cut in the middle of a record
  bad-snaplen   a pcap header with a 4 GB snaplen
  old-binary, old-binary-framed   the ordered exchange with the old non-strict binary envelope
  stream        the ordered exchange's bytes alone (client then server, unframed binary)
Messages are PersonService.getPerson calls (seqid 1 and 2) and replies
Person{name, age=len(name)*10}, in strict binary.
"""
import random
import struct
import sys


def tstring(s):
    b = s.encode()
    return struct.pack(">i", len(b)) + b


def call(name, seqid):
    return (struct.pack(">I", 0x80010001) + tstring("getPerson") + struct.pack(">i", seqid) +
            b"\x0b" + struct.pack(">h", 1) + tstring(name) + b"\x00")


def reply(name, seqid):
    person = b"\x0b" + struct.pack(">h", 1) + tstring(name) + b"\x08" + struct.pack(">hi", 2, len(name) * 10) + b"\x00"
    return (struct.pack(">I", 0x80010002) + tstring("getPerson") + struct.pack(">i", seqid) +
            b"\x0c" + struct.pack(">h", 0) + person + b"\x00")


def old_binary(strict_message):
    """The same message with the old non-strict envelope: name length, name, type byte, seqid."""
    kind = strict_message[3:4]
    name_length = struct.unpack(">i", strict_message[4:8])[0]
    return strict_message[4:8 + name_length] + kind + strict_message[8 + name_length:]


def framed(m):
    return struct.pack(">I", len(m)) + m


CLIENT = ("127.0.0.1", 40000)
SERVER = ("127.0.0.1", 9090)


def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp(src, dst, seq, flags, payload, v6=False):
    header = struct.pack(">HHIIBBHHH", src[1], dst[1], seq, 0, 5 << 4, flags, 65535, 0, 0)
    segment = header + payload
    if v6:
        ip = struct.pack(">IHBB", 6 << 28, len(segment), 6, 64) + bytes(15) + b"\x01" + bytes(15) + b"\x01"
        return ip + segment
    addr = lambda a: bytes(int(x) for x in a[0].split("."))
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(segment), 1, 0x4000, 64, 6, 0, addr(src), addr(dst))
    ip = ip[:10] + struct.pack(">H", checksum(ip)) + ip[12:]
    return ip + segment


def link(kind, ip, v6=False):
    if kind == "ethernet":
        return bytes(12) + (b"\x86\xdd" if v6 else b"\x08\x00") + ip
    if kind == "sll2":
        return struct.pack(">HHIHBB8s", 0x86dd if v6 else 0x0800, 0, 1, 1, 0, 6, bytes(8)) + ip
    if kind == "null":
        return struct.pack("<I", 30 if v6 else 2) + ip
    return ip  # raw


LINKTYPE = {"ethernet": 1, "sll2": 276, "null": 0, "raw": 101}


def pcap(packets, linktype, snaplen=262144):
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)
    for t, frame in packets:
        out += struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame)) + frame
    return out


class Conversation:
    """Builds the segments of one connection, with sequence numbers."""

    def __init__(self):
        self.seq = {CLIENT: 1000, SERVER: 5000}
        self.segments = []  # (time, src, dst, seq, flags, payload)
        self.t = 1700000000.0

    def send(self, src, payload, flags=0x18, step=0.001):
        dst = SERVER if src == CLIENT else CLIENT
        self.segments.append((self.t, src, dst, self.seq[src], flags, payload))
        self.seq[src] += len(payload)
        self.t += step

    def handshake(self):
        self.segments.append((self.t, CLIENT, SERVER, self.seq[CLIENT] - 1, 0x02, b""))
        self.segments.append((self.t, SERVER, CLIENT, self.seq[SERVER] - 1, 0x12, b""))

    def close(self):
        self.send(CLIENT, b"", 0x11)
        self.send(SERVER, b"", 0x11)


def ordered():
    c = Conversation()
    c.handshake()
    c.send(CLIENT, framed(call("Ann", 1)))
    c.send(SERVER, framed(reply("Ann", 1)), step=0.000250)
    c.send(CLIENT, framed(call("Bo", 2)))
    c.send(SERVER, framed(reply("Bo", 2)))
    c.close()
    return c


def frames(c, kind="ethernet", v6=False):
    return [(t, link(kind, tcp(s, d, seq, fl, p, v6), v6)) for (t, s, d, seq, fl, p) in c.segments]


def main():
    kind, out = sys.argv[1], sys.argv[2]
    random.seed(7)
    data = None
    if kind == "ordered":
        data = pcap(frames(ordered()), 1)
    elif kind in ("sll2", "null", "raw"):
        data = pcap(frames(ordered(), kind), LINKTYPE[kind])
    elif kind == "ipv6":
        data = pcap(frames(ordered(), "ethernet", True), 1)
    elif kind == "reordered":
        c = Conversation()
        c.handshake()
        first = framed(call("Ann", 1))
        for i in range(len(first)):  # one byte a segment
            c.send(CLIENT, first[i:i + 1], step=0.00001)
        r = framed(reply("Ann", 1))
        base = c.seq[SERVER]
        c.send(SERVER, r)
        # the reply's segment as three, sent out of order, one twice and one overlapping
        c.segments.pop()
        t = c.t
        parts = [(base + 10, r[10:20]), (base, r[:12]), (base + 20, r[20:]), (base + 10, r[10:20]), (base + 5, r[5:25])]
        for i, (seq, p) in enumerate(parts):
            c.segments.append((t + i * 0.0001, SERVER, CLIENT, seq, 0x18, p))
        c.t += 0.001
        c.send(CLIENT, framed(call("Bo", 2)))
        c.send(SERVER, framed(reply("Bo", 2)))
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "reversed":
        # a 2000-byte call in 1-byte segments, captured last byte first
        c = Conversation()
        c.handshake()
        big = framed(call("A" * 1980, 1))
        base = c.seq[CLIENT]
        for i in reversed(range(len(big))):
            c.segments.append((c.t, CLIENT, SERVER, base + i, 0x18, big[i:i + 1]))
        c.seq[CLIENT] += len(big)
        c.t += 0.001
        c.send(SERVER, framed(reply("A" * 1980, 1)))
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "http-chunked":
        # an HTTP/1.1 exchange: the call with Content-Length, the reply in two chunks and a trailer
        c = Conversation()
        c.handshake()
        for name, seqid in (("Ann", 1), ("Bo", 2)):
            body = call(name, seqid)
            c.send(CLIENT, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-thrift\r\nContent-Length: %d\r\n\r\n"
                   % len(body) + body)
            r = reply(name, seqid)
            chunks = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n" % (10, r[:10], len(r) - 10, r[10:])
            head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            c.send(SERVER, head + chunks[:17], step=0.0)
            c.send(SERVER, chunks[17:], step=0.000999)
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "gap":
        c = ordered()
        # drop the middle of the first reply (the 4th segment after the handshake: index 3)
        t, s, d, seq, fl, p = c.segments[3]
        c.segments[3] = (t, s, d, seq, fl, p[:10])
        c.segments.insert(4, (t, s, d, seq + 20, fl, p[20:]))
        data = pcap(frames(c), 1)
    elif kind == "garbage":
        c = Conversation()
        c.handshake()
        c.send(CLIENT, framed(call("Ann", 1)) + bytes(random.randrange(1, 255) for _ in range(300)) + framed(call("Bo", 2)))
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "huge-frame":
        c = Conversation()
        c.handshake()
        c.send(CLIENT, struct.pack(">I", 0x7ffffff0) + b"\x80\x01\x00\x01" + bytes(20) + framed(call("Bo", 2)))
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "truncated":
        whole = pcap(frames(ordered()), 1)
        data = whole[:len(whole) - 40]
    elif kind == "bad-snaplen":
        data = pcap(frames(ordered()), 1, snaplen=0xffffffff)
    elif kind in ("old-binary", "old-binary-framed"):
        wrap = framed if kind == "old-binary-framed" else (lambda m: m)
        c = Conversation()
        c.handshake()
        c.send(CLIENT, wrap(old_binary(call("Ann", 1))))
        c.send(SERVER, wrap(old_binary(reply("Ann", 1))), step=0.000250)
        c.send(CLIENT, wrap(old_binary(call("Bo", 2))))
        c.send(SERVER, wrap(old_binary(reply("Bo", 2))))
        c.close()
        data = pcap(frames(c), 1)
    elif kind == "stream":
        data = call("Ann", 1) + reply("Ann", 1) + call("Bo", 2) + reply("Bo", 2)
    else:
        sys.exit("unknown kind " + kind)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
