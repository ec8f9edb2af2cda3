// quota-case/2 applicants from the CSV exports of HR systems (case_csv.h).
//
// As strict as the JSON form (case_json_v2.cc): columns are read by name and any other is
// `unknown_key` (a misspelt column must not change who is hired, SPEC §6); an applicant id obeys
// the same rule (id_problem) and is unique in its unit; every cell is checked as the JSON
// parser checks the value it stands for, with the same codes. Unlike the JSON parser it does
// not stop at the first error: every error of every file is collected, each at
// `FILE:ROW:COLUMN` (the header is row 1; columns count fields from 1), before anything is
// merged. Checks that need the rules or the announcement date stay validate()'s and decide()'s.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>
#include <utility>

#include "detail/case_csv_common.h"
#include "detail/case_json_common.h"
#include "detail/utf8.h"

namespace passline::detail {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// ---- errors ---------------------------------------------------------------------------------

struct Found {
  ErrorCode code;
  std::size_t column;
  std::string message;
};

/// The errors of one file, each at FILE:ROW:COLUMN, into the merge's list.
class FileErrors {
 public:
  FileErrors(CsvMerge& out, const CsvFile& file) : out_(out), file_(file) {}

  void add(ErrorCode code, std::size_t row, std::size_t column, std::string message) {
    ++out_.error_count;
    if (out_.errors.size() < kMaxCsvErrors)
      out_.errors.push_back(
          make_error(code, file_.name + ":" + std::to_string(row) + ":" + std::to_string(column),
                     std::move(message)));
  }
  /// The errors of one row, in column order.
  void add_row(std::size_t row, std::vector<Found>& found) {
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return a.column < b.column; });
    for (Found& f : found) add(f.code, row, f.column, std::move(f.message));
    found.clear();
  }
  std::size_t count() const { return out_.error_count; }
  const std::string& name() const { return file_.name; }

 private:
  CsvMerge& out_;
  const CsvFile& file_;
};

// ---- the header row -------------------------------------------------------------------------

struct ColumnSpec {
  std::string_view name;
  bool required;
};

enum class AttributeType { text, boolean, integer };

struct AttributeColumn {
  std::size_t field;  // 0-based
  std::string name;
  AttributeType type;
};

/// Where each column of a file's spec is (0-based field, kNone when absent), the width of its
/// rows, and (applicants.csv) its attribute columns.
struct Header {
  std::vector<std::size_t> at;
  std::size_t width = 0;
  std::vector<AttributeColumn> attributes;
  std::size_t field(std::size_t spec) const { return at[spec]; }
};

std::string column_list(const std::vector<ColumnSpec>& spec, bool attributes) {
  std::string out;
  for (const ColumnSpec& c : spec) {
    if (!out.empty()) out += ", ";
    out += c.name;
    if (!c.required) out += " (optional)";
  }
  if (attributes) out += ", attr.NAME:TYPE (TYPE text, bool or int)";
  return out;
}

/// `attr.NAME:TYPE`, or nullopt.
std::optional<std::pair<std::string, AttributeType>> attribute_column(std::string_view text) {
  if (!text.starts_with("attr.")) return std::nullopt;
  text.remove_prefix(5);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view type = text.substr(colon + 1);
  AttributeType t;
  if (type == "text")
    t = AttributeType::text;
  else if (type == "bool")
    t = AttributeType::boolean;
  else if (type == "int")
    t = AttributeType::integer;
  else
    return std::nullopt;
  return std::pair{std::string(text.substr(0, colon)), t};
}

