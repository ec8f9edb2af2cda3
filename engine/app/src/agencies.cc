// The agency registry's use cases (agencies.h): validation, registration, import, reading, and
// the check of a quota-case/2 case's agency against the registry.
#include "passline/app/agencies.h"

#include "passline/id.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "passline/canonical_json.h"

namespace passline::app {
namespace {

using nlohmann::json;

// 영 부칙 제28609호 (2018-01-25) and 제30675호 (2020-05-27): the earliest date each cohort is
// bound from.
constexpr Date kCohort2018From{2018, 1, 25};
constexpr Date kCohort2020From{2020, 5, 27};

// The code points of valid UTF-8 text, or nullopt (overlong forms, surrogates and values past
// U+10FFFF are invalid).
std::optional<std::vector<char32_t>> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += len;
  }
  return out;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// A name or source: valid UTF-8 without control characters; `missing_field` when required and
// empty.
Status check_text(std::string_view text, const std::string& path, bool required) {
  if (text.empty()) {
    if (required) return make_error("missing_field", path, path + " must not be empty");
    return make_error("invalid_value", path, path + " must not be empty (leave it out instead)");
  }
  auto cps = code_points(text);
  if (!cps) return make_error("invalid_value", path, "the text is not valid UTF-8");
  for (char32_t cp : *cps)
    if (is_control(cp))
      return make_error("invalid_value", path, path + " must not contain a control character");
  return {};
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

std::string describe(const std::optional<InnovationCity>& ic) {
  if (!ic) return "null";
  return "{cohort " + std::to_string(ic->cohort) + ", since " + ic->since.to_string() +
         ", joint_city " + yes_no(ic->joint_city) + "}";
}

Error mismatch(const std::string& code, const std::string& field, const std::string& registry,
               const std::string& from_case) {
  return make_error("agency_mismatch", "agency." + field,
                    "agency " + code + " is registered with " + field + " " + registry +
                        "; the case says " + from_case +
                        " (an agency's facts come from the registry: ask an admin to correct "
                        "them there, or correct the case)");
}

bool same(const AgencyRecord& a, const AgencyRecord& b) {
  return a.agency.code == b.agency.code && a.agency.region == b.agency.region &&
         a.agency.designated == b.agency.designated &&
         a.agency.public_institution == b.agency.public_institution &&
         a.agency.innovation_city == b.agency.innovation_city && a.name_ko == b.name_ko &&
         a.name_en == b.name_en && a.source == b.source && a.registered == b.registered;
}

Error with_prefix(Error e, const std::string& prefix) {
  e.path = e.path.empty() ? prefix : prefix + "." + e.path;
  return e;
}

// Stores one validated record as registered (register_agency's rule); call inside a
// transaction. Sets `out`.
Status store_registered(Store& store, AgencyRecord record, RegisteredAgency& out) {
  auto existing = store.find_agency(record.agency.code);
  if (!existing) return existing.error();
  const std::optional<AgencyRecord>& old = *existing;
  record.registered = true;
  record.agency.designated = record.agency.innovation_city ? record.agency.innovation_city->cohort
                             : old                         ? old->agency.designated
                                                           : 2018;
  if (old && (old->agency.region != record.agency.region ||
              old->agency.designated != record.agency.designated)) {
    auto stored = store.list_recruitments(record.agency.code, 0);
    if (!stored) return stored.error();
    if (!stored->empty()) {
      const bool region = old->agency.region != record.agency.region;
      return make_error("agency_mismatch", region ? "region" : "innovation_city.cohort",
                        "agency " + record.agency.code + " has " + std::to_string(stored->size()) +
                            " stored recruitment(s), read back with its " +
                            (region ? "region " + std::string(to_string(old->agency.region))
                                    : "cohort " + std::to_string(old->agency.designated)) +
                            "; the record says " +
                            (region ? std::string(to_string(record.agency.region))
                                    : std::to_string(record.agency.designated)) +
                            ": a stored agency's region and cohort do not change");
    }
  }
  out.created = !old;
  out.changed = !old || !same(*old, record);
  if (out.changed)
    if (auto s = store.put_agency(record); !s) return s;
  out.record = std::move(record);
  return {};
}

// ---- JSON ----------------------------------------------------------------------------------

struct Failure {
  Error error;
};

[[noreturn]] void fail(ErrorCode code, const std::string& path, std::string message) {
  throw Failure{make_error(code, path, std::move(message))};
}

std::string join(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

// Every key of `obj` must be one of `keys` (SPEC §6: a typo must not change a fact).
void check_keys(const json& obj, const std::string& base, std::initializer_list<const char*> keys) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::any_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
      continue;
    std::string known;
    for (const char* k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
    fail("unknown_key", join(base, it.key()),
         "unknown key '" + it.key() + "' (the keys here are " + known + ")");
  }
}

const json& member(const json& obj, const std::string& base, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end())
    fail("missing_field", join(base, key), std::string("'") + key + "' is required");
  return *it;
}

std::string string_of(const json& v, const std::string& path) {
  if (!v.is_string()) fail("wrong_type", path, path + " must be a string");
  return v.get<std::string>();
}

bool bool_of(const json& v, const std::string& path) {
  if (!v.is_boolean()) fail("wrong_type", path, path + " must be true or false");
  return v.get<bool>();
}

AgencyRecord record_of(const json& j, const std::string& base, bool require_code) {
  if (!j.is_object()) fail("wrong_type", base, "a registry record must be a JSON object");
  check_keys(j, base,
             {"code", "name_ko", "name_en", "region", "public_institution", "innovation_city",
              "source", "registered"});
  AgencyRecord r;
  if (require_code || j.contains("code"))
    r.agency.code = string_of(member(j, base, "code"), join(base, "code"));
  r.name_ko = string_of(member(j, base, "name_ko"), join(base, "name_ko"));
  if (auto it = j.find("name_en"); it != j.end() && !it->is_null())
    r.name_en = string_of(*it, join(base, "name_en"));
  const std::string region_path = join(base, "region");
  const std::string region = string_of(member(j, base, "region"), region_path);
  auto parsed = parse_region(region);
  if (!parsed)
    fail("unknown_region", region_path,
         "'" + region +
             "' is not a region code: use one of seoul busan daegu incheon gwangju daejeon "
             "ulsan sejong gyeonggi gangwon chungbuk chungnam jeonbuk jeonnam gyeongbuk "
             "gyeongnam jeju jeonnam_gwangju");
  r.agency.region = *parsed;
  r.agency.public_institution =
      bool_of(member(j, base, "public_institution"), join(base, "public_institution"));
  if (auto it = j.find("innovation_city"); it != j.end() && !it->is_null()) {
    const std::string ib = join(base, "innovation_city");
    if (!it->is_object()) fail("wrong_type", ib, ib + " must be an object or null");
    check_keys(*it, ib, {"cohort", "since", "joint_city"});
    InnovationCity ic;
    const json& cohort = member(*it, ib, "cohort");
    if (!cohort.is_number_integer())
      fail("wrong_type", join(ib, "cohort"), "the cohort must be a whole number, 2018 or 2020");
    const auto n = cohort.get<std::int64_t>();
    if (n != 2018 && n != 2020)
      fail("invalid_value", join(ib, "cohort"),
           "the cohort must be 2018 or 2020, not " + std::to_string(n));
    ic.cohort = static_cast<int>(n);
    const std::string since = string_of(member(*it, ib, "since"), join(ib, "since"));
    auto date = Date::parse(since);
    if (!date)
      fail("bad_date", join(ib, "since"), "'" + since + "' is not a date: write YYYY-MM-DD");
    ic.since = *date;
    if (auto jc = it->find("joint_city"); jc != it->end())
      ic.joint_city = bool_of(*jc, join(ib, "joint_city"));
    r.agency.innovation_city = ic;
  }
  r.source = string_of(member(j, base, "source"), join(base, "source"));
  if (auto it = j.find("registered"); it != j.end() && !bool_of(*it, join(base, "registered")))
    fail("invalid_value", join(base, "registered"),
         "a registry record is registered: leave 'registered' out or set it true");
  r.registered = true;
  return r;
}

// The document, or the error of malformed JSON or a member name given twice.
Result<json> parse_document(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    // nlohmann counts bytes from 1; `byte N` is a 0-based offset, as canonical_json() writes it.
    const auto* pe = dynamic_cast<const json::parse_error*>(&e);
    const std::size_t byte = pe && pe->byte > 0 ? pe->byte - 1 : 0;
    return make_error("malformed_json", "byte " + std::to_string(byte),
                      "the registry file is not valid JSON: " + what);
  }
  // nlohmann keeps the last of two equal member names; the canonicaliser refuses them.
  if (auto c = canonical_json(text); !c && c.error().code == "duplicate_member") return c.error();
  return doc;
}

