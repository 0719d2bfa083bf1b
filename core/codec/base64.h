// Base64 (RFC 4648, standard alphabet) for binary fields in JSON and for
// TJSONProtocol, on top of OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace thrift_call {

// Padded output ("QQ==").
void base64_encode(std::string_view bytes, std::string& out);
std::string base64_encode(std::string_view bytes);

// Accepts input with or without '=' padding (Apache's TJSONProtocol writers
// differ). nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace thrift_call
