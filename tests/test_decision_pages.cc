// Decisions pages over HTTP (both backends): keyset reads give, page after page and for every
// filter, exactly the applicants the whole decision document lists (the items byte for byte as
// the document-slicing implementation of 0.2 gave them), and page tokens are validated.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include "http_support.h"
#include "passline/app/recruitments.h"
#include "passline/json.h"
#include "passline/merkle.h"

namespace {

using nlohmann::json;
using passline::test::Backend;
using passline::test::Client;
using passline::test::Service;

/// Three units; ids whose bytewise order differs from a linguistic one (upper before lower
/// case, Hangul and accents after ASCII), two stages in U2, ties and additional passes.
passline::Case paged_case() {
  using namespace passline;
  Case c = test::make_case("R-P", "BUSAN-A", "office", 4, 30);
  const std::vector<std::string> ids = {"b-7", "B5", "a10", "Z9", "가A1", "Éb", "a5", "_x", "9"};
  for (std::size_t i = 0; i < c.units[0].applicants.size(); ++i)
    c.units[0].applicants[i].id = ids[i % ids.size()] + "-" + std::to_string(i);
  Unit two = c.units[0];
  two.id = "U2";
  two.planned = 3;
  Stage written = two.stages[0];
  written.name = "written";
  written.planned = 12;
  written.threshold.min_score = passline::Decimal::from_int(45);
  two.stages.insert(two.stages.begin(), written);
  two.stages[1].planned = 3;
  for (std::size_t i = 0; i < two.applicants.size(); ++i) {
    Applicant& a = two.applicants[i];
    a.id = "w" + ids[(i * 5) % ids.size()] + std::to_string(i % 11) + "." + std::to_string(i);
    a.scores.insert(a.scores.begin(),
                    Decimal::from_int(static_cast<std::int64_t>(40 + (i * 13) % 60)));
  }
  Unit three = c.units[0];
  three.id = "U3";
  three.applicants.resize(7);
  c.units.push_back(std::move(two));
  c.units.push_back(std::move(three));
  return c;
}

/// The page as 0.2 computed it: the whole document, flattened, filtered, sliced at `offset`.
json reference_items(const json& doc, const std::string* stage, const std::string* basis,
                     const std::string* applicant, std::int64_t offset, std::int64_t page_size,
                     bool& more) {
  json items = json::array();
  std::int64_t matched = 0;
  more = false;
  for (const json& unit : doc.at("units")) {
    for (const json& a : unit.at("applicants")) {
      if (applicant && a.at("id") != *applicant) continue;
      bool ok = true;
      if (stage || basis) {
        ok = false;
        for (const json& s : a.at("stages")) {
          if (stage && s.at("stage") != *stage) continue;
          if (basis && !(s.contains("basis") && s.at("basis") == *basis)) continue;
          ok = true;
        }
      }
      if (!ok) continue;
      if (matched >= offset && matched < offset + page_size) {
        json item = a;
        item["unit"] = unit.at("id");
        items.push_back(std::move(item));
      } else if (matched >= offset + page_size) {
        more = true;
        break;
      }
      ++matched;
    }
    if (more) break;
  }
  return items;
}

std::string encode(const std::string& s) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

/// The whole document, retried while a connection the server dropped (after a storage error)
/// is replaced.
passline::test::HttpResult eventually_ok(Client& c, const std::string& token) {
  passline::test::HttpResult r;
  for (int i = 0; i < 20; ++i) {
    r = c.get("/v1/recruitments/R-P/decisions", token);
    if (r.status == 200) return r;
  }
  return r;
}

}  // namespace

