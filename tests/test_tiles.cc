// The log as C2SP tlog-tiles: path encoding, tile bytes, proofs computed from tiles (the
// engine); the tiles served by the HTTP service; a static export served by a plain HTTP server
// (python3 -m http.server) and followed by `passline audit watch` across checkpoints, and across
// a log rebuilt from another history under the same key.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <thread>

#include "http_support.h"
#include "passline/app/audit.h"
#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/sql/log_key.h"
#include "passline/tiles.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
namespace app = passline::app;
namespace sql = passline::sql;
using passline::Hash;
using passline::kTileWidth;
using passline::TileRef;
using passline::TreeNode;
using passline::test::Backend;
using passline::test::make_case;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

std::vector<Hash> leaves_of(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i) leaves.push_back(passline::leaf_hash(std::to_string(i)));
  return leaves;
}

// The full-width tiles of a tree, computed from its leaves the way the spec defines them.
struct MemoryTiles {
  std::vector<std::vector<Hash>> levels;  // hashes at height 8L
  int fetches = 0;
  explicit MemoryTiles(const std::vector<Hash>& leaves) {
    levels.push_back(leaves);
    while (levels.back().size() >= kTileWidth) {
      std::vector<Hash> up;
      const auto& below = levels.back();
      for (std::size_t i = 0; i + kTileWidth <= below.size(); i += kTileWidth)
        up.push_back(passline::root_of(std::span<const Hash>(below).subspan(i, kTileWidth)));
      levels.push_back(std::move(up));
    }
  }
  passline::TileFetch fetch() {
    return [this](const TileRef& t) -> passline::Result<std::string> {
      ++fetches;
      const auto& level = levels.at(t.level);
      return passline::hash_tile_bytes(
          std::span<const Hash>(level).subspan(t.index * kTileWidth, t.width));
    };
  }
};

}  // namespace

