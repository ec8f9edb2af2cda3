// The fast route of parse_case_json() for a quota-case/1 document: one event-driven (SAX) pass
// over the text that builds a JSON tree of everything except the units' applicants, and reads
// each applicant straight into the case model. A 1,000-applicant case is about 230 KB of which
// all but a few hundred bytes are applicants: no tree of them is built, no path string made.
//
// It only ever answers with a case, never an error. Anything it is not sure of (a syntax error,
// a number out of range, a duplicate or unexpected member, a value of the wrong type, an unknown
// stage, a bad id, decimal, level, region or status, the header failing to parse, another
// format) makes it answer nullopt, and parse_case_json() then reads the text the general way,
// which gives the answer, and the error naming the field, it always gave. A case it does answer
// is the one the general reader builds from the same text (tests/test_case_json_fast.cc).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "detail/case_json_common.h"
#include "detail/case_json_fast.h"
#include "passline/json.h"

namespace passline::detail {
namespace {

using nlohmann::json;

/// An applicant as written, before its unit's stages are known (they are read with the header).
struct RawApplicant {
  std::optional<std::string> id;
  std::vector<EducationRecord> education;
  std::vector<std::pair<std::string, std::optional<Decimal>>> scores;  // stage name, score
  std::vector<std::string> disqualified;                               // stage names
  std::vector<std::pair<std::string, std::string>> attributes;         // as written
};

/// The applicants array of one unit, when it was an array (else the tree holds the value).
struct RawUnit {
  bool captured = false;
  bool seen_applicants = false;
  std::vector<RawApplicant> applicants;
};

class Reader final : public nlohmann::json_sax<json> {
 public:
  explicit Reader(json& doc) : dom_(doc, false) {}

  bool bailed() const { return bail_; }
  bool root_was_object() const { return root_object_; }
  std::vector<RawUnit>& units() { return units_; }

