// The closed error vocabulary: every row of PASSLINE_ERROR_CODES is consistent, and ErrorCode
// round-trips through its text.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "passline/error_code.h"
#include "passline/result.h"

using namespace passline;

TEST_CASE("every error code has a unique name, a 4xx/5xx status, an exit code and a meaning") {
  std::set<std::string_view> names;
  for (const ErrorCodeInfo& row : kErrorCodes) {
    CAPTURE(row.name);
    CHECK(names.insert(row.name).second);
    CHECK(!row.name.empty());
    for (char ch : row.name) CHECK(((ch >= 'a' && ch <= 'z') || ch == '_'));
    CHECK(row.http_status >= 400);
    CHECK(row.http_status <= 599);
    CHECK(row.exit_code >= 1);  // 0 is success
    CHECK(row.exit_code <= 125);
    CHECK(!row.meaning.empty());
    CHECK(row.meaning.back() != '.');  // printed after "code: ", like the messages
    auto parsed = ErrorCode::parse(row.name);
    REQUIRE(parsed.has_value());
    CHECK(parsed->name() == row.name);
    CHECK(&parsed->info() == &row);
  }
  CHECK(names.size() == std::size(kErrorCodes));
}

TEST_CASE("ErrorCode: literals are checked at compile time, text is parsed at run time") {
  constexpr ErrorCode c = "bad_decimal";
  static_assert(c.http_status() == 422 && c.exit_code() == 2 && !c.complete_sentence());
  static_assert(ErrorCode("storage").exit_code() == 69 &&
                ErrorCode("storage").http_status() == 503);
  static_assert(ErrorCode::parse("bad_decimal") == c);
  static_assert(!ErrorCode::parse("bad_decmal").has_value());
  CHECK(!ErrorCode::parse("").has_value());
  CHECK(!ErrorCode::parse("BAD_DECIMAL").has_value());
  CHECK(c == "bad_decimal");
  CHECK("bad_decimal" == c);
  CHECK(c != "bad_date");
  CHECK(c == std::string("bad_decimal"));
  CHECK(c == std::string_view("bad_decimal"));
  CHECK(c != ErrorCode("bad_date"));
  CHECK(std::string(c.c_str()) == "bad_decimal");
  CHECK(c + ": x" == "bad_decimal: x");
  CHECK("urn:" + c == "urn:bad_decimal");
  Error e = make_error("unknown_region", "agency.region");
  e.code = "corrupt_row";
  CHECK(e.code.name() == "corrupt_row");
}

TEST_CASE("the statuses and exit codes of the codes the adapters rely on") {
  // Exit codes of docs (adapters/cli/commands.h) and statuses of docs/HTTP.md ("Errors").
  CHECK(ErrorCode("not_conforming").exit_code() == 1);
  for (ErrorCode c : {ErrorCode("already_decided"), ErrorCode("superseded"),
                      ErrorCode("duplicate_recruitment")}) {
    CHECK(c.exit_code() == 3);
    CHECK(c.http_status() == 409);
  }
  CHECK(ErrorCode("usage").exit_code() == 64);
  CHECK(ErrorCode("key_exists").exit_code() == 64);
  CHECK(ErrorCode("internal").exit_code() == 70);
  CHECK(ErrorCode("internal").http_status() == 500);
  CHECK(ErrorCode("write_failed").exit_code() == 74);
  for (ErrorCode c :
       {ErrorCode("schema_missing"), ErrorCode("schema_outdated"), ErrorCode("schema_too_new")}) {
    CHECK(c.exit_code() == 78);
    CHECK(c.http_status() == 503);
  }
  CHECK(ErrorCode("malformed_json").http_status() == 400);
  CHECK(ErrorCode("unauthorized").http_status() == 401);
  CHECK(ErrorCode("forbidden").http_status() == 403);
  CHECK(ErrorCode("unknown_applicant").http_status() == 404);
  CHECK(ErrorCode("method_not_allowed").http_status() == 405);
  CHECK(ErrorCode("body_too_large").http_status() == 413);
  CHECK(ErrorCode("unsupported_media_type").http_status() == 415);
  CHECK(ErrorCode("bad_decimal").http_status() == 422);
}

TEST_CASE("Status: ok by default, or an Error") {
  Status ok = Status::ok_status();
  CHECK(ok.ok());
  CHECK(static_cast<bool>(ok));
  Status bad = make_error("bad_date", "recruitment.announced", "not a date");
  CHECK(!bad.ok());
  CHECK(bad.error().code == "bad_date");
  CHECK(bad.error().path == "recruitment.announced");
  CHECK(std::move(bad).error().message == "not a date");
}

TEST_CASE("docs/ERRORS.md lists every code with its row of the table, in order") {
  std::ifstream in(std::string(PASSLINE_SOURCE_DIR) + "/docs/ERRORS.md");
  REQUIRE(in);
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("| `")) rows.push_back(line);
  REQUIRE(rows.size() == std::size(kErrorCodes));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ErrorCodeInfo& r = kErrorCodes[i];
    const std::string want = "| `" + std::string(r.name) + "` | " + std::to_string(r.http_status) +
                             " | " + std::to_string(r.exit_code) + " | " +
                             (r.complete_sentence ? "yes" : "no") + " | " + std::string(r.meaning) +
                             " |";
    CHECK(rows[i] == want);
  }
}
