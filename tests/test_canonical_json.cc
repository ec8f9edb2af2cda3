// RFC 8785 (JCS) canonical JSON, for the integer-only subset the decision log uses.
#include <doctest/doctest.h>

#include <string>

#include "passline/canonical_json.h"

using namespace passline;

namespace {
std::string canon(std::string_view text) {
  auto r = canonical_json(text);
  REQUIRE_MESSAGE(r.ok(), r.error().code << " " << r.error().path << " " << r.error().message);
  return *r;
}
std::string code_of(std::string_view text) {
  auto r = canonical_json(text);
  return r.ok() ? "ok" : std::string(r.error().code.name());
}
}  // namespace

TEST_CASE("RFC 8785 section 3.2.3 sorts member names by UTF-16 code units") {
  // The sorting example of RFC 8785 §3.2.3, verbatim.
  const std::string input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  // Expected order (RFC 8785 §3.2.3): \r, 1, U+0080, U+00F6, U+20AC, U+1F600, U+FB33 — the emoji
  // (surrogates D83D DE00) sorts before U+FB33 although its code point is larger.
  const std::string expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
      "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}";
  CHECK(canon(input) == expected);
  // Bytewise UTF-8 order would put U+FB33 (EF AC B3) before the emoji (F0 9F 98 80).
  CHECK(expected.find("\xF0\x9F\x98\x80") < expected.find("\xEF\xAC\xB3"));
}

TEST_CASE("RFC 8785 section 3.2.2.2 string and literal example without its numbers") {
  // RFC 8785 §3.2.2.2's input and output, with the "numbers" member left out: this subset
  // refuses non-integers.
  const std::string input =
      R"({"string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]})";
  const std::string expected =
      "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
  CHECK(canon(input) == expected);
  CHECK(
      code_of(
          R"({"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]})") ==
      "unsupported_number");
}

TEST_CASE("escapes are exactly those of RFC 8785") {
  CHECK(canon(R"("\b\f\n\r\t\u0001\u001F\u007f\u00e9")") ==
        "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7F\xC3\xA9\"");
  CHECK(canon(R"(["\/", "\u002F"])") == R"(["/","/"])");
  CHECK(canon("\"\xED\x95\x9C\"") == "\"\xED\x95\x9C\"");  // 한, literal UTF-8 kept
}

TEST_CASE("integers are written plainly within plus or minus 2^53") {
  CHECK(canon(" [ 0 , -0 , 7 , -12 , 9007199254740992 , -9007199254740992 ] ") ==
        "[0,0,7,-12,9007199254740992,-9007199254740992]");
  CHECK(code_of("9007199254740993") == "unsupported_number");
  CHECK(code_of("-9007199254740993") == "unsupported_number");
  CHECK(code_of("123456789012345678901234567890") == "unsupported_number");
  CHECK(code_of("1.0") == "unsupported_number");
  CHECK(code_of("1e2") == "unsupported_number");
  CHECK(code_of("[1E2]") == "unsupported_number");
  auto r = canonical_json(R"({"a": 2.5})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "byte 6");
}

TEST_CASE("nested objects are sorted at every level and whitespace goes") {
  CHECK(canon("{\n \"b\": {\"y\": [], \"x\": {}},\n \"a\": [ {\"d\":1,\"c\":2} ]\n}") ==
        R"({"a":[{"c":2,"d":1}],"b":{"x":{},"y":[]}})");
}

TEST_CASE("canonical form is a fixed point") {
  const std::string once = canon(R"({"z":[true,{"\u00e9":"x","e":null}],"a":"\u001b"})");
  CHECK(canon(once) == once);
}

TEST_CASE("duplicate member names are refused, also when spelled with escapes") {
  CHECK(code_of(R"({"a":1,"a":2})") == "duplicate_member");
  CHECK(code_of(R"({"a":1,"\u0061":2})") == "duplicate_member");
  CHECK(code_of(R"({"a":{"b":1,"b":1}})") == "duplicate_member");
  CHECK(code_of(R"({"a":1,"A":2})") == "ok");
}

TEST_CASE("malformed JSON is refused") {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "01", "-", "tru", "\"abc", "\"\\x\"",
                          "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] 2", "\"a\tb\"",
                          "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "{\"a\":1,}", "nul"}) {
    CAPTURE(bad);
    CHECK(code_of(bad) == "malformed_json");
  }
  std::string deep(600, '[');
  deep += std::string(600, ']');
  CHECK(code_of(deep) == "malformed_json");
}
