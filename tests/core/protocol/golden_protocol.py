#!/usr/bin/python3
"""Golden bytes from Apache Thrift's own Python library, made at test time.

Run by tests/core/protocol/round_trip_test.cpp with /usr/bin/python3 (Debian's
python3-thrift). Each case is a named sequence of protocol calls; this script
performs it with TBinaryProtocol, TCompactProtocol and TJSONProtocol over a
TMemoryBuffer and prints one JSON array:

  [{"name": ..., "protocol": "binary"|"compact"|"json", "ops": [[op, args...], ...],
    "hex": <bytes the reference wrote>, "cpp_json": <text, optional>}, ...]

The C++ test replays "ops" with thrift-call's writer and requires the same
bytes, then reads "hex" back with thrift-call's reader.

"cpp_json" marks a JSON case where Apache's Python and C++ libraries write
different bytes for the same calls; thrift-call writes as C++ (and Java) do,
and must still read what Python wrote. The three differences:
  - base64 padding: Python pads, C++ and Java do not;
  - NaN and infinities: Python writes bare nan/inf/-inf (not JSON), C++ the
    strings "NaN", "Infinity", "-Infinity";
  - control bytes other than \\b \\t \\n \\f \\r: Python writes them raw, C++
    as \\u00xx.
(The C++ text was checked once against libthrift 0.17's TJSONProtocol.)

Strings and binary travel as hex, doubles as the hex of their big-endian
IEEE bits, so NaN and -0.0 survive JSON. The accelerated protocols only
serialize generated structs, so they are not used here. Python's 0.17
library has no uuid; uuid is covered by the C++ round-trip table.
"""

import json
import struct as _struct
import sys

try:
    from thrift.Thrift import TType, TMessageType
    from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol
    from thrift.transport.TTransport import TMemoryBuffer
except ImportError as e:  # the C++ test turns this into a failure
    sys.stderr.write("golden_protocol.py: the Apache Thrift Python library is missing "
                     "(apt-get install python3-thrift): %s\n" % e)
    sys.exit(3)


# ---- a small vocabulary for writing cases --------------------------------

def field(ttype, fid, value):
    return [("field_begin", ttype, fid)] + (value if isinstance(value, list) else [value]) + [("field_end",)]


def struct(*fields):
    ops = [("struct_begin",)]
    for f in fields:
        ops += f
    return ops + [("field_stop",), ("struct_end",)]


def message(name, mtype, seqid, body):
    return [("message_begin", name, mtype, seqid)] + body + [("message_end",)]


def lst(etype, *elems, kind="list"):
    ops = [(kind + "_begin", etype, len(elems))]
    for e in elems:
        ops += e if isinstance(e, list) else [e]
    return ops + [(kind + "_end",)]


def mp(ktype, vtype, *pairs):
    ops = [("map_begin", ktype, vtype, len(pairs))]
    for k, v in pairs:
        ops += k if isinstance(k, list) else [k]
        ops += v if isinstance(v, list) else [v]
    return ops + [("map_end",)]


def b(v): return ("bool", v)
def i8(v): return ("byte", v)
def i16(v): return ("i16", v)
def i32(v): return ("i32", v)
def i64(v): return ("i64", v)
def dbl(v): return ("double", v)
def s(v): return ("string", v)
def bn(v): return ("binary", v)


INF = float("inf")
NAN = float("nan")

