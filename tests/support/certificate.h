// A self-signed certificate for localhost and 127.0.0.1, made with the
// openssl command, for TLS peers started by the tests.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "../idl/idl_test_util.h"

namespace thrift_call::test {

class SelfSignedCertificate {
 public:
  SelfSignedCertificate()
      : cert_((dir_.path() / "cert.pem").string()), key_((dir_.path() / "key.pem").string()) {
    std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "
                          "'subjectAltName=IP:127.0.0.1,DNS:localhost' -keyout '" + key_ + "' -out '" + cert_ +
                          "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed: " + command);
  }
  const std::string& cert() const { return cert_; }  // PEM, also the CA to trust
  const std::string& key() const { return key_; }

 private:
  ScratchDir dir_;
  std::string cert_, key_;
};

}  // namespace thrift_call::test
