#!/usr/bin/python3
"""Call and reply messages from Apache Thrift's Python library, made at test time.

usage: golden_messages.py GEN_PY_DIR
GEN_PY_DIR holds `thrift --gen py` output for test/v0.16/ThriftTest.thrift.
For each case, the generated ThriftTest.Client writes the call into a memory
buffer (seqid 0, as Python clients always send), optionally through
TMultiplexedProtocol; the generated Processor runs the call against a handler
and writes the reply. Prints one JSON line per case and protocol:
  {"case", "protocol", "method", "args", "multiplex", "call": HEX, "reply": HEX,
   "expect": {"kind": "success"|"declared"|"application", "json": ..., "type": N}}
"""
import json
import logging
import sys

sys.path.insert(0, sys.argv[1])
logging.disable(logging.CRITICAL)  # the processor logs the handler's TException

from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol  # noqa: E402
from thrift.protocol.TMultiplexedProtocol import TMultiplexedProtocol  # noqa: E402
from thrift.Thrift import TException  # noqa: E402
from thrift.transport import TTransport  # noqa: E402
from ThriftTest import ThriftTest, ttypes as t  # noqa: E402


class Handler:
    def testVoid(self):
        pass

    def testString(self, thing):
        return thing

    def testDouble(self, thing):
        return thing

    def testBinary(self, thing):
        return thing

    def testStruct(self, thing):
        return thing

    def testMap(self, thing):
        return thing

    def testEnum(self, thing):
        return thing

    def testInsanity(self, argument):
        return {1: {t.Numberz.TWO: argument}}

    def testException(self, arg):
        if arg == "Xception":
            raise t.Xception(errorCode=1001, message=arg)
        if arg == "TException":
            raise TException("This is a TException")

    def testMultiException(self, arg0, arg1):
        if arg0 == "Xception2":
            raise t.Xception2(errorCode=2002, struct_thing=t.Xtruct(string_thing="This is an Xception2"))
        return t.Xtruct(string_thing=arg1)

    def testOneway(self, secondsToSleep):
        pass


PROTOCOLS = {
    "binary": TBinaryProtocol.TBinaryProtocolFactory(),
    "compact": TCompactProtocol.TCompactProtocolFactory(),
    "json": TJSONProtocol.TJSONProtocolFactory(),
}

# (case, method, python args, args as a thrift-call user types them, expected reply)
CASES = [
    ("void", "testVoid", [], {}, {"kind": "success", "json": None}),
    ("string", "testString", ["héllo"], {"thing": "héllo"}, {"kind": "success", "json": "héllo"}),
    ("double", "testDouble", [-5.25], {"thing": -5.25}, {"kind": "success", "json": -5.25}),
    ("binary", "testBinary", [b"\x00\xff"], {"thing": "AP8="}, {"kind": "success", "json": "AP8="}),
    ("struct", "testStruct", [t.Xtruct(string_thing="s", byte_thing=1, i32_thing=-2, i64_thing=3)],
     {"thing": {"string_thing": "s", "byte_thing": 1, "i32_thing": -2, "i64_thing": 3}},
     {"kind": "success", "json": {"string_thing": "s", "byte_thing": 1, "i32_thing": -2, "i64_thing": 3}}),
    ("map", "testMap", [{1: 2, -3: 4}], {"thing": {"1": 2, "-3": 4}}, {"kind": "success", "json": {"1": 2, "-3": 4}}),
    ("enum", "testEnum", [t.Numberz.EIGHT], {"thing": "EIGHT"}, {"kind": "success", "json": "EIGHT"}),
    ("nested maps with enum keys", "testInsanity", [t.Insanity(userMap={t.Numberz.ONE: 1}, xtructs=[])],
     {"argument": {"userMap": {"ONE": 1}, "xtructs": []}},
     {"kind": "success", "json": {"1": {"TWO": {"userMap": {"ONE": 1}, "xtructs": []}}}}),
    ("void without exception", "testException", ["ok"], {"arg": "ok"}, {"kind": "success", "json": None}),
    ("declared exception", "testException", ["Xception"], {"arg": "Xception"},
     {"kind": "declared", "json": {"Xception": {"errorCode": 1001, "message": "Xception"}}}),
    ("second declared exception", "testMultiException", ["Xception2", "x"], {"arg0": "Xception2", "arg1": "x"},
     {"kind": "declared",
      "json": {"Xception2": {"errorCode": 2002, "struct_thing": {"string_thing": "This is an Xception2"}}}}),
    ("application exception", "testException", ["TException"], {"arg": "TException"},
     {"kind": "application", "type": 6}),
    ("oneway", "testOneway", [1], {"secondsToSleep": 1}, None),
]


def call_bytes(factory, method, args, multiplex):
    buf = TTransport.TMemoryBuffer()
    proto = factory.getProtocol(buf)
    if multiplex:
        proto = TMultiplexedProtocol(proto, "ThriftTest")
    client = ThriftTest.Client(proto)
    getattr(client, "send_" + method)(*args)
    return buf.getvalue()


def reply_bytes(factory, call):
    inbuf, outbuf = TTransport.TMemoryBuffer(call), TTransport.TMemoryBuffer()
    ThriftTest.Processor(Handler()).process(factory.getProtocol(inbuf), factory.getProtocol(outbuf))
    return outbuf.getvalue()


for name, method, args, as_json, expect in CASES:
    for proto_name, factory in PROTOCOLS.items():
        for multiplex in (False, True):
            if multiplex and proto_name != "binary":
                continue
            call = call_bytes(factory, method, args, multiplex)
            reply = b"" if expect is None else reply_bytes(factory, call_bytes(factory, method, args, False))
            print(json.dumps({"case": name, "protocol": proto_name, "method": method, "args": as_json,
                              "multiplex": multiplex, "call": call.hex(), "reply": reply.hex(), "expect": expect}))

# A method the server does not have: the reply a real processor sends.
for proto_name, factory in PROTOCOLS.items():
    buf = TTransport.TMemoryBuffer()
    proto = factory.getProtocol(buf)
    proto.writeMessageBegin("noSuchMethod", 1, 7)
    proto.writeStructBegin("args")
    proto.writeFieldStop()
    proto.writeStructEnd()
    proto.writeMessageEnd()
    print(json.dumps({"case": "unknown method", "protocol": proto_name, "method": "testVoid", "args": {},
                      "multiplex": False, "call": "", "reply": reply_bytes(factory, buf.getvalue()).hex(),
                      "expect": {"kind": "application", "type": 1}}))
