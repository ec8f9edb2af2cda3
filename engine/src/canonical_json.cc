// RFC 8785 canonicalisation over a small strict parser: the parser keeps member names in
// their decoded form so duplicates are found and names can be sorted by UTF-16 code units.
#include "passline/canonical_json.h"

#include "detail/json_forms.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace passline {
namespace {

constexpr int kMaxDepth = 512;
constexpr std::uint64_t kMaxSafeInteger = std::uint64_t{1} << 53;

struct Failure {
  Error error;
};

class Canonicaliser {
 public:
  explicit Canonicaliser(std::string_view text) : s_(text) {}

  std::string run() {
    std::string out;
    skip_ws();
    value(out, 0);
    skip_ws();
    if (i_ != s_.size()) fail("malformed_json", "text after the JSON value");
    return out;
  }

 private:
  [[noreturn]] void fail(ErrorCode code, const std::string& what) const {
    throw Failure{make_error(code, "byte " + std::to_string(i_), what)};
  }

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }

  void expect_literal(std::string_view word, std::string& out) {
    if (s_.substr(i_, word.size()) != word) fail("malformed_json", "unexpected character");
    i_ += word.size();
    out += word;
  }

  void value(std::string& out, int depth) {
    if (depth > kMaxDepth) fail("malformed_json", "nesting deeper than 512 levels");
    switch (peek()) {
      case '{': object(out, depth); break;
      case '[': array(out, depth); break;
      case '"': {
        std::string decoded = string_token();
        detail::append_json_string(out, decoded);
        break;
      }
      case 't': expect_literal("true", out); break;
      case 'f': expect_literal("false", out); break;
      case 'n': expect_literal("null", out); break;
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
          number(out);
        } else {
          fail("malformed_json",
               i_ == s_.size() ? "unexpected end of text" : "unexpected character");
        }
    }
  }

  void number(std::string& out) {
    const std::size_t start = i_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++i_;
    }
    if (!(peek() >= '0' && peek() <= '9')) fail("malformed_json", "a digit must follow '-'");
    std::uint64_t magnitude = 0;
    bool too_large = false;
    if (peek() == '0') {
      ++i_;
    } else {
      while (peek() >= '0' && peek() <= '9') {
        const unsigned digit = static_cast<unsigned>(peek() - '0');
        if (magnitude > (kMaxSafeInteger - digit) / 10) too_large = true;
        if (!too_large) magnitude = magnitude * 10 + digit;
        ++i_;
      }
    }
    if (peek() == '.' || peek() == 'e' || peek() == 'E') {
      i_ = start;
      fail("unsupported_number",
           "only integers are supported (decimals belong in strings); fractions and exponents "
           "are refused");
    }
    if (peek() >= '0' && peek() <= '9')
      fail("malformed_json", "a number must not have leading zeros");
    if (too_large || magnitude > kMaxSafeInteger) {
      i_ = start;
      fail("unsupported_number", "integers beyond ±2^53 are not supported");
    }
    if (negative && magnitude != 0) out += '-';
    out += std::to_string(magnitude);
  }

  void array(std::string& out, int depth) {
    ++i_;  // '['
    out += '[';
    skip_ws();
    if (peek() == ']') {
      ++i_;
      out += ']';
      return;
    }
    for (bool first = true;; first = false) {
      if (!first) out += ',';
      skip_ws();
      value(out, depth + 1);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == ']') {
        ++i_;
        out += ']';
        return;
      }
      fail("malformed_json", "expected ',' or ']' in an array");
    }
  }

  struct Member {
    std::u16string key16;  // sort key: UTF-16 code units
    std::string key;       // decoded UTF-8
    std::string value;     // canonical text
    std::size_t at;        // byte offset of the name, for duplicate reports
  };

  void object(std::string& out, int depth) {
    ++i_;  // '{'
    std::vector<Member> members;
    skip_ws();
    if (peek() == '}') {
      ++i_;
    } else {
      for (;;) {
        skip_ws();
        if (peek() != '"') fail("malformed_json", "expected a member name in double quotes");
        Member m;
        m.at = i_;
        m.key = string_token();
        m.key16 = to_utf16(m.key);
        skip_ws();
        if (peek() != ':') fail("malformed_json", "expected ':' after a member name");
        ++i_;
        skip_ws();
        value(m.value, depth + 1);
        members.push_back(std::move(m));
        skip_ws();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        if (peek() == '}') {
          ++i_;
          break;
        }
        fail("malformed_json", "expected ',' or '}' in an object");
      }
    }
    std::stable_sort(members.begin(), members.end(),
                     [](const Member& a, const Member& b) { return a.key16 < b.key16; });
    for (std::size_t k = 1; k < members.size(); ++k)
      if (members[k].key16 == members[k - 1].key16) {
        i_ = std::max(members[k].at, members[k - 1].at);
        fail("duplicate_member",
             "the member name \"" + members[k].key + "\" occurs twice in one object");
      }
    out += '{';
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (k) out += ',';
      detail::append_json_string(out, members[k].key);
      out += ':';
      out += members[k].value;
    }
    out += '}';
  }

  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("malformed_json", "a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail("malformed_json", "a \\u escape needs four hex digits");
    }
    return v;
  }

  static void put_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  /// Validates one UTF-8 sequence at i_ (RFC 3629: no overlongs, no surrogates) and copies it.
  void copy_utf8(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[i_]);
    int extra;
    std::uint32_t cp;
    if (b0 < 0x80) {
      extra = 0;
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      cp = b0 & 0x07;
    } else
      fail("malformed_json", "invalid UTF-8");
    if (i_ + static_cast<std::size_t>(extra) >= s_.size())
      fail("malformed_json", "invalid UTF-8 (truncated sequence)");
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s_[i_ + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) fail("malformed_json", "invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      fail("malformed_json", "invalid UTF-8 (overlong form or surrogate)");
    out.append(s_.substr(i_, static_cast<std::size_t>(extra) + 1));
    i_ += static_cast<std::size_t>(extra) + 1;
  }

  /// Reads a string token at i_ (the opening quote) and returns its decoded UTF-8 value.
  std::string string_token() {
    ++i_;  // '"'
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("malformed_json", "unterminated string");
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c < 0x20) fail("malformed_json", "a control character must be escaped in a string");
      if (c != '\\') {
        copy_utf8(out);
        continue;
      }
      ++i_;
      if (i_ >= s_.size()) fail("malformed_json", "unterminated string");
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail("malformed_json", "a lone low surrogate escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(i_, 2) != "\\u") fail("malformed_json", "a lone high surrogate escape");
            i_ += 2;
            const std::uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF)
              fail("malformed_json", "a lone high surrogate escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          put_utf8(cp, out);
          break;
        }
        default: --i_; fail("malformed_json", "unknown escape in a string");
      }
    }
  }

  /// UTF-16 code units of valid UTF-8 `s`.
  static std::u16string to_utf16(const std::string& s) {
    std::u16string out;
    for (std::size_t k = 0; k < s.size();) {
      const auto b0 = static_cast<unsigned char>(s[k]);
      std::uint32_t cp;
      int extra = b0 < 0x80 ? 0 : b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3;
      cp = extra == 0 ? b0 : extra == 1 ? (b0 & 0x1F) : extra == 2 ? (b0 & 0x0F) : (b0 & 0x07);
      for (int j = 1; j <= extra; ++j)
        cp = (cp << 6) | (static_cast<unsigned char>(s[k + j]) & 0x3F);
      k += static_cast<std::size_t>(extra) + 1;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        out += static_cast<char16_t>(0xD800 + (cp >> 10));
        out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
      } else {
        out += static_cast<char16_t>(cp);
      }
    }
    return out;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

Result<std::string> canonical_json(std::string_view json_text) {
  try {
    return Canonicaliser(json_text).run();
  } catch (const Failure& f) {
    return f.error;
  }
}

}  // namespace passline
