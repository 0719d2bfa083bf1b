// Payloads for codec_bench: one message of many small structs, one of long
// strings. Both thrift-call and libthrift's generated C++ use this file.
namespace cpp bench_types

enum Kind {
  ALPHA = 1,
  BETA = 2,
  GAMMA = 3,
}

struct Point {
  1: i32 x,
  2: i32 y,
}

struct Item {
  1: i64 id,
  2: i32 count,
  3: string name,
  4: Kind kind,
  5: Point where,
  6: map<string, i32> tags,
  7: bool active,
  8: double score,
  9: i16 flags,
}

struct StructHeavy {
  1: list<Item> items,
}

struct StringHeavy {
  1: list<string> lines,
}