TEST_SUITE("tiles") {

TEST_CASE("tile paths are encoded and read as C2SP tlog-tiles spells them") {
  CHECK(passline::tile_path({false, 0, 0, 256}) == "tile/0/000");
  CHECK(passline::tile_path({false, 0, 1234067, 256}) == "tile/0/x001/x234/067");
  CHECK(passline::tile_path({false, 2, 5, 17}) == "tile/2/005.p/17");
  CHECK(passline::tile_path({true, 0, 1000, 3}) == "tile/entries/x001/000.p/3");
  for (const TileRef& t : std::vector<TileRef>{{false, 0, 0, 256},
                                               {false, 63, 999, 1},
                                               {false, 1, 1000, 255},
                                               {true, 0, 1234067, 256},
                                               {true, 0, ~std::uint64_t{0}, 9}}) {
    auto parsed = passline::parse_tile_path(split(passline::tile_path(t)));
    REQUIRE_MESSAGE(parsed.ok(), passline::tile_path(t) << ": " << parsed.error().message);
    CHECK(*parsed == t);
  }
  // Only the canonical spelling: each refusal names the segment.
  const std::map<std::string, std::string> bad = {
      {"tile/00/000", "segment 1"},      {"tile/64/000", "segment 1"},
      {"tile/-1/000", "segment 1"},      {"tile/0/00", "segment 2"},
      {"tile/0/0000", "segment 2"},      {"tile/0/x001", "segment 2"},
      {"tile/0/001/002", "segment 2"},   {"tile/0/x000/001", "segment 2"},
      {"tile/0/000.p/256", "segment 3"}, {"tile/0/000.p/0", "segment 3"},
      {"tile/0/000.p/07", "segment 3"},  {"tile/0/000.p/", "segment 3"},
      {"tile/entries/0a1", "segment 2"}, {"tile/0", "segment 2"},
      {"tiles/0/000", "segment 0"},      {"tile/0/x018/x446/x744/x073/x709/x551/616", "segment 2"},
      {"tile/0/x1/000", "segment 2"},    {"tile/entries/000.p/1/2", "segment 2"},
  };
  for (const auto& [path, segment] : bad) {
    auto parsed = passline::parse_tile_path(split(path));
    REQUIRE_MESSAGE(!parsed.ok(), path);
    CHECK(parsed.error().code == "bad_tile_path");
    CHECK_MESSAGE(parsed.error().path == segment, path << ": " << parsed.error().path);
  }
}

TEST_CASE("a tree has the full and partial tiles the spec lists") {
  // tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0 tiles, one
  // partial level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of width
  // 17, and one partial level 2 tile of width 1".
  std::map<std::pair<unsigned, unsigned>, int> count;  // (level, width) → tiles
  int bundles = 0;
  for (const TileRef& t : passline::tiles_of(70000)) {
    if (t.entries)
      ++bundles;
    else
      ++count[{t.level, t.width}];
  }
  CHECK(count == std::map<std::pair<unsigned, unsigned>, int>{
                     {{0, 256}, 273}, {{0, 112}, 1}, {{1, 256}, 1}, {{1, 17}, 1}, {{2, 1}, 1}});
  CHECK(bundles == 274);
  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile
  // of width 1".
  const auto t256 = passline::tiles_of(256);
  CHECK(t256 == std::vector<TileRef>{{false, 0, 0, 256}, {true, 0, 0, 256}, {false, 1, 0, 1}});
  CHECK(passline::tiles_of(0).empty());
  // A tile of an older, smaller tree stays available as the tree grows (a prefix of the newer).
  CHECK(passline::tile_within({false, 0, 1, 10}, 300));
  CHECK_FALSE(passline::tile_within({false, 0, 1, 45}, 300));
  CHECK(passline::tile_within({false, 0, 0, 256}, 300));
  CHECK_FALSE(passline::tile_within({false, 0, 1, 256}, 300));
  CHECK_FALSE(passline::tile_within({false, 1, 0, 2}, 300));
  CHECK_FALSE(passline::tile_within({true, 1, 0, 1}, 300));
}

TEST_CASE("hash tiles and entry bundles round-trip; malformed bytes are refused") {
  const std::vector<std::string> entries = {"", "a", std::string(300, 'x'), "{\"k\":1}"};
  auto bundle = passline::entry_bundle_bytes(entries);
  REQUIRE(bundle.ok());
  CHECK(bundle->substr(0, 5) == std::string("\0\0\0\1a", 5));
  CHECK(bundle->size() == 2 * 4 + 0 + 1 + 300 + 7);
  CHECK(*passline::read_entry_bundle(*bundle, 4) == entries);
  CHECK(passline::read_entry_bundle(*bundle, 3).error().code == "bad_tile");
  CHECK(passline::read_entry_bundle(*bundle + "x", 4).error().code == "bad_tile");
  CHECK(passline::read_entry_bundle(bundle->substr(0, bundle->size() - 1), 4).error().code ==
        "bad_tile");
  const std::vector<std::string> big = {"a", std::string(65536, 'x')};
  auto too_large = passline::entry_bundle_bytes(big);
  REQUIRE_FALSE(too_large.ok());
  CHECK(too_large.error().code == "entry_too_large");
  CHECK(too_large.error().path == "entries[1]");
  CHECK(passline::entry_bundle_bytes(std::vector<std::string>{std::string(65535, 'x')}).ok());

  const auto leaves = leaves_of(3);
  const std::string tile = passline::hash_tile_bytes(leaves);
  CHECK(tile.size() == 96);
  CHECK(*passline::read_hash_tile(tile, 3) == leaves);
  CHECK(passline::read_hash_tile(tile, 2).error().code == "bad_tile");
}

TEST_CASE("proofs and roots computed from tiles equal those computed from every leaf") {
  const auto leaves = leaves_of(70000);
  for (std::uint64_t n :
       std::vector<std::uint64_t>{1, 2, 255, 256, 257, 511, 65535, 65536, 65537, 70000}) {
    const std::span<const Hash> tree = std::span<const Hash>(leaves).first(n);
    MemoryTiles tiles({tree.begin(), tree.end()});
    passline::TileReader reader(n, tiles.fetch());
    auto root = reader.root();
    REQUIRE(root.ok());
    CHECK(*root == passline::root_of(tree));
    for (std::uint64_t m : std::vector<std::uint64_t>{0, 1, 7, 255, 256, 300, 65536, n - 1, n}) {
      if (m > n) continue;
      auto proof = reader.consistency_proof(m);
      REQUIRE(proof.ok());
      CHECK_MESSAGE(*proof == passline::consistency_proof(m, n, tree), m << " → " << n);
      CHECK(passline::verify_consistency(m, n, passline::root_of(tree.first(m)), *root, *proof));
    }
    // Each tile is fetched once, and a proof reads a few per level, not every leaf.
    CHECK_MESSAGE(tiles.fetches <= 16, n << ": " << tiles.fetches);
  }
  // A tile of the wrong length is refused, naming the tile.
  passline::TileReader bad(300, [](const TileRef&) -> passline::Result<std::string> {
    return std::string(64, '\0');
  });
  auto refused = bad.root();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "bad_tile");
}

}  // TEST_SUITE

