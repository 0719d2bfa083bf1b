#!/usr/bin/env python3
"""Apache Thrift's Python library as a client of `thrift-call serve`.

Generates PersonService and Calculator clients with `thrift --gen py` (the
compiler runs now, into a temporary folder), then, for each combination
given, calls a server that answers as tests/integration/serve_responses.json
says, and prints one line per combination: "ok PROTOCOL/TRANSPORT[/mux]" or
"FAIL PROTOCOL/TRANSPORT[/mux]: what differed". Exits 1 if any failed.

usage: serve_client.py PORT COMBO...   COMBO: binary/buffered, compact/header, json/http/mux, ...
(binary-old: the non-strict binary envelope)
TRANSPORT tls-buffered or tls-framed: over TLS (TSSLSocket, the certificate not checked);
header-zlib: THeader with the zlib transform (the reply must come back compressed too);
http-header, http-header-zlib: THeaderProtocol over HTTP (each body a THeader frame);
https, https-header: the same over HTTPS (the certificate not checked);
framed+header: THeaderProtocol over TFramedTransport (each THeader frame inside a frame);
zlib: TZlibTransport over TBufferedTransport, level 9, as TestClient.py --zlib stacks them.
"""
import os
import ssl
import subprocess
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")


def generate():
    out = tempfile.mkdtemp(prefix="serve-client-")
    for idl in ("person.thrift", "calculator.thrift"):
        subprocess.run(["thrift", "--gen", "py", "-out", out, os.path.join(EXAMPLES, idl)], check=True)
    sys.path.insert(0, out)
    return out


def main():
    port = int(sys.argv[1])
    gen = generate()
    from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol, TMultiplexedProtocol
    from thrift.protocol.THeaderProtocol import THeaderProtocol
    from thrift.transport import TSocket, TSSLSocket, TTransport, THttpClient, TZlibTransport
    from thrift.transport.THeaderTransport import THeaderClientType, THeaderSubprotocolID, THeaderTransformID
    from thrift.Thrift import TApplicationException
    from example.person import PersonService
    from example.person.ttypes import Person, PersonNotFound
    from example.calculator import Calculator
    from example.calculator.ttypes import DivideByZero

    failed = 0
    for combo in sys.argv[2:]:
        parts = combo.split("/")
        protocol, transport, mux = parts[0], parts[1], len(parts) > 2
        try:
            def connect():
                if transport.startswith("https"):
                    unverified = ssl.create_default_context()
                    unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
                    trans = THttpClient.THttpClient("https://127.0.0.1:%d/" % port, ssl_context=unverified)
                elif transport.startswith("http"):
                    trans = THttpClient.THttpClient("http://127.0.0.1:%d/" % port)
                else:
                    if transport.startswith("tls-"):
                        with warnings.catch_warnings():  # python3-thrift's own use of deprecated ssl API
                            warnings.simplefilter("ignore")
                            sock = TSSLSocket.TSSLSocket("127.0.0.1", port, cert_reqs=ssl.CERT_NONE)
                    else:
                        sock = TSocket.TSocket("127.0.0.1", port)
                    trans = {"buffered": TTransport.TBufferedTransport, "framed": TTransport.TFramedTransport,
                             "framed+header": TTransport.TFramedTransport,
                             "zlib": lambda s: TZlibTransport.TZlibTransport(TTransport.TBufferedTransport(s), 9),
                             "header": lambda s: s, "header-zlib": lambda s: s}[transport.replace("tls-", "")](sock)
                if "header" in transport:
                    sub = THeaderSubprotocolID.COMPACT if protocol == "compact" else THeaderSubprotocolID.BINARY
                    proto = THeaderProtocol(trans, [THeaderClientType.HEADERS], sub)
                    proto.trans.set_header(b"client", b"serve_client.py")
                    if transport.endswith("-zlib"):
                        proto.trans.add_transform(THeaderTransformID.ZLIB)
                else:
                    proto = {"binary": TBinaryProtocol.TBinaryProtocol, "compact": TCompactProtocol.TCompactProtocol,
                             "json": TJSONProtocol.TJSONProtocol,
                             # the old envelope: no version word, the name's length first
                             "binary-old": lambda t: TBinaryProtocol.TBinaryProtocol(t, strictWrite=False)}[protocol](trans)
                trans.open()
                return trans, proto

            trans, proto = connect()
            person_proto, calc_proto = proto, proto
            if mux:
                person_proto = TMultiplexedProtocol.TMultiplexedProtocol(proto, "PersonService")
                calc_proto = TMultiplexedProtocol.TMultiplexedProtocol(proto, "Calculator")
            people = PersonService.Client(person_proto)
            calc = Calculator.Client(calc_proto)

            got = people.getPerson("Ann")
            assert got == Person(name="Ann", age=30), "getPerson(Ann) = %r" % (got,)
            try:
                people.getPerson("nobody")
                raise AssertionError("getPerson(nobody) did not raise")
            except PersonNotFound as e:
                assert e.name == "nobody", "PersonNotFound.name = %r" % e.name
            assert people.savePerson(Person(name="Bo", age=2)) is None
            assert calc.add(1, 2) == 3, "add(1, 2)"
            assert calc.add(5, 5) == 0, "add(5, 5) is not the zero value"
            assert calc.subtract(9, 1) == 0, "subtract: the zero value"
            try:
                calc.add(666, 0)
                raise AssertionError("add(666) did not raise")
            except TApplicationException as e:
                assert e.type == TApplicationException.INTERNAL_ERROR and e.message == "the handler failed", \
                    "add(666): %r %r" % (e.type, e.message)
            try:
                calc.divide(1.0, 0.0)
                raise AssertionError("divide did not raise")
            except DivideByZero as e:
                assert e.message == "cannot divide 1.0 by zero", "DivideByZero.message = %r" % e.message
            trans.close()
            print("ok " + combo, flush=True)
        except Exception as e:  # one line per combination, whatever went wrong
            failed += 1
            print("FAIL %s: %s: %s" % (combo, type(e).__name__, e), flush=True)
    subprocess.run(["rm", "-rf", gen])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