json record_json(const AgencyRecord& r) {
  const Agency& a = r.agency;
  json ic = nullptr;
  if (a.innovation_city)
    ic = json{{"cohort", a.innovation_city->cohort},
              {"since", a.innovation_city->since.to_string()},
              {"joint_city", a.innovation_city->joint_city}};
  return json{{"code", a.code},
              {"name_ko", r.name_ko},
              {"name_en", r.name_en ? json(*r.name_en) : json(nullptr)},
              {"region", std::string(to_string(a.region))},
              {"public_institution", a.public_institution},
              {"innovation_city", std::move(ic)},
              {"source", r.source},
              {"registered", r.registered}};
}

std::string dump(const json& j, int indent) {
  try {
    return j.dump(indent, ' ', false) + "\n";
  } catch (const json::type_error& e) {
    throw std::invalid_argument(std::string("agency_json: ") + e.what());
  }
}

}  // namespace

Status check_agency_code(std::string_view code, const std::string& path) {
  // The one rule for ids (passline/id.h, SPEC §6).
  if (auto problem = id_problem(code))
    return make_error("bad_id", path,
                      "the agency code '" + printable(code.substr(0, 200)) + "' " + *problem);
  return {};
}

Status validate_agency(const AgencyRecord& r) {
  const Agency& a = r.agency;
  if (auto s = check_agency_code(a.code); !s) return s;
  if (auto s = check_text(r.name_ko, "name_ko", true); !s) return s;
  if (r.name_en)
    if (auto s = check_text(*r.name_en, "name_en", false); !s) return s;
  if (auto s = check_text(r.source, "source", true); !s) return s;
  if (a.innovation_city) {
    const InnovationCity& ic = *a.innovation_city;
    if (ic.cohort != 2018 && ic.cohort != 2020)
      return make_error("invalid_value", "innovation_city.cohort",
                        "the cohort must be 2018 (relocated agencies) or 2020 (designated by MOLIT "
                        "notice under 영 §30-2①), not " +
                            std::to_string(ic.cohort));
    const Date from = ic.cohort == 2018 ? kCohort2018From : kCohort2020From;
    if (ic.since < from)
      return make_error("invalid_value", "innovation_city.since",
                        "the " + std::to_string(ic.cohort) + " cohort is bound from " +
                            from.to_string() + " at the earliest (" +
                            (ic.cohort == 2018 ? "영 부칙 제28609호" : "영 부칙 제30675호") +
                            "), not " + ic.since.to_string());
    const RegionSet joint = region_bit(Region::gwangju) | region_bit(Region::jeonnam) |
                            region_bit(Region::jeonnam_gwangju);
    if (ic.joint_city && (joint & region_bit(a.region)) == 0)
      return make_error("invalid_value", "innovation_city.joint_city",
                        "joint_city is for an agency of the Gwangju–Jeonnam joint innovation city "
                        "(영 §30-2⑥1): region gwangju, jeonnam or jeonnam_gwangju, not " +
                            std::string(to_string(a.region)));
    if (is_capital(a.region))
      return make_error("agency_not_covered", "region",
                        "an agency in the capital region (" + std::string(to_string(a.region)) +
                            ") is not an 이전공공기관등 (법 §29-2①): remove innovation_city or "
                            "correct the region");
  }
  return {};
}

