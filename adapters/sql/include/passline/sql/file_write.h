// passline: every file passline writes (audit export --out, audit receipt --out, the log key's
// two files) appears whole or not at all. The bytes go to a temporary file in the target's
// directory, which is synced, renamed (or linked, when nothing may be replaced) onto the target,
// and the directory synced; on any failure the temporary file is removed and the target is as
// it was. Thread-safe: no shared state.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "passline/result.h"

namespace passline::sql {

/// A file being written. Destroying it uncommitted removes the temporary file.
class NewFile {
 public:
  /// Opens a temporary file `.NAME.XXXXXX` next to `path` with `mode`. Error `write_failed`
  /// naming `path` and the reason (write_error()).
  static Result<NewFile> create(const std::string& path, mode_t mode);
  NewFile(NewFile&& other) noexcept;
  NewFile& operator=(NewFile&&) = delete;
  ~NewFile();

  /// Appends `bytes`. Error `write_failed` (a full disk: "no space left on device writing P").
  Status write(std::string_view bytes);
  /// Syncs the file, puts it at `path` and syncs the directory. `replace` false: an existing
  /// `path` is never replaced (link(2), atomic): error `key_exists` naming it. Errors
  /// `write_failed` otherwise; the temporary file is gone either way.
  Status commit(bool replace);

 private:
  NewFile(std::string path, std::string temp, int fd) : path_(path), temp_(temp), fd_(fd) {}
  void discard() noexcept;
  std::string path_, temp_;
  int fd_ = -1;
};

/// NewFile::create, write(content), commit(replace) in one call.
Status write_file_whole(const std::string& path, std::string_view content, mode_t mode,
                        bool replace);

/// The `write_failed` error for the system error `err` while writing `path`: ENOSPC and EDQUOT
/// say "no space left on device writing PATH", others "cannot write PATH: <strerror>".
Error write_error(int err, const std::string& path);

}  // namespace passline::sql