namespace {

// A free loopback TCP port: bound to port 0, read, released.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// A plain static web server, `python3 -m http.server`, serving `dir` on a loopback port.
struct StaticServer {
  pid_t pid = 0;
  int port = 0;
  StaticServer(const fs::path& dir, const fs::path& io) {
    port = free_port();
    std::vector<std::string> args = {"python3", "-m",        "http.server", std::to_string(port),
                                     "--bind",  "127.0.0.1", "--directory", dir.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = (io / "http.server.log").string();
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawnp(&pid, "python3", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE_MESSAGE(rc == 0, "cannot start python3 -m http.server");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts_connections(port)) {
      REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "http.server did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~StaticServer() {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  std::string url(const std::string& prefix) const {
    return "http://127.0.0.1:" + std::to_string(port) + "/" + prefix;
  }
};

// Imports and decides a recruitment of `n` applicants (a correction of `supersedes` if given).
void decide(const std::string& db, const std::string& id, const std::string& agency, std::size_t n,
            std::optional<std::string> supersedes = std::nullopt) {
  auto store = sql::Store::open(db);
  REQUIRE(store.ok());
  app::ImportOptions opts;
  opts.supersedes = std::move(supersedes);
  auto imported = app::import_case(**store, make_case(id, agency, "admin", 3, n), opts);
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  auto decided = app::decide(**store, id, passline::bundled_rules());
  REQUIRE_MESSAGE(decided.ok(), decided.error().message);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("tiles") {

TEST_CASE("a static tile export served by python's http.server is watched across checkpoints") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "log.db").string();
  const std::string key = (d.path / "log.key").string(), pub = key + ".pub";
  const std::string state = (d.path / "watch.json").string();
  const fs::path www = d.path / "www", tiles = www / "log";
  fs::create_directories(www);
  REQUIRE(sql::Store::migrate(db).ok());
  Run k = run_cli({"keys", "init", "--key", key, "--name", "tiles.test/passline/1"});
  REQUIRE_MESSAGE(k.exit == 0, k.err);
  decide(db, "R1", "AG-A", 30);
  decide(db, "R2", "AG-B", 250);  // 1 + 30 + 1 + 250 = 282 entries: a full tile and a partial

  Run e = run_cli({"audit", "export", "--tiles", tiles.string(), "--key", key, "--db", db});
  REQUIRE_MESSAGE(e.exit == 0, e.err);
  // The tree as files, exactly tiles_of(282), and nothing left beside it.
  for (const TileRef& t : passline::tiles_of(282))
    CHECK_MESSAGE(fs::is_regular_file(tiles / passline::tile_path(t)), passline::tile_path(t));
  CHECK(fs::file_size(tiles / "tile/0/000") == 8192);
  CHECK(fs::file_size(tiles / "tile/0/001.p/26") == 26 * 32);
  CHECK(fs::is_regular_file(tiles / "tile/1/000.p/1"));
  CHECK(std::distance(fs::directory_iterator(www), fs::directory_iterator()) == 1);
  auto cp = passline::verify_checkpoint(slurp(tiles / "checkpoint"), [&] {
    std::string v = slurp(pub);
    v.pop_back();
    return v;
  }());
  REQUIRE(cp.ok());
  CHECK(cp->tree_size == 282);

  StaticServer server(www, d.path);
  const std::string url = server.url("log");
  Run first = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  REQUIRE_MESSAGE(first.exit == 0, first.out << first.err);
  CHECK(has(first.out, "log tiles.test/passline/1: checkpoint of 282 entries"));
  CHECK(has(first.out, "the first seen"));
  CHECK(has(first.out, "new recruitment R1 of agency AG-A (entry 0,"));
  CHECK(has(first.out, "new recruitment R2 of agency AG-B (entry 31,"));
  CHECK(has(first.out, "agency AG-A: 1 new recruitment, 0 corrections"));
  CHECK(has(first.out, "agency AG-B: 1 new recruitment, 0 corrections"));

  // New decisions, a new export (the old one swapped out whole), a second run.
  decide(db, "R3", "AG-A", 10);
  decide(db, "R1b", "AG-A", 30, "R1");
  Run again = run_cli({"audit", "export", "--tiles", tiles.string(), "--key", key, "--db", db});
  REQUIRE_MESSAGE(again.exit == 0, again.err);
  CHECK(std::distance(fs::directory_iterator(www), fs::directory_iterator()) == 1);
  Run second = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  REQUIRE_MESSAGE(second.exit == 0, second.out << second.err);
  CHECK(has(second.out, "checkpoint of 324 entries"));
  CHECK(has(second.out, "consistent with the 282 entries seen before"));
  CHECK(has(second.out, "new recruitment R3 of agency AG-A (entry 282,"));
  CHECK(has(second.out, "correction R1b of agency AG-A supersedes R1 (entry 293,"));
  CHECK(has(second.out, "agency AG-A: 1 new recruitment, 1 correction\n"));
  CHECK_FALSE(has(second.out, "R2"));
  Run quiet = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  CHECK(quiet.exit == 0);
  CHECK(has(quiet.out, "consistent with the 324 entries seen before"));
  CHECK_FALSE(has(quiet.out, "new recruitment"));
  const std::string seen = slurp(state);

  // The operator rebuilds the log from another history and signs it with the same key: a
  // longer log fails the consistency proof, a shorter one has shrunk. The state stays as it was.
  const std::string forged = "sqlite:" + (d.path / "forged.db").string();
  REQUIRE(sql::Store::migrate(forged).ok());
  decide(forged, "R1", "AG-A", 30);
  decide(forged, "R2", "AG-B", 251);  // one applicant more than the real R2
  decide(forged, "R3", "AG-A", 60);
  REQUIRE(
      run_cli({"audit", "export", "--tiles", tiles.string(), "--key", key, "--db", forged}).exit ==
      0);
  Run rewritten = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  CHECK(rewritten.exit == 1);
  CHECK_MESSAGE(rewritten.out.rfind("FAILED: checkpoint: inconsistent_log: ", 0) == 0,
                rewritten.out << rewritten.err);
  CHECK(slurp(state) == seen);

  const std::string shorter = "sqlite:" + (d.path / "shorter.db").string();
  REQUIRE(sql::Store::migrate(shorter).ok());
  decide(shorter, "R1", "AG-A", 30);
  REQUIRE(
      run_cli({"audit", "export", "--tiles", tiles.string(), "--key", key, "--db", shorter}).exit ==
      0);
  Run shrunk = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  CHECK(shrunk.exit == 1);
  CHECK(has(shrunk.out, "FAILED: tree_size: inconsistent_log: the log shrank"));
  CHECK(slurp(state) == seen);

  // A checkpoint signed by another key of the same name: a bad signature.
  const std::string other = (d.path / "other.key").string();
  REQUIRE(run_cli({"keys", "init", "--key", other, "--name", "tiles.test/passline/1"}).exit == 0);
  REQUIRE(
      run_cli({"audit", "export", "--tiles", tiles.string(), "--key", other, "--db", db}).exit ==
      0);
  Run impostor = run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub});
  CHECK(impostor.exit != 0);
  CHECK(has(impostor.out, "bad_signature"));
  CHECK(slurp(state) == seen);

