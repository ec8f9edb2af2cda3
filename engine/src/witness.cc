// C2SP tlog-cosignature/v1 and tlog-witness add-checkpoint, Ed25519 through OpenSSL EVP.
// The EVP calls and key names are detail/ed25519.h's, shared with checkpoint.cc; only the key
// type byte differs.
#include "passline/witness.h"

#include "detail/ed25519.h"

#include <openssl/evp.h>

#include <memory>

namespace passline {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space

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
                    "a witness name must be non-empty, without '+', spaces or control "
                    "characters, got \"" +
                        std::string(name) + "\"");
}

std::uint32_t key_id(std::string_view name, std::string_view public_key) {
  return detail::ed25519::key_id(name, kCosignatureAlgorithm, public_key);
}

std::string vkey(std::string_view name, std::string_view public_key) {
  return detail::ed25519::vkey(name, kCosignatureAlgorithm, public_key);
}

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view sig) {
  return detail::ed25519::verify(public_key, message, sig);
}

Result<std::string> ed25519_sign(EVP_PKEY* key, std::string_view message) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  std::size_t sig_len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      sig_len != 64)
    return make_error("crypto_failure", "", "OpenSSL could not sign the cosignature");
  return std::string(reinterpret_cast<const char*>(sig), sig_len);
}

// One signature line, `— name base64`: its name and decoded blob.
struct SignatureLine {
  std::string_view name;
  std::string blob;
};

std::optional<SignatureLine> parse_line(std::string_view line) {
  if (!line.starts_with(kDash)) return std::nullopt;
  const std::string_view rest = line.substr(kDash.size());
  const auto space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  SignatureLine out;
  out.name = rest.substr(0, space);
  if (!valid_key_name(out.name)) return std::nullopt;
  auto blob = base64_decode(rest.substr(space + 1));
  if (!blob || blob->size() < 5) return std::nullopt;
  out.blob = std::move(*blob);
  return out;
}

std::optional<std::uint64_t> canonical_decimal(std::string_view s) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t n = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(ch - '0');
    if (n > (UINT64_MAX - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

}  // namespace

Result<KeyPair> generate_witness_key(std::string name) {
  if (!valid_key_name(name)) return bad_name(name);
  // The private key is an ordinary Ed25519 key: generate it as a log key is, then name its
  // public half with the cosignature type byte.
  auto pair = generate_key(name);
  if (!pair) return pair.error();
  auto v = witness_verifier_key_of(pair->private_pem, name);
  if (!v) return v.error();
  pair->verifier_key = std::move(*v);
  return pair;
}

Result<std::string> witness_verifier_key_of(std::string_view private_pem, std::string_view name) {
  if (!valid_key_name(name)) return bad_name(name);
  auto key = read_private(private_pem);
  if (!key) return key.error();
  auto pub = raw_public(key->get());
  if (!pub) return pub.error();
  return vkey(name, *pub);
}

Result<WitnessKey> parse_witness_key(std::string_view k) {
  auto bad = [&](const std::string& why) {
    return make_error("bad_verifier_key", "verifier_key",
                      "\"" + std::string(k) +
                          "\" is not a witness verifier key <name>+<8 hex digits>+<base64(0x04 || "
                          "Ed25519 key)>: " +
                          why);
  };
  const auto p1 = k.find('+');
  if (p1 == std::string_view::npos) return bad("no '+'");
  const auto p2 = k.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("one '+' only");
  WitnessKey w;
  w.name = std::string(k.substr(0, p1));
  if (!valid_key_name(w.name)) return bad("bad name");
  const std::string_view id_hex = k.substr(p1 + 1, p2 - p1 - 1);
  auto id = id_hex.size() == 8 ? from_hex(id_hex) : std::nullopt;
  if (!id) return bad("the key ID is not 8 hex digits");
  for (char c : *id) w.key_id = w.key_id << 8 | static_cast<unsigned char>(c);
  auto raw = base64_decode(k.substr(p2 + 1));
  if (!raw) return bad("the key is not base64");
  if (raw->size() != 33 || static_cast<unsigned char>((*raw)[0]) != kCosignatureAlgorithm)
    return bad("the key is not 0x04 (cosignature/v1) followed by 32 bytes");
  w.public_key = raw->substr(1);
  if (key_id(w.name, w.public_key) != w.key_id) return bad("the key ID does not match");
  w.text = std::string(k);
  return w;
}

std::string cosignature_message(std::string_view body, std::uint64_t timestamp) {
  std::string m = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  m.append(body);
  return m;
}

Result<NoteParts> split_note(std::string_view note) {
  auto malformed = [](const std::string& why) {
    return make_error("malformed_note", "note", "not a signed note: " + why);
  };
  const auto split = note.find("\n\n");
  if (split == std::string_view::npos) return malformed("no blank line before the signatures");
  NoteParts out;
  out.body = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n')
    return malformed("the signature lines must end in '\\n'");
  while (!sigs.empty()) {
    const auto eol = sigs.find('\n');
    const std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (!parse_line(line)) return malformed("a line is not \"— name base64(signature)\"");
    out.signatures.emplace_back(line);
  }
  return out;
}

Result<std::string> add_signatures(std::string_view note, std::span<const std::string> lines) {
  auto parts = split_note(note);
  if (!parts) return parts.error();
  std::string out(note);
  for (std::string line : lines) {
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.find('\n') != std::string::npos || !parse_line(line))
      return make_error("malformed_note", "signature",
                        "a signature line is \"— name base64(signature)\", not \"" + line + "\"");
    bool present = false;
    for (const std::string& s : parts->signatures) present = present || s == line;
    if (present) continue;
    parts->signatures.push_back(line);
    out += line;
    out += '\n';
  }
  return out;
}