/// Reads and checks the header row. nullopt when the rows cannot be read by it (an empty or
/// malformed file, a missing or repeated column); an unknown column is reported and its cells
/// are then ignored.
std::optional<Header> read_header(CsvReader& reader, FileErrors& errors,
                                  const std::vector<ColumnSpec>& spec, bool attributes) {
  CsvRow row;
  std::optional<CsvProblem> problem;
  if (!reader.next(row, problem)) {
    if (problem)
      errors.add("bad_csv", problem->record, problem->field, problem->message);
    else
      errors.add("bad_csv", 1, 1,
                 "the file is empty: expected the header row (" + column_list(spec, attributes) +
                     ")");
    return std::nullopt;
  }
  Header h;
  h.at.assign(spec.size(), kNone);
  h.width = row.fields.size();
  bool usable = true;
  std::unordered_map<std::string, std::size_t> attribute_at;
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    const std::string& name = row.fields[i].text;
    const std::size_t column = i + 1;
    if (!well_formed_utf8(name)) {
      errors.add("bad_csv", 1, column, "the file is not UTF-8: export it as UTF-8");
      return std::nullopt;
    }
    std::size_t s = 0;
    while (s < spec.size() && spec[s].name != name) ++s;
    if (s < spec.size()) {
      if (h.at[s] != kNone) {
        errors.add("bad_csv", 1, column,
                   "column '" + name + "' appears twice (columns " + std::to_string(h.at[s] + 1) +
                       " and " + std::to_string(column) + "): keep one");
        usable = false;
      } else {
        h.at[s] = i;
      }
      continue;
    }
    if (attributes) {
      if (auto a = attribute_column(name)) {
        auto [it, fresh] = attribute_at.emplace(a->first, i);
        if (!fresh) {
          errors.add("bad_csv", 1, column,
                     "attribute '" + a->first + "' has two columns (" +
                         std::to_string(it->second + 1) + " and " + std::to_string(column) +
                         "): keep one");
          usable = false;
        } else {
          h.attributes.push_back({i, a->first, a->second});
        }
        continue;
      }
      if (name.starts_with("attr.")) {
        errors.add("unknown_key", 1, column,
                   "column '" + name +
                       "' is not an attribute column: write attr.NAME:TYPE with TYPE text, bool "
                       "or int (attr.radwaste_site_resident:bool), so that each value has the "
                       "type a program compares it with");
        continue;
      }
    }
    errors.add("unknown_key", 1, column,
               name.empty() ? std::string("column ") + std::to_string(column) +
                                  " has no name (columns: " + column_list(spec, attributes) + ")"
                            : "'" + name + "' is not a column of " + errors.name() +
                                  " (columns: " + column_list(spec, attributes) + ")");
  }
  for (std::size_t s = 0; s < spec.size(); ++s) {
    if (spec[s].required && h.at[s] == kNone) {
      errors.add("missing_field", 1, h.width + 1,
                 "the header has no '" + std::string(spec[s].name) +
                     "' column (columns: " + column_list(spec, attributes) + ")");
      usable = false;
    }
  }
  if (!usable) return std::nullopt;
  return h;
}

// ---- cells ----------------------------------------------------------------------------------

std::optional<Region> region_v2(std::string_view s) {
  if (auto code = parse_region(s)) return code;
  if (auto name = korean_region(s)) return name;
  // Names a quota-case/1 export never carried: the special self-governing provinces renamed
  // since (강원 2023-06-11, 전북 2024-01-18) and the merged region of SPEC §2.
  if (s == "강원특별자치도") return Region::gangwon;
  if (s == "전북특별자치도") return Region::jeonbuk;
  if (s == "전남광주통합특별시" || s == "전남광주") return Region::jeonnam_gwangju;
  return std::nullopt;
}

std::optional<EducationLevel> level_v2(std::string_view s) {
  if (auto code = parse_education_level(s)) return code;
  return korean_level(s);
}

std::optional<EducationStatus> status_v2(std::string_view s) {
  if (auto code = parse_education_status(s)) return code;
  if (s == "휴학") return EducationStatus::on_leave;
  return korean_status(s);
}

std::optional<EducationKind> kind_v2(std::string_view s) {
  if (auto code = parse_education_kind(s)) return code;
  if (s == "원격대학") return EducationKind::remote;
  if (s == "각종학교") return EducationKind::misc;
  return std::nullopt;
}

/// A whole number (an optional minus sign, then digits) that fits in 64 bits.
enum class Whole { ok, not_whole, too_large };
Whole whole_number(std::string_view s, std::int64_t& out) {
  const bool negative = s.starts_with('-');
  const std::string_view digits = negative ? s.substr(1) : s;
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Whole::not_whole;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size()) return Whole::too_large;
  return Whole::ok;
}

constexpr const char* kLevels =
    "high_school, college, university, graduate (고등학교, 전문대학, 대학교, 대학원)";
constexpr const char* kStatuses =
    "graduated, expected, enrolled, on_leave, dropped (졸업, 졸업예정, 재학, 휴학, 중퇴)";
constexpr const char* kKinds = "regular, remote, misc (원격대학, 각종학교), or empty for regular";

// ---- the merge ------------------------------------------------------------------------------

struct Listed {
  std::size_t index;  // in the unit's applicants
  std::size_t row;    // in applicants.csv
};

class Merge {
 public:
  Merge(Case& c, const CsvFiles& files, CsvMerge& out) : c_(c), files_(files), out_(out) {
    for (std::size_t u = 0; u < c_.units.size(); ++u) unit_index_.emplace(c_.units[u].id, u);
    listed_.resize(c_.units.size());
    refused_.resize(c_.units.size());
  }

