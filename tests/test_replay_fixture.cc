// The log written by the last quota-case/1-only release (tests/fixtures/release-0.2, commit
// c0f4405): it verifies against the checkpoint that release signed and replays with 0 differ
// under today's engine (issue 10). Its bytes are pinned here and in its README, so the fixture
// cannot be edited to make a failing replay pass.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "passline/rule_pack.h"
#include "support.h"

namespace {

namespace fs = std::filesystem;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

const fs::path kFixture = fs::path(PASSLINE_SOURCE_DIR) / "tests/fixtures/release-0.2";

// As the fixture's README records them (`sha256sum` of the files when they were written).
constexpr const char* kLogSha256 =
    "3d54c8dd8bc46cc7a6a2099deb80d5d5ef8228fd307b070cd7030c913654eaf6";
constexpr const char* kCheckpointSha256 =
    "fa0b0abbabb935a00e4b584bef3bd08f9818a92d15c0731fa39b69809760dc81";
constexpr const char* kPubkeySha256 =
    "c861ed1b2a2f25267d612ea67b3ca8b1f8018d8fdd164a9e60f45345c96b1783";

// What the release itself printed for the fixture (README).
constexpr const char* kVerified =
    "OK: 3086 entries, root d2361b2696442311ebc1552cbc0009c1402808b6a9be54460c92d55f0732a622, "
    "matching the checkpoint signed by passline.fixture/release-0.2 at 2026-12-01T14:24:02Z\n";
constexpr const char* kReplayed = "33 recruitments replayed, 0 differ\n";

std::string fixture(const char* name) { return (kFixture / name).string(); }

}  // namespace

TEST_SUITE("replay_fixture") {

TEST_CASE("the release-0.2 fixture is byte for byte what its README records") {
  const std::string readme = slurp(kFixture / "README.md");
  for (auto [file, sha] :
       {std::pair{"log.jsonl", kLogSha256}, std::pair{"checkpoint.txt", kCheckpointSha256},
        std::pair{"release.key.pub", kPubkeySha256}}) {
    CAPTURE(file);
    const std::string bytes = slurp(kFixture / file);
    REQUIRE_FALSE(bytes.empty());
    CHECK(passline::sha256_hex(bytes) == sha);
    CHECK(readme.find(std::string(sha) + "  " + file + "\n") != std::string::npos);
  }
}

TEST_CASE("the release-0.2 log verifies against its checkpoint and replays with 0 differ") {
  const auto verify = run_cli({"audit", "verify", fixture("log.jsonl"), "--checkpoint",
                               fixture("checkpoint.txt"), "--pubkey", fixture("release.key.pub")});
  CHECK_MESSAGE(verify.exit == 0, verify.out << verify.err);
  CHECK(verify.out == kVerified);

  const auto replay = run_cli({"audit", "replay", fixture("log.jsonl")});
  CHECK_MESSAGE(replay.exit == 0, replay.err);
  CHECK(replay.out == kReplayed);
  CHECK(replay.err.empty());
}

// The replay above is not vacuous: one changed score of the fixture is found by both checks.
TEST_CASE("the release-0.2 log with one score changed fails verify and replay") {
  std::string log = slurp(kFixture / "log.jsonl");
  // Applicant KAMCO-2023-001 of KAMCO-2023-H1 (entry 2988; its header is entry 2987).
  const std::string entry_start = "{\"applicant\":\"KAMCO-2023-001\",";
  const std::string was = "\"recruitment\":\"KAMCO-2023-H1\",\"scores\":[\"89.7\",";
  const auto entry = log.find(entry_start);
  REQUIRE(entry != std::string::npos);
  const auto at = log.find(was, entry);
  REQUIRE(at != std::string::npos);
  REQUIRE(at < log.find('\n', entry));
  log[at + was.size() - 3] = '8';  // 89.7 -> 89.8: still a canonical entry
  TempDir dir;
  const std::string path = (dir.path / "log.jsonl").string();
  spit(path, log);

  const auto verify = run_cli({"audit", "verify", path, "--checkpoint", fixture("checkpoint.txt"),
                               "--pubkey", fixture("release.key.pub")});
  CHECK(verify.exit != 0);
  CHECK(verify.out.rfind("FAILED: entry 2988: ", 0) == 0);

  const auto replay = run_cli({"audit", "replay", path});
  CHECK(replay.exit == 1);
  CHECK(replay.out == "33 recruitments replayed, 1 differ\n");
  CHECK(replay.err.find("KAMCO-2023-H1: entry 2987 differs") != std::string::npos);
}

}  // TEST_SUITE