# (name, ops, cpp_json or None)
CASES = [
    ("integers at their limits", struct(
        field(TType.BYTE, 1, i8(-128)), field(TType.BYTE, 2, i8(127)), field(TType.BYTE, 3, i8(0)),
        field(TType.BYTE, 4, i8(-1)),
        field(TType.I16, 5, i16(-32768)), field(TType.I16, 6, i16(32767)), field(TType.I16, 7, i16(-1)),
        field(TType.I32, 8, i32(-2**31)), field(TType.I32, 9, i32(2**31 - 1)), field(TType.I32, 10, i32(0)),
        field(TType.I32, 11, i32(-1)), field(TType.I32, 12, i32(300)),
        field(TType.I64, 13, i64(-2**63)), field(TType.I64, 14, i64(2**63 - 1)), field(TType.I64, 15, i64(0)),
        field(TType.I64, 16, i64(-1)), field(TType.I64, 17, i64(2**40 + 7))), None),
    ("finite doubles", struct(
        field(TType.DOUBLE, 1, dbl(0.0)), field(TType.DOUBLE, 2, dbl(-0.0)), field(TType.DOUBLE, 3, dbl(1.5)),
        field(TType.DOUBLE, 4, dbl(0.1)), field(TType.DOUBLE, 5, dbl(-1e300)),
        field(TType.DOUBLE, 6, dbl(5e-324)), field(TType.DOUBLE, 7, dbl(2.2250738585072014e-308)),
        field(TType.DOUBLE, 8, dbl(1.7976931348623157e308)), field(TType.DOUBLE, 9, dbl(123456789.125)),
        field(TType.DOUBLE, 10, dbl(1e16)), field(TType.DOUBLE, 11, dbl(1e-5))), None),
    ("NaN and infinities", struct(
        field(TType.DOUBLE, 1, dbl(NAN)), field(TType.DOUBLE, 2, dbl(INF)), field(TType.DOUBLE, 3, dbl(-INF))),
     '{"1":{"dbl":"NaN"},"2":{"dbl":"Infinity"},"3":{"dbl":"-Infinity"}}'),
    ("strings with escapes and UTF-8", struct(
        field(TType.STRING, 1, s("")), field(TType.STRING, 2, s("hello")),
        field(TType.STRING, 3, s('quote" backslash\\ slash/ \b\f\n\r\t end')),
        field(TType.STRING, 4, s("h\u00e9llo \u2603 \U0001d11e")),
        field(TType.STRING, 5, s("x" * 300))), None),
    ("control bytes in a string", struct(
        field(TType.STRING, 1, s("a\x01b\x1fc\x7f"))),
     '{"1":{"str":"a\\u0001b\\u001fc\x7f"}}'),
    ("binary without padding", struct(
        field(TType.STRING, 1, bn(b"")), field(TType.STRING, 2, bn(b"abc")),
        field(TType.STRING, 3, bn(b"\x00\xff\x80\x7f\xfe\x01"))), None),
    ("binary with all 256 byte values", struct(
        field(TType.STRING, 1, bn(bytes(range(256)))), field(TType.STRING, 2, bn(b"ab"))),
     None),  # cpp_json filled in below: Python's text without '=' padding
    ("field ids and deltas", struct(
        field(TType.I32, 1, i32(1)), field(TType.I32, 15, i32(2)), field(TType.I32, 16, i32(3)),
        field(TType.I32, 31, i32(4)), field(TType.I32, 47, i32(5)), field(TType.I32, 32767, i32(6)),
        field(TType.I32, 5, i32(7)), field(TType.I32, -1, i32(8)), field(TType.I32, -32768, i32(9)),
        field(TType.I32, 0, i32(10))), None),
    ("bool fields fold into the header", struct(
        field(TType.BOOL, 1, b(True)), field(TType.BOOL, 2, b(False)), field(TType.BOOL, 40, b(True)),
        field(TType.BOOL, -5, b(False)), field(TType.BOOL, 10, b(True))), None),
    ("lists and sets", struct(
        field(TType.LIST, 1, lst(TType.I32)),
        field(TType.LIST, 2, lst(TType.I32, i32(1), i32(-2), i32(3))),
        field(TType.LIST, 3, lst(TType.I16, *[i16(i) for i in range(15)])),
        field(TType.LIST, 4, lst(TType.BOOL, b(True), b(False), b(True))),
        field(TType.SET, 5, lst(TType.STRING, s("a"), s("b"), kind="set")),
        field(TType.LIST, 6, lst(TType.LIST, lst(TType.I64, i64(1)), lst(TType.I64))),
        field(TType.LIST, 7, lst(TType.DOUBLE, dbl(0.5), dbl(-2.0))),
        field(TType.SET, 8, lst(TType.BYTE, kind="set"))), None),
    ("maps with every kind of key", struct(
        field(TType.MAP, 1, mp(TType.STRING, TType.I32)),
        field(TType.MAP, 2, mp(TType.STRING, TType.I32, (s("a"), i32(1)), (s("b"), i32(2)))),
        field(TType.MAP, 3, mp(TType.I32, TType.STRING, (i32(-7), s("neg")), (i32(300), s("x")))),
        field(TType.MAP, 4, mp(TType.I64, TType.DOUBLE, (i64(2**40), dbl(1.25)))),
        field(TType.MAP, 5, mp(TType.DOUBLE, TType.BOOL, (dbl(1.5), b(True)), (dbl(-0.25), b(False)))),
        field(TType.MAP, 6, mp(TType.BOOL, TType.BYTE, (b(True), i8(1)))),
        field(TType.MAP, 7, mp(TType.STRING, TType.LIST, (s("k"), lst(TType.I32, i32(9)))))), None),
    ("nested structs keep their own field ids", struct(
        field(TType.I32, 3, i32(1)),
        field(TType.STRUCT, 4, struct(field(TType.I32, 20, i32(2)),
                                      field(TType.STRUCT, 21, struct(field(TType.BOOL, 1, b(True)))),
                                      field(TType.BOOL, 22, b(False)))),
        field(TType.I32, 5, i32(3)),
        field(TType.LIST, 6, lst(TType.STRUCT, struct(field(TType.STRING, 1, s("x"))), struct())),
        field(TType.MAP, 7, mp(TType.STRING, TType.STRUCT, (s("k"), struct(field(TType.I16, 2, i16(2))))))),
     None),
    ("a call message", message("ping", TMessageType.CALL, 0, struct()), None),
    ("a reply message", message("getUser", TMessageType.REPLY, 2**31 - 1,
                                struct(field(TType.STRUCT, 0, struct(field(TType.STRING, 1, s("Ann")))))), None),
    ("an exception message", message("fail", TMessageType.EXCEPTION, -1,
                                     struct(field(TType.STRING, 1, s("boom")), field(TType.I32, 2, i32(6)))),
     None),
    ("a oneway message", message("n\u00e4me", TMessageType.ONEWAY, -2**31, struct(field(TType.I64, 1, i64(5)))),
     None),
]


