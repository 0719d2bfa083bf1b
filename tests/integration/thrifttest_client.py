#!/usr/bin/env python3
"""Apache's Python ThriftTest client against `thrift-call serve --echo`
answering from tests/integration/thrifttest_responses.json: each method as
the IDL's comments specify (the echo methods through --echo, the rest through
rules; testInsanity and testMulti for the arguments the rules name).

usage: thrifttest_client.py THRIFTTEST_IDL PORT COMBO...   COMBO: binary/buffered, compact/framed, json/http, ...
Prints "ok COMBO" or "FAIL COMBO: ..." per combination; exits 1 if any failed.
"""
import subprocess
import sys
import tempfile


def main():
    idl, port = sys.argv[1], int(sys.argv[2])
    gen = tempfile.mkdtemp(prefix="thrifttest-client-")
    subprocess.run(["thrift", "--gen", "py", "-out", gen, idl], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sys.path.insert(0, gen)
    from thrift.Thrift import TApplicationException
    from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol
    from thrift.transport import TSocket, TTransport, THttpClient
    from ThriftTest import ThriftTest
    from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct, Xtruct2

    failed = 0
    for combo in sys.argv[3:]:
        protocol, transport = combo.split("/")
        try:
            if transport == "http":
                trans = THttpClient.THttpClient("http://127.0.0.1:%d/" % port)
            else:
                sock = TSocket.TSocket("127.0.0.1", port)
                trans = TTransport.TFramedTransport(sock) if transport == "framed" else TTransport.TBufferedTransport(sock)
            proto = {"binary": TBinaryProtocol.TBinaryProtocol, "compact": TCompactProtocol.TCompactProtocol,
                     "json": TJSONProtocol.TJSONProtocol}[protocol](trans)
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
            trans.close()
            print("ok " + combo, flush=True)
        except Exception as e:
            failed += 1
            print("FAIL %s: %s: %s" % (combo, type(e).__name__, e), flush=True)
    subprocess.run(["rm", "-rf", gen])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
