#!/usr/bin/python3
"""The example services (PersonService, UserService, WeatherService,
Calculator), served with Apache Thrift's Python library: the peers
thrift-call's tests talk to, and something to try thrift-call against.

usage: server.py [--protocol binary|compact|json]
                 [--transport buffered|framed|http|header|http-header|framed+header|zlib]
                 [--multiplex] [--port N | --unix PATH] [--gen-dir DIR]

Generates the Python code for ../*.thrift with `thrift --gen py` (into
--gen-dir, default a temporary folder), listens on 127.0.0.1 (or --host) (port 0 picks a
free one) and prints "listening on PORT" once it accepts connections.
Handlers:
  PersonService.getPerson(name)  -> Person(name, age=len(name) * 10); "nobody" throws PersonNotFound
  PersonService.savePerson(p)    -> stores p; getPerson then returns it
  UserService                    -> an in-memory table; unknown ids throw UserNotFound
  WeatherService.getTemperature  -> "21.5C in <city>"; ping -> true
  Calculator                     -> arithmetic; divide by 0 throws DivideByZero;
                                    add(a, b) with a == 666 raises a plain error
                                    (the client sees a TApplicationException);
                                    store(v) (oneway) keeps v, recall() returns it
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IDLS = ["person", "user", "weather", "calculator"]


def generate(gen_dir):
    for name in IDLS:
        subprocess.run(["thrift", "--gen", "py", "-out", gen_dir, os.path.join(HERE, "..", name + ".thrift")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sys.path.insert(0, gen_dir)


def handlers():
    from example.person import PersonService, ttypes as person
    from example.user import UserService, ttypes as user
    from example.weather import WeatherService
    from example.calculator import Calculator, ttypes as calc

    class Person:
        def __init__(self):
            self.saved = {}

        def getPerson(self, name):
            if name == "nobody":
                raise person.PersonNotFound(name=name)
            return self.saved.get(name) or person.Person(name=name, age=len(name) * 10)

        def savePerson(self, p):
            self.saved[p.name] = p

    class Users:
        def __init__(self):
            self.users = {1: user.User(id=1, name="Ann", email="ann@example.com")}

        def getUser(self, id):
            if id not in self.users:
                raise user.UserNotFound(id=id)
            return self.users[id]

        def createUser(self, name, email):
            new = user.User(id=max(self.users, default=0) + 1, name=name, email=email)
            self.users[new.id] = new
            return new

        def updateUser(self, u):
            if u.id not in self.users:
                raise user.UserNotFound(id=u.id)
            self.users[u.id] = u

        def deleteUser(self, id):
            return self.users.pop(id, None) is not None

    class Weather:
        def ping(self):
            return True

        def getTemperature(self, location):
            return "21.5C in " + location.city

    class Calc:
        def add(self, a, b):
            if a == 666:
                raise RuntimeError("the handler failed")
            return a + b

        def subtract(self, a, b):
            return a - b

        def multiply(self, a, b):
            return a * b

        def divide(self, dividend, divisor):
            if divisor == 0:
                raise calc.DivideByZero(message="cannot divide %s by zero" % dividend)
            return dividend / divisor

        memory = 0

        def store(self, value):
            Calc.memory = value

        def recall(self):
            return Calc.memory

    return [("PersonService", PersonService.Processor(Person())),
            ("UserService", UserService.Processor(Users())),
            ("WeatherService", WeatherService.Processor(Weather())),
            ("Calculator", Calculator.Processor(Calc()))]


def dispatcher(processors):
    """A processor that routes a plain call to whichever service has the
    method (the example services share no method names)."""
    from thrift.Thrift import TApplicationException, TMessageType, TProcessor, TType
    from thrift.TMultiplexedProcessor import StoredMessageProtocol

    class Dispatcher(TProcessor):
        def process(self, iprot, oprot):
            name, type_, seqid = iprot.readMessageBegin()
            for _, processor in processors:
                if name in processor._processMap:
                    return processor.process(StoredMessageProtocol(iprot, (name, type_, seqid)), oprot)
            iprot.skip(TType.STRUCT)
            iprot.readMessageEnd()
            x = TApplicationException(TApplicationException.UNKNOWN_METHOD, "Unknown function %s" % name)
            oprot.writeMessageBegin(name, TMessageType.EXCEPTION, seqid)
            x.write(oprot)
            oprot.writeMessageEnd()
            oprot.trans.flush()

    return Dispatcher()


def add_arguments(ap):
    """The flags every test server shares: how it listens and what it speaks."""
    # accel, accelc: binary and compact through the C extension (fastbinary),
    # as TestServer.py's --protocol accel and accelc.
    ap.add_argument("--protocol", default="binary", choices=["binary", "compact", "json", "accel", "accelc"])
    # http-header: THeaderProtocol over HTTP (a THeader frame as each body), as
    # Apache's TestServer.py runs `--protocol header --transport http`;
    # framed+header: THeaderProtocol over TFramedTransport (`--protocol header
    # --transport framed`), each THeader frame inside a frame; zlib:
    # TZlibTransport, the whole stream compressed (`--transport zlib --zlib`);
    # zlib+header: THeaderProtocol inside it (`--protocol header --transport zlib`).
    ap.add_argument("--transport", default="buffered",
                    choices=["buffered", "framed", "http", "header", "http-header", "framed+header", "zlib",
                             "zlib+header"])
    ap.add_argument("--multiplex", action="store_true")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (::1 for IPv6)")
    ap.add_argument("--port", type=int, default=9090)
    ap.add_argument("--unix")
    ap.add_argument("--gen-dir")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve TLS with this certificate and key")


def serve(processor, args):
    """Serves `processor` as `args` say; prints "listening on PORT" first."""
    from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol
    from thrift.server import TServer
    from thrift.transport import TSocket, TTransport

    protocol_factory = {"binary": TBinaryProtocol.TBinaryProtocolFactory(),
                        "compact": TCompactProtocol.TCompactProtocolFactory(),
                        "json": TJSONProtocol.TJSONProtocolFactory(),
                        "accel": TBinaryProtocol.TBinaryProtocolAcceleratedFactory(fallback=False),
                        "accelc": TCompactProtocol.TCompactProtocolAcceleratedFactory(fallback=False)}[args.protocol]
    if args.transport in ("http", "http-header"):
        import http.server
        import socket as sockets
        from thrift.server.THttpServer import THttpServer
        if ":" in args.host:
            http.server.HTTPServer.address_family = sockets.AF_INET6
        if args.transport == "http-header":
            from thrift.protocol.THeaderProtocol import THeaderProtocolFactory
            protocol_factory = THeaderProtocolFactory()
        server = THttpServer(processor, (args.host, args.port), protocol_factory)
        if args.tls:  # HTTPS: the stock server's socket, wrapped
            import ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(args.tls[0], args.tls[1])
            server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
        print("listening on %s" % server.httpd.server_address[1], flush=True)
        server.serve()
        return

    if args.tls:
        from thrift.transport.TSSLSocket import TSSLServerSocket
        socket = TSSLServerSocket(host=args.host, port=args.port, certfile=args.tls[0], keyfile=args.tls[1])
    elif args.unix:
        socket = TSocket.TServerSocket(unix_socket=args.unix)
    else:
        socket = TSocket.TServerSocket(host=args.host, port=args.port)
    transport_factory = (TTransport.TFramedTransportFactory() if args.transport in ("framed", "framed+header")
                         else TTransport.TTransportFactoryBase() if args.transport == "header"
                         else TTransport.TBufferedTransportFactory())
    if args.transport in ("zlib", "zlib+header"):
        from thrift.transport import TZlibTransport
        transport_factory = TZlibTransport.TZlibTransportFactory()
    if args.transport == "header":
        # THeaderProtocol reads THeader frames (binary or compact inside)
        # and answers in kind.
        from thrift.protocol.THeaderProtocol import THeaderProtocolFactory
        protocol_factory = THeaderProtocolFactory()
    elif args.transport in ("framed+header", "zlib+header"):
        # As TestServer.py: THeader, or framed and unframed binary and compact, inside each frame or the zlib stream.
        from thrift.protocol.THeaderProtocol import THeaderProtocolFactory
        from thrift.transport.THeaderTransport import THeaderClientType
        protocol_factory = THeaderProtocolFactory([
            THeaderClientType.HEADERS, THeaderClientType.FRAMED_BINARY, THeaderClientType.UNFRAMED_BINARY,
            THeaderClientType.FRAMED_COMPACT, THeaderClientType.UNFRAMED_COMPACT])
    server = TServer.TThreadedServer(processor, socket, transport_factory, protocol_factory, daemon=True)
    socket.listen()
    port = socket.handle.getsockname()[1] if not args.unix else args.unix
    print("listening on %s" % port, flush=True)
    socket.listen = lambda: None  # already listening; serve() would listen again
    server.serve()


def main():
    ap = argparse.ArgumentParser()
    add_arguments(ap)
    args = ap.parse_args()

    gen_dir = args.gen_dir or tempfile.mkdtemp(prefix="thrift-call-py-")
    generate(gen_dir)

    from thrift.TMultiplexedProcessor import TMultiplexedProcessor

    processors = handlers()
    if args.multiplex:
        processor = TMultiplexedProcessor()
        for name, p in processors:
            processor.registerProcessor(name, p)
    else:
        processor = dispatcher(processors)
    serve(processor, args)


if __name__ == "__main__":
    main()
