// JSON built from what a peer sent (an error message quoting the wire, a
// method name), written out as one line of text.
//
// nlohmann refuses to write a string that is not UTF-8: it throws a
// type_error, which would end a batch or a server. Here each invalid byte
// becomes U+FFFD instead, as the decoder's default Utf8Policy::Replace
// writes them.
#pragma once

#include <string>

#include "core/codec/encode.h"

namespace thrift_call::codec {

inline std::string to_json_line(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace thrift_call::codec