Result<RegisteredAgency> register_agency(Store& store, AgencyRecord record) {
  if (auto s = validate_agency(record); !s) return std::move(s).error();
  RegisteredAgency out;
  Status done = store.transaction([&]() -> Status { return store_registered(store, record, out); });
  if (!done) return std::move(done).error();
  return out;
}

Result<AgencyRecord> parse_agency_json(std::string_view text, bool require_code) {
  auto doc = parse_document(text);
  if (!doc) return doc.error();
  try {
    return record_of(*doc, "", require_code);
  } catch (const Failure& f) {
    return f.error;
  }
}

Result<std::vector<AgencyRecord>> parse_agencies_json(std::string_view text) {
  auto doc = parse_document(text);
  if (!doc) return doc.error();
  if (!doc->is_array())
    return make_error("wrong_type", "", "a registry file is a JSON array of agency records");
  std::vector<AgencyRecord> out;
  try {
    for (std::size_t i = 0; i < doc->size(); ++i)
      out.push_back(record_of((*doc)[i], "[" + std::to_string(i) + "]", true));
  } catch (const Failure& f) {
    // record_of joins with '.', so "[i].code"; a whole-record error is at "[i]".
    return f.error;
  }
  return out;
}

Result<AgencyImport> import_agencies(Store& store, std::string_view json_text) {
  auto records = parse_agencies_json(json_text);
  if (!records) return records.error();
  std::map<std::string, std::size_t, std::less<>> first;
  for (std::size_t i = 0; i < records->size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (auto s = validate_agency((*records)[i]); !s) return with_prefix(std::move(s).error(), at);
    auto [it, fresh] = first.emplace((*records)[i].agency.code, i);
    if (!fresh)
      return make_error("invalid_value", at + ".code",
                        "agency " + it->first + " is listed twice, first at [" +
                            std::to_string(it->second) + "]");
  }
  AgencyImport summary;
  Status done = store.transaction([&]() -> Status {
    for (std::size_t i = 0; i < records->size(); ++i) {
      RegisteredAgency one;
      if (auto s = store_registered(store, std::move((*records)[i]), one); !s)
        return with_prefix(std::move(s).error(), "[" + std::to_string(i) + "]");
      ++(one.created ? summary.added : one.changed ? summary.updated : summary.unchanged);
    }
    return {};
  });
  if (!done) return std::move(done).error();
  return summary;
}

