// The one rule for ids (SPEC v2 §6), checked at every door: case documents of both formats,
// URL path segments and query parameters of the HTTP service, and the command line's arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "passline/result.h"

namespace passline {

/// What is wrong with `id` as an id under SPEC §6: 1–64 Unicode characters (valid UTF-8), none a
/// control character (U+0000–U+001F, U+007F–U+009F) nor one of `/ ? # %`. Returns a phrase that
/// follows "the id" ("contains '/' (ids may not contain / ? # %)"), or nullopt when `id` is
/// well-formed. Pure; thread-safe.
std::optional<std::string> id_problem(std::string_view id);

/// `id_problem` as a Status: `bad_id` at `path`, the message quoting the value through
/// printable() ("the id 'a/b' contains '/' ..."), so it is safe to print and to put in a problem
/// document or a log.
Status check_id(std::string_view id, const std::string& path);

/// `text` with every byte that is not printable UTF-8 (invalid sequences, control characters,
/// U+007F–U+009F) written as the text \xNN, for messages and logs that quote untrusted input.
std::string printable(std::string_view text);

}  // namespace passline
