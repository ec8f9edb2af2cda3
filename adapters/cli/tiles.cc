// passline CLI: the log as a static C2SP tlog-tiles directory (`audit export --tiles DIR`), and
// writing files whole or not at all (files.h).
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "commands.h"
#include "files.h"
#include "passline/app/audit.h"
#include "passline/app/recruitments.h"
#include "passline/sql/witness.h"
#include "passline/sql/log_key.h"
#include "passline/sql/store.h"

namespace passline::cli {
namespace fs = std::filesystem;
namespace {

Error sys_error(const std::string& what, const std::string& path) {
  return make_error("write_failed", path,
                    "cannot " + what + " " + path + ": " + std::strerror(errno));
}

Status fsync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return sys_error("open", path);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return sys_error("sync", path);
  return {};
}

// Writes `bytes` to a new file `path` (synced later, all at once, by build_tiles).
Status write_new(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return sys_error("create", path);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return sys_error("write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return sys_error("write", path);
  return {};
}

// The tree in `tmp` (a directory beside the target) built from the store's log, then synced
// to disk: every file and directory of it (one syncfs of its file system rather than an fsync
// per file: an export has a file per 256 entries).
Status build_tiles(sql::Store& store, const app::StoredCheckpoint& cp, const std::string& tmp,
                   std::uint64_t& files) {
  if (auto s = write_new(tmp + "/checkpoint", cp.note); !s) return s;
  auto status = app::for_each_tile(store, cp.size, [&](const TileRef& t, std::string_view bytes) {
    const std::string path = tmp + "/" + tile_path(t);
    const std::string parent = fs::path(path).parent_path().string();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
      return Status(
          make_error("write_failed", parent, "cannot create " + parent + ": " + ec.message()));
    ++files;
    return write_new(path, bytes);
  });
  if (!status) return status;
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return sys_error("open", tmp);
  const bool synced = ::syncfs(fd) == 0;
  ::close(fd);
  if (!synced) return sys_error("sync", tmp);
  return {};
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view bytes) {
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmp = dir + "/." + target.filename().string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return sys_error("create a file in", dir);
  bool ok = true;
  std::size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ::fchmod(fd, 0644) == 0 && ok;
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = sys_error("write", path);
    ::unlink(tmp.c_str());
    return e;
  }
  return fsync_path(dir, true);
}

int run_audit_export_tiles(const Options& o) {
  if (o.out)
    return report(make_error("usage", "--out", "give --out FILE or --tiles DIR, not both"));
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto head = app::log_head(**store);
  if (!head) return report(head.error());
  // The checkpoint to publish: the key file's (--key FILE, or ./passline.key when it exists) of
  // the log as it is, reused when that key signed this size already; without a key file the
  // newest stored one covering the log, else the newest there is.
  const std::string key_path = o.key ? *o.key : std::string("passline.key");
  Result<app::StoredCheckpoint> cp = make_error("no_checkpoint", "", "");
  if (o.key || ::access(key_path.c_str(), F_OK) == 0) {
    auto key = sql::read_log_key(key_path);
    if (!key) return report(key.error());
    cp = app::sign_checkpoint(**store, key->private_pem, key->name);
  } else {
    cp = app::latest_checkpoint(**store, head->size);
    if (!cp) cp = app::latest_checkpoint(**store);
  }
  if (!cp) return report(cp.error());
  // The published checkpoint carries the witnesses' cosignatures stored for it.
  auto witnessed = sql::witnessed_note(**store, *cp);
  if (!witnessed) return report(witnessed.error());
  cp->note = std::move(*witnessed);

  std::string dir = *o.tiles;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const fs::path target(dir);
  std::error_code ec;
  const bool exists = fs::exists(target, ec);
  if (exists && (!fs::is_directory(target, ec) || !fs::is_regular_file(target / "checkpoint", ec)))
    return report(make_error("write_failed", dir,
                             dir + " exists and is not a tile directory (no checkpoint file): "
                                   "give a new directory or an earlier export"));
  const std::string parent = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmp = parent + "/." + target.filename().string() + ".tmp-XXXXXX";
  if (::mkdtemp(tmp.data()) == nullptr) return report(sys_error("create a directory in", parent));
  ::chmod(tmp.c_str(), 0755);
  std::uint64_t files = 0;
  Status built = build_tiles(**store, *cp, tmp, files);
  if (built) {
    // Whole or nothing: the finished tree takes DIR's place in one rename (an earlier export is
    // swapped out atomically, then removed).
    const int rc = exists
                       ? ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE)
                       : ::rename(tmp.c_str(), dir.c_str());
    if (rc != 0) built = sys_error("move the tiles into", dir);
  }
  if (built) built = fsync_path(parent, true);
  fs::remove_all(tmp, ec);  // the unfinished tree, or the earlier export swapped out
  if (!built) return report(built.error());
  write_err("exported the log's tree of " + std::to_string(cp->size) + " entries as " +
            std::to_string(files) + " tiles and bundles, with its checkpoint, to " + dir + "\n");
  return 0;
}

}  // namespace passline::cli
