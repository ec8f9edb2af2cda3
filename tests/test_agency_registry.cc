// The agency registry (passline/app/agencies.h; SPEC §2): validation of a record, its JSON form,
// the store's rows on every backend (memory, SQLite, PostgreSQL), imports all or nothing, the
// check of a quota-case/2 case's agency, the shipped data files, the real command line and the
// admin-only HTTP endpoints.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "http_support.h"
#include "passline/app/agencies.h"
#include "passline/app/memory_store.h"
#include "passline/app/recruitments.h"
#include "passline/demo/year.h"

namespace {

namespace app = passline::app;
namespace fs = std::filesystem;
using nlohmann::json;
using passline::Agency;
using passline::Case;
using passline::Date;
using passline::InnovationCity;
using passline::Region;
using passline::Spec;
using passline::test::Backend;
using passline::test::make_case;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

const fs::path kData = fs::path(PASSLINE_SOURCE_DIR) / "data/agencies";
// A quota-case/2 vector of agency AG-JEONNAM (jeonnam, innovation city 2018 at the joint city).
const fs::path kJointCityCase =
    fs::path(PASSLINE_CONFORMANCE_DIR) / "../conformance-v2/10-joint-city.case.json";

app::AgencyRecord kepco() {
  app::AgencyRecord r;
  r.agency.code = "KEPCO";
  r.agency.region = Region::jeonnam;
  r.agency.public_institution = true;
  r.agency.innovation_city = InnovationCity{2018, *Date::parse("2018-01-25"), true};
  r.name_ko = "한국전력공사";
  r.name_en = "Korea Electric Power Corporation";
  r.source = "혁신도시법 §29-2①; 시행령 §30-2 (부칙 제28609호)";
  return r;
}

app::AgencyRecord busan_agency(const std::string& code) {
  app::AgencyRecord r;
  r.agency.code = code;
  r.agency.region = Region::busan;
  r.agency.public_institution = true;
  r.agency.innovation_city = InnovationCity{2018, *Date::parse("2018-01-25"), false};
  r.name_ko = "부산 기관 " + code;
  r.source = "test";
  return r;
}

// A quota-case/2 case of `agency` (the storage suites' one-unit recruitment).
Case v2_case(const std::string& id, const Agency& agency) {
  Case c = make_case(id, agency.code, "office", 5, 12);
  c.spec = Spec::v2;
  c.agency = agency;
  c.programs.clear();  // quota-case/2: the law binds kr-innovation-city by the agency's facts
  return c;
}

void check_error(const passline::Status& s, const std::string& code, const std::string& path) {
  REQUIRE_FALSE(s.ok());
  CHECK_MESSAGE(s.error().code == code,
                s.error().code << " " << s.error().path << ": " << s.error().message);
  CHECK_MESSAGE(s.error().path == path,
                s.error().code << " " << s.error().path << ": " << s.error().message);
}

template <class T>
void check_error(const passline::Result<T>& r, const std::string& code, const std::string& path) {
  REQUIRE_FALSE(r.ok());
  check_error(passline::Status(r.error()), code, path);
}

// The record as a registry file or PUT gives it: agency_json() without `registered`.
json input_json(const app::AgencyRecord& r) {
  json j = json::parse(app::agency_json(r));
  j.erase("registered");
  return j;
}

std::string registry_of(app::Store& store) {
  auto all = app::list_agencies(store);
  REQUIRE(all.ok());
  return app::agencies_json(*all);
}

// Runs `body` on the in-memory store, on SQLite and on PostgreSQL.
void on_sql(Backend b, void (*body)(app::Store&)) {
  passline::test::TestDb db(b);
  auto store = db.open_initialised();
  body(*store);
}

}  // namespace

