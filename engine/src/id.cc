// The one rule for ids (SPEC v2 §6): passline/id.h.
#include "passline/id.h"

#include <cstdio>

#include "detail/utf8.h"

namespace passline {
namespace {

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

}  // namespace

std::optional<std::string> id_problem(std::string_view id) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < id.size();) {
    char32_t cp = 0;
    const std::size_t n = detail::utf8_at(id, i, cp);
    if (n == 0) return std::string("is not valid UTF-8");
    if (is_control(cp)) return std::string("contains a control character");
    if (cp == '/' || cp == '?' || cp == '#' || cp == '%')
      return "contains '" + std::string(1, static_cast<char>(cp)) +
             "' (ids may not contain / ? # %)";
    ++chars;
    i += n;
  }
  if (chars == 0) return std::string("is empty (1 to 64 characters)");
  if (chars > 64) return "has " + std::to_string(chars) + " characters (at most 64)";
  return std::nullopt;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = detail::utf8_at(text, i, cp);
    if (n == 0 || is_control(cp)) {
      const std::size_t bytes = n == 0 ? 1 : n;
      for (std::size_t k = 0; k < bytes; ++k) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i + k]));
        out += buf;
      }
      i += bytes;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

Status check_id(std::string_view id, const std::string& path) {
  if (auto problem = id_problem(id))
    return make_error("bad_id", path, "the id '" + printable(id.substr(0, 200)) + "' " + *problem);
  return Status::ok_status();
}

}  // namespace passline
