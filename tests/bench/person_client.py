"""One PersonService.getPerson call from the Python code `thrift --gen py`
makes of examples/person.thrift, the way a user script calls the service:
TSocket + TBufferedTransport + TBinaryProtocol, then print the reply.

usage: person_client.py GEN_PY_DIR PORT
"""
import sys

sys.path.insert(0, sys.argv[1])

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

from example.person import PersonService  # noqa: E402

transport = TTransport.TBufferedTransport(TSocket.TSocket("127.0.0.1", int(sys.argv[2])))
client = PersonService.Client(TBinaryProtocol.TBinaryProtocol(transport))
transport.open()
person = client.getPerson(name="Ann")
transport.close()
print(person)