/// Defines `memory.NAME`, `sqlite.NAME` and `pg.NAME`, each running `static void NAME(Store&)`
/// on a fresh store of that backend.
#define REGISTRY_TEST(NAME)                                                      \
  static void NAME(passline::app::Store&);                                       \
  TEST_CASE("memory." #NAME) { NAME(*passline::app::make_memory_store()); }      \
  TEST_CASE("sqlite." #NAME) { on_sql(passline::test::Backend::sqlite, &NAME); } \
  TEST_CASE("pg." #NAME) { on_sql(passline::test::Backend::postgresql, &NAME); } \
  static void NAME(passline::app::Store& store)

TEST_SUITE("agency registry") {

TEST_CASE("registry: a record is validated as SPEC §2 says") {
  CHECK(app::validate_agency(kepco()).ok());

  auto with = [](auto change) {
    app::AgencyRecord r = kepco();
    change(r);
    return app::validate_agency(r);
  };
  // The code: 1 to 64 characters (Unicode), no control character nor / ? # %.
  check_error(with([](auto& r) { r.agency.code = ""; }), "bad_id", "code");
  check_error(with([](auto& r) { r.agency.code = "KE/PCO"; }), "bad_id", "code");
  for (const char* bad : {"A?", "A#", "A%", "A\x01", "A\x7f", "A\xC2\x85", "A\xFF"}) {
    CAPTURE(bad);
    check_error(with([&](auto& r) { r.agency.code = bad; }), "bad_id", "code");
  }
  check_error(with([](auto& r) { r.agency.code = std::string(65, 'K'); }), "bad_id", "code");
  CHECK(with([](auto& r) { r.agency.code = std::string(64, 'K'); }).ok());
  std::string korean;
  for (int i = 0; i < 64; ++i) korean += "한";  // 64 characters, 192 bytes
  CHECK(with([&](auto& r) { r.agency.code = korean; }).ok());
  check_error(with([&](auto& r) { r.agency.code = korean + "한"; }), "bad_id", "code");

  // Names and source.
  check_error(with([](auto& r) { r.name_ko.clear(); }), "missing_field", "name_ko");
  check_error(with([](auto& r) { r.source.clear(); }), "missing_field", "source");
  check_error(with([](auto& r) { r.name_en = ""; }), "invalid_value", "name_en");
  check_error(with([](auto& r) { r.name_ko = "한전\n"; }), "invalid_value", "name_ko");
  CHECK(with([](auto& r) { r.name_en.reset(); }).ok());

  // The cohort and the date it is bound from (영 부칙 제28609호, 제30675호).
  auto since = [](int cohort, const char* date) {
    return [=](app::AgencyRecord& r) {
      r.agency.innovation_city->cohort = cohort;
      r.agency.innovation_city->since = *Date::parse(date);
    };
  };
  check_error(with(since(2019, "2019-01-01")), "invalid_value", "innovation_city.cohort");
  check_error(with(since(2018, "2018-01-24")), "invalid_value", "innovation_city.since");
  CHECK(with(since(2018, "2018-01-25")).ok());
  check_error(with(since(2020, "2020-05-26")), "invalid_value", "innovation_city.since");
  CHECK(with(since(2020, "2020-05-27")).ok());
  auto early = with(since(2020, "2020-01-01"));
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().message.find("2020-05-27") != std::string::npos);

  // The joint innovation city is Gwangju and Jeonnam's (영 §30-2⑥1).
  check_error(with([](auto& r) { r.agency.region = Region::busan; }), "invalid_value",
              "innovation_city.joint_city");
  CHECK(with([](auto& r) { r.agency.region = Region::gwangju; }).ok());
  CHECK(with([](auto& r) { r.agency.region = Region::jeonnam_gwangju; }).ok());
  CHECK(with([](auto& r) {
          r.agency.region = Region::busan;
          r.agency.innovation_city->joint_city = false;
        }).ok());

  // The capital region has no 이전공공기관등; a public institution there is fine.
  for (Region capital : {Region::seoul, Region::incheon, Region::gyeonggi}) {
    check_error(with([&](auto& r) {
                  r.agency.region = capital;
                  r.agency.innovation_city->joint_city = false;
                }),
                "agency_not_covered", "region");
    CHECK(with([&](auto& r) {
            r.agency.region = capital;
            r.agency.innovation_city.reset();
          }).ok());
  }
}

TEST_CASE("registry: the JSON form is strict and reads back what it writes") {
  CHECK(json::parse(app::agency_json(kepco())).at("registered") == false);  // not stored
  const std::string text = input_json(kepco()).dump();
  auto back = app::parse_agency_json(text);
  REQUIRE_MESSAGE(back.ok(), back.error().message);
  CHECK(back->registered);
  // What agency_json() prints of a registered record reads back to the same record.
  const std::string printed = app::agency_json(*back);
  auto again = app::parse_agency_json(printed);
  REQUIRE_MESSAGE(again.ok(), again.error().message);
  CHECK(app::agency_json(*again) == printed);
  const json j = json::parse(printed);
  CHECK(j.at("innovation_city").at("since") == "2018-01-25");
  CHECK(j.at("registered") == true);

  auto edit = [&](auto change) {
    json doc = json::parse(text);
    change(doc);
    return app::parse_agency_json(doc.dump());
  };
  check_error(edit([](json& d) { d["innovation_city"]["colour"] = "red"; }), "unknown_key",
              "innovation_city.colour");
  check_error(edit([](json& d) { d.erase("public_institution"); }), "missing_field",
              "public_institution");
  check_error(edit([](json& d) { d["public_institution"] = "yes"; }), "wrong_type",
              "public_institution");
  check_error(edit([](json& d) { d["region"] = "Jeonnam"; }), "unknown_region", "region");
  check_error(edit([](json& d) { d["innovation_city"]["since"] = "2018-1-25"; }), "bad_date",
              "innovation_city.since");
  check_error(edit([](json& d) { d["innovation_city"]["cohort"] = 2019; }), "invalid_value",
              "innovation_city.cohort");
  check_error(edit([](json& d) { d["innovation_city"]["cohort"] = "2018"; }), "wrong_type",
              "innovation_city.cohort");
  check_error(edit([](json& d) { d["registered"] = false; }), "invalid_value", "registered");
  check_error(edit([](json& d) { d.erase("code"); }), "missing_field", "code");
  auto no_ic = edit([](json& d) { d["innovation_city"] = nullptr; });
  REQUIRE(no_ic.ok());
  CHECK_FALSE(no_ic->agency.innovation_city.has_value());
  check_error(app::parse_agency_json(R"({"code": "A", "code": "B"})"), "duplicate_member",
              "byte 14");                                                // the second "code"
  check_error(app::parse_agency_json("{"), "malformed_json", "byte 1");  // the end, 0-based

  // A file is an array; errors name the record.
  check_error(app::parse_agencies_json(text), "wrong_type", "");
  json bad = json::array({json::parse(text), json::parse(text)});
  bad[1]["region"] = "atlantis";
  check_error(app::parse_agencies_json(bad.dump()), "unknown_region", "[1].region");
  bad[1] = 7;
  check_error(app::parse_agencies_json(bad.dump()), "wrong_type", "[1]");
}

REGISTRY_TEST(registry_rows_round_trip) {
  auto none = store.find_agency("KEPCO");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  check_error(app::show_agency(store, "KEPCO"), "unknown_agency", "code");

  auto made = app::register_agency(store, kepco());
  REQUIRE_MESSAGE(made.ok(), made.error().message);
  CHECK(made->created);
  CHECK(made->changed);
  CHECK(made->record.registered);
  CHECK(made->record.agency.designated == 2018);
  auto shown = app::show_agency(store, "KEPCO");
  REQUIRE(shown.ok());
  CHECK(app::agency_json(*shown) == app::agency_json(made->record));
  CHECK(shown->name_ko == "한국전력공사");
  CHECK(shown->agency.innovation_city->joint_city);

  // The same record again changes nothing; another one replaces every fact.
  auto again = app::register_agency(store, kepco());
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK_FALSE(again->changed);
  app::AgencyRecord moved = kepco();
  moved.agency.public_institution = false;
  moved.agency.innovation_city = InnovationCity{2020, *Date::parse("2021-03-02"), false};
  moved.name_en.reset();
  moved.source = "a MOLIT notice";
  auto updated = app::register_agency(store, moved);
  REQUIRE_MESSAGE(updated.ok(), updated.error().message);
  CHECK(updated->changed);
  shown = app::show_agency(store, "KEPCO");
  REQUIRE(shown.ok());
  CHECK_FALSE(shown->agency.public_institution);
  CHECK(shown->agency.innovation_city->cohort == 2020);
  CHECK(shown->agency.innovation_city->since == *Date::parse("2021-03-02"));
  CHECK_FALSE(shown->agency.innovation_city->joint_city);
  CHECK_FALSE(shown->name_en.has_value());
  CHECK(shown->source == "a MOLIT notice");
  CHECK(shown->agency.designated == 2020);

  // Without innovation_city, and a refused record stores nothing.
  app::AgencyRecord plain = busan_agency("a-lower");
  plain.agency.innovation_city.reset();
  plain.agency.region = Region::seoul;
  REQUIRE(app::register_agency(store, plain).ok());
  app::AgencyRecord capital = busan_agency("B-CAPITAL");
  capital.agency.region = Region::gyeonggi;
  check_error(app::register_agency(store, capital), "agency_not_covered", "region");
  CHECK_FALSE(store.find_agency("B-CAPITAL")->has_value());

  // Listed by code, bytewise (upper case before lower case, on every backend).
  auto all = app::list_agencies(store);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].agency.code == "KEPCO");
  CHECK((*all)[1].agency.code == "a-lower");
  CHECK_FALSE((*all)[1].agency.innovation_city.has_value());
  CHECK((*all)[1].agency.designated == 2018);
}

REGISTRY_TEST(registry_and_quota_case_1_agencies) {
  // A quota-case/1 import creates its agency on first sight, unregistered, as before.
  Case v1 = make_case("R-1", "BUSAN-A", "office", 5, 12);
  auto imported = app::import_case(store, v1, {}, passline::test::FixedClock{});
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  auto implicit = store.find_agency("BUSAN-A");
  REQUIRE(implicit.ok());
  REQUIRE(implicit->has_value());
  CHECK_FALSE((*implicit)->registered);
  CHECK((*implicit)->name_ko.empty());
  CHECK((*implicit)->source.empty());
  CHECK((*implicit)->agency.region == Region::busan);
  CHECK_FALSE((*implicit)->agency.innovation_city.has_value());

  // Its stored recruitments are read back with its region and cohort: those do not change.
  app::AgencyRecord moved = busan_agency("BUSAN-A");
  moved.agency.region = Region::daegu;
  check_error(app::register_agency(store, moved), "agency_mismatch", "region");
  app::AgencyRecord recohorted = busan_agency("BUSAN-A");
  recohorted.agency.innovation_city = InnovationCity{2020, *Date::parse("2020-06-01"), false};
  check_error(app::register_agency(store, recohorted), "agency_mismatch", "innovation_city.cohort");
  CHECK_FALSE((*store.find_agency("BUSAN-A"))->registered);

  // Registering it with the same region and cohort keeps quota-case/1 imports working.
  auto reg = app::register_agency(store, busan_agency("BUSAN-A"));
  REQUIRE_MESSAGE(reg.ok(), reg.error().message);
  CHECK_FALSE(reg->created);
  CHECK((*store.find_agency("BUSAN-A"))->registered);
  CHECK(app::import_case(store, make_case("R-2", "BUSAN-A", "office", 5, 12), {},
                         passline::test::FixedClock{})
            .ok());
  Case other_region = make_case("R-3", "BUSAN-A", "office", 5, 12);
  other_region.agency.region = Region::ulsan;
  check_error(app::import_case(store, other_region), "agency_mismatch", "agency.region");
}

REGISTRY_TEST(registry_checks_quota_case_2_agencies) {
  REQUIRE(app::register_agency(store, kepco()).ok());
  const Agency registered = kepco().agency;
  CHECK(app::check_case_agency(store, registered).ok());

  struct Change {
    const char* path;
    void (*apply)(Agency&);
    const char* registry;
    const char* from_case;
  };
  const Change changes[] = {
      {"agency.region", [](Agency& a) { a.region = Region::gwangju; }, "jeonnam", "gwangju"},
      {"agency.public_institution", [](Agency& a) { a.public_institution = false; }, "true",
       "false"},
      {"agency.innovation_city", [](Agency& a) { a.innovation_city.reset(); },
       "{cohort 2018, since 2018-01-25, joint_city true}", "null"},
      {"agency.innovation_city.cohort", [](Agency& a) { a.innovation_city->cohort = 2020; }, "2018",
       "2020"},
      {"agency.innovation_city.since",
       [](Agency& a) { a.innovation_city->since = *Date::parse("2019-01-01"); }, "2018-01-25",
       "2019-01-01"},
      {"agency.innovation_city.joint_city",
       [](Agency& a) { a.innovation_city->joint_city = false; }, "true", "false"},
  };
  for (const Change& ch : changes) {
    CAPTURE(ch.path);
    Agency a = registered;
    ch.apply(a);
    auto s = app::check_case_agency(store, a);
    check_error(s, "agency_mismatch", ch.path);
    if (s.ok()) continue;
    const std::string& m = s.error().message;
    const auto reg = m.find(std::string("registered with ") + (ch.path + 7) + " " + ch.registry);
    const auto said = m.find(std::string("the case says ") + ch.from_case);
    CHECK_MESSAGE(reg != std::string::npos, m);
    CHECK_MESSAGE(said != std::string::npos, m);

    // Imported as a case: refused before anything is stored.
    const std::string id = std::string("MISMATCH-") + ch.path;
    check_error(app::import_case(store, v2_case(id, a)), "agency_mismatch", ch.path);
    CHECK_FALSE(store.find_recruitment(id)->has_value());
  }
  // quota-case/1's `designated` is not a quota-case/2 fact.
  Agency v1_cohort = registered;
  v1_cohort.designated = 2020;
  CHECK(app::check_case_agency(store, v1_cohort).ok());

  // An unregistered code, and an agency a quota-case/1 import created, are unknown.
  Agency nobody = registered;
  nobody.code = "NOBODY";
  check_error(app::check_case_agency(store, nobody), "unknown_agency", "agency.code");
  check_error(app::import_case(store, v2_case("R-NOBODY", nobody)), "unknown_agency",
              "agency.code");
  CHECK_FALSE(store.find_recruitment("R-NOBODY")->has_value());
  CHECK_FALSE(store.find_agency("NOBODY")->has_value());  // not created on first sight either
  REQUIRE(app::import_case(store, make_case("R-V1", "BUSAN-V1", "office", 5, 12)).ok());
  Agency implicit;
  implicit.code = "BUSAN-V1";
  implicit.region = Region::busan;
  check_error(app::check_case_agency(store, implicit), "unknown_agency", "agency.code");
  check_error(app::import_case(store, v2_case("R-V2", implicit)), "unknown_agency", "agency.code");
  CHECK_FALSE(store.find_recruitment("R-V2")->has_value());

  // The registry's facts exactly: imported.
  auto ok =
      app::import_case(store, v2_case("R-KEPCO", registered), {}, passline::test::FixedClock{});
  REQUIRE_MESSAGE(ok.ok(), ok.error().message);
  CHECK(store.find_recruitment("R-KEPCO")->has_value());
}

REGISTRY_TEST(registry_import_is_all_or_nothing) {
  const json a = input_json(busan_agency("A"));
  const json b = input_json(busan_agency("B"));
  json first = json::array({a, b});
  auto done = app::import_agencies(store, first.dump());
  REQUIRE_MESSAGE(done.ok(), done.error().message);
  CHECK(done->added == 2);
  CHECK(done->updated == 0);
  CHECK(done->unchanged == 0);
  const std::string before = registry_of(store);

  // [0] changes A, [1] adds C, [2] is refused: nothing of it lands.
  json changed_a = a;
  changed_a["name_ko"] = "바뀐 이름";
  json c = input_json(busan_agency("C"));
  json bad = b;
  bad["innovation_city"]["since"] = "2017-12-31";
  check_error(app::import_agencies(store, json::array({changed_a, c, bad}).dump()), "invalid_value",
              "[2].innovation_city.since");
  CHECK(registry_of(store) == before);
  check_error(app::import_agencies(store, json::array({changed_a, c, a}).dump()), "invalid_value",
              "[2].code");  // A twice
  CHECK(registry_of(store) == before);

  // A refusal found inside the transaction (a stored agency's region under its recruitments)
  // rolls back the records before it.
  REQUIRE(app::import_case(store, make_case("R-1", "B", "office", 5, 12)).ok());
  json moved_b = b;
  moved_b["region"] = "ulsan";
  check_error(app::import_agencies(store, json::array({changed_a, c, moved_b}).dump()),
              "agency_mismatch", "[2].region");
  CHECK(registry_of(store) == before);
  CHECK_FALSE(store.find_agency("C")->has_value());
  CHECK((*store.find_agency("A"))->name_ko == a.at("name_ko").get<std::string>());

  // The good file: one updated, one added, one unchanged.
  auto second = app::import_agencies(store, json::array({changed_a, c, b}).dump());
  REQUIRE_MESSAGE(second.ok(), second.error().message);
  CHECK(second->added == 1);
  CHECK(second->updated == 1);
  CHECK(second->unchanged == 1);
  CHECK((*store.find_agency("A"))->name_ko == "바뀐 이름");
  check_error(app::import_agencies(store, "[1, 2"), "malformed_json", "byte 5");
}

REGISTRY_TEST(registry_data_files_hold_every_demo_agency) {
  std::int64_t imported = 0;
  for (const char* file : {"innovation-city-2018.json", "innovation-city-2020.json"}) {
    CAPTURE(file);
    const std::string text = slurp(kData / file);
    REQUIRE_FALSE(text.empty());
    auto done = app::import_agencies(store, text);
    REQUIRE_MESSAGE(done.ok(), done.error().path << ": " << done.error().message);
    CHECK(done->updated == 0);
    CHECK(done->unchanged == 0);
    imported += done->added;
    for (const json& r : json::parse(text)) {
      const int cohort = r.at("innovation_city").at("cohort");
      CHECK(cohort == (std::string(file).find("2018") != std::string::npos ? 2018 : 2020));
      const std::string source = r.at("source");
      CHECK(source.find("§29-2①") != std::string::npos);
      if (cohort == 2018) {
        CHECK(source.find("부칙 제28609호") != std::string::npos);
        CHECK(source.find("지방이전계획") != std::string::npos);
        CHECK(r.at("innovation_city").at("since") == "2018-01-25");
      } else {
        CHECK(source.find("부칙 제30675호") != std::string::npos);
      }
    }
  }
  const auto& demo = passline::demo::relocated_agencies();
  CHECK(imported == static_cast<std::int64_t>(demo.size()));
  std::set<std::string> joint;
  for (const passline::demo::AgencyInfo& d : demo) {
    CAPTURE(d.code);
    auto r = store.find_agency(d.code);
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    const app::AgencyRecord& rec = **r;
    CHECK(rec.registered);
    CHECK(rec.name_ko == d.name_ko);
    CHECK(rec.name_en == d.name_en);
    CHECK(rec.agency.region == d.region);
    REQUIRE(rec.agency.innovation_city.has_value());
    CHECK(rec.agency.innovation_city->cohort == d.designated);
    CHECK(rec.agency.designated == d.designated);
    const bool naju = d.city_ko.rfind("광주·전남", 0) == 0;
    CHECK(rec.agency.innovation_city->joint_city == naju);
    if (rec.agency.innovation_city->joint_city) joint.insert(d.code);
    CHECK(app::validate_agency(rec).ok());
  }
  CHECK(joint.size() == 15);
  CHECK(joint.count("KEPCO") == 1);
}

TEST_CASE("registry: passline agency add|import|list|show") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "p.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);

  const std::vector<std::string> kepco_args = {"agency",
                                               "add",
                                               "--code",
                                               "KEPCO",
                                               "--region",
                                               "jeonnam",
                                               "--name-ko",
                                               "한국전력공사",
                                               "--name-en",
                                               "Korea Electric Power Corporation",
                                               "--public-institution",
                                               "--innovation-cohort",
                                               "2018",
                                               "--innovation-since",
                                               "2018-01-25",
                                               "--joint-city",
                                               "--source",
                                               "혁신도시법 §29-2①",
                                               "--db",
                                               db};
  auto added = run_cli(kepco_args);
  REQUIRE_MESSAGE(added.exit == 0, added.err);
  CHECK(added.out ==
        "registered KEPCO (jeonnam; public institution; innovation city 2018 since 2018-01-25, "
        "joint city) in " +
            db + "\n");
  CHECK(run_cli(kepco_args).out.rfind("unchanged KEPCO", 0) == 0);

  auto shown = run_cli({"agency", "show", "KEPCO", "--db", db});
  REQUIRE(shown.exit == 0);
  const json j = json::parse(shown.out);
  CHECK(j.at("name_ko") == "한국전력공사");
  CHECK(j.at("public_institution") == true);
  CHECK(j.at("innovation_city").at("joint_city") == true);
  CHECK(j.at("registered") == true);

  // Errors name the option to change, with the code's exit status.
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"agency", "add"});
    args.insert(args.end(), {"--db", db});
    return run_cli(args);
  };
  auto bad_region = with({"--code", "X", "--region", "Jeonnam", "--name-ko", "x", "--source", "s"});
  CHECK(bad_region.exit == 2);
  CHECK(bad_region.err.rfind("passline: --region: unknown_region: 'Jeonnam'", 0) == 0);
  auto bad_cohort = with({"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
                          "--innovation-cohort", "2019", "--innovation-since", "2019-01-01"});
  CHECK(bad_cohort.exit == 2);
  CHECK(bad_cohort.err.rfind("passline: --innovation-cohort: invalid_value", 0) == 0);
  auto early = with({"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
                     "--innovation-cohort", "2018", "--innovation-since", "2018-01-01"});
  CHECK(early.exit == 2);
  CHECK(early.err.rfind("passline: --innovation-since: invalid_value", 0) == 0);
  auto joint =
      with({"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
            "--innovation-cohort", "2018", "--innovation-since", "2018-01-25", "--joint-city"});
  CHECK(joint.exit == 2);
  CHECK(joint.err.rfind("passline: --joint-city: invalid_value", 0) == 0);
  auto capital = with({"--code", "X", "--region", "seoul", "--name-ko", "x", "--source", "s",
                       "--innovation-cohort", "2018", "--innovation-since", "2018-01-25"});
  CHECK(capital.exit == 2);
  CHECK(capital.err.rfind("passline: --region: agency_not_covered", 0) == 0);
  auto bad_code = with({"--code", "A/B", "--region", "busan", "--name-ko", "x", "--source", "s"});
  CHECK(bad_code.exit == 2);
  CHECK(bad_code.err.rfind("passline: --code: bad_id", 0) == 0);
  auto bad_date = with({"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
                        "--innovation-cohort", "2018", "--innovation-since", "25.01.2018"});
  CHECK(bad_date.exit == 2);
  CHECK(bad_date.err.rfind("passline: --innovation-since: bad_date", 0) == 0);
  for (const std::vector<std::string>& usage : std::vector<std::vector<std::string>>{
           {"--code", "X", "--region", "busan", "--name-ko", "x"},  // no --source
           {"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
            "--innovation-since", "2018-01-25"},
           {"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
            "--innovation-cohort", "2018"},
           {"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s", "--joint-city"},
           {"--code", "X", "--region", "busan", "--name-ko", "x", "--source", "s",
            "--public-institution=yes"},
       }) {
    auto r = with(usage);
    CHECK_MESSAGE(r.exit == 64, r.err);
    CHECK(r.err.find("usage: passline agency add") != std::string::npos);
  }
  CHECK(run_cli({"agency", "frobnicate", "--db", db}).exit == 64);
  CHECK(run_cli({"agency", "show", "X", "--db", db}).exit == 2);  // nothing above was stored

  // import: the shipped file, then a bad one that changes nothing.
  const std::string file = (kData / "innovation-city-2018.json").string();
  auto imported = run_cli({"agency", "import", file, "--db", db});
  REQUIRE_MESSAGE(imported.exit == 0, imported.err);
  CHECK(imported.out == "imported 109 agencies from " + file +
                            " (108 added, 1 updated, 0 unchanged) into " + db + "\n");
  const std::string listed = run_cli({"agency", "list", "--format", "json", "--db", db}).out;
  CHECK(json::parse(listed).at("agencies").size() == 109);
  json broken = json::parse(slurp(file));
  broken[3]["region"] = "atlantis";
  broken[0]["name_ko"] = "바뀜";
  spit(d.path / "bad.json", broken.dump());
  auto refused = run_cli({"agency", "import", (d.path / "bad.json").string(), "--db", db});
  CHECK(refused.exit == 2);
  CHECK_MESSAGE(refused.err.find("bad.json: [3].region: unknown_region") != std::string::npos,
                refused.err);
  CHECK(run_cli({"agency", "list", "--format", "json", "--db", db}).out == listed);

  auto table = run_cli({"agency", "list", "--db", db});
  REQUIRE(table.exit == 0);
  const auto lines = table.out_lines();
  REQUIRE(lines.size() == 110);
  CHECK(lines[0] ==
        "CODE\tREGION\tPUBLIC_INSTITUTION\tINNOVATION_CITY\tJOINT_CITY\tREGISTERED\tNAME_KO");
  CHECK(std::find(lines.begin(), lines.end(),
                  "KEPCO\tjeonnam\tyes\t2018 since 2018-01-25\tyes\tyes\t한국전력공사") !=
        lines.end());
  CHECK(run_cli({"agency", "list", "--format", "csv", "--db", db}).exit == 64);

  auto unknown = run_cli({"agency", "show", "NOPE", "--db", db});
  CHECK(unknown.exit == 2);
  CHECK(unknown.err.rfind("passline: CODE: unknown_agency", 0) == 0);
  auto bad_id = run_cli({"agency", "show", "A%B", "--db", db});
  CHECK(bad_id.exit == 2);
  CHECK(bad_id.err.rfind("passline: CODE: bad_id", 0) == 0);

  auto help = run_cli({"--help"});
  CHECK(help.out.find("passline agency add --code C --region R") != std::string::npos);
  CHECK(help.out.find("passline agency import FILE.json") != std::string::npos);
}