Result<std::vector<AgencyRecord>> list_agencies(Store& store) { return store.list_agencies(); }

Result<AgencyRecord> show_agency(Store& store, std::string_view code) {
  if (auto s = check_agency_code(code); !s) return std::move(s).error();
  auto found = store.find_agency(code);
  if (!found) return found.error();
  if (!*found)
    return make_error("unknown_agency", "code", "no agency '" + std::string(code) + "' is stored");
  return std::move(**found);
}

Status check_case_agency(Store& store, const Agency& c) {
  auto found = store.find_agency(c.code);
  if (!found) return found.error();
  if (!*found || !(*found)->registered)
    return make_error("unknown_agency", "agency.code",
                      "agency " + c.code +
                          " is not in the agency registry: a quota-case/2 case is imported only "
                          "for a registered agency (an admin adds it: passline agency add, or "
                          "PUT /v1/agencies/" +
                          c.code + ")");
  const Agency& r = (*found)->agency;
  if (r.region != c.region)
    return mismatch(c.code, "region", std::string(to_string(r.region)),
                    std::string(to_string(c.region)));
  if (r.public_institution != c.public_institution)
    return mismatch(c.code, "public_institution", yes_no(r.public_institution),
                    yes_no(c.public_institution));
  if (r.innovation_city.has_value() != c.innovation_city.has_value())
    return mismatch(c.code, "innovation_city", describe(r.innovation_city),
                    describe(c.innovation_city));
  if (r.innovation_city) {
    const InnovationCity &ri = *r.innovation_city, &ci = *c.innovation_city;
    if (ri.cohort != ci.cohort)
      return mismatch(c.code, "innovation_city.cohort", std::to_string(ri.cohort),
                      std::to_string(ci.cohort));
    if (ri.since != ci.since)
      return mismatch(c.code, "innovation_city.since", ri.since.to_string(), ci.since.to_string());
    if (ri.joint_city != ci.joint_city)
      return mismatch(c.code, "innovation_city.joint_city", yes_no(ri.joint_city),
                      yes_no(ci.joint_city));
  }
  return {};
}

std::string agency_json(const AgencyRecord& record, int indent) {
  return dump(record_json(record), indent);
}

std::string agencies_json(const std::vector<AgencyRecord>& records, int indent) {
  json items = json::array();
  for (const AgencyRecord& r : records) items.push_back(record_json(r));
  return dump(json{{"agencies", std::move(items)}}, indent);
}

}  // namespace passline::app