  // The real log again: it still extends what was seen.
  REQUIRE(run_cli({"audit", "export", "--tiles", tiles.string(), "--key", key, "--db", db}).exit ==
          0);
  CHECK(run_cli({"audit", "watch", url, "--state", state, "--pubkey", pub}).exit == 0);
}

TEST_CASE("audit export --tiles never replaces a directory that is not a tile export") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "log.db").string();
  const std::string key = (d.path / "log.key").string();
  REQUIRE(sql::Store::migrate(db).ok());
  REQUIRE(run_cli({"keys", "init", "--key", key, "--name", "t/passline/2"}).exit == 0);
  decide(db, "R1", "AG-A", 5);
  const fs::path target = d.path / "site";
  fs::create_directories(target);
  spit(target / "index.html", "mine");
  Run refused = run_cli({"audit", "export", "--tiles", target.string(), "--key", key, "--db", db});
  CHECK(refused.exit == 74);
  CHECK(has(refused.err, "is not a tile directory"));
  CHECK(slurp(target / "index.html") == "mine");
  CHECK(std::distance(fs::directory_iterator(target), fs::directory_iterator()) == 1);
  for (const auto& entry : fs::directory_iterator(d.path))  // no unfinished tree left behind
    CHECK(entry.path().filename().string().rfind(".site.tmp", 0) != 0);
  Run both = run_cli({"audit", "export", "--tiles", target.string(), "--out", "x", "--db", db});
  CHECK(both.exit == 64);
}

