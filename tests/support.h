// Helpers shared by the doctest suites: files, temp dirs, and the real `passline` run as a process.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace passline::test {

/// The whole file, bytes as they are; empty if it cannot be read.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// A fresh directory under the system temp dir, removed with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "passline-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

struct Run {
  int exit = -1;
  std::string out;
  std::string err;

  std::vector<std::string> out_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
};

/// A `passline` process started with spawn_cli(); its stdout and stderr go to files in `io`.
struct Child {
  pid_t pid = 0;
  std::string out_path, err_path;
};

/// Starts the built `passline` with `args` without waiting for it.
inline Child spawn_cli(const std::vector<std::string>& args, const std::filesystem::path& io,
                       const std::string& stdin_path = "/dev/null") {
  static int counter = 0;
  ++counter;
  Child c;
  c.out_path = (io / ("stdout." + std::to_string(counter))).string();
  c.err_path = (io / ("stderr." + std::to_string(counter))).string();
  std::vector<std::string> argv_s = {PASSLINE_CLI};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, c.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, c.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  const int rc = posix_spawn(&c.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << PASSLINE_CLI);
  return c;
}

/// Waits for a child; `exit` is -1 when it was killed by a signal.
inline Run wait_cli(const Child& c) {
  int status = 0;
  REQUIRE(::waitpid(c.pid, &status, 0) == c.pid);
  Run r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(c.out_path);
  r.err = slurp(c.err_path);
  return r;
}

/// Runs the built `passline` with `args`; stdin is `stdin_path` (/dev/null by default), stdout
/// and stderr are captured through files (no pipe can fill up and block the child).
inline Run run_cli(const std::vector<std::string>& args,
                   const std::string& stdin_path = "/dev/null") {
  TempDir io;
  Run r = wait_cli(spawn_cli(args, io.path, stdin_path));
  REQUIRE_MESSAGE(r.exit >= 0, "passline did not exit normally");
  return r;
}

}  // namespace passline::test