  void applicants();
  void education();
  void scores();

 private:
  /// Reads the rows of `file` after its header: `each(row, header, found)` for every row of the
  /// header's width, its errors collected into `found`. False when the file could not be read to
  /// its end (its header, its quoting or its encoding).
  template <class Each>
  bool rows(const CsvFile& file, const std::vector<ColumnSpec>& spec, bool attributes, Each each);

  /// The unit a row names, or nullopt with its error in `found`.
  std::optional<std::size_t> unit(const CsvRow& row, std::size_t field, std::vector<Found>& f);
  /// The applicant a row of education.csv or scores.csv names: its index, or nullopt (with
  /// an error unless applicants.csv refused that id, which is reported there).
  std::optional<std::size_t> applicant(const CsvRow& row, std::optional<std::size_t> u,
                                       std::size_t field, std::vector<Found>& f);

  Case& c_;
  const CsvFiles& files_;
  CsvMerge& out_;
  std::unordered_map<std::string, std::size_t> unit_index_;
  std::vector<std::unordered_map<std::string, Listed>> listed_;  // per unit: id → applicant
  std::vector<std::set<std::string>> refused_;  // per unit: ids applicants.csv refused
  /// applicants.csv was read to its end: an applicant it does not list is an error (else the
  /// error is applicants.csv's alone, not every row's that names an applicant).
  bool all_listed_ = false;
};

template <class Each>
bool Merge::rows(const CsvFile& file, const std::vector<ColumnSpec>& spec, bool attributes,
                 Each each) {
  FileErrors errors(out_, file);
  CsvReader reader(file.text);
  auto header = read_header(reader, errors, spec, attributes);
  if (!header) return false;
  CsvRow row;
  std::optional<CsvProblem> problem;
  std::vector<Found> found;
  while (reader.next(row, problem)) {
    if (row.fields.size() == 1 && row.fields[0].text.empty()) continue;  // a blank line
    bool utf8 = true;
    for (std::size_t i = 0; i < row.fields.size() && utf8; ++i) {
      if (well_formed_utf8(row.fields[i].text)) continue;
      errors.add("bad_csv", row.record, i + 1,
                 "the text is not UTF-8 (the rest of the file is not read): export the file as "
                 "UTF-8");
      utf8 = false;
    }
    if (!utf8) return false;
    if (row.fields.size() != header->width) {
      errors.add("bad_csv", row.record, std::min(row.fields.size(), header->width) + 1,
                 "this row has " + std::to_string(row.fields.size()) + " fields; the header has " +
                     std::to_string(header->width));
      continue;
    }
    each(row, *header, found);
    errors.add_row(row.record, found);
  }
  if (!problem) return true;
  errors.add("bad_csv", problem->record, problem->field, problem->message);
  return false;
}

std::optional<std::size_t> Merge::unit(const CsvRow& row, std::size_t field,
                                       std::vector<Found>& f) {
  const std::string& id = row.fields[field].text;
  if (id.empty()) {
    f.push_back({"missing_field", field + 1, "unit: the unit id is required"});
    return std::nullopt;
  }
  auto it = unit_index_.find(id);
  if (it != unit_index_.end()) return it->second;
  std::string units;
  for (const Unit& u : c_.units) units += (units.empty() ? "" : ", ") + u.id;
  f.push_back({"bad_csv", field + 1,
               "unit: no unit '" + id + "' in the recruitment file (units: " + units + ")"});
  return std::nullopt;
}

std::optional<std::size_t> Merge::applicant(const CsvRow& row, std::optional<std::size_t> u,
                                            std::size_t field, std::vector<Found>& f) {
  const std::string& id = row.fields[field].text;
  if (id.empty()) {
    f.push_back({"missing_field", field + 1, "applicant: the applicant id is required"});
    return std::nullopt;
  }
  if (!u) return std::nullopt;
  auto it = listed_[*u].find(id);
  if (it != listed_[*u].end()) return it->second.index;
  if (all_listed_ && !refused_[*u].contains(id))
    f.push_back({"bad_csv", field + 1,
                 "applicant: no applicant '" + id + "' in unit '" + c_.units[*u].id + "' of " +
                     files_.applicants.name});
  return std::nullopt;
}

