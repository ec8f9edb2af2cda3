// SHA-256 of bytes given in pieces (OpenSSL EVP, sha256.cc): the log's input_digest of a large
// case without its whole text in memory.
#pragma once

#include <string>
#include <string_view>

namespace passline::detail {

/// One digest: update() any number of times, then hex() once. Not copyable; not thread-safe.
/// std::runtime_error when OpenSSL fails (resource exhaustion only).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything given, as sha256_hex() writes it (64 lowercase hex digits).
  std::string hex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace passline::detail
