// C2SP signed notes and tlog checkpoints, Ed25519 through OpenSSL.
#include <doctest/doctest.h>

#include <string>

#include "passline/checkpoint.h"

using namespace passline;

namespace {

// From golang.org/x/mod/sumdb/note, note_test.go (https://github.com/golang/mod, file
// sumdb/note/note_test.go: TestSign, TestOpen): the PeterNeumann and EnochRoot keys and their
// signatures over this text.
const std::string kPeterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kEnochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

Checkpoint sample() {
  Checkpoint c;
  c.origin = "passline.example.go.kr/log";
  c.tree_size = 1234;
  c.root = leaf_hash("some root");
  c.time = "2026-11-24T21:00:00Z";
  return c;
}

}  // namespace

TEST_CASE("the golang.org/x/mod/sumdb/note test vector verifies") {
  auto text = verify_note(kText + "\n" + kPeterSig, kPeterKey);
  REQUIRE_MESSAGE(text.ok(), text.error().code << " " << text.error().message);
  CHECK(*text == kText);
  // Another signer's line is ignored; each key verifies its own line.
  CHECK(verify_note(kText + "\n" + kPeterSig + kEnochSig, kPeterKey).ok());
  CHECK(verify_note(kText + "\n" + kPeterSig + kEnochSig, kEnochKey).ok());
  // Only Enoch signed: no signature by Peter.
  auto none = verify_note(kText + "\n" + kEnochSig, kPeterKey);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == "bad_signature");
  // TestOpen's "invalid signature": four characters inserted into Peter's signature.
  auto invalid = verify_note(kText + "\n" + kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60),
                             kPeterKey);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().code == "bad_signature");
  // TestOpen's malformed messages.
  for (const std::string& bad :
       {kText, kText + "\n", kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),
        "\x01" + kText + "\n" + kPeterSig, "\xff" + kText + "\n" + kPeterSig,
        kText + "\n" + kPeterSig + "Unexpected line.\n"}) {
    auto r = verify_note(bad, kPeterKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "malformed_note");
  }
}

