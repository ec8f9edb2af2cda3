// passline CLI: file access. std::fopen/std::fread in binary mode, errno for the reason.
#include "files.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace passline::cli {
namespace fs = std::filesystem;

namespace {

Error unreadable(ErrorCode code, const std::string& path, int err) {
  return make_error(code, path, "cannot read " + path + ": " + std::strerror(err));
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  errno = 0;
  const bool from_stdin = path == "-";  // `passline decide -` reads the case from a pipe
  std::FILE* f = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return unreadable("unreadable_file", path, errno ? errno : EIO);
  std::string text;
  char buf[1 << 16];
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, n);
    if (n < sizeof buf) break;
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno ? errno : EIO;
  if (!from_stdin) std::fclose(f);
  if (failed) return unreadable("unreadable_file", path, err);
  return text;
}

namespace {

Result<std::vector<std::string>> list(const std::string& dir, const std::string& suffix,
                                      bool recursive) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    const int err = ec ? ec.value() : ENOTDIR;
    return make_error("unreadable_dir", dir, "cannot list " + dir + ": " + std::strerror(err));
  }
  // (relative path, full path), so the order does not depend on how `dir` was spelled.
  std::vector<std::pair<std::string, std::string>> found;
  auto take = [&](const fs::directory_entry& e) {
    std::error_code ignored;
    if (!e.is_regular_file(ignored)) return;
    const std::string name = e.path().filename().string();
    if (!ends_with(name, suffix)) return;
    found.emplace_back(e.path().lexically_relative(dir).generic_string(),
                       e.path().generic_string());
  };
  if (recursive) {
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) take(*it);
  } else {
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) take(*it);
  }
  if (ec) {
    return make_error("unreadable_dir", dir, "cannot list " + dir + ": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  paths.reserve(found.size());
  for (auto& [rel, full] : found) paths.push_back(std::move(full));
  return paths;
}

}  // namespace

Result<std::vector<std::string>> list_files(const std::string& dir, const std::string& suffix) {
  return list(dir, suffix, false);
}

Result<std::vector<std::string>> list_files_recursive(const std::string& dir,
                                                      const std::string& suffix) {
  return list(dir, suffix, true);
}

Result<std::vector<std::pair<std::string, std::string>>> read_rule_files(const std::string& dir) {
  auto paths = list_files_recursive(dir, ".yaml");
  if (!paths) return std::move(paths).error();
  if (paths->empty()) {
    return make_error("no_rule_packs", dir, "no *.yaml rule pack files under " + dir);
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& p : *paths) {
    auto text = read_file(p);
    if (!text) return std::move(text).error();
    files.emplace_back(p, std::move(text).value());
  }
  return files;
}

Result<RuleRegistry> load_rules_dir(const std::string& dir) {
  auto files = read_rule_files(dir);
  if (!files) return std::move(files).error();
  return load_rule_packs(*files);
}

}  // namespace passline::cli
