// Writing a decision as `quota-decision/1` (SPEC.md §6).
//
// Streamed: the document is written piece by piece to a sink, never held as a DOM, so a unit
// of a million applicants costs its output bytes and nothing more. The layout is exactly
// nlohmann::json's dump(1) of the same document (keys sorted bytewise, one-space indent), which
// tests/test_json_output.cc checks by re-parsing and re-dumping; applicants are sorted by id and
// decimals are canonical, so the same decision always yields the same bytes.
#include <algorithm>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "passline/json.h"

namespace passline {
namespace {

/// A minimal pretty-printing JSON writer with nlohmann's dump(1) layout. Strings must be valid
/// UTF-8 (validate() guarantees it for every string a decision prints).
class Writer {
 public:
  explicit Writer(const DecisionSink& sink) : sink_(sink) { buf_.reserve(kFlushAt + 4096); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// Starts a member of the current object: `"key": `.
  void key(std::string_view k) {
    item();
    string(k);
    buf_ += ": ";
    after_key_ = true;
  }
  void value(std::string_view s) {
    item();
    string(s);
  }
  void value(const char* s) { value(std::string_view(s)); }
  void value(std::int64_t n) {
    item();
    buf_ += std::to_string(n);
  }
  void value(bool b) {
    item();
    buf_ += b ? "true" : "false";
  }
  void null() {
    item();
    buf_ += "null";
  }

  /// Ends the document with a newline and hands everything left to the sink.
  void end_document() {
    buf_ += '\n';
    flush();
  }

  /// Hands the buffer to the sink. The buffer is emptied first, so a sink that throws never
  /// sees the same bytes twice; nothing is written after the exception.
  void flush() {
    if (buf_.empty()) return;
    std::string piece;
    piece.reserve(kFlushAt + 4096);
    piece.swap(buf_);
    sink_(piece);
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;

  // Before any value or key: a comma after the previous sibling, a newline and the indent.
  void item() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!first_) buf_ += ',';
    buf_ += '\n';
    buf_.append(depth_, ' ');
    first_ = false;
    if (buf_.size() >= kFlushAt) flush();
  }
  void open(char c) {
    item();
    buf_ += c;
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_) {  // non-empty container: newline and indent before the bracket
      buf_ += '\n';
      buf_.append(depth_, ' ');
    }
    buf_ += c;
    first_ = false;
  }
  void string(std::string_view s) {
    buf_ += '"';
    for (char ch : s) {
      const auto u = static_cast<unsigned char>(ch);
      switch (ch) {
        case '"': buf_ += "\\\""; break;
        case '\\': buf_ += "\\\\"; break;
        case '\b': buf_ += "\\b"; break;
        case '\f': buf_ += "\\f"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        case '\t': buf_ += "\\t"; break;
        default:
          if (u < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            buf_ += "\\u00";
            buf_ += kHex[u >> 4];
            buf_ += kHex[u & 0xF];
          } else {
            buf_ += ch;
          }
      }
    }
    buf_ += '"';
  }

