// Witnesses (passline/witness.h): C2SP tlog-cosignature/v1 against a vector computed
// independently (Python's `cryptography`, RFC 8032 test key 1: the script is in the comment
// below), the tlog-witness add-checkpoint body, the N-of-M quorum, and the witness's judgement:
// first checkpoint, a consistent larger one, a split view at the same size and at a diverging
// size, an unknown origin or key, a stale `old`.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/witness.h"

namespace {

using passline::AddCheckpointRequest;
using passline::Checkpoint;
using passline::Hash;
using passline::WitnessKey;

// python3: seed = RFC 8032 §7.1 test 1; k = Ed25519PrivateKey.from_private_bytes(seed);
//   kid = sha256(name + "\n" + b"\x04" + pub)[:4]; vkey = name+kid.hex()+b64(b"\x04"+pub)
//   msg = b"cosignature/v1\ntime %d\n" % ts + body; line = "— " + name + " " +
//   b64(kid + struct.pack(">Q", ts) + k.sign(msg))
constexpr const char* kPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kName = "witness.test/w1";
constexpr const char* kVkey =
    "witness.test/w1+264c8f85+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
constexpr const char* kBody =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::uint64_t kTime = 1679315147;
constexpr const char* kLine =
    "\xE2\x80\x94 witness.test/w1 "
    "JkyPhQAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/kmm5tlCr9sJ57DLErur7K0yDXc2ArN+TIuotuB/"
    "HbuL3AJsp3bv/aNCQ==";
// The log's own signature line does not matter to a cosignature: any well-formed line will do.
const std::string kNote = std::string(kBody) +
                          "\n\xE2\x80\x94 example.com/behind-the-sofa "
                          "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
                          "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

WitnessKey key(const std::string& vkey) {
  auto k = passline::parse_witness_key(vkey);
  REQUIRE_MESSAGE(k.ok(), k.error().message);
  return *k;
}

std::vector<Hash> leaves(std::size_t n, const std::string& salt = "") {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(passline::leaf_hash(salt + std::to_string(i)));
  return out;
}

struct Log {
  passline::KeyPair key;
  explicit Log(const std::string& origin) {
    auto k = passline::generate_key(origin);
    REQUIRE(k.ok());
    key = *k;
  }
  std::string checkpoint(const std::vector<Hash>& l, std::size_t n) const {
    Checkpoint c;
    c.origin = key.name;
    c.tree_size = n;
    c.root = passline::root_of(std::span<const Hash>(l).first(n));
    c.time = "2026-12-02T07:00:00Z";
    auto note = passline::sign_checkpoint(c, key.private_pem, key.name);
    REQUIRE(note.ok());
    return *note;
  }
};

}  // namespace