TEST_CASE(
    "registry: passline import refuses a quota-case/2 file whose agency is not the registry's") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "p.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);
  const std::string file = kJointCityCase.string();
  const json doc = json::parse(slurp(kJointCityCase));
  REQUIRE(doc.at("format") == "quota-case/2");

  auto unknown = run_cli({"import", file, "--db", db});
  CHECK(unknown.exit == 2);
  CHECK_MESSAGE(unknown.err.rfind("passline: agency.code: unknown_agency", 0) == 0, unknown.err);

  REQUIRE(run_cli({"agency", "add", "--code", "AG-JEONNAM", "--region", "jeonnam", "--name-ko",
                   "전남 기관", "--innovation-cohort", "2018", "--innovation-since", "2018-01-25",
                   "--joint-city", "--source", "test", "--db", db})
              .exit == 0);
  // The case claims to be a public institution: a fact only the registry states.
  json spoof = doc;
  spoof["agency"]["public_institution"] = true;
  spit(d.path / "spoof.json", spoof.dump());
  auto refused = run_cli({"import", (d.path / "spoof.json").string(), "--db", db});
  CHECK(refused.exit == 2);
  CHECK_MESSAGE(refused.err.rfind("passline: agency.public_institution: agency_mismatch: agency "
                                  "AG-JEONNAM is registered with public_institution false; the "
                                  "case says true",
                                  0) == 0,
                refused.err);
  spoof = doc;
  spoof["agency"]["innovation_city"]["joint_city"] = false;
  spit(d.path / "spoof.json", spoof.dump());
  refused = run_cli({"import", (d.path / "spoof.json").string(), "--db", db});
  CHECK(refused.exit == 2);
  CHECK(refused.err.rfind("passline: agency.innovation_city.joint_city: agency_mismatch", 0) == 0);
  CHECK(run_cli({"recruitments", "--db", db}).out_lines().size() == 1);  // the header only

  auto imported = run_cli({"import", file, "--db", db});
  CHECK_MESSAGE(imported.exit == 0, imported.err);
  CHECK(run_cli({"recruitments", "--db", db}).out_lines().size() == 2);
}