TEST_CASE("mangled verifier keys are refused") {
  for (const std::string& bad :
       {std::string("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        std::string("PeterNeumann+c74f20a3+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        std::string("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="),
        std::string("PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        kPeterKey.substr(0, kPeterKey.size() - 1), std::string("PeterNeumann"), std::string("")}) {
    CAPTURE(bad);
    auto r = verify_note(kText + "\n" + kPeterSig, bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_verifier_key");
  }
}

TEST_CASE("a generated key signs a checkpoint that verifies and parses back") {
  auto key = generate_key("passline.example.go.kr/log");
  REQUIRE(key.ok());
  CHECK(key->private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  CHECK(key->verifier_key.starts_with("passline.example.go.kr/log+"));
  auto vk = verifier_key_of(key->private_pem, key->name);
  REQUIRE(vk.ok());
  CHECK(*vk == key->verifier_key);

  const Checkpoint c = sample();
  auto note = sign_checkpoint(c, key->private_pem, key->name);
  REQUIRE(note.ok());
  CHECK(note->starts_with("passline.example.go.kr/log\n1234\n"));
  CHECK(note->find("\ntime 2026-11-24T21:00:00Z\n\n\xE2\x80\x94 passline.example.go.kr/log ") !=
        std::string::npos);
  auto back = verify_checkpoint(*note, key->verifier_key);
  REQUIRE_MESSAGE(back.ok(), back.error().code << " " << back.error().message);
  CHECK(*back == c);
}

TEST_CASE("a flipped byte in the body or the signature fails verification") {
  auto key = generate_key("log");
  REQUIRE(key.ok());
  auto note = sign_checkpoint(sample(), key->private_pem, key->name);
  REQUIRE(note.ok());
  // Body: the tree size 1234 → 1235.
  std::string body = *note;
  body[body.find("1234") + 3] = '5';
  auto r1 = verify_checkpoint(body, key->verifier_key);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().code == "bad_signature");
  // Signature: one base64 character of the signature itself changed.
  std::string sig = *note;
  const std::size_t at = sig.size() - 10;
  sig[at] = sig[at] == 'A' ? 'B' : 'A';
  auto r2 = verify_checkpoint(sig, key->verifier_key);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().code == "bad_signature");
  // Another key of the same name.
  auto other = generate_key("log");
  REQUIRE(other.ok());
  auto r3 = verify_checkpoint(*note, other->verifier_key);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().code == "bad_signature");
}

TEST_CASE("a signed note that is not a checkpoint is refused with bad_checkpoint") {
  auto key = generate_key("log");
  REQUIRE(key.ok());
  const std::string root = base64_encode(std::string(32, 'x'));
  const std::pair<std::string, std::string> cases[] = {
      {"origin\n12\n", "note"},
      {"origin\n012\n" + root + "\ntime 2026-11-24T21:00:00Z\n", "tree_size"},
      {"origin\n12x\n" + root + "\ntime 2026-11-24T21:00:00Z\n", "tree_size"},
      {"origin\n12\n" + base64_encode("short") + "\ntime 2026-11-24T21:00:00Z\n", "root"},
      {"origin\n12\n" + root + "\ntime yesterday\n", "time"},
      {"origin\n12\n" + root + "\ntime 2026-11-24T21:00:00Z\ntime 2026-11-24T21:00:01Z\n", "time"},
  };
  for (const auto& [text, where] : cases) {
    CAPTURE(text);
    auto note = sign_note(text, key->private_pem, key->name);
    REQUIRE(note.ok());
    auto r = verify_checkpoint(*note, key->verifier_key);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_checkpoint");
    CHECK(r.error().path == where);
  }
  // An unknown extension line is allowed.
  auto ext = sign_note("origin\n12\n" + root + "\nother extension\ntime 2026-11-24T21:00:00Z\n",
                       key->private_pem, key->name);
  REQUIRE(ext.ok());
  CHECK(verify_checkpoint(*ext, key->verifier_key).ok());
}

TEST_CASE("a checkpoint without extension lines verifies (C2SP marks them optional)") {
  auto key = generate_key("example.com/log");
  REQUIRE(key.ok());
  const Hash root = leaf_hash("r");
  const std::string text =
      "example.com/log\n12\n" +
      base64_encode(std::string(reinterpret_cast<const char*>(root.data()), root.size())) + "\n";
  auto note = sign_note(text, key->private_pem, key->name);
  REQUIRE(note.ok());
  auto cp = verify_checkpoint(*note, key->verifier_key);
  REQUIRE_MESSAGE(cp.ok(), cp.error().message);
  CHECK(cp->origin == "example.com/log");
  CHECK(cp->tree_size == 12);
  CHECK(cp->root == root);
  CHECK(cp->time.empty());
  // Unknown extension lines alone are fine too; and a Checkpoint without a time is written
  // without the line, back to the same text.
  auto other = sign_note(text + "witnessed-by someone\n", key->private_pem, key->name);
  REQUIRE(other.ok());
  CHECK(verify_checkpoint(*other, key->verifier_key).ok());
  CHECK(*checkpoint_text(*cp) == text);
}

TEST_CASE("bad names, keys and texts are refused when signing") {
  CHECK(generate_key("a+b").error().code == "bad_key_name");
  CHECK(generate_key("a b").error().code == "bad_key_name");
  CHECK(generate_key("").error().code == "bad_key_name");
  auto key = generate_key("log");
  REQUIRE(key.ok());
  CHECK(sign_note("no newline", key->private_pem, "log").error().code == "malformed_note");
  CHECK(sign_note("a\n\nb\n", key->private_pem, "log").error().code == "malformed_note");
  CHECK(sign_note("a\n", "not a key", "log").error().code == "bad_private_key");
  Checkpoint c = sample();
  c.time = "2026-11-24 21:00";
  CHECK(sign_checkpoint(c, key->private_pem, "log").error().code == "bad_checkpoint");
  c = sample();
  c.origin = "two\nlines";
  CHECK(sign_checkpoint(c, key->private_pem, "log").error().code == "bad_checkpoint");
}
