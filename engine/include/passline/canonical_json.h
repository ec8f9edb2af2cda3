// passline: RFC 8785 JSON Canonicalization Scheme (JCS), for the integer-only JSON of the
// decision log (SPEC.md §7, docs/AUDIT_LOG.md).
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "passline/result.h"

namespace passline {

/// The RFC 8785 canonical form of the JSON text `json_text` (RFC 8259, UTF-8, one value with
/// optional surrounding whitespace):
///  - no insignificant whitespace;
///  - object members sorted by the UTF-16 code units of their names (RFC 8785 §3.2.3);
///  - strings escaped exactly as RFC 8785 §3.2.2.2 says: `\"`, `\\`, `\b \f \n \r \t`, other
///    controls below U+0020 as `\u00xx` in lower-case hex; every other character as literal
///    UTF-8 (so `\/`, `\u20ac` and surrogate pairs in the input come out as their characters);
///  - `null`, `true`, `false` as is.
///
/// Restriction (the log holds only integers, decimals are strings): a number must be an
/// integer literal (`-?(0|[1-9][0-9]*)`) with |n| <= 2^53; it is written plainly (`-0` as `0`).
/// A fraction, an exponent or a larger integer gives error `unsupported_number`, because
/// RFC 8785 would require the ECMAScript double formatting this engine deliberately avoids.
///
/// Errors (path: `byte N`, the 0-based offset of the offending text): `malformed_json` (bad
/// syntax, invalid UTF-8, a lone surrogate escape, nesting deeper than 512),
/// `duplicate_member` (two members of one object with the same name after unescaping),
/// `unsupported_number`.
Result<std::string> canonical_json(std::string_view json_text);

}  // namespace passline