STORAGE_TEST(http_agency_registry_is_admin_only) {
  passline::test::Service svc(backend);
  passline::test::Client c = svc.client();
  const std::string body = input_json(kepco()).dump();

  auto empty = c.get("/v1/agencies", svc.admin);
  REQUIRE_MESSAGE(empty.status == 200, empty.body);
  CHECK(empty.json() == json::parse(R"({"agencies": []})"));

  auto put = c.request("PUT", "/v1/agencies/KEPCO", svc.admin, body);
  REQUIRE_MESSAGE(put.status == 201, put.body);
  CHECK(put.headers["Location"] == "/v1/agencies/KEPCO");
  CHECK(put.json().at("registered") == true);
  json no_code = json::parse(body);
  no_code.erase("code");
  no_code["name_en"] = "KEPCO";
  auto update = c.request("PUT", "/v1/agencies/KEPCO", svc.admin, no_code.dump());
  REQUIRE_MESSAGE(update.status == 200, update.body);
  CHECK(update.json().at("name_en") == "KEPCO");
  auto got = c.get("/v1/agencies/KEPCO", svc.admin);
  REQUIRE(got.status == 200);
  CHECK(got.json() == update.json());

  // Bad requests: each with its code and path, and nothing stored.
  auto problem = [](const passline::test::HttpResult& r, int status, const std::string& code,
                    const std::string& path) {
    CHECK_MESSAGE(r.status == status, r.body);
    CHECK(r.content_type == "application/problem+json");
    const json j = json::parse(r.body);
    CHECK(j.at("code") == code);
    CHECK(j.at("path") == path);
  };
  problem(c.get("/v1/agencies/NOPE", svc.admin), 404, "unknown_agency", "code");
  problem(c.get("/v1/agencies/A%25B", svc.admin), 422, "bad_id", "code");
  problem(c.get("/v1/agencies/A%3FB", svc.admin), 422, "bad_id", "code");
  problem(c.request("PUT", "/v1/agencies/" + std::string(65, 'K'), svc.admin, body), 422, "bad_id",
          "code");
  problem(c.request("PUT", "/v1/agencies/OTHER", svc.admin, body), 422, "invalid_value", "code");
  json early = json::parse(body);
  early["innovation_city"]["since"] = "2018-01-01";
  problem(c.request("PUT", "/v1/agencies/KEPCO", svc.admin, early.dump()), 422, "invalid_value",
          "innovation_city.since");
  problem(c.request("PUT", "/v1/agencies/KEPCO", svc.admin, body, "text/plain"), 415,
          "unsupported_media_type", "Content-Type");
  problem(c.request("DELETE", "/v1/agencies/KEPCO", svc.admin), 405, "method_not_allowed", "");
  CHECK(c.get("/v1/agencies/KEPCO", svc.admin).json() == update.json());

  // Import: all or nothing.
  json file =
      json::array({input_json(busan_agency("BUSAN-A")), input_json(busan_agency("BUSAN-B"))});
  json bad = file;
  bad[1]["region"] = "atlantis";
  problem(c.post("/v1/agencies/import", svc.admin, bad.dump()), 422, "unknown_region",
          "[1].region");
  const std::string before = c.get("/v1/agencies", svc.admin).body;
  CHECK(json::parse(before).at("agencies").size() == 1);
  auto imported = c.post("/v1/agencies/import", svc.admin, file.dump());
  REQUIRE_MESSAGE(imported.status == 200, imported.body);
  CHECK(imported.json() == json::parse(R"({"added": 2, "updated": 0, "unchanged": 0})"));
  auto all = c.get("/v1/agencies", svc.admin).json().at("agencies");
  REQUIRE(all.size() == 3);
  CHECK(all[0].at("code") == "BUSAN-A");
  CHECK(all[2].at("code") == "KEPCO");

  // A recruiter or an auditor gets 403 for every one of them, whether the agency exists or not,
  // and changes nothing.
  const std::string registry = c.get("/v1/agencies", svc.admin).body;
  for (const std::string* token : {&svc.recruiter, &svc.auditor}) {
    std::string first_body;
    for (const std::string code : {"BUSAN-A", "NOPE", "A%25B"}) {
      CAPTURE(code);
      for (auto r : {c.get("/v1/agencies/" + code, *token),
                     c.request("PUT", "/v1/agencies/" + code, *token, body)}) {
        problem(r, 403, "forbidden", "");
        if (first_body.empty()) first_body = r.body;
        CHECK(r.body ==
              first_body);  // the same answer for an agency that exists and one that does not
      }
    }
    problem(c.get("/v1/agencies", *token), 403, "forbidden", "");
    problem(c.post("/v1/agencies/import", *token, file.dump()), 403, "forbidden", "");
  }
  CHECK(c.get("/v1/agencies", svc.admin).body == registry);
  problem(c.get("/v1/agencies"), 401, "unauthorized", "Authorization");

  // The issue's spoof, over HTTP: a recruiter's quota-case/2 case that declares other facts for
  // its agency than the registry's is refused, and nothing is stored.
  json v2 = json::parse(slurp(kJointCityCase));
  v2["agency"] = json::parse(R"({"code": "BUSAN-A", "region": "busan", "public_institution": true,
      "innovation_city": {"cohort": 2018, "since": "2018-01-25", "joint_city": false}})");
  auto created = c.post("/v1/recruitments", svc.recruiter, v2.dump());
  REQUIRE_MESSAGE(created.status == 201, created.body);
  for (const auto& [path, value] :
       std::vector<std::pair<std::string, json>>{{"agency.public_institution", false},
                                                 {"agency.innovation_city", nullptr},
                                                 {"agency.innovation_city.since", "2019-01-01"},
                                                 {"agency.region", "ulsan"}}) {
    CAPTURE(path);
    json spoof = v2;
    spoof["recruitment"]["id"] = "SPOOF";
    json* at = &spoof["agency"];
    if (path == "agency.innovation_city.since")
      (*at)["innovation_city"]["since"] = value;
    else
      (*at)[path.substr(7)] = value;
    problem(c.post("/v1/recruitments", svc.recruiter, spoof.dump()), 422, "agency_mismatch", path);
  }
  auto token = c.post("/v1/tokens", svc.admin, R"({"role": "recruiter", "agency": "BUSAN-C"})");
  REQUIRE(token.status == 201);
  json unregistered = v2;
  unregistered["agency"]["code"] = "BUSAN-C";
  unregistered["recruitment"]["id"] = "SPOOF";
  problem(c.post("/v1/recruitments", token.json().at("token").get<std::string>(),
                 unregistered.dump()),
          404, "unknown_agency", "agency.code");
  problem(c.get("/v1/recruitments/SPOOF", svc.auditor), 404, "unknown_recruitment",
          "recruitment.id");
  CHECK(c.get("/v1/recruitments", svc.auditor).json().at("recruitments").size() == 1);

  // Decided, the registered agency is in the year's report; then the spoof of issue 10 in each
  // form — an inline program reusing the id kr-innovation-city at 0%, or no program at all — is
  // refused at import, over HTTP, and the report does not change.
  const std::string id = v2["recruitment"]["id"].get<std::string>();
  const std::string year = v2["recruitment"]["announced"].get<std::string>().substr(0, 4);
  auto decided = c.post("/v1/recruitments/" + id + "/decide", svc.recruiter, "");
  REQUIRE_MESSAGE(decided.status == 200, decided.body);
  const std::string report = c.get("/v1/report?year=" + year, svc.auditor).body;
  CHECK(report.find("BUSAN-A") != std::string::npos);
  json inline_zero = v2;
  inline_zero["recruitment"]["id"] = "SPOOF-0";
  inline_zero["programs"] = json::parse(R"([{"id": "kr-innovation-city", "ratio": "0%",
      "rounding": "floor", "group": {"attribute": {"name": "x", "equals": true}}}])");
  problem(c.post("/v1/recruitments", svc.recruiter, inline_zero.dump()), 422,
          "program_assigned_by_law", "programs[0]");
  json v1 = json::parse(passline::case_to_json(make_case("SPOOF-1", "BUSAN-A", "office", 5, 12)));
  v1["programs"] = inline_zero["programs"];
  problem(c.post("/v1/recruitments", svc.recruiter, v1.dump()), 422, "program_assigned_by_law",
          "programs[0]");
  v1["programs"] = json::array();
  problem(c.post("/v1/recruitments", svc.recruiter, v1.dump()), 422, "program_assigned_by_law",
          "programs");
  CHECK(c.get("/v1/report?year=" + year, svc.auditor).body == report);
  CHECK(c.get("/v1/recruitments", svc.auditor).json().at("recruitments").size() == 1);
}

}  // TEST_SUITE