  bool null() override {
    if (capture_) return value(Kind::null);
    return after_value(dom_.null());
  }
  bool boolean(bool v) override {
    if (capture_) {
      bool_ = v;
      return value(Kind::boolean);
    }
    return after_value(dom_.boolean(v));
  }
  bool number_integer(number_integer_t v) override {
    if (capture_) {
      int_text_ = std::to_string(v);
      return value(Kind::integer);
    }
    return after_value(dom_.number_integer(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (capture_) {
      int_text_ = std::to_string(v);
      return value(Kind::integer);
    }
    return after_value(dom_.number_unsigned(v));
  }
  bool number_float(number_float_t v, const string_t& s) override {
    if (capture_) return value(Kind::other);
    return after_value(dom_.number_float(v, s));
  }
  bool string(string_t& v) override {
    if (capture_) {
      str_ = &v;
      return value(Kind::string);
    }
    return after_value(dom_.string(v));
  }
  bool binary(binary_t&) override { return give_up(); }

  bool key(string_t& k) override {
    if (capture_) return capture_key(k);
    if (depth_ == 1) {
      units_key_ = k == "units";
      if (units_key_ && seen_units_) return give_up();  // the tree keeps the last: general
      seen_units_ = seen_units_ || units_key_;
    }
    applicants_key_ = false;
    if (in_units_ && depth_ == 3) {
      applicants_key_ = k == "applicants";
      if (applicants_key_) {
        if (units_.back().seen_applicants) return give_up();
        units_.back().seen_applicants = true;
      }
    }
    return dom_.key(k);
  }

  bool start_object(std::size_t n) override {
    if (capture_) return capture_open(true);
    if (depth_ == 0) root_object_ = true;
    if (in_units_ && depth_ == 2) units_.emplace_back();
    ++depth_;
    applicants_key_ = false;
    return dom_.start_object(n);
  }
  bool end_object() override {
    if (capture_) return capture_close();
    --depth_;
    return after_value(dom_.end_object());
  }
  bool start_array(std::size_t n) override {
    if (capture_) return capture_open(false);
    if (depth_ == 3 && in_units_ && applicants_key_) {
      // units[u].applicants: read here, not into the tree (which keeps its null).
      units_.back().captured = true;
      capture_ = true;
      cdepth_ = 1;
      applicants_key_ = false;
      return true;
    }
    if (depth_ == 1 && units_key_) in_units_ = true;
    units_key_ = false;
    applicants_key_ = false;
    ++depth_;
    return dom_.start_array(n);
  }
  bool end_array() override {
    if (capture_) return capture_close();
    --depth_;
    if (depth_ == 1 && in_units_) in_units_ = false;
    return after_value(dom_.end_array());
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return give_up();
  }

 private:
  enum class Kind { null, boolean, integer, string, other };
  // Inside an applicant: which member the value being read belongs to.
  enum class Member { none, id, education, scores, disqualified, attributes, unknown };
  // Inside an education record.
  enum class Field { none, level, region, status, unknown };

  bool give_up() {
    bail_ = true;
    return false;
  }
  bool after_value(bool ok) {
    units_key_ = false;
    applicants_key_ = false;
    return ok;
  }

  // Capture mode (start_array() enters it). cdepth_: 1 inside the applicants array, 2 inside an
  // applicant, 3 inside one of its arrays or objects, 4 inside an education record; skip_ > 0 while
  // skipping the value of a member the general reader ignores.
  bool capture_key(const string_t& k) {
    if (skip_) return true;
    if (cdepth_ == 2) {
      member_ = k == "id"             ? Member::id
                : k == "education"    ? Member::education
                : k == "scores"       ? Member::scores
                : k == "disqualified" ? Member::disqualified
                : k == "attributes"   ? Member::attributes
                                      : Member::unknown;
      if (member_ != Member::unknown) {
        const unsigned bit = 1u << static_cast<unsigned>(member_);
        if (members_ & bit) return give_up();  // duplicate: the tree keeps the last
        members_ |= bit;
      }
      return true;
    }
    if (cdepth_ == 3) {  // a stage name (scores) or an attribute name
      RawApplicant& a = current();
      if (member_ == Member::scores) {
        for (const auto& [name, v] : a.scores)
          if (name == k) return give_up();
        a.scores.emplace_back(k, std::nullopt);
      } else {
        for (const auto& [name, v] : a.attributes)
          if (name == k) return give_up();
        a.attributes.emplace_back(k, std::string());
      }
      return true;
    }
    if (cdepth_ == 4) {
      field_ = k == "level"    ? Field::level
               : k == "region" ? Field::region
               : k == "status" ? Field::status
                               : Field::unknown;
      if (field_ != Field::unknown) {
        const unsigned bit = 1u << static_cast<unsigned>(field_);
        if (fields_ & bit) return give_up();
        fields_ |= bit;
      }
      return true;
    }
    return give_up();
  }

  RawApplicant& current() { return units_.back().applicants.back(); }

  bool capture_open(bool object) {
    if (skip_) {
      ++skip_;
      return true;
    }
    switch (cdepth_) {
      case 1:  // an applicant
        if (!object) return give_up();
        units_.back().applicants.emplace_back();
        members_ = 0;
        cdepth_ = 2;
        return true;
      case 2:
        if (member_ == Member::unknown) {
          skip_ = 1;
          return true;
        }
        if ((member_ == Member::education || member_ == Member::disqualified) == object)
          return give_up();
        if (member_ != Member::education && member_ != Member::scores &&
            member_ != Member::disqualified && member_ != Member::attributes)
          return give_up();
        cdepth_ = 3;
        return true;
      case 3:
        if (member_ == Member::education && object) {
          current().education.emplace_back();
          fields_ = 0;
          cdepth_ = 4;
          return true;
        }
        return give_up();
      case 4:
        if (field_ == Field::unknown) {
          skip_ = 1;
          return true;
        }
        return give_up();
    }
    return give_up();
  }

  bool capture_close() {
    if (skip_) {
      --skip_;
      return true;
    }
    switch (cdepth_) {
      case 1:  // the end of the applicants array
        capture_ = false;
        return after_value(true);
      case 2:
        if (!current().id) return give_up();
        cdepth_ = 1;
        return true;
      case 3: cdepth_ = 2; return true;
      case 4: {
        constexpr unsigned all = (1u << static_cast<unsigned>(Field::level)) |
                                 (1u << static_cast<unsigned>(Field::region)) |
                                 (1u << static_cast<unsigned>(Field::status));
        if ((fields_ & all) != all) return give_up();
        cdepth_ = 3;
        return true;
      }
    }
    return give_up();
  }

  bool value(Kind kind) {
    if (skip_) return true;
    switch (cdepth_) {
      case 1: return give_up();  // an applicant that is not an object
      case 2:
        switch (member_) {
          case Member::unknown: return true;
          case Member::id:
            if (kind != Kind::string) return give_up();
            current().id = *str_;
            return true;
          default: return kind == Kind::null ? true : give_up();  // null: none
        }
      case 3: {
        RawApplicant& a = current();
        if (member_ == Member::scores) {
          if (kind == Kind::null) return true;
          if (kind != Kind::string) return give_up();
          auto d = Decimal::parse(*str_);
          if (!d) return give_up();
          a.scores.back().second = *d;
          return true;
        }
        if (member_ == Member::disqualified) {
          if (kind != Kind::string) return give_up();
          a.disqualified.push_back(*str_);
          return true;
        }
        if (member_ == Member::attributes) {
          std::string& text = a.attributes.back().second;
          switch (kind) {
            case Kind::string: text = *str_; return true;
            case Kind::boolean: text = bool_ ? "true" : "false"; return true;
            case Kind::integer: text = int_text_; return true;
            default: return give_up();
          }
        }
        return give_up();  // an education record that is not an object
      }
      case 4: {
        if (field_ == Field::unknown) return true;
        if (kind != Kind::string) return give_up();
        EducationRecord& r = current().education.back();
        if (field_ == Field::level) {
          auto l = parse_education_level(*str_);
          if (!l) return give_up();
          r.level = *l;
        } else if (field_ == Field::region) {
          auto g = parse_region_v1(*str_);
          if (!g) return give_up();
          r.region = *g;
        } else {
          auto s = parse_education_status(*str_);
          if (!s) return give_up();
          r.status = *s;
        }
        return true;
      }
    }
    return give_up();
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  bool bail_ = false, root_object_ = false;
  int depth_ = 0;
  bool units_key_ = false, seen_units_ = false, in_units_ = false, applicants_key_ = false;
  std::vector<RawUnit> units_;
  // capture mode
  bool capture_ = false;
  int cdepth_ = 0, skip_ = 0;
  Member member_ = Member::none;
  Field field_ = Field::none;
  unsigned members_ = 0, fields_ = 0;
  const string_t* str_ = nullptr;
  bool bool_ = false;
  std::string int_text_;
};

/// The first stage of `unit` named `name`, as the general reader looks it up.
std::optional<std::size_t> stage_index(const Unit& unit, std::string_view name) {
  for (std::size_t s = 0; s < unit.stages.size(); ++s)
    if (unit.stages[s].name == name) return s;
  return std::nullopt;
}

bool resolve(RawApplicant&& raw, const Unit& unit, Applicant& out) {
  if (id_problem(*raw.id)) return false;
  out.id = std::move(*raw.id);
  out.education = std::move(raw.education);
  out.scores.assign(unit.stages.size(), std::nullopt);
  for (auto& [name, score] : raw.scores) {
    auto s = stage_index(unit, name);
    if (!s) return false;
    if (score) out.scores[*s] = std::move(score);
  }
  for (const std::string& name : raw.disqualified) {
    auto s = stage_index(unit, name);
    if (!s) return false;
    out.disqualified |= std::uint64_t{1} << *s;
  }
  // The general reader's tree keeps an object's members ordered by name (std::map).
  std::sort(raw.attributes.begin(), raw.attributes.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out.attributes = std::move(raw.attributes);
  return true;
}

}  // namespace

std::optional<Case> parse_case_json_fast(std::string_view text) {
  json doc;
  Reader reader(doc);
  if (!json::sax_parse(text.begin(), text.end(), &reader) || reader.bailed() ||
      !reader.root_was_object())
    return std::nullopt;
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || *format != "quota-case/1") return std::nullopt;
  Case c;
  try {
    c = parse_case_tree(doc);
  } catch (...) {  // a Failure (or anything else): the general reader says what is wrong
    return std::nullopt;
  }
  std::vector<RawUnit>& raw = reader.units();
  if (c.spec != Spec::v1 || raw.size() != c.units.size()) return std::nullopt;
  for (std::size_t u = 0; u < raw.size(); ++u) {
    if (!raw[u].captured) continue;
    Unit& unit = c.units[u];
    unit.applicants.resize(raw[u].applicants.size());
    for (std::size_t a = 0; a < raw[u].applicants.size(); ++a)
      if (!resolve(std::move(raw[u].applicants[a]), unit, unit.applicants[a])) return std::nullopt;
  }
  return c;
}

}  // namespace passline::detail
