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
#include "passline/sql/file_write.h"

namespace passline::sql {
namespace {

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error("unreadable_file", path, "cannot read " + path + ": " + std::strerror(errno));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A 0-byte FILE or FILE.pub is what an older passline left when `keys init` failed half-way
// (a full disk): it holds no key, so it is removed rather than blocking the next `keys init`.
void remove_if_empty(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
    ::unlink(path.c_str());
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
  remove_if_empty(path);
  remove_if_empty(path + ".pub");
  if (::access((path + ".pub").c_str(), F_OK) == 0)
    return make_error("key_exists", path + ".pub",
                      path + ".pub exists already; a log key is never replaced");
  // Each file appears whole or not at all (file_write.h); never over an existing one.
  auto written = write_file_whole(path, key->private_pem, 0600, false);
  if (!written) return written.error();
  auto pub = write_file_whole(path + ".pub", key->verifier_key + "\n", 0644, false);
  if (!pub) {
    ::unlink(path.c_str());  // made just now, and useless without its .pub
    return pub.error();
  }
  return LogKey{key->private_pem, key->name, key->verifier_key};
}

}  // namespace passline::sql