TEST_SUITE("witness") {

TEST_CASE("a cosignature/v1 matches the vector computed with Python's cryptography") {
  auto vkey = passline::witness_verifier_key_of(kPem, kName);
  REQUIRE(vkey.ok());
  CHECK(*vkey == kVkey);
  CHECK(passline::cosignature_message(kBody, kTime) ==
        std::string("cosignature/v1\ntime 1679315147\n") + kBody);
  auto line = passline::cosign(kNote, kTime, kPem, kName);
  REQUIRE(line.ok());
  CHECK(*line == std::string(kLine) + "\n");  // Ed25519 is deterministic

  auto with = passline::add_signatures(kNote, std::vector<std::string>{kLine});
  REQUIRE(with.ok());
  CHECK(*with == kNote + kLine + "\n");
  auto again = passline::add_signatures(*with, std::vector<std::string>{kLine});
  REQUIRE(again.ok());
  CHECK(*again == *with);  // a line is added once
  auto c = passline::verify_cosignature(*with, key(kVkey));
  REQUIRE_MESSAGE(c.ok(), c.error().message);
  CHECK(c->timestamp == kTime);
  CHECK(c->witness == kName);
  CHECK(c->line == kLine);
}

TEST_CASE("witness verifier keys: type 0x04, the key ID checked") {
  CHECK(passline::parse_witness_key(kVkey).ok());
  std::string wrong_id = kVkey;
  wrong_id.replace(wrong_id.find("264c8f85"), 8, "264c8f86");
  CHECK(passline::parse_witness_key(wrong_id).error().code == "bad_verifier_key");
  // A log key (type 0x01) is not a witness key.
  auto log = passline::generate_key("example.com/log");
  REQUIRE(log.ok());
  auto as_witness = passline::parse_witness_key(log->verifier_key);
  CHECK(as_witness.error().code == "bad_verifier_key");
  CHECK(as_witness.error().message.find("0x04") != std::string::npos);
  CHECK(passline::parse_witness_key("no-plus").error().code == "bad_verifier_key");
  auto fresh = passline::generate_witness_key("w.example/2");
  REQUIRE(fresh.ok());
  CHECK(passline::parse_witness_key(fresh->verifier_key).ok());
  CHECK(passline::generate_witness_key("bad name").error().code == "bad_key_name");
}

TEST_CASE("a tampered cosignature, another checkpoint, another key: bad_signature") {
  const std::string with = kNote + kLine + "\n";
  // One bit of the signature flipped (the last base64 digit before the padding).
  std::string tampered = with;
  const auto pos = tampered.rfind("CQ==");
  tampered[pos] = 'D';
  auto t = passline::verify_cosignature(tampered, key(kVkey));
  CHECK(t.error().code == "bad_signature");
  CHECK(t.error().message.find("does not verify") != std::string::npos);
  // The same line under a checkpoint of another root.
  std::string other = with;
  other.replace(other.find("CsUY"), 4, "DsUY");
  CHECK(passline::verify_cosignature(other, key(kVkey)).error().code == "bad_signature");
  // The timestamp changed (bytes 4..11 of the blob): the message changes, the signature fails.
  std::string retimed = with;
  retimed.replace(retimed.find("AAAABkGFDL"), 10, "AAAABkGFDM");
  CHECK(passline::verify_cosignature(retimed, key(kVkey)).error().code == "bad_signature");
  // No line by this witness at all.
  auto other_key = passline::generate_witness_key(kName);
  REQUIRE(other_key.ok());
  auto none = passline::verify_cosignature(with, key(other_key->verifier_key));
  CHECK(none.error().code == "bad_signature");
  CHECK(none.error().message.find("carries no cosignature") != std::string::npos);
}

TEST_CASE("N of M witnesses: witness_quorum below the threshold") {
  auto w2 = passline::generate_witness_key("w.example/2");
  auto w3 = passline::generate_witness_key("w.example/3");
  REQUIRE(w2.ok());
  REQUIRE(w3.ok());
  auto l2 = passline::cosign(kNote, 1700000000, w2->private_pem, w2->name);
  REQUIRE(l2.ok());
  auto note = passline::add_signatures(kNote, std::vector<std::string>{kLine, *l2});
  REQUIRE(note.ok());
  const std::vector<WitnessKey> all = {key(kVkey), key(w2->verifier_key), key(w3->verifier_key)};
  auto two = passline::verify_witness_quorum(*note, all, 2);
  REQUIRE_MESSAGE(two.ok(), two.error().message);
  CHECK(two->size() == 2);
  auto three = passline::verify_witness_quorum(*note, all, 3);
  CHECK(three.error().code == "witness_quorum");
  CHECK(three.error().message.find("2 of the 3 required witnesses") != std::string::npos);
  CHECK(three.error().message.find("w.example/3") != std::string::npos);
  // A witness named twice counts once.
  const std::vector<WitnessKey> twice = {key(kVkey), key(kVkey)};
  CHECK(passline::verify_witness_quorum(*note, twice, 2).error().code == "witness_quorum");
  // The log's checkpoint alone: no quorum.
  CHECK(passline::verify_witness_quorum(kNote, all, 1).error().code == "witness_quorum");
}

TEST_CASE("the add-checkpoint body: built, parsed back, malformed ones refused") {
  AddCheckpointRequest r;
  r.old_size = 20852014;
  r.proof = leaves(4);
  r.checkpoint = kNote;
  const std::string body = passline::add_checkpoint_body(r);
  CHECK(body.rfind("old 20852014\n", 0) == 0);
  CHECK(body.find("\n\n" + std::string(kBody)) != std::string::npos);
  auto back = passline::parse_add_checkpoint(body);
  REQUIRE_MESSAGE(back.ok(), back.error().message);
  CHECK(*back == r);
  // The spec's own example (tlog-witness.md).
  auto example = passline::parse_add_checkpoint(
      "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
      "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\n" +
      kNote);
  REQUIRE(example.ok());
  CHECK(example->proof.size() == 2);

  auto refused = [](const std::string& b) { return passline::parse_add_checkpoint(b).error(); };
  CHECK(refused("").code == "bad_request");
  CHECK(refused("old 01\n\n" + kNote).path == "line 1");
  CHECK(refused("new 1\n\n" + kNote).path == "line 1");
  CHECK(refused("old 1\nnot base64!\n\n" + kNote).path == "line 2");
  CHECK(refused("old 1\nAAAA\n\n" + kNote).code == "bad_request");  // 3 bytes, not 32
  CHECK(refused("old 1\n").code == "bad_request");                  // no empty line
  CHECK(refused("old 1\n\n").message.find("checkpoint is missing") != std::string::npos);
  AddCheckpointRequest big = r;
  big.proof = leaves(64);
  CHECK(refused(passline::add_checkpoint_body(big)).message.find("63") != std::string::npos);
}

TEST_CASE("the witness's judgement: extends, or refuses a split view and stores nothing") {
  Log log("log.example/passline/1");
  const std::vector<std::string> keys = {log.key.verifier_key};
  const auto honest = leaves(40), forked = leaves(40, "x");

  // First checkpoint: trusted on its signature, old 0 and no proof.
  AddCheckpointRequest first{0, {}, log.checkpoint(honest, 10)};
  auto v1 = passline::judge_add_checkpoint(first, keys, std::nullopt);
  REQUIRE_MESSAGE(v1.status == 200, v1.message);
  REQUIRE(v1.checkpoint);
  CHECK(v1.checkpoint->size == 10);
  const passline::WitnessedCheckpoint state = *v1.checkpoint;

  // A consistent larger one.
  AddCheckpointRequest second{10, passline::consistency_proof(10, 25, honest),
                              log.checkpoint(honest, 25)};
  auto v2 = passline::judge_add_checkpoint(second, keys, state);
  CHECK_MESSAGE(v2.status == 200, v2.message);
  CHECK(v2.checkpoint->size == 25);

  // The same checkpoint again: cosigned again (same size, same root, empty proof).
  AddCheckpointRequest same{10, {}, first.checkpoint};
  CHECK(passline::judge_add_checkpoint(same, keys, state).status == 200);

  // Split view, same size: another tree of 10 entries signed by the same key.
  AddCheckpointRequest fork_same{10, {}, log.checkpoint(forked, 10)};
  auto v3 = passline::judge_add_checkpoint(fork_same, keys, state);
  CHECK(v3.status == 409);
  CHECK_FALSE(v3.conflict_size);
  CHECK_FALSE(v3.checkpoint);
  CHECK(v3.message.find("forked") != std::string::npos);

  // Split view, diverging size: a larger tree of another history with its own proof.
  AddCheckpointRequest fork_larger{10, passline::consistency_proof(10, 30, forked),
                                   log.checkpoint(forked, 30)};
  auto v4 = passline::judge_add_checkpoint(fork_larger, keys, state);
  CHECK(v4.status == 422);
  CHECK_FALSE(v4.checkpoint);
  // ... or the honest proof under the forked root.
  AddCheckpointRequest mixed{10, passline::consistency_proof(10, 30, honest),
                             log.checkpoint(forked, 30)};
  CHECK(passline::judge_add_checkpoint(mixed, keys, state).status == 422);

  // A stale or wrong `old`: 409 with the size last cosigned.
  AddCheckpointRequest stale{0, {}, log.checkpoint(honest, 25)};
  auto v5 = passline::judge_add_checkpoint(stale, keys, state);
  CHECK(v5.status == 409);
  REQUIRE(v5.conflict_size);
  CHECK(*v5.conflict_size == 10);
  // old above the checkpoint's size: 400; a proof from 0: 400.
  CHECK(passline::judge_add_checkpoint({30, {}, log.checkpoint(honest, 25)}, keys, state).status ==
        400);
  CHECK(
      passline::judge_add_checkpoint({0, leaves(1), first.checkpoint}, keys, std::nullopt).status ==
      400);

  // Unknown origin (no keys): 404; another key of the same name: 403.
  CHECK(passline::judge_add_checkpoint(first, {}, std::nullopt).status == 404);
  Log impostor("log.example/passline/1");
  AddCheckpointRequest signed_by_other{0, {}, impostor.checkpoint(honest, 10)};
  CHECK(passline::judge_add_checkpoint(signed_by_other, keys, std::nullopt).status == 403);
  // A checkpoint that is not a signed note: 400.
  CHECK(passline::judge_add_checkpoint({0, {}, "log.example/passline/1\n10\n"}, keys, std::nullopt)
            .status == 400);
}

}  // TEST_SUITE