TEST_SUITE("http") {

STORAGE_TEST(http_decision_pages_are_keyset_reads_equal_to_the_document) {
  Service svc(backend);
  Client c = svc.client();
  auto created = c.post("/v1/recruitments", svc.recruiter, passline::case_to_json(paged_case()));
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto decided = c.post("/v1/recruitments/R-P/decide", svc.recruiter, "");
  REQUIRE_MESSAGE(decided.status == 200, decided.body);
  const json doc = json::parse(c.get("/v1/recruitments/R-P/decisions", svc.auditor).body);
  CHECK(doc.at("units").size() == 3);

  struct Filter {
    std::optional<std::string> stage, basis, applicant;
  };
  const std::string some = doc.at("units")[1].at("applicants")[4].at("id");
  const std::vector<Filter> filters = {
      {std::nullopt, std::nullopt, std::nullopt}, {"final", std::nullopt, std::nullopt},
      {"written", std::nullopt, std::nullopt},    {std::nullopt, "rank", std::nullopt},
      {std::nullopt, "tie", std::nullopt},        {std::nullopt, "additional", std::nullopt},
      {"final", "additional", std::nullopt},      {"written", "rank", std::nullopt},
      {std::nullopt, std::nullopt, some},         {"final", std::nullopt, some},
      {"nowhere", std::nullopt, std::nullopt},    {std::nullopt, std::nullopt, "nobody"}};
  std::size_t nonempty = 0;
  for (const Filter& f : filters) {
    for (std::int64_t page_size : {1, 4, 7, 100}) {
      std::string query = "page_size=" + std::to_string(page_size);
      if (f.stage) query += "&stage=" + encode(*f.stage);
      if (f.basis) query += "&basis=" + *f.basis;
      if (f.applicant) query += "&applicant=" + encode(*f.applicant);
      CAPTURE(query);
      std::string token;
      for (std::int64_t page = 0;; ++page) {
        REQUIRE(page < 200);
        auto r = c.get("/v1/recruitments/R-P/decisions?" + query +
                           (token.empty() ? "" : "&page_token=" + encode(token)),
                       svc.auditor);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        const json j = r.json();
        CHECK(j.at("format") == "passline-decisions-page/1");
        CHECK(j.at("recruitment") == "R-P");
        bool more = false;
        const json expected =
            reference_items(doc, f.stage ? &*f.stage : nullptr, f.basis ? &*f.basis : nullptr,
                            f.applicant ? &*f.applicant : nullptr, page * page_size, page_size,
                            more);
        CHECK(j.at("applicants").dump() == expected.dump());
        if (!expected.empty()) ++nonempty;
        CHECK(j.at("next_page_token").is_null() == !more);
        if (!more) break;
        token = j.at("next_page_token").get<std::string>();
      }
    }
  }
  CHECK(nonempty > 40);

  // Tokens: only those given out, and only with the filters they were given out with.
  auto first = c.get("/v1/recruitments/R-P/decisions?page_size=3&stage=final", svc.auditor).json();
  const std::string token = first.at("next_page_token");
  CHECK(c.get("/v1/recruitments/R-P/decisions?page_size=3&stage=final&page_token=" + encode(token),
              svc.auditor)
            .status == 200);
  for (const std::string& bad :
       {std::string("3"), std::string("p1."), token + "0", "x" + token.substr(1),
        token.substr(0, token.size() - 1) + (token.back() == '0' ? "1" : "0"),
        std::string("p1.") + passline::to_hex(std::string("0:A")) + ".0000000000000000"}) {
    auto r =
        c.get("/v1/recruitments/R-P/decisions?page_size=3&stage=final&page_token=" + encode(bad),
              svc.auditor);
    CHECK_MESSAGE(r.status == 400, bad);
    CHECK(r.json().at("code") == "bad_query");
    CHECK(r.json().at("path") == "page_token");
  }
  auto other =
      c.get("/v1/recruitments/R-P/decisions?page_size=3&stage=written&page_token=" + encode(token),
            svc.auditor);
  CHECK(other.status == 400);
  CHECK(c.get("/v1/recruitments/R-P/decisions?page_size=0", svc.auditor).status == 400);
  CHECK(c.get("/v1/recruitments/R-P/decisions?page_size=1001", svc.auditor).status == 400);
}

STORAGE_TEST(http_whole_decision_document_is_streamed_from_pages) {
  Service svc(backend);
  Client c = svc.client();
  passline::Case big = passline::test::make_case("R-BIG", "BUSAN-A", "office", 40, 4000);
  for (passline::Case k : {paged_case(), big}) {
    REQUIRE(c.post("/v1/recruitments", svc.recruiter, passline::case_to_json(k)).status == 201);
    REQUIRE(c.post("/v1/recruitments/" + k.recruitment.id + "/decide", svc.recruiter, "").status ==
            200);
  }

  // The documents as they were built whole before (case and decision read back, then written).
  auto store = svc.db.open_initialised();
  std::map<std::string, std::string> expected;
  for (const std::string id : {"R-P", "R-BIG"}) {
    auto whole = passline::app::load_decision(*store, id);
    REQUIRE(whole.ok());
    expected[id] = passline::decision_to_json(whole->input, whole->decision);
  }
  REQUIRE(expected["R-BIG"].size() > 512 * 1024);  // more than the server holds back (256 KiB)

  // A small document goes out whole, with its length; a large one chunked, while it is read.
  auto small = c.get("/v1/recruitments/R-P/decisions", svc.auditor);
  REQUIRE(small.status == 200);
  CHECK(small.content_type == "application/json");
  CHECK(small.headers["Content-Length"] == std::to_string(expected["R-P"].size()));
  CHECK(small.body == expected["R-P"]);
  auto large = c.get("/v1/recruitments/R-BIG/decisions", svc.auditor);
  REQUIRE(large.status == 200);
  CHECK(large.headers["Transfer-Encoding"] == "chunked");
  CHECK(large.headers.count("Content-Length") == 0);
  CHECK(large.body == expected["R-BIG"]);

  // Every page size gives the same bytes: pages that end inside a unit, at its end, or hold
  // several units (three units of 30, 30 and 7 applicants).
  auto figures = passline::app::decision_units(*store, "R-P");
  REQUIRE(figures.ok());
  for (std::size_t page : {1, 2, 3, 7, 29, 30, 31, 67, 1000}) {
    CAPTURE(page);
    std::string out;
    auto ok = passline::app::write_stored_decision(
        *store, *figures, [&](std::string_view piece) { out.append(piece); }, page);
    REQUIRE(ok.ok());
    CHECK(out == expected["R-P"]);
  }

  // HEAD: the head alone.
  auto head = c.request("HEAD", "/v1/recruitments/R-BIG/decisions", svc.auditor);
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // A read that fails before anything is sent is a problem, not a cut or empty 200; the
  // service then goes on.
  auto rename = [&](const char* from, const char* to) {
    auto parsed = passline::sql::parse_database_url(svc.db.url());
    REQUIRE(parsed.ok());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << std::string("ALTER TABLE ") + from + " RENAME TO " + to;
  };
  rename("stage_outcomes", "stage_outcomes_gone");
  Client other = svc.client();
  auto broken = other.get("/v1/recruitments/R-P/decisions", svc.auditor);
  CHECK(broken.status == 503);
  CHECK(broken.content_type == "application/problem+json");
  CHECK(broken.body.find("stage_outcomes") == std::string::npos);  // no SQL in the answer
  rename("stage_outcomes_gone", "stage_outcomes");
  auto fine = eventually_ok(other, svc.auditor);
  CHECK(fine.body == expected["R-P"]);
}

}  // TEST_SUITE
