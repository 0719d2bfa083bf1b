// OpenSSL's functions, from libssl.so.3 (which brings libcrypto.so.3)
// opened on first use: a TLS connection, TLS serving, or base64.
//
// Why not linked: OpenSSL is the largest part of the program, and linked in
// statically its tables alone (340 KB of pointers) had to be relocated at
// every start, about 1.5 ms of a 7 ms one-shot call here; linked dynamically
// it cost as much in loading. Most calls use neither TLS nor binary fields.
#pragma once

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <string>

#include "core/platform/dynamic_library.h"

namespace thrift_call {

struct OpenSsl {
  DynamicLibrary library{"libssl.so.3", "libssl3", "TLS and base64", ErrorKind::Transport};
  // libcrypto
  THRIFT_CALL_DYNAMIC_FUNCTION(ERR_clear_error);
  THRIFT_CALL_DYNAMIC_FUNCTION(ERR_error_string_n);
  THRIFT_CALL_DYNAMIC_FUNCTION(ERR_get_error);
  THRIFT_CALL_DYNAMIC_FUNCTION(EVP_DecodeBlock);
  THRIFT_CALL_DYNAMIC_FUNCTION(EVP_EncodeBlock);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_NAME_oneline);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_VERIFY_PARAM_set1_host);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_VERIFY_PARAM_set1_ip_asc);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_free);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_get_subject_name);
  THRIFT_CALL_DYNAMIC_FUNCTION(X509_verify_cert_error_string);
  // libssl
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CIPHER_get_name);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_check_private_key);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_ctrl);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_free);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_load_verify_locations);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_new);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_set_default_verify_paths);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_set_verify);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_use_PrivateKey_file);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_CTX_use_certificate_chain_file);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_accept);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_connect);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_ctrl);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_free);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get0_param);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get1_peer_certificate);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get_current_cipher);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get_error);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get_verify_result);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_get_version);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_new);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_pending);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_read);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_set_accept_state);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_set_fd);
  THRIFT_CALL_DYNAMIC_FUNCTION(SSL_write);
  THRIFT_CALL_DYNAMIC_FUNCTION(TLS_client_method);
  THRIFT_CALL_DYNAMIC_FUNCTION(TLS_server_method);

  // The header's macros over SSL_ctrl and SSL_CTX_ctrl, which would name
  // the linked functions.
  void set_min_proto_version(SSL_CTX* ctx, int version) const {
    SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, version, nullptr);
  }
  void set_mode(SSL_CTX* ctx, long mode) const { SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, mode, nullptr); }
  void set_tlsext_host_name(SSL* ssl, const char* name) const {
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(name));
  }
  // Every error queued on this thread, oldest first, "; "-separated.
  std::string errors() const;
};

// Loaded on the first call; throws Error (Transport) when libssl3 is missing.
const OpenSsl& openssl();

}  // namespace thrift_call
