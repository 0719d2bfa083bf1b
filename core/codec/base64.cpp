#include "core/codec/base64.h"

#include "core/platform/openssl.h"

namespace thrift_call {

void base64_encode(std::string_view bytes, std::string& out) {
  size_t start = out.size();
  out.resize(start + 4 * ((bytes.size() + 2) / 3) + 1);
  int n = openssl().EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start),
                                    reinterpret_cast<const unsigned char*>(bytes.data()),
                                    static_cast<int>(bytes.size()));
  out.resize(start + static_cast<size_t>(n));
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_encode(bytes, out);
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock wants whole 4-character groups; restore missing padding.
  std::string padded(text);
  while (!padded.empty() && (padded.back() == '\n' || padded.back() == '\r')) padded.pop_back();
  if (padded.size() % 4 == 1) return std::nullopt;
  while (padded.size() % 4 != 0) padded += '=';
  size_t pad = 0;
  if (!padded.empty() && padded[padded.size() - 1] == '=') ++pad;
  if (padded.size() > 1 && padded[padded.size() - 2] == '=') ++pad;
  std::string out(padded.size() / 4 * 3, '\0');
  int n = openssl().EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(padded.data()),
                                    static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the zero bytes that padding stands for.
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace thrift_call
