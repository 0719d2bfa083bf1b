// Hostile offset dumps: each ends in one Error, not a crash or 4 GiB of memory.
#include <catch2/catch.hpp>
#include <string>

#include "core/capture/dump_format.h"
#include "base/error.h"

using namespace thrift_call;

TEST_CASE("a header line of dates repeated 50k times does not recurse", "[core][capture][dump][bad-input]") {
  std::string line;
  for (int i = 0; i < 50000; ++i) line += "2026-12-03 ";
  Dump d = parse_dump(DumpFormat::OffsetHex, line + "\n0000: 8001 0001\n");
  CHECK(d.stream.size() == 4);
  // The date and time of day still give the time since the epoch.
  d = parse_dump(DumpFormat::OffsetHex,
                 "2026-12-03 14:26:48.123456 IP 10.0.0.1.1 > 10.0.0.2.2: tcp\n"
                 "0x0000:  4500 0028 0000 0000 4006 0000 0a00 0001\n"
                 "0x0010:  0a00 0002 0001 0002 0000 0000 0000 0000\n"
                 "0x0020:  5000 0000 0000 0000\n");
  REQUIRE(d.packets.size() == 1);
  CHECK(d.packets[0].time_us == int64_t{1796308008} * 1000000 + 123456);
}

TEST_CASE("a hexdump repeat expanding past the limit is one error with its line", "[core][capture][dump][bad-input]") {
  const std::string dump =
      "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
      "*\n"
      "ffffffff  ff\n";
  try {
    parse_dump(DumpFormat::OffsetHex, dump);  // 4 GiB: refused before growing
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(e.where() == "line 3");
  }
  // The limit counts every block: two blocks of 48 bytes pass 64.
  const std::string block =
      "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
      "*\n"
      "00000030\n";
  CHECK(parse_dump(DumpFormat::OffsetHex, block, 64).stream.size() == 48);
  try {
    parse_dump(DumpFormat::OffsetHex, block + block, 64);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.where() == "line 6");
  }
}
