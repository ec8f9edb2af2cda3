// C2SP signed notes and tlog checkpoints with Ed25519 through OpenSSL EVP.
#include "passline/checkpoint.h"

#include "detail/ed25519.h"

#include <openssl/evp.h>

#include <memory>
#include <vector>

namespace passline {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr unsigned char kAlgEd25519 = 0x01;
constexpr std::size_t kMaxSignatures = 100;

using detail::ed25519::BioFree;
using detail::ed25519::hex8;
using detail::ed25519::MdCtxFree;
using detail::ed25519::Pkey;
using detail::ed25519::raw_public;
using detail::ed25519::read_private;

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || ch == '+') return false;
  }
  return true;
}

Error bad_name(std::string_view name) {
  return make_error("bad_key_name", "name",
                    "a key name must be non-empty, without '+', spaces or control characters, "
                    "got \"" +
                        std::string(name) + "\"");
}

/// Valid UTF-8 without control characters other than '\n'.
bool clean_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      if ((b0 < 0x20 && b0 != '\n') || b0 == 0x7F) return false;
      ++i;
      continue;
    }
    int extra = (b0 >= 0xC2 && b0 <= 0xDF)   ? 1
                : (b0 >= 0xE0 && b0 <= 0xEF) ? 2
                : (b0 >= 0xF0 && b0 <= 0xF4) ? 3
                                             : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) return false;
    std::uint32_t cp = b0 & (extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07);
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) return false;
      cp = cp << 6 | (b & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::uint32_t key_hash(std::string_view name, std::string_view public_key) {
  return detail::ed25519::key_id(name, kAlgEd25519, public_key);
}

std::string vkey(std::string_view name, std::string_view public_key) {
  return detail::ed25519::vkey(name, kAlgEd25519, public_key);
}

struct VerifierKey {
  std::string name;
  std::uint32_t hash = 0;
  std::string public_key;  // 32 bytes
};

Result<VerifierKey> parse_vkey(std::string_view k) {
  auto bad = [&](const std::string& why) {
    std::string message = "\"";
    message.append(k);
    message.append(
        "\" is not a note verifier key <name>+<8 hex digits>+<base64(0x01 || Ed25519 key)>: ");
    message.append(why);
    return make_error("bad_verifier_key", "verifier_key", std::move(message));
  };
  const auto p1 = k.find('+');
  if (p1 == std::string_view::npos) return bad("no '+'");
  const auto p2 = k.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("one '+' only");
  VerifierKey v;
  v.name = std::string(k.substr(0, p1));
  if (!valid_key_name(v.name)) return bad("bad name");
  const std::string_view hash_hex = k.substr(p1 + 1, p2 - p1 - 1);
  if (hash_hex.size() != 8) return bad("the key hash is not 8 hex digits");
  auto hash_raw = from_hex(hash_hex);
  if (!hash_raw) return bad("the key hash is not 8 hex digits");
  for (char c : *hash_raw) v.hash = v.hash << 8 | static_cast<unsigned char>(c);
  auto key = base64_decode(k.substr(p2 + 1));
  if (!key) return bad("the key is not base64");
  if (key->size() != 33 || static_cast<unsigned char>((*key)[0]) != kAlgEd25519)
    return bad("the key is not 0x01 followed by 32 bytes (Ed25519)");
  v.public_key = key->substr(1);
  if (key_hash(v.name, v.public_key) != v.hash) return bad("the key hash does not match");
  return v;
}

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view sig) {
  return detail::ed25519::verify(public_key, message, sig);
}

bool rfc3339_utc(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (t.size() < 20 || t.back() != 'Z') return false;
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !(t[i] >= '0' && t[i] <= '9') : t[i] != kShape[i]) return false;
  }
  std::string_view rest = t.substr(19, t.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return false;
    for (char c : rest.substr(1))
      if (c < '0' || c > '9') return false;
  }
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v * 10 + (t[at + i] - '0');
    return v;
  };
  const int month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2),
            second = num(17, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 60;
}

}  // namespace

Result<KeyPair> generate_key(std::string name) {
  if (!valid_key_name(name)) return bad_name(name);
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return make_error("crypto_failure", "", "OpenSSL could not generate an Ed25519 key");
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return make_error("crypto_failure", "", "OpenSSL could not write the private key");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  KeyPair out;
  out.private_pem.assign(data, static_cast<std::size_t>(len));
  auto pub = raw_public(key.get());
  if (!pub.ok()) return pub.error();
  out.verifier_key = vkey(name, *pub);
  out.name = std::move(name);
  return out;
}

Result<std::string> verifier_key_of(std::string_view private_pem, std::string_view name) {
  if (!valid_key_name(name)) return bad_name(name);
  auto key = read_private(private_pem);
  if (!key.ok()) return key.error();
  auto pub = raw_public(key->get());
  if (!pub.ok()) return pub.error();
  return vkey(name, *pub);
}

Result<std::string> checkpoint_text(const Checkpoint& c) {
  if (c.origin.empty() || c.origin.find('\n') != std::string::npos || !clean_text(c.origin))
    return make_error("bad_checkpoint", "origin",
                      "the origin must be a non-empty line of text without control characters");
  if (!c.time.empty() && !rfc3339_utc(c.time))
    return make_error("bad_checkpoint", "time",
                      "\"" + c.time +
                          "\" is not an RFC 3339 UTC time such as 2026-11-24T21:00:00Z");
  const std::string_view root(reinterpret_cast<const char*>(c.root.data()), c.root.size());
  std::string text =
      c.origin + "\n" + std::to_string(c.tree_size) + "\n" + base64_encode(root) + "\n";
  if (!c.time.empty()) text += "time " + c.time + "\n";
  return text;
}

