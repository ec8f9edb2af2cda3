// The log key's two files (log_key.h).
#include "passline/sql/log_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "passline/checkpoint.h"

namespace passline::sql {
namespace {

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error("unreadable_file", path, "cannot read " + path + ": " + std::strerror(errno));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Status write_new(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      return make_error("key_exists", path, path + " exists already; a log key is never replaced");
    return make_error("unreadable_file", path,
                      "cannot create " + path + ": " + std::strerror(errno));
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::fchmod(fd, mode);
  const bool closed = ::close(fd) == 0;
  if (!ok || !closed) return make_error("write_failed", path, "cannot write " + path);
  return Status::ok_status();
}

}  // namespace

std::string default_log_origin() {
  char host[256] = {};
  std::string name;
  if (::gethostname(host, sizeof host - 1) == 0)
    for (const char* p = host; *p; ++p) {
      const char c = *p;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
        name += c;
      else if (c >= 'A' && c <= 'Z')
        name += static_cast<char>(c - 'A' + 'a');
    }
  if (name.empty()) name = "localhost";
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string random;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t v = rd();
    for (int k = 0; k < 4; ++k, v >>= 4) random += kHex[v & 0xF];
  }
  return name + "/passline/" + random;
}

Result<LogKey> read_log_key(const std::string& path) {
  auto pem = read_all(path);
  if (!pem) return pem.error();
  auto pub = read_all(path + ".pub");
  if (!pub) return pub.error();
  LogKey k;
  k.private_pem = std::move(*pem);
  k.verifier_key = std::move(*pub);
  while (!k.verifier_key.empty() &&
         (k.verifier_key.back() == '\n' || k.verifier_key.back() == '\r'))
    k.verifier_key.pop_back();
  k.name = k.verifier_key.substr(0, k.verifier_key.find('+'));
  return k;
}

Result<LogKey> create_log_key(const std::string& path, const std::string& name) {
  auto key = generate_key(name);
  if (!key) return key.error();
  if (::access((path + ".pub").c_str(), F_OK) == 0)
    return make_error("key_exists", path + ".pub",
                      path + ".pub exists already; a log key is never replaced");
  auto written = write_new(path, key->private_pem, 0600);
  if (!written) return written.error();
  auto pub = write_new(path + ".pub", key->verifier_key + "\n", 0644);
  if (!pub) return pub.error();
  return LogKey{key->private_pem, key->name, key->verifier_key};
}

}  // namespace passline::sql
