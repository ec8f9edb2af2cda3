// Every file passline writes appears whole or not at all, and a full disk says so (issue 12,
// finding 7): audit export --out, keys init and a SQLite database on a real, small, full tmpfs.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "passline/app/recruitments.h"
#include "passline/json.h"
#include "passline/rule_pack.h"
#include "passline/sql/file_write.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
using passline::test::Backend;
using passline::test::make_case;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::TempDir;

/// A tmpfs of `size` mounted on a fresh directory, unmounted with the object. ok() is false
/// when this process may not mount (not root, or no CAP_SYS_ADMIN in this container).
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    mounted_ = ::mount("tmpfs", dir_.path.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.path.c_str(), MNT_DETACH);
  }
  bool ok() const { return mounted_; }
  fs::path path(const std::string& name) const { return dir_.path / name; }
  /// Writes a filler file until the disk is full.
  void fill() {
    const int fd = ::open(path("filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    REQUIRE(fd >= 0);
    const std::string block(4096, 'f');
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    for (;;) {  // the last few bytes
      if (::write(fd, "f", 1) != 1) break;
    }
    ::close(fd);
  }
  void free_space() { fs::remove(path("filler")); }
  /// The names in the directory, the filler aside.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_.path))
      if (e.path().filename() != "filler") out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  TempDir dir_;
  bool mounted_ = false;
};

#define REQUIRE_SMALL_DISK(disk)                                                   \
  if (!(disk).ok()) {                                                              \
    MESSAGE("skipped: cannot mount a tmpfs here (" << std::strerror(errno)         \
                                                   << "); run the suite as root"); \
    return;                                                                        \
  }

// A database (outside the small disk) with one decided recruitment in its log.
std::string decided_db(passline::test::TestDb& db) {
  auto store = db.open_initialised();
  auto imported = passline::app::import_case(*store, make_case("R-1", "BUSAN-A", "office", 5, 40));
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  auto decided = passline::app::decide(*store, "R-1", passline::bundled_rules());
  REQUIRE_MESSAGE(decided.ok(), decided.error().message);
  return db.url();
}

}  // namespace