Result<std::string> cosign(std::string_view note, std::uint64_t timestamp,
                           std::string_view private_pem, std::string_view name) {
  if (!valid_key_name(name)) return bad_name(name);
  if (timestamp > kMaxCosignatureTime)
    return make_error("invalid_value", "timestamp", "a cosignature's time is below 2^63");
  auto parts = split_note(note);
  if (!parts) return parts.error();
  auto key = read_private(private_pem);
  if (!key) return key.error();
  auto pub = raw_public(key->get());
  if (!pub) return pub.error();
  auto sig = ed25519_sign(key->get(), cosignature_message(parts->body, timestamp));
  if (!sig) return sig.error();
  const std::uint32_t id = key_id(name, *pub);
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) blob += static_cast<char>((id >> shift) & 0xFF);
  for (int shift = 56; shift >= 0; shift -= 8)
    blob += static_cast<char>((timestamp >> shift) & 0xFF);
  blob += *sig;
  return std::string(kDash) + std::string(name) + " " + base64_encode(blob) + "\n";
}

Result<Cosignature> verify_cosignature(std::string_view note, const WitnessKey& witness) {
  auto parts = split_note(note);
  if (!parts) return parts.error();
  const std::string who = witness.name + "+" + hex8(witness.key_id);
  bool seen = false;
  for (const std::string& line : parts->signatures) {
    auto sl = parse_line(line);
    if (!sl || sl->name != witness.name) continue;
    std::uint32_t id = 0;
    for (int i = 0; i < 4; ++i)
      id = id << 8 | static_cast<unsigned char>(sl->blob[static_cast<std::size_t>(i)]);
    if (id != witness.key_id) continue;
    seen = true;
    if (sl->blob.size() != 4 + 8 + 64) continue;  // not a cosignature/v1 of this key
    std::uint64_t ts = 0;
    for (std::size_t i = 4; i < 12; ++i) ts = ts << 8 | static_cast<unsigned char>(sl->blob[i]);
    if (ts > kMaxCosignatureTime) continue;
    if (!ed25519_verify(witness.public_key, cosignature_message(parts->body, ts),
                        std::string_view(sl->blob).substr(12)))
      continue;
    return Cosignature{witness.name, witness.text, ts, line};
  }
  return make_error("bad_signature", "note",
                    seen ? "the cosignature by " + who +
                               " does not verify: the checkpoint or the cosignature was altered"
                         : "the checkpoint carries no cosignature by " + who);
}

Result<std::vector<Cosignature>> verify_witness_quorum(std::string_view note,
                                                       std::span<const WitnessKey> witnesses,
                                                       std::size_t threshold) {
  auto parts = split_note(note);
  if (!parts) return parts.error();
  std::vector<Cosignature> good;
  std::string missing;
  for (std::size_t i = 0; i < witnesses.size(); ++i) {
    bool repeated = false;
    for (std::size_t j = 0; j < i; ++j)
      repeated = repeated || witnesses[j].text == witnesses[i].text;
    if (repeated) continue;
    auto c = verify_cosignature(note, witnesses[i]);
    if (c)
      good.push_back(std::move(*c));
    else
      missing += "; " + c.error().message;
  }
  if (good.size() < threshold)
    return make_error("witness_quorum", "note",
                      std::to_string(good.size()) + " of the " + std::to_string(witnesses.size()) +
                          " required witnesses cosigned the checkpoint, fewer than the threshold " +
                          std::to_string(threshold) + missing);
  return good;
}

