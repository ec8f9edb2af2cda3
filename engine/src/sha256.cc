// SHA-256 through OpenSSL's EVP interface (rule pack digests; later the audit log).
// CONVENTIONS.md: OpenSSL, not Poco's portable SHA2Engine, for speed.
#include <openssl/evp.h>

#include <stdexcept>

#include "passline/rule_pack.h"

namespace passline {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL EVP_Digest(SHA-256) failed");  // resource exhaustion only
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

}  // namespace passline
