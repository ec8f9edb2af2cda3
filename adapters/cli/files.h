// passline CLI: reading files and listing directories, the only file I/O of the command line.
// Failures are values (code `unreadable_file` / `unreadable_dir`, path = the file, message =
// the operating system's reason). Thread-safety: no shared state.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline::cli {

/// The whole content of `path`, read in binary mode (no newline translation, no decoding).
/// Error `unreadable_file` naming the file and the OS error (`No such file or directory`).
Result<std::string> read_file(const std::string& path);

/// Replaces `path` with `bytes` whole or not at all (tiles.cc): a temporary file beside it,
/// synced, renamed over it, the directory synced. Error `write_failed` naming the file; the old
/// file is then as it was.
Status write_file_atomically(const std::string& path, std::string_view bytes);

/// The regular files directly in `dir` whose names end with `suffix`, as `dir/name`, sorted by
/// name (bytewise). Error `unreadable_dir` when `dir` cannot be listed.
Result<std::vector<std::string>> list_files(const std::string& dir, const std::string& suffix);

/// Like list_files, but through every subdirectory; sorted bytewise by the path below `dir`.
Result<std::vector<std::string>> list_files_recursive(const std::string& dir,
                                                      const std::string& suffix);

/// Reads every `*.yaml` below `dir` (recursively) and loads them strictly with
/// load_rule_packs(). Errors: `unreadable_dir` / `unreadable_file`, `no_rule_packs` when the
/// directory holds none, or the loader's `bad_rule_pack` (path `file:line`).
Result<RuleRegistry> load_rules_dir(const std::string& dir);

/// The (path, text) of every `*.yaml` below `dir`, sorted as list_files_recursive() sorts.
/// Errors as load_rules_dir() before loading.
Result<std::vector<std::pair<std::string, std::string>>> read_rule_files(const std::string& dir);

}  // namespace passline::cli
