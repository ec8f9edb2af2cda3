// Ed25519 through OpenSSL EVP, and the C2SP signed-note key names, shared by checkpoints
// (checkpoint.cc, algorithm byte 0x01) and witness cosignatures (witness.cc, 0x04).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "passline/merkle.h"
#include "passline/result.h"

namespace passline::detail::ed25519 {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

/// The signed-note key ID: the first 4 bytes of SHA-256(name || "\n" || alg || public key).
inline std::uint32_t key_id(std::string_view name, unsigned char alg, std::string_view public_key) {
  std::string material(name);
  material += '\n';
  material += static_cast<char>(alg);
  material += public_key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha256(), nullptr);
  return std::uint32_t{digest[0]} << 24 | std::uint32_t{digest[1]} << 16 |
         std::uint32_t{digest[2]} << 8 | std::uint32_t{digest[3]};
}

inline std::string hex8(std::uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 0xF];
  return out;
}

/// The verifier key text `name+hex8(key ID)+base64(alg || public key)`.
inline std::string vkey(std::string_view name, unsigned char alg, std::string_view public_key) {
  std::string raw(1, static_cast<char>(alg));
  raw += public_key;
  return std::string(name) + "+" + hex8(key_id(name, alg, public_key)) + "+" + base64_encode(raw);
}

inline Result<Pkey> read_private(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return make_error("crypto_failure", "", "OpenSSL could not allocate a buffer");
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    return make_error("bad_private_key", "private_pem",
                      "expected an Ed25519 private key in PKCS#8 PEM form");
  return key;
}

inline Result<std::string> raw_public(EVP_PKEY* key) {
  std::string pub(32, '\0');
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(pub.data()), &len) != 1 ||
      len != 32)
    return make_error("crypto_failure", "", "OpenSSL could not export the public key");
  return pub;
}

inline bool verify(std::string_view public_key, std::string_view message, std::string_view sig) {
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                       reinterpret_cast<const unsigned char*>(public_key.data()),
                                       public_key.size()));
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace passline::detail::ed25519