void Merge::applicants() {
  enum { kUnit, kApplicant };
  all_listed_ = rows(
      files_.applicants, {{"unit", true}, {"applicant", true}}, true,
      [&](const CsvRow& row, const Header& h, std::vector<Found>& f) {
        auto u = unit(row, h.field(kUnit), f);
        const std::size_t af = h.field(kApplicant);
        const std::string& id = row.fields[af].text;
        bool ok = u.has_value();
        if (auto problem = id_problem(id)) {
          f.push_back({"bad_id", af + 1, "applicant: the id '" + id + "' " + *problem});
          if (u) refused_[*u].insert(id);
          ok = false;
        } else if (u) {
          if (auto seen = listed_[*u].find(id); seen != listed_[*u].end()) {
            f.push_back({"duplicate_applicant", af + 1,
                         "applicant '" + id + "' is listed twice in unit '" + c_.units[*u].id +
                             "' (first at row " + std::to_string(seen->second.row) +
                             "): ids are unique in a unit"});
            ok = false;
          }
        }
        Applicant a;
        a.id = id;
        for (const AttributeColumn& col : h.attributes) {
          const std::string& cell = row.fields[col.field].text;
          if (cell.empty()) continue;  // no such attribute
          const std::string where = "attr." + col.name + ": ";
          switch (col.type) {
            case AttributeType::text:
              a.attributes.emplace_back(col.name, nlohmann::json(cell).dump(-1, ' ', false));
              break;
            case AttributeType::boolean:
              if (auto b = csv_flag(cell))
                a.attributes.emplace_back(col.name, *b ? "true" : "false");
              else
                f.push_back(
                    {"wrong_type", col.field + 1,
                     where + "'" + cell + "' is not true or false (1/0, Y/N), nor empty for none"});
              break;
            case AttributeType::integer: {
              std::int64_t n = 0;
              switch (whole_number(cell, n)) {
                case Whole::ok: a.attributes.emplace_back(col.name, std::to_string(n)); break;
                case Whole::not_whole:
                  f.push_back({"wrong_type", col.field + 1,
                               where + "'" + cell + "' is not a whole number, nor empty for none"});
                  break;
                case Whole::too_large:
                  f.push_back({"invalid_value", col.field + 1, where + "the number is too large"});
                  break;
              }
              break;
            }
          }
        }
        if (!ok) return;
        Unit& unit = c_.units[*u];
        a.scores.assign(unit.stages.size(), std::nullopt);
        listed_[*u].emplace(id, Listed{unit.applicants.size(), row.record});
        unit.applicants.push_back(std::move(a));
      });
}

void Merge::education() {
  enum { kUnit, kApplicant, kLevel, kRegion, kStatus, kKind, kYear };
  rows(files_.education,
       {{"unit", true},
        {"applicant", true},
        {"level", true},
        {"region", true},
        {"status", true},
        {"kind", false},
        {"year", false}},
       false, [&](const CsvRow& row, const Header& h, std::vector<Found>& f) {
         auto u = unit(row, h.field(kUnit), f);
         auto a = applicant(row, u, h.field(kApplicant), f);
         const std::size_t before = f.size();
         auto cell = [&](std::size_t spec) -> const std::string* {
           return h.field(spec) == kNone ? nullptr : &row.fields[h.field(spec)].text;
         };
         auto required = [&](std::size_t spec, const char* name) -> const std::string* {
           const std::string* text = cell(spec);
           if (text->empty()) {
             f.push_back(
                 {"missing_field", h.field(spec) + 1, std::string(name) + ": a value is required"});
             return nullptr;
           }
           return text;
         };
         EducationRecord rec;
         if (const std::string* t = required(kLevel, "level")) {
           if (auto level = level_v2(*t))
             rec.level = *level;
           else
             f.push_back({"invalid_value", h.field(kLevel) + 1,
                          "level '" + *t + "' is not one of " + kLevels});
         }
         if (const std::string* t = required(kRegion, "region")) {
           if (auto region = region_v2(*t))
             rec.region = *region;
           else
             f.push_back({"unknown_region", h.field(kRegion) + 1,
                          "region '" + *t +
                              "' is not a region code (busan, jeonnam_gwangju) or name (부산, "
                              "부산광역시)"});
         }
         if (const std::string* t = required(kStatus, "status")) {
           if (auto status = status_v2(*t))
             rec.status = *status;
           else
             f.push_back({"invalid_value", h.field(kStatus) + 1,
                          "status '" + *t + "' is not one of " + kStatuses});
         }
         if (const std::string* t = cell(kKind); t && !t->empty()) {
           if (auto kind = kind_v2(*t))
             rec.kind = *kind;
           else
             f.push_back({"invalid_value", h.field(kKind) + 1,
                          "kind '" + *t + "' is not one of " + kKinds});
         }
         if (const std::string* t = cell(kYear); t && !t->empty()) {
           std::int64_t year = 0;
           const Whole w = whole_number(*t, year);
           if (w == Whole::not_whole)
             f.push_back({"wrong_type", h.field(kYear) + 1,
                          "year '" + *t + "' is not a whole number (2019), nor empty for none"});
           else if (w == Whole::too_large || year < 1900 || year > 9999)
             f.push_back({"invalid_value", h.field(kYear) + 1,
                          "year " + *t + " is not between 1900 and 9999"});
           else
             rec.year = static_cast<int>(year);
         }
         if (a && f.size() == before) c_.units[*u].applicants[*a].education.push_back(rec);
       });
}