std::string add_checkpoint_body(const AddCheckpointRequest& r) {
  std::string out = "old " + std::to_string(r.old_size) + "\n";
  for (const Hash& h : r.proof)
    out +=
        base64_encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size())) + "\n";
  out += "\n";
  out += r.checkpoint;
  return out;
}

Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body) {
  auto bad = [](std::size_t line, const std::string& why) {
    return make_error("bad_request", "line " + std::to_string(line),
                      "not a tlog-witness add-checkpoint body: line " + std::to_string(line) +
                          ": " + why);
  };
  AddCheckpointRequest r;
  std::size_t n = 0;
  auto next_line = [&](std::string_view& line) {
    const auto eol = body.find('\n');
    if (eol == std::string_view::npos) return false;
    line = body.substr(0, eol);
    body.remove_prefix(eol + 1);
    ++n;
    return true;
  };
  std::string_view line;
  if (!next_line(line) || !line.starts_with("old "))
    return bad(1, "the first line must be \"old <size>\"");
  auto old = canonical_decimal(line.substr(4));
  if (!old) return bad(1, "the old size is not a decimal number without leading zeros");
  r.old_size = *old;
  for (;;) {
    if (!next_line(line)) return bad(n + 1, "no empty line before the checkpoint");
    if (line.empty()) break;
    if (r.proof.size() == kMaxProofLines) return bad(n, "more than 63 consistency proof lines");
    auto raw = base64_decode(line);
    if (!raw || raw->size() != 32) return bad(n, "a proof line is not base64 of a 32-byte hash");
    Hash h{};
    std::copy(raw->begin(), raw->end(), h.begin());
    r.proof.push_back(h);
  }
  if (body.empty()) return bad(n + 1, "the checkpoint is missing");
  r.checkpoint = std::string(body);
  return r;
}

std::string_view note_origin(std::string_view note) { return note.substr(0, note.find('\n')); }

WitnessVerdict judge_add_checkpoint(const AddCheckpointRequest& request,
                                    std::span<const std::string> log_keys,
                                    const std::optional<WitnessedCheckpoint>& last) {
  auto refuse = [](int status, std::string why) {
    WitnessVerdict v;
    v.status = status;
    v.message = std::move(why);
    return v;
  };
  const std::string origin(note_origin(request.checkpoint));
  if (log_keys.empty()) return refuse(404, "this witness does not follow the log " + origin);
  std::optional<Checkpoint> cp;
  std::string why;
  bool malformed = false;
  for (const std::string& key : log_keys) {
    auto c = verify_checkpoint(request.checkpoint, key);
    if (c) {
      cp = *c;
      break;
    }
    why = c.error().message;
    malformed =
        malformed || c.error().code == "malformed_note" || c.error().code == "bad_checkpoint";
  }
  if (!cp) {
    if (malformed) return refuse(400, "the checkpoint is not well formed: " + why);
    return refuse(403, "no signature by a key this witness trusts for " + origin + ": " + why);
  }
  if (cp->origin != origin) return refuse(400, "the checkpoint's origin line is not " + origin);
  if (request.old_size > cp->tree_size)
    return refuse(400, "old " + std::to_string(request.old_size) +
                           " is above the checkpoint's size " + std::to_string(cp->tree_size));
  const std::uint64_t last_size = last ? last->size : 0;
  if (request.old_size != last_size) {
    WitnessVerdict v =
        refuse(409, "the last checkpoint cosigned for " + origin + " has size " +
                        std::to_string(last_size) + ", not " + std::to_string(request.old_size));
    v.conflict_size = last_size;
    return v;
  }
  if (request.old_size == 0 && !request.proof.empty())
    return refuse(400, "a consistency proof from size 0 must be empty");
  if (last && cp->tree_size == last->size) {
    if (cp->root != last->root)
      return refuse(409, "a checkpoint of the size " + std::to_string(cp->tree_size) +
                             " last cosigned with another root: the log forked (a split view)");
    if (!request.proof.empty())
      return refuse(422, "the consistency proof between equal sizes must be empty");
  } else if (last && last->size > 0 &&
             !verify_consistency(last->size, cp->tree_size, last->root, cp->root, request.proof)) {
    return refuse(422, "the consistency proof from the " + std::to_string(last->size) +
                           " entries last cosigned to " + std::to_string(cp->tree_size) +
                           " does not verify: the checkpoint does not extend what this witness "
                           "saw (a split view or a rewritten log)");
  }
  WitnessVerdict v;
  v.status = 200;
  v.message = "cosigned " + origin + " at size " + std::to_string(cp->tree_size);
  v.checkpoint = WitnessedCheckpoint{cp->tree_size, cp->root, request.checkpoint};
  return v;
}

}  // namespace passline
