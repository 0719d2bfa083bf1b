#include "idl/const_value.h"

#include <cstdio>

namespace thrift_call::idl {

namespace {
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}
}  // namespace

std::string ConstValue::to_idl() const {
  if (!reference.empty()) return reference;
  switch (kind) {
    case Kind::Integer:
      if (bool_literal) return integer ? "true" : "false";
      return std::to_string(integer);
    case Kind::Double: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", dbl);
      return buf;
    }
    case Kind::String: return quote(text);
    case Kind::Identifier: return text;
    case Kind::List: {
      std::string out = "[";
      for (size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + list[i].to_idl();
      return out + "]";
    }
    case Kind::Map: {
      std::string out = "{";
      for (size_t i = 0; i < map.size(); ++i)
        out += (i ? ", " : "") + map[i].first.to_idl() + ": " + map[i].second.to_idl();
      return out + "}";
    }
  }
  return "";
}

}  // namespace thrift_call::idl