void Merge::scores() {
  enum { kUnit, kApplicant, kStage, kScore, kDisqualified };
  // Per unit, per applicant and stage: the row that gave it (0: none yet).
  std::vector<std::vector<std::size_t>> seen(c_.units.size());
  for (std::size_t u = 0; u < c_.units.size(); ++u)
    seen[u].assign(c_.units[u].applicants.size() * c_.units[u].stages.size(), 0);
  rows(files_.scores,
       {{"unit", true},
        {"applicant", true},
        {"stage", true},
        {"score", true},
        {"disqualified", false}},
       false, [&](const CsvRow& row, const Header& h, std::vector<Found>& f) {
         auto u = unit(row, h.field(kUnit), f);
         auto a = applicant(row, u, h.field(kApplicant), f);
         const std::size_t before = f.size();
         const std::size_t sf = h.field(kStage);
         const std::string& name = row.fields[sf].text;
         std::optional<std::size_t> stage;
         if (name.empty()) {
           f.push_back({"missing_field", sf + 1, "stage: the stage name is required"});
         } else if (u) {
           const Unit& unit = c_.units[*u];
           std::size_t s = 0;
           while (s < unit.stages.size() && unit.stages[s].name != name) ++s;
           if (s < unit.stages.size()) {
             stage = s;
           } else {
             std::string names;
             for (const Stage& st : unit.stages) names += (names.empty() ? "" : ", ") + st.name;
             f.push_back({"unknown_stage", sf + 1,
                          "stage: unit '" + unit.id + "' has no stage '" + name +
                              "' (stages: " + names + ")"});
           }
         }
         std::optional<Decimal> score;
         const std::string& text = row.fields[h.field(kScore)].text;
         if (!text.empty()) {
           score = Decimal::parse(text);
           if (!score)
             f.push_back({"bad_decimal", h.field(kScore) + 1,
                          "score '" + text +
                              "' is not a decimal: digits with an optional point and at most 6 "
                              "fraction digits (80.5), no sign, exponent or spaces; or empty "
                              "for no score"});
         }
         bool disqualified = false;
         if (h.field(kDisqualified) != kNone) {
           const std::string& dq = row.fields[h.field(kDisqualified)].text;
           if (auto b = csv_flag(dq))
             disqualified = *b;
           else
             f.push_back({"wrong_type", h.field(kDisqualified) + 1,
                          "disqualified '" + dq + "' is not true or false (1/0, Y/N), nor empty"});
         }
         if (!a || !stage) return;
         const std::size_t stages = c_.units[*u].stages.size();
         std::size_t& first = seen[*u][*a * stages + *stage];
         if (first != 0) {
           f.push_back({"bad_csv", sf + 1,
                        "a second row for applicant '" + row.fields[h.field(kApplicant)].text +
                            "' at stage '" + name + "' (first at row " + std::to_string(first) +
                            "): one row per applicant and stage"});
           return;
         }
         first = row.record;
         if (f.size() != before) return;
         Applicant& app = c_.units[*u].applicants[*a];
         app.scores[*stage] = score;
         if (disqualified) app.disqualified |= std::uint64_t{1} << *stage;
       });
}

}  // namespace

CsvMerge merge_case_csv_v2(Case c, const CsvFiles& files) {
  CsvMerge out;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    if (c.units[u].applicants.empty()) continue;
    ++out.error_count;
    if (out.errors.size() < kMaxCsvErrors)
      out.errors.push_back(
          make_error("bad_csv", "units[" + std::to_string(u) + "].applicants",
                     "the recruitment file must list no applicants when they come from CSV"));
  }
  if (out.error_count != 0) return out;
  Merge merge(c, files, out);
  merge.applicants();
  merge.education();
  merge.scores();
  if (out.error_count == 0) out.merged = std::move(c);
  return out;
}

}  // namespace passline::detail
