// Well-formed UTF-8 (RFC 3629), as the strings of a JSON document are. Thread-safety: pure.
#pragma once

#include <string_view>

namespace passline::detail {

/// True when `s` is well-formed UTF-8: no overlong form, surrogate or code point past U+10FFFF.
bool well_formed_utf8(std::string_view s);

}  // namespace passline::detail