Result<std::string> sign_note(std::string_view text, std::string_view private_pem,
                              std::string_view name) {
  if (text.empty() || text.back() != '\n' || text.find("\n\n") != std::string_view::npos ||
      text.front() == '\n' || !clean_text(text))
    return make_error("malformed_note", "text",
                      "note text must be non-empty UTF-8 lines, each ending in '\\n', no blank "
                      "line and no control characters");
  if (!valid_key_name(name)) return bad_name(name);
  auto key = read_private(private_pem);
  if (!key.ok()) return key.error();
  auto pub = raw_public(key->get());
  if (!pub.ok()) return pub.error();

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  std::size_t sig_len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sig_len, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size()) != 1 ||
      sig_len != 64)
    return make_error("crypto_failure", "", "OpenSSL could not sign the note");
  const std::uint32_t h = key_hash(name, *pub);
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) blob += static_cast<char>((h >> shift) & 0xFF);
  blob.append(reinterpret_cast<const char*>(sig), sig_len);
  std::string out(text);
  out += '\n';
  out += kDash;
  out += name;
  out += ' ';
  out += base64_encode(blob);
  out += '\n';
  return out;
}

Result<std::string> sign_checkpoint(const Checkpoint& c, std::string_view private_pem,
                                    std::string_view name) {
  auto text = checkpoint_text(c);
  if (!text.ok()) return text.error();
  return sign_note(*text, private_pem, name);
}

Result<std::string> verify_note(std::string_view note, std::string_view verifier_key) {
  auto key = parse_vkey(verifier_key);
  if (!key.ok()) return key.error();
  auto malformed = [](const std::string& why) {
    return make_error("malformed_note", "note", "not a signed note: " + why);
  };
  if (!clean_text(note)) return malformed("invalid UTF-8 or a control character");
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos) return malformed("no blank line before the signatures");
  const std::string_view text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n')
    return malformed("the signature lines must end in '\\n'");

  bool found = false;
  std::size_t count = 0;
  while (!sigs.empty()) {
    const auto eol = sigs.find('\n');
    const std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (++count > kMaxSignatures) return malformed("more than 100 signatures");
    if (!line.starts_with(kDash)) return malformed("a signature line must begin with \"— \"");
    const std::string_view rest = line.substr(kDash.size());
    const auto space = rest.find(' ');
    if (space == std::string_view::npos)
      return malformed("a signature line is \"— name signature\"");
    const std::string_view name = rest.substr(0, space);
    if (!valid_key_name(name)) return malformed("a bad signer name");
    auto blob = base64_decode(rest.substr(space + 1));
    if (!blob || blob->size() < 5)
      return malformed("a signature is not base64 of a key hash and signature");
    std::uint32_t h = 0;
    for (int i = 0; i < 4; ++i)
      h = h << 8 | static_cast<unsigned char>((*blob)[static_cast<std::size_t>(i)]);
    if (name != key->name || h != key->hash) continue;  // another signer
    if (!ed25519_verify(key->public_key, text, std::string_view(*blob).substr(4)))
      return make_error("bad_signature", "note",
                        "the signature by " + key->name + "+" + hex8(key->hash) +
                            " does not verify: the note was altered or signed by another key");
    found = true;
  }
  if (!found)
    return make_error("bad_signature", "note",
                      "the note carries no signature by " + key->name + "+" + hex8(key->hash));
  return std::string(text);
}

Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view verifier_key) {
  auto text = verify_note(note, verifier_key);
  if (!text.ok()) return text.error();
  std::vector<std::string_view> lines;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  auto bad = [](std::string where, std::string why) {
    return make_error("bad_checkpoint", std::move(where), std::move(why));
  };
  if (lines.size() < 3)
    return bad("note", "a checkpoint has at least three lines: origin, size, root");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return bad("origin", "the origin line is empty");
  const std::string_view size = lines[1];
  if (size.empty() || size.size() > 20 || (size.size() > 1 && size[0] == '0'))
    return bad("tree_size", "the size line is not a decimal number without leading zeros");
  std::uint64_t n = 0;
  for (char ch : size) {
    if (ch < '0' || ch > '9') return bad("tree_size", "the size line is not a decimal number");
    const auto d = static_cast<std::uint64_t>(ch - '0');
    if (n > (UINT64_MAX - d) / 10) return bad("tree_size", "the size does not fit in 64 bits");
    n = n * 10 + d;
  }
  c.tree_size = n;
  auto root = base64_decode(lines[2]);
  if (!root || root->size() != 32) return bad("root", "the root line is not base64 of 32 bytes");
  std::copy(root->begin(), root->end(), c.root.begin());
  int times = 0;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("note", "an extension line is empty");
    if (!lines[i].starts_with("time ")) continue;
    ++times;
    c.time = std::string(lines[i].substr(5));
    if (!rfc3339_utc(c.time)) return bad("time", "\"" + c.time + "\" is not an RFC 3339 UTC time");
  }
  if (times > 1) return bad("time", "a checkpoint has at most one `time` line");
  return c;
}

}  // namespace passline
