#!/usr/bin/python3
"""Golden bytes from Apache Thrift's Python library, made at test time.

usage: golden_codec.py GEN_PY_DIR
GEN_PY_DIR holds `thrift --gen py` output for test/v0.16/ThriftTest.thrift.
Prints one JSON object per line:
  {"case": NAME, "type": IDL_TYPE, "json": VALUE_IN_THRIFT_CALL_MAPPING, "decoded": WHAT_DECODE_GIVES,
   "binary": HEX, "binary_accel": HEX, "compact": HEX, "compact_accel": HEX, "json_protocol": HEX}
Each value is built with the generated classes and serialized with
TSerializer; "json" is the same value written the way a thrift-call user
would type it. Sets hold one element or small ints, so Python's set order is
the order given.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

from thrift.TSerialization import serialize  # noqa: E402
from thrift.protocol import TBinaryProtocol, TCompactProtocol, TJSONProtocol  # noqa: E402
from ThriftTest import ttypes as t  # noqa: E402

I8, I16, I32, I64 = (-(2**7), 2**7 - 1), (-(2**15), 2**15 - 1), (-(2**31), 2**31 - 1), (-(2**63), 2**63 - 1)

CASES = [
    ("empty xtruct", "Xtruct", t.Xtruct(), {}),
    ("xtruct limits min", "Xtruct",
     t.Xtruct(string_thing="", byte_thing=I8[0], i32_thing=I32[0], i64_thing=I64[0]),
     {"string_thing": "", "byte_thing": I8[0], "i32_thing": I32[0], "i64_thing": I64[0]}),
    ("xtruct limits max", "Xtruct",
     t.Xtruct(string_thing="héllo \"wörld\"\n\u2603", byte_thing=I8[1], i32_thing=I32[1], i64_thing=I64[1]),
     {"string_thing": "héllo \"wörld\"\n\u2603", "byte_thing": I8[1], "i32_thing": I32[1], "i64_thing": I64[1]}),
    ("xtruct zero and minus one", "Xtruct",
     t.Xtruct(string_thing="a", byte_thing=-1, i32_thing=0, i64_thing=-1),
     {"string_thing": "a", "byte_thing": -1, "i32_thing": 0, "i64_thing": -1}),
    ("nested struct", "Xtruct2",
     t.Xtruct2(byte_thing=1, struct_thing=t.Xtruct(string_thing="in", i32_thing=7), i32_thing=3),
     {"byte_thing": 1, "struct_thing": {"string_thing": "in", "i32_thing": 7}, "i32_thing": 3}),
    ("map with enum keys and list of structs", "Insanity",
     t.Insanity(userMap={t.Numberz.FIVE: 5, t.Numberz.EIGHT: -8},
                xtructs=[t.Xtruct(string_thing="x", byte_thing=2, i32_thing=3, i64_thing=4), t.Xtruct()]),
     {"userMap": {"FIVE": 5, "EIGHT": -8},
      "xtructs": [{"string_thing": "x", "byte_thing": 2, "i32_thing": 3, "i64_thing": 4}, {}]}),
    ("empty containers", "Insanity", t.Insanity(userMap={}, xtructs=[]), {"userMap": {}, "xtructs": []}),
    ("bools in fields", "Bools", t.Bools(im_true=True, im_false=False), {"im_true": True, "im_false": False}),
    ("large field-id deltas and bools", "LargeDeltas",
     t.LargeDeltas(b1=t.Bools(im_true=True, im_false=False), b1000=t.Bools(im_true=False, im_false=True),
                   check_true=True, check_false=False, a_set2500={"x"}, big_numbers=[2**31 - 1, -(2**31), 0]),
     {"b1": {"im_true": True, "im_false": False}, "check_true": True, "b1000": {"im_true": False, "im_false": True},
      "check_false": False, "a_set2500": ["x"], "big_numbers": [2**31 - 1, -(2**31), 0]}),
    ("nested lists", "NestedListsI32x2", t.NestedListsI32x2(integerlist=[[1, 2], [], [3]]),
     {"integerlist": [[1, 2], [], [3]]}),
    ("nested mixed", "NestedMixedx2",
     t.NestedMixedx2(int_set_list=[{1, 2, 3}, set()], map_int_strset={10: {"a"}, -1: set()},
                     map_int_strset_list=[{1: {"b"}}]),
     {"int_set_list": [[1, 2, 3], []], "map_int_strset": {"10": ["a"], "-1": []},
      "map_int_strset_list": [{"1": ["b"]}]}),
    ("map with string keys", "GuessProtocolStruct", t.GuessProtocolStruct(map_field={"k": "v", "": "empty"}),
     {"map_field": {"k": "v", "": "empty"}}),
    ("binary in sets and map keys", "OptionalBinary",
     t.OptionalBinary(bin_set={b"\x00\x01\xff"}, bin_map={b"key": 1}),
     {"bin_set": ["AAH/"], "bin_map": [["a2V5", 1]]}),
    ("a union", "SomeUnion", t.SomeUnion(i32_thing=5), {"i32_thing": 5}),
    ("binary with every byte value", "CrazyNesting",
     t.CrazyNesting(string_field="s", list_field=[],
                    binary_field=bytes(range(256))),
     {"string_field": "s", "list_field": [],
      "binary_field": __import__("base64").b64encode(bytes(range(256))).decode()}),
    ("IDL defaults are written for absent fields", "BoolTest", t.BoolTest(), {}, {"b": True, "s": "true"}),
    ("required fields and defaults", "StructB", t.StructB(ab=t.StructA(s="x")), {"ab": {"s": "x"}}),
]


def hexed(obj, factory):
    return serialize(obj, factory).hex()


for name, type_name, obj, as_json, *decoded in CASES:
    print(json.dumps({
        "case": name, "type": type_name, "json": as_json, "decoded": decoded[0] if decoded else as_json,
        "binary": hexed(obj, TBinaryProtocol.TBinaryProtocolFactory()),
        "binary_accel": hexed(obj, TBinaryProtocol.TBinaryProtocolAcceleratedFactory()),
        "compact": hexed(obj, TCompactProtocol.TCompactProtocolFactory()),
        "compact_accel": hexed(obj, TCompactProtocol.TCompactProtocolAcceleratedFactory()),
        "json_protocol": hexed(obj, TJSONProtocol.TJSONProtocolFactory()),
    }))
