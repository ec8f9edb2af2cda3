// Files that appear whole or not at all (file_write.h).
#include "passline/sql/file_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace passline::sql {
namespace {

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// fsync of the directory, so the rename or link that put the file there is durable too.
int sync_directory(const std::string& path) {
  const int fd = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return errno;
  const int rc = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return rc;
}

}  // namespace

Error write_error(int err, const std::string& path) {
#ifdef EDQUOT
  if (err == EDQUOT) err = ENOSPC;
#endif
  if (err == ENOSPC)
    return make_error("write_failed", path, "no space left on device writing " + path);
  return make_error("write_failed", path, "cannot write " + path + ": " + std::strerror(err));
}

Result<NewFile> NewFile::create(const std::string& path, mode_t mode) {
  const std::filesystem::path p(path);
  std::string temp =
      (std::filesystem::path(directory_of(path)) / ("." + p.filename().string() + ".XXXXXX"))
          .string();
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return write_error(errno, path);
  temp.assign(name.data());
  if (::fchmod(fd, mode) != 0) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return write_error(err, path);
  }
  return NewFile(path, temp, fd);
}

NewFile::NewFile(NewFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.temp_.clear();
}

NewFile::~NewFile() { discard(); }

void NewFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

Status NewFile::write(std::string_view bytes) {
  if (fd_ < 0) return make_error("write_failed", path_, "cannot write " + path_);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      discard();
      return write_error(err, path_);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok_status();
}

Status NewFile::commit(bool replace) {
  if (fd_ < 0) return make_error("write_failed", path_, "cannot write " + path_);
  // Delayed allocation can report a full disk only here: fsync and close are checked too.
  if (::fsync(fd_) != 0) {
    const int err = errno;
    discard();
    return write_error(err, path_);
  }
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) {
    const int err = errno;
    discard();
    return write_error(err, path_);
  }
  if (replace) {
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      const int err = errno;
      discard();
      return write_error(err, path_);
    }
  } else {
    const int linked = ::link(temp_.c_str(), path_.c_str());
    const int err = errno;
    discard();  // the temporary name goes either way
    if (linked != 0) {
      if (err == EEXIST)
        return make_error("key_exists", path_,
                          path_ + " exists already; a log key is never replaced");
      return write_error(err, path_);
    }
  }
  temp_.clear();
  if (const int err = sync_directory(path_); err != 0) return write_error(err, path_);
  return Status::ok_status();
}

Status write_file_whole(const std::string& path, std::string_view content, mode_t mode,
                        bool replace) {
  auto f = NewFile::create(path, mode);
  if (!f) return f.error();
  if (auto ok = f->write(content); !ok) return ok;
  return f->commit(replace);
}

}  // namespace passline::sql