# ---- performing a case ---------------------------------------------------

def apply(proto, ops):
    for op in ops:
        name, args = op[0], op[1:]
        if name == "message_begin":
            proto.writeMessageBegin(*args)
        elif name == "message_end":
            proto.writeMessageEnd()
        elif name == "struct_begin":
            proto.writeStructBegin(None)
        elif name == "struct_end":
            proto.writeStructEnd()
        elif name == "field_begin":
            proto.writeFieldBegin(None, *args)
        elif name == "field_end":
            proto.writeFieldEnd()
        elif name == "field_stop":
            proto.writeFieldStop()
        elif name in ("map_begin", "list_begin", "set_begin", "map_end", "list_end", "set_end"):
            kind, what = name.split("_")
            getattr(proto, "write%s%s" % (kind.capitalize(), what.capitalize()))(*args)
        elif name == "bool":
            proto.writeBool(*args)
        elif name == "byte":
            proto.writeByte(*args)
        elif name in ("i16", "i32", "i64"):
            getattr(proto, "write" + name.capitalize())(*args)
        elif name == "double":
            proto.writeDouble(*args)
        elif name == "string":
            proto.writeString(*args)
        elif name == "binary":
            proto.writeBinary(*args)
        else:
            raise ValueError("unknown op " + name)


def encode_op(op):
    name, args = op[0], list(op[1:])
    if name == "message_begin":
        args[0] = args[0].encode("utf-8").hex()
    elif name == "string":
        args[0] = args[0].encode("utf-8").hex()
    elif name == "binary":
        args[0] = args[0].hex()
    elif name == "double":
        args[0] = _struct.pack(">d", args[0]).hex()
    elif name == "bool":
        args[0] = 1 if args[0] else 0
    return [name] + args


PROTOCOLS = [
    ("binary", TBinaryProtocol.TBinaryProtocol),
    ("compact", TCompactProtocol.TCompactProtocol),
    ("json", TJSONProtocol.TJSONProtocol),
]


def main():
    out = []
    for name, ops, cpp_json in CASES:
        for pname, factory in PROTOCOLS:
            buf = TMemoryBuffer()
            apply(factory(buf), ops)
            data = buf.getvalue()
            entry = {"name": name, "protocol": pname, "ops": [encode_op(op) for op in ops], "hex": data.hex()}
            if pname == "json":
                if name == "binary with all 256 byte values":
                    cpp_json = data.decode("latin-1").replace("=", "")
                if cpp_json is not None:
                    entry["cpp_json"] = cpp_json.encode("latin-1").hex()
            out.append(entry)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
