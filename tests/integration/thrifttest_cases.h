// Every method of Apache's cross-language test service (ThriftTest) with
// arguments and what thrift-call prints for them, as the IDL's comments say
// a server answers (tests/integration/thrifttest_server.py serves that).
#pragma once

namespace thrift_call::test {

struct ThriftTestCase {
  const char* method;
  const char* args;
  const char* out;  // stdout, without the newline
  int exit_code;
};

inline const ThriftTestCase kThriftTestCases[] = {
    {"testVoid", "{}", "null", 0},
    {"testString", R"({"thing":"héllo \"☃\""})", R"("héllo \"☃\"")", 0},
    {"testBool", R"({"thing":true})", "true", 0},
    {"testByte", R"({"thing":-128})", "-128", 0},
    {"testI32", R"({"thing":-2147483648})", "-2147483648", 0},
    {"testI64", R"({"thing":"9223372036854775807"})", "9223372036854775807", 0},
    {"testDouble", R"({"thing":-5.25e-10})", "-5.25e-10", 0},
    {"testBinary", R"({"thing":"AAEC/w=="})", R"("AAEC/w==")", 0},
    {"testStruct", R"({"thing":{"string_thing":"s","byte_thing":1,"i32_thing":2,"i64_thing":3}})",
     R"({"string_thing":"s","byte_thing":1,"i32_thing":2,"i64_thing":3})", 0},
    {"testNest", R"({"thing":{"byte_thing":1,"struct_thing":{"string_thing":"in"},"i32_thing":3}})",
     R"({"byte_thing":1,"struct_thing":{"string_thing":"in"},"i32_thing":3})", 0},
    {"testMap", R"({"thing":{"1":-1,"2":-2}})", R"({"1":-1,"2":-2})", 0},
    {"testStringMap", R"({"thing":{"a":"b","":"empty"}})", R"({"a":"b","":"empty"})", 0},
    {"testSet", R"({"thing":[1,2,3]})", "[1,2,3]", 0},
    {"testList", R"({"thing":[3,-1,3]})", "[3,-1,3]", 0},
    {"testEnum", R"({"thing":"EIGHT"})", R"("EIGHT")", 0},
    {"testTypedef", R"({"thing":-7})", "-7", 0},
    {"testMapMap", R"({"hello":1})", R"({"-4":{"-4":-4,"-3":-3,"-2":-2,"-1":-1},"4":{"1":1,"2":2,"3":3,"4":4}})", 0},
    {"testInsanity", R"({"argument":{"userMap":{"FIVE":5},"xtructs":[]}})",
     R"({"1":{"TWO":{"userMap":{"FIVE":5},"xtructs":[]},"THREE":{"userMap":{"FIVE":5},"xtructs":[]}},"2":{"SIX":{}}})",
     0},
    {"testMulti", R"({"arg0":1,"arg1":2,"arg2":3,"arg3":{"1":"x"},"arg4":"ONE","arg5":5})",
     R"({"string_thing":"Hello2","byte_thing":1,"i32_thing":2,"i64_thing":3})", 0},
    {"testException", R"({"arg":"Xception"})", R"({"Xception":{"errorCode":1001,"message":"Xception"}})", 1},
    {"testException", R"({"arg":"TException"})", "", 4},
    {"testException", R"({"arg":"none"})", "null", 0},
    {"testMultiException", R"({"arg0":"Xception2","arg1":"x"})",
     R"({"Xception2":{"errorCode":2002,"struct_thing":{"string_thing":"This is an Xception2"}}})", 1},
    {"testMultiException", R"({"arg0":"Xception","arg1":"x"})",
     R"({"Xception":{"errorCode":1001,"message":"This is an Xception"}})", 1},
    {"testMultiException", R"({"arg0":"no","arg1":"back"})", R"({"string_thing":"back"})", 0},
    {"testOneway", R"({"secondsToSleep":3})", "null", 0},
};

}  // namespace thrift_call::test
