#!/usr/bin/python3
"""Apache Thrift's cross-language test service (test/v0.16/ThriftTest.thrift),
served with the Python library, every method as the IDL's comments specify.

usage: thrifttest_server.py [the flags of examples/python/server.py]
Generates the Python code with `thrift --gen py` at start. ThriftTest and
SecondService are served multiplexed with --multiplex, else ThriftTest alone.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
IDL = os.path.join(ROOT, "tests", "data", "ThriftTest.thrift")
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

import server as example  # noqa: E402  (examples/python/server.py: serve() and its flags)


def main():
    ap = argparse.ArgumentParser()
    example.add_arguments(ap)
    args = ap.parse_args()
    gen_dir = args.gen_dir or tempfile.mkdtemp(prefix="thrift-call-thrifttest-")
    subprocess.run(["thrift", "--gen", "py", "-out", gen_dir, IDL], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sys.path.insert(0, gen_dir)
    from thrift.Thrift import TException
    from thrift.TMultiplexedProcessor import TMultiplexedProcessor
    from ThriftTest import SecondService, ThriftTest
    from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct

    class Handler:
        def testVoid(self):
            pass

        def testString(self, thing):
            return thing

        def testBool(self, thing):
            return thing

        def testByte(self, thing):
            return thing

        def testI32(self, thing):
            return thing

        def testI64(self, thing):
            return thing

        def testDouble(self, thing):
            return thing

        def testBinary(self, thing):
            return thing

        def testStruct(self, thing):
            return thing

        def testNest(self, thing):
            return thing

        def testMap(self, thing):
            return thing

        def testStringMap(self, thing):
            return thing

        def testSet(self, thing):
            return thing

        def testList(self, thing):
            return thing

        def testEnum(self, thing):
            return thing

        def testTypedef(self, thing):
            return thing

        def testMapMap(self, hello):
            return {-4: {-4: -4, -3: -3, -2: -2, -1: -1}, 4: {1: 1, 2: 2, 3: 3, 4: 4}}

        def testInsanity(self, argument):
            return {1: {Numberz.TWO: argument, Numberz.THREE: argument}, 2: {Numberz.SIX: Insanity()}}

        def testMulti(self, arg0, arg1, arg2, arg3, arg4, arg5):
            return Xtruct(string_thing="Hello2", byte_thing=arg0, i32_thing=arg1, i64_thing=arg2)

        def testException(self, arg):
            if arg == "Xception":
                raise Xception(errorCode=1001, message=arg)
            if arg == "TException":
                raise TException("This is a TException")

        def testMultiException(self, arg0, arg1):
            if arg0 == "Xception":
                raise Xception(errorCode=1001, message="This is an Xception")
            if arg0 == "Xception2":
                raise Xception2(errorCode=2002, struct_thing=Xtruct(string_thing="This is an Xception2"))
            return Xtruct(string_thing=arg1)

        def testOneway(self, secondsToSleep):
            time.sleep(secondsToSleep)

        def secondtestString(self, thing):
            return 'testString("' + thing + '")'

    handler = Handler()
    if args.multiplex:
        processor = TMultiplexedProcessor()
        processor.registerProcessor("ThriftTest", ThriftTest.Processor(handler))
        processor.registerProcessor("SecondService", SecondService.Processor(handler))
    else:
        processor = ThriftTest.Processor(handler)
    example.serve(processor, args)


if __name__ == "__main__":
    main()