TEST_SUITE("file_write") {

TEST_CASE("audit export --out on a full disk leaves the target as it was") {
  SmallDisk disk("64k");
  REQUIRE_SMALL_DISK(disk);
  passline::test::TestDb db(Backend::sqlite);
  const std::string url = decided_db(db);
  const std::string out = disk.path("log.jsonl").string();
  { std::ofstream(out) << "the old export\n"; }
  disk.fill();
  auto r = run_cli({"audit", "export", "--db", url, "--out", out});
  CHECK(r.exit == 74);
  CHECK_MESSAGE(r.err.find("no space left on device writing " + out) != std::string::npos, r.err);
  CHECK(slurp(out) == "the old export\n");
  CHECK(disk.names() == std::vector<std::string>{"log.jsonl"});  // no temporary file left
  disk.free_space();
  auto ok = run_cli({"audit", "export", "--db", url, "--out", out});
  CHECK_MESSAGE(ok.exit == 0, ok.err);
  CHECK(slurp(out).find("R-1") != std::string::npos);
  CHECK(disk.names() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("keys init on a full disk writes nothing, and the next one works") {
  SmallDisk disk("64k");
  REQUIRE_SMALL_DISK(disk);
  const std::string key = disk.path("log.key").string();
  disk.fill();
  auto r = run_cli({"keys", "init", "--key", key});
  CHECK(r.exit != 0);
  CHECK_MESSAGE(r.err.find("no space left on device writing " + key) != std::string::npos, r.err);
  CHECK(disk.names().empty());  // neither key file, not even empty, and no temporary file
  disk.free_space();
  auto ok = run_cli({"keys", "init", "--key", key});
  CHECK_MESSAGE(ok.exit == 0, ok.err);
  CHECK(disk.names() == std::vector<std::string>{"log.key", "log.key.pub"});
  CHECK(slurp(key).find("PRIVATE KEY") != std::string::npos);
  auto again = run_cli({"keys", "init", "--key", key});  // a key is never replaced
  CHECK(again.exit == 64);
}

TEST_CASE("keys init is not blocked by the 0-byte key an older version left") {
  TempDir dir;
  const std::string key = (dir.path / "log.key").string();
  { std::ofstream(key).flush(); }  // what a full disk left before files were written whole
  auto ok = run_cli({"keys", "init", "--key", key});
  CHECK_MESSAGE(ok.exit == 0, ok.err);
  CHECK(slurp(key).find("PRIVATE KEY") != std::string::npos);
}

// A SQLite database on a small disk holding one imported recruitment R-1 (40 applicants) and
// the case file of a bigger one, R-2, outside the disk. Used by the two full-disk tests below.
struct FullDiskDb {
  SmallDisk disk{"4m"};
  TempDir files;
  std::string url = "sqlite:" + disk.path("passline.db").string();
  std::string big;
  std::string write_case(const std::string& id, std::size_t n) {
    const std::string p = (files.path / (id + ".case.json")).string();
    std::ofstream(p) << passline::case_to_json(make_case(id, "BUSAN-A", "office", 5, n));
    return p;
  }
  void init() {
    REQUIRE(run_cli({"db", "init", "--db", url}).exit == 0);
    REQUIRE(run_cli({"import", write_case("R-1", 40), "--db", url}).exit == 0);
    big = write_case("R-2", 3000);
  }
  // What a failed write must leave as it was: the recruitments, R-1's state and the log.
  std::string state() {
    return run_cli({"recruitments", "--db", url}).out + "\n--\n" +
           run_cli({"audit", "export", "--db", url}).out;
  }
};

// The error of a write on the full disk names it ("no space left on device", the database
// file), whatever SQLite itself called it (SQLITE_FULL, or a disk I/O error of the WAL index).
void check_names_full_disk(const passline::test::Run& r, const std::string& db_file) {
  CHECK_MESSAGE(r.err.find("no space left on device writing " + db_file) != std::string::npos,
                r.err);
}

TEST_CASE("import on a full disk fails cleanly, names the disk and leaves the database as it was") {
  FullDiskDb f;
  REQUIRE_SMALL_DISK(f.disk);
  f.init();
  const std::string before = f.state();
  f.disk.fill();
  auto imported = run_cli({"import", f.big, "--db", f.url});
  CHECK_MESSAGE(imported.exit == 69, imported.err);  // storage: the database failed
  check_names_full_disk(imported, f.disk.path("passline.db").string());
  f.disk.free_space();
  CHECK(f.state() == before);  // nothing of R-2: no recruitment, no log entry
  CHECK(run_cli({"recruitments", "--db", f.url}).out.find("R-2") == std::string::npos);
  auto again = run_cli({"import", f.big, "--db", f.url});  // the same import works now
  CHECK_MESSAGE(again.exit == 0, again.err);
  CHECK(run_cli({"recruitments", "--db", f.url}).out.find("R-2") != std::string::npos);
}

TEST_CASE("decide on a full disk fails cleanly, names the disk and leaves the log as it was") {
  FullDiskDb f;
  REQUIRE_SMALL_DISK(f.disk);
  f.init();
  REQUIRE(run_cli({"import", f.big, "--db", f.url}).exit == 0);  // decide R-2: 3,000 rows
  const std::string before = f.state();
  f.disk.fill();
  auto decided = run_cli({"decide", "--recruitment", "R-2", "--db", f.url});
  CHECK_MESSAGE(decided.exit == 69, decided.err);
  check_names_full_disk(decided, f.disk.path("passline.db").string());
  f.disk.free_space();
  CHECK(f.state() == before);  // R-2 still imported, not decided; not one log entry appended
  CHECK(run_cli({"decisions", "--recruitment", "R-2", "--db", f.url}).exit != 0);
  auto now = run_cli({"decide", "--recruitment", "R-2", "--db", f.url});
  CHECK_MESSAGE(now.exit == 0, now.err);
  CHECK(f.state() != before);
}

TEST_CASE("write_file_whole replaces whole or not at all") {
  TempDir dir;
  const std::string p = (dir.path / "out.txt").string();
  REQUIRE(passline::sql::write_file_whole(p, "one\n", 0644, true).ok());
  REQUIRE(passline::sql::write_file_whole(p, "two\n", 0644, true).ok());
  CHECK(slurp(p) == "two\n");
  auto kept = passline::sql::write_file_whole(p, "three\n", 0644, false);
  REQUIRE_FALSE(kept.ok());
  CHECK(kept.error().code == "key_exists");
  CHECK(slurp(p) == "two\n");
  auto missing =
      passline::sql::write_file_whole((dir.path / "no/such/dir").string(), "x", 0644, true);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "write_failed");
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++n;
  CHECK(n == 1);
}

}  // TEST_SUITE
