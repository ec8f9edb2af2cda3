// Well-formed UTF-8 (RFC 3629), as the strings of a JSON document are. Thread-safety: pure.
#pragma once

#include <cstddef>
#include <string_view>

namespace passline::detail {

/// The length of the well-formed UTF-8 sequence at s[i] (1–4) with its code point in `cp`, or 0
/// when the bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a
/// value past U+10FFFF, or a sequence cut by the end of `s`). Requires i < s.size().
std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& cp);

/// True when `s` is well-formed UTF-8: no overlong form, surrogate or code point past U+10FFFF.
bool well_formed_utf8(std::string_view s);

}  // namespace passline::detail