  const DecisionSink& sink_;
  std::string buf_;
  std::size_t depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

void decimal_or_null(Writer& w, const std::optional<Decimal>& d) {
  if (d)
    w.value(d->to_string());
  else
    w.null();
}

/// Program indices in bytewise order of their ids (the order of keys in `local` and
/// `group_hires`).
std::vector<std::size_t> programs_by_id(const std::vector<Program>& programs) {
  std::vector<std::size_t> order(programs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return programs[a].id < programs[b].id; });
  return order;
}

void write_outcome(Writer& w, std::string_view stage, const StageOutcome& o,
                   const std::vector<Program>& programs) {
  w.begin_object();
  switch (o.outcome) {
    case Outcome::pass_rank:
    case Outcome::pass_tie:
    case Outcome::pass_additional:
      w.key("basis");
      w.value(o.outcome == Outcome::pass_rank  ? "rank"
              : o.outcome == Outcome::pass_tie ? "tie"
                                               : "additional");
      w.key("decision");
      w.value("pass");
      if (o.outcome == Outcome::pass_additional) {
        w.key("program");
        w.value(programs[o.program].id);
      }
      break;
    case Outcome::fail_disqualified:
    case Outcome::fail_below_cut:
      w.key("decision");
      w.value("fail");
      w.key("reason");
      w.value(o.outcome == Outcome::fail_disqualified ? "disqualified" : "below_cut");
      break;
    case Outcome::not_reached: break;
  }
  w.key("stage");
  w.value(stage);
  w.end_object();
}

/// One member of a unit's `applicants`: id, group membership (keys by id), the stages reached.
/// `stage(s)` names stage s.
template <class StageName>
void write_applicant(Writer& w, std::string_view id, std::uint32_t local,
                     const StageOutcome* outcomes, std::size_t stages, StageName&& stage,
                     const std::vector<Program>& programs, const std::vector<std::size_t>& by_id) {
  w.begin_object();
  w.key("id");
  w.value(id);
  w.key("local");
  w.begin_object();
  for (std::size_t p : by_id) {
    w.key(programs[p].id);
    w.value(((local >> p) & 1u) != 0);
  }
  w.end_object();
  w.key("stages");
  w.begin_array();
  for (std::size_t s = 0; s < stages; ++s) {
    if (outcomes[s].outcome == Outcome::not_reached) break;
    write_outcome(w, stage(s), outcomes[s], programs);
  }
  w.end_array();
  w.end_object();
}

/// A unit's figures, the members after `applicants` in the decision document's unit object.
void write_unit_figures(Writer& w, const UnitDecision& ud, const std::vector<Program>& programs,
                        const std::vector<std::size_t>& by_id, Spec spec) {
  w.key("exempt");
  if (spec == Spec::v2) {
    // quota-case/2: program id → the claim that holds, or null, for every program in force.
    w.begin_object();
    for (std::size_t p : by_id) {
      w.key(programs[p].id);
      if (ud.exempt_from[p])
        w.value(*ud.exempt_from[p]);
      else
        w.null();
    }
    w.end_object();
  } else if (ud.exempt) {
    w.value(*ud.exempt);
  } else {
    w.null();
  }
  w.key("group_hires");
  w.begin_object();
  for (std::size_t p : by_id) {
    w.key(programs[p].id);
    w.value(ud.group_hires[p]);
  }
  w.end_object();
  w.key("hires");
  w.value(ud.hires);
  w.key("id");
  w.value(ud.id);

  w.key("stages");
  w.begin_array();
  for (const StageResult& s : ud.stages) {
    w.begin_object();
    w.key("considered");
    w.value(s.considered);
    w.key("cut");
    decimal_or_null(w, s.cut);
    w.key("name");
    w.value(s.name);
    w.key("passed");
    w.value(s.passed);
    w.key("planned");
    w.value(s.planned);
    w.key("programs");
    w.begin_array();
    for (std::size_t p = 0; p < s.programs.size(); ++p) {  // the case's program order
      const ProgramStageResult& r = s.programs[p];
      w.begin_object();
      w.key("additional");
      w.value(r.additional);
      w.key("program");
      w.value(programs[p].id);
      w.key("regular");
      w.value(r.regular);
      w.key("shortfall");
      w.value(r.shortfall);
      w.key("stopped_by");
      if (r.stopped_by == StoppedBy::none)
        w.null();
      else
        w.value(to_string(r.stopped_by));
      w.key("target");
      w.value(r.target);
      w.end_object();
    }
    w.end_array();
    w.key("threshold");
    decimal_or_null(w, s.threshold);
    w.end_object();
  }
  w.end_array();
}

void write_unit(Writer& w, const Unit& unit, const UnitDecision& ud,
                const std::vector<Program>& programs, const std::vector<std::size_t>& by_id,
                Spec spec) {
  w.begin_object();

  w.key("applicants");
  w.begin_array();
  std::vector<std::uint32_t> order(unit.applicants.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return unit.applicants[a].id < unit.applicants[b].id;
  });
  std::vector<StageOutcome> outcomes(unit.stages.size());
  for (std::uint32_t a : order) {
    for (std::size_t s = 0; s < unit.stages.size(); ++s) outcomes[s] = ud.outcome(a, s);
    write_applicant(
        w, unit.applicants[a].id, ud.local[a], outcomes.data(), outcomes.size(),
        [&](std::size_t s) -> std::string_view { return unit.stages[s].name; }, programs, by_id);
  }
  w.end_array();
  write_unit_figures(w, ud, programs, by_id, spec);
  w.end_object();
}

