#!/usr/bin/env python3
"""Apache's Python ThriftTest client against `thrift-call serve --echo`
answering from tests/integration/thrifttest_responses.json: each method as
the IDL's comments specify (the echo methods through --echo, the rest through
rules; testInsanity and testMulti for the arguments the rules name).

usage: thrifttest_client.py THRIFTTEST_IDL PORT [--unix PATH] COMBO...
COMBO: PROTOCOL/TRANSPORT[/SOCKET], named and stacked as Apache's
test/py/TestClient.py (0.17) names and stacks them:
  PROTOCOL  binary accel compact accelc header json, multi multia multiac multic multih multij
            (accel*: the C extension fastbinary; multi*: ThriftTest and SecondService multiplexed)
  TRANSPORT buffered framed http zlib (zlib: TZlibTransport level 9 over TBufferedTransport)
  SOCKET    ip (the default), ip-ssl (TLS, the certificate not checked; HTTPS for http),
            domain (the Unix socket --unix names; http stays on TCP, as TestClient's does)
Prints "ok COMBO" or "FAIL COMBO: ..." per combination; exits 1 if any failed.
"""
import ssl
import subprocess
import sys
import tempfile
import warnings


def main():
    idl, port = sys.argv[1], int(sys.argv[2])
    combos = sys.argv[3:]
    unix = None
    if combos[:1] == ["--unix"]:
        unix, combos = combos[1], combos[2:]
    gen = tempfile.mkdtemp(prefix="thrifttest-client-")
    subprocess.run(["thrift", "--gen", "py", "-out", gen, idl], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sys.path.insert(0, gen)
    from thrift.Thrift import TApplicationException
    from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol, TMultiplexedProtocol
    from thrift.protocol.THeaderProtocol import THeaderProtocolFactory
    from thrift.transport import TSocket, TSSLSocket, TTransport, THttpClient, TZlibTransport
    from ThriftTest import SecondService, ThriftTest
    from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct, Xtruct2

    factories = {
        "binary": TBinaryProtocol.TBinaryProtocolFactory,
        "accel": lambda: TBinaryProtocol.TBinaryProtocolAcceleratedFactory(fallback=False),
        "compact": TCompactProtocol.TCompactProtocolFactory,
        "accelc": lambda: TCompactProtocol.TCompactProtocolAcceleratedFactory(fallback=False),
        "header": THeaderProtocolFactory,
        "json": TJSONProtocol.TJSONProtocolFactory,
    }
    multiplexed = {"multi": "binary", "multia": "accel", "multiac": "accelc", "multic": "compact", "multih": "header",
                   "multij": "json"}

    def connect(transport, socket):
        if transport == "http":
            if socket == "ip-ssl":
                unverified = ssl.create_default_context()
                unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
                return THttpClient.THttpClient("https://127.0.0.1:%d/" % port, ssl_context=unverified)
            return THttpClient.THttpClient("http://127.0.0.1:%d/" % port)
        if socket == "ip-ssl":
            with warnings.catch_warnings():  # python3-thrift's own use of deprecated ssl API
                warnings.simplefilter("ignore")
                sock = TSSLSocket.TSSLSocket("127.0.0.1", port, validate=False)
        elif socket == "domain":
            sock = TSocket.TSocket(unix_socket=unix)
        else:
            sock = TSocket.TSocket("127.0.0.1", port)
        if transport == "framed":
            return TTransport.TFramedTransport(sock)
        if transport == "zlib":
            return TZlibTransport.TZlibTransport(TTransport.TBufferedTransport(sock), 9)
        return TTransport.TBufferedTransport(sock)

    failed = 0
    for combo in combos:
        parts = combo.split("/")
        protocol, transport = parts[0], parts[1]
        socket = parts[2] if len(parts) > 2 else "ip"
        try:
            trans = connect(transport, socket)
            factory = factories[multiplexed.get(protocol, protocol)]
            proto = factory().getProtocol(trans)
            second = None
            if protocol in multiplexed:
                second = SecondService.Client(TMultiplexedProtocol.TMultiplexedProtocol(factory().getProtocol(trans),
                                                                                         "SecondService"))
                proto = TMultiplexedProtocol.TMultiplexedProtocol(proto, "ThriftTest")
            trans.open()
            c = ThriftTest.Client(proto)

            def same(got, want, what):
                assert got == want, "%s: got %r, want %r" % (what, got, want)

            same(c.testVoid(), None, "testVoid")
            same(c.testString("héllo ☃"), "héllo ☃", "testString")
            same(c.testBool(True), True, "testBool")
            same(c.testByte(-128), -128, "testByte")
            same(c.testI32(-2147483648), -2147483648, "testI32")
            same(c.testI64(9223372036854775807), 9223372036854775807, "testI64")
            same(c.testDouble(-5.25e-10), -5.25e-10, "testDouble")
            same(c.testBinary(bytes(range(256))), bytes(range(256)), "testBinary")
            x = Xtruct(string_thing="s", byte_thing=1, i32_thing=2, i64_thing=3)
            same(c.testStruct(x), x, "testStruct")
            nest = Xtruct2(byte_thing=1, struct_thing=x, i32_thing=3)
            same(c.testNest(nest), nest, "testNest")
            same(c.testMap({1: -1, 2: -2}), {1: -1, 2: -2}, "testMap")
            same(c.testStringMap({"a": "b", "": "empty"}), {"a": "b", "": "empty"}, "testStringMap")
            same(c.testSet({1, 2, 3}), {1, 2, 3}, "testSet")
            same(c.testList([3, -1, 3]), [3, -1, 3], "testList")
            same(c.testEnum(Numberz.EIGHT), Numberz.EIGHT, "testEnum")
            same(c.testTypedef(-7), -7, "testTypedef")
            same(c.testMapMap(1), {-4: {-4: -4, -3: -3, -2: -2, -1: -1}, 4: {1: 1, 2: 2, 3: 3, 4: 4}}, "testMapMap")
            crazy = Insanity(userMap={Numberz.FIVE: 5}, xtructs=[x])
            same(c.testInsanity(crazy), {1: {Numberz.TWO: crazy, Numberz.THREE: crazy}, 2: {Numberz.SIX: Insanity()}},
                 "testInsanity")
            same(c.testMulti(1, 2, 3, {1: "x"}, Numberz.ONE, 5),
                 Xtruct(string_thing="Hello2", byte_thing=1, i32_thing=2, i64_thing=3), "testMulti")
            try:
                c.testException("Xception")
                raise AssertionError("testException(Xception) did not raise")
            except Xception as e:
                same((e.errorCode, e.message), (1001, "Xception"), "testException(Xception)")
            try:
                c.testException("TException")
                raise AssertionError("testException(TException) did not raise")
            except TApplicationException:
                pass
            same(c.testException("none"), None, "testException(none)")
            try:
                c.testMultiException("Xception", "x")
                raise AssertionError("testMultiException(Xception) did not raise")
            except Xception as e:
                same((e.errorCode, e.message), (1001, "This is an Xception"), "testMultiException(Xception)")
            try:
                c.testMultiException("Xception2", "x")
                raise AssertionError("testMultiException(Xception2) did not raise")
            except Xception2 as e:
                same((e.errorCode, e.struct_thing.string_thing), (2002, "This is an Xception2"),
                     "testMultiException(Xception2)")
            same(c.testMultiException("no", "back"), Xtruct(string_thing="back"), "testMultiException(no, back)")
            c.testOneway(1)  # no reply: the next call must still get its own
            same(c.testString("after oneway"), "after oneway", "testString after testOneway")
            if second:
                same(second.secondtestString("foobar"), 'testString("foobar")', "SecondService.secondtestString")
            trans.close()
            print("ok " + combo, flush=True)
        except Exception as e:
            failed += 1
            print("FAIL %s: %s: %s" % (combo, type(e).__name__, e), flush=True)
    subprocess.run(["rm", "-rf", gen])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