STORAGE_TEST(the_service_serves_the_log_as_tiles) {
  TempDir keys;
  const std::string key = (keys.path / "log.key").string();
  auto made = sql::create_log_key(key, "served.test/passline/3");
  REQUIRE(made.ok());
  passline::http::ServerOptions opts;
  opts.log_key = key;
  passline::test::Service svc(backend, opts);
  {
    auto store = svc.db.open_initialised();
    REQUIRE(app::import_case(*store, make_case("R1", "BUSAN-A", "admin", 3, 300)).ok());
    REQUIRE(app::decide(*store, "R1", passline::bundled_rules()).ok());
  }
  auto c = svc.client();
  auto note = c.get("/checkpoint");  // no token: the log is public
  REQUIRE(note.status == 200);
  CHECK(note.content_type == "text/plain; charset=utf-8");
  CHECK(note.headers["Cache-Control"] == "no-cache");
  auto cp = passline::verify_checkpoint(note.body, made->verifier_key);
  REQUIRE(cp.ok());
  CHECK(cp->tree_size == 301);

  auto store = svc.db.open_initialised();
  auto leaves = store->leaf_hashes(301);
  REQUIRE(leaves.ok());
  auto full = c.get("/tile/0/000");
  REQUIRE(full.status == 200);
  CHECK(full.content_type == "application/octet-stream");
  CHECK(full.headers["Cache-Control"] == "public, max-age=31536000, immutable");
  CHECK(full.body == passline::hash_tile_bytes(std::span<const Hash>(*leaves).first(256)));
  auto partial = c.get("/tile/0/001.p/45");
  REQUIRE(partial.status == 200);
  CHECK(partial.body == passline::hash_tile_bytes(std::span<const Hash>(*leaves).subspan(256)));
  // An older tree's partial tile is a prefix of today's.
  CHECK(c.get("/tile/0/001.p/3").body == partial.body.substr(0, 96));
  auto up = c.get("/tile/1/000.p/1");
  REQUIRE(up.status == 200);
  CHECK(up.body == passline::hash_tile_bytes(std::vector<Hash>{
                       passline::root_of(std::span<const Hash>(*leaves).first(256))}));
  // Entry bundles carry applicants' personal data: an auditor's (or admin's) token only.
  CHECK(c.get("/tile/entries/001.p/45").status == 401);
  CHECK(c.get("/tile/entries/001.p/45", svc.recruiter).status == 403);
  auto bundle = c.get("/tile/entries/001.p/45", svc.auditor);
  REQUIRE(bundle.status == 200);
  auto entries = passline::read_entry_bundle(bundle.body, 45);
  REQUIRE(entries.ok());
  std::vector<std::string> stored;
  REQUIRE(
      store->read_log(256, 301, [&](std::uint64_t, std::string_view e) { stored.emplace_back(e); })
          .ok());
  CHECK(*entries == stored);

  // Checked at the door: malformed paths, tiles the signed tree does not have, queries, methods.
  auto bad = c.get("/tile/0/00");
  CHECK(bad.status == 400);
  CHECK(bad.json()["code"] == "bad_tile_path");
  CHECK(bad.json()["path"] == "segment 2");
  CHECK(c.get("/tile/0/x000/001").status == 400);
  CHECK(c.get("/tile/99/000").status == 400);
  CHECK(c.get("/tile/0/001.p/46").status == 404);
  CHECK(c.get("/tile/0/001").status == 404);
  CHECK(c.get("/tile/2/000.p/1").status == 404);
  CHECK(c.get("/tile/0/000?x=1").json()["code"] == "bad_query");
  CHECK(c.request("POST", "/checkpoint", "", "{}").status == 405);

  // The client side over HTTP: the root and a consistency proof from the served tiles.
  passline::TileReader reader(301, [&](const TileRef& t) -> passline::Result<std::string> {
    auto r = c.get("/" + passline::tile_path(t));
    if (r.status != 200) return passline::make_error("fetch_failed", "", "HTTP error");
    return r.body;
  });
  CHECK(*reader.root() == cp->root);

  // The monitor against the service, across a new decision.
  TempDir io;
  const std::string url = "http://127.0.0.1:" + std::to_string(svc.port());
  const std::string state = (io.path / "state.json").string();
  const std::string token_file = (io.path / "auditor.token").string();
  spit(token_file, svc.auditor + "\n");
  Run anonymous = run_cli({"audit", "watch", url, "--state", state, "--pubkey", key + ".pub"});
  CHECK(anonymous.exit != 0);  // the entries need a token
  CHECK(has(anonymous.err, "HTTP 401"));
  CHECK_FALSE(fs::exists(state));
  Run first = run_cli({"audit", "watch", url, "--state", state, "--pubkey", key + ".pub",
                       "--token-file", token_file});
  REQUIRE_MESSAGE(first.exit == 0, first.out << first.err);
  CHECK(has(first.out, "new recruitment R1 of agency BUSAN-A (entry 0,"));
  REQUIRE(app::import_case(*store, make_case("R2", "BUSAN-A", "admin", 3, 20)).ok());
  REQUIRE(app::decide(*store, "R2", passline::bundled_rules()).ok());
  Run second = run_cli({"audit", "watch", url + "/", "--state", state, "--pubkey", key + ".pub",
                        "--token-file", token_file});
  REQUIRE_MESSAGE(second.exit == 0, second.out << second.err);
  CHECK(has(second.out, "checkpoint of 322 entries"));
  CHECK(has(second.out, "consistent with the 301 entries seen before"));
  CHECK(has(second.out, "new recruitment R2 of agency BUSAN-A (entry 301,"));
  auto proof = reader.consistency_proof(301);
  REQUIRE(proof.ok());
  CHECK(proof->empty());
}

}  // TEST_SUITE