/// The member `programs`: SPEC §6's programs in force, in order, with source and pack digest.
void write_programs(Writer& w, const std::vector<Program>& programs) {
  w.key("programs");
  w.begin_array();
  for (const Program& p : programs) {
    w.begin_object();
    w.key("digest");
    if (p.pack_digest.empty())
      w.null();
    else
      w.value(p.pack_digest);
    w.key("program");
    w.value(p.id);
    w.key("ratio");
    w.value(p.ratio.to_string());
    w.key("scope");
    w.value(to_string(p.scope));
    w.key("source");
    w.value(to_string(p.source));
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_decision_json(const Case& c, const Decision& d, const DecisionSink& sink) {
  // Precondition: `d` was decided from `c`. Checked, since a mismatch would read out of bounds.
  bool matches = c.units.size() == d.units.size();
  for (std::size_t u = 0; matches && u < c.units.size(); ++u)
    matches = c.units[u].applicants.size() == d.units[u].local.size() &&
              c.units[u].stages.size() == d.units[u].stages.size();
  if (!matches)
    throw std::invalid_argument("write_decision_json: the decision is not of this case");
  const std::vector<std::size_t> by_id = programs_by_id(d.programs);
  Writer w(sink);
  w.begin_object();
  w.key("format");
  w.value(d.spec == Spec::v2 ? "quota-decision/2" : "quota-decision/1");
  if (d.spec == Spec::v2) {
    write_programs(w, d.programs);
  }
  w.key("recruitment");
  w.value(d.recruitment);
  w.key("units");
  w.begin_array();
  for (std::size_t u = 0; u < d.units.size(); ++u)
    write_unit(w, c.units[u], d.units[u], d.programs, by_id, d.spec);
  w.end_array();
  w.end_object();
  w.end_document();
}

Status write_decision_json_paged(const Decision& figures, const DecidedApplicants& applicants,
                                 const DecisionSink& sink) {
  const std::vector<std::size_t> by_id = programs_by_id(figures.programs);
  Writer w(sink);
  w.begin_object();
  w.key("format");
  w.value(figures.spec == Spec::v2 ? "quota-decision/2" : "quota-decision/1");
  if (figures.spec == Spec::v2) write_programs(w, figures.programs);
  w.key("recruitment");
  w.value(figures.recruitment);
  w.key("units");
  w.begin_array();
  for (std::size_t u = 0; u < figures.units.size(); ++u) {
    const UnitDecision& ud = figures.units[u];
    w.begin_object();
    w.key("applicants");
    w.begin_array();
    std::string previous;
    bool first = true;
    std::optional<Error> out_of_order;
    auto ok = applicants(u, [&](const DecidedApplicant& a) {
      if (out_of_order) return;
      // The document's order is bytewise by id; a source that breaks it would print a
      // document other than decision_to_json's.
      if (!first && !(previous < a.id)) {
        out_of_order = make_error("corrupt_row", "units[" + std::to_string(u) + "].applicants",
                                  "applicant '" + std::string(a.id) + "' is not after '" +
                                      previous + "' in id order");
        return;
      }
      first = false;
      previous.assign(a.id);
      write_applicant(
          w, a.id, a.local, a.outcomes.data(), std::min(a.outcomes.size(), ud.stages.size()),
          [&](std::size_t s) -> std::string_view { return ud.stages[s].name; }, figures.programs,
          by_id);
    });
    if (!ok) return ok.error();
    if (out_of_order) return *out_of_order;
    w.end_array();
    write_unit_figures(w, ud, figures.programs, by_id, figures.spec);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_document();
  return {};
}

std::string decision_to_json(const Case& c, const Decision& d) {
  std::string out;
  write_decision_json(c, d, [&](std::string_view piece) { out.append(piece); });
  return out;
}

void write_decision_units_json(const Decision& d, const DecisionSink& sink) {
  const std::vector<std::size_t> by_id = programs_by_id(d.programs);
  Writer w(sink);
  w.begin_object();
  w.key("decision_format");
  w.value(d.spec == Spec::v2 ? "quota-decision/2" : "quota-decision/1");
  w.key("format");
  w.value("passline-decision-units/1");
  write_programs(w, d.programs);
  w.key("recruitment");
  w.value(d.recruitment);
  w.key("units");
  w.begin_array();
  for (const UnitDecision& ud : d.units) {
    w.begin_object();
    write_unit_figures(w, ud, d.programs, by_id, d.spec);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_document();
}

std::string decision_units_to_json(const Decision& d) {
  std::string out;
  write_decision_units_json(d, [&](std::string_view piece) { out.append(piece); });
  return out;
}

std::string error_to_json(const Error& e, Spec spec) {
  const nlohmann::json doc = {
      {"format", spec == Spec::v2 ? "quota-decision/2" : "quota-decision/1"},
      {"error", {{"code", e.code.name()}, {"path", e.path}, {"message", e.message}}}};
  return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace passline
