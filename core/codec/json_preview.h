// A short quote of a JSON value for an error message ("expected i32, got
// [[[[..."): the quote is cut at a length, and so is the work, so a value of
// any size or depth costs no more than the quote.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/codec/encode.h"

namespace thrift_call::codec {

// The value as compact JSON (nlohmann's dump(-1)); past `limit` bytes, its
// first limit - 3 and "...". Strings that are not UTF-8 show U+FFFD.
std::string json_preview(const Json& value, size_t limit = 40);

// The same for the JSON value at the start of `text` (which may go on
// after it), read no further than the preview needs.
std::string json_text_preview(std::string_view text, size_t limit = 40);

// `text` itself up to `limit` bytes; past that, its first limit - 3 (not
// cutting a UTF-8 sequence) and "...": a key or a name quoted from input.
std::string text_preview(std::string_view text, size_t limit = 64);

}  // namespace thrift_call::codec
