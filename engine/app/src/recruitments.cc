// The use cases of stored recruitments: import, decide, read, report, and the log's checkpoints.
#include "passline/app/recruitments.h"

#include "passline/id.h"

#include <chrono>
#include <ctime>

#include "passline/app/agencies.h"
#include "passline/app/compliance.h"
#include "passline/app/decision_log.h"
#include "passline/app/ledger.h"
#include "passline/checkpoint.h"
#include "passline/log.h"

namespace passline::app {
namespace {

class SystemClock final : public Clock {
 public:
  std::string now() const override {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
};

Error unknown_recruitment(std::string_view id) {
  return make_error("unknown_recruitment", "recruitment.id",
                    "no recruitment '" + std::string(id) + "' is stored");
}

Result<RecruitmentInfo> stored(Store& store, std::string_view id) {
  auto found = store.find_recruitment(id);
  if (!found) return found.error();
  if (!*found) return unknown_recruitment(id);
  return std::move(**found);
}

// The agency: stored on first sight, then fixed.
Status check_agency(Store& store, const Agency& agency) {
  auto kept = store.ensure_agency(agency);
  if (!kept) return kept.error();
  if (kept->region == agency.region && kept->designated == agency.designated) return {};
  return make_error("agency_mismatch",
                    kept->region != agency.region ? "agency.region" : "agency.designated",
                    "agency " + agency.code + " is stored with region " +
                        std::string(to_string(kept->region)) + " and cohort " +
                        std::to_string(kept->designated) + "; the case says " +
                        std::string(to_string(agency.region)) + " and " +
                        std::to_string(agency.designated));
}

// A correction names a stored recruitment of the same agency and year that nothing corrects yet.
Status check_supersedes(Store& store, const Case& c, const std::string& old_id) {
  auto old = store.find_recruitment(old_id);
  if (!old) return old.error();
  // Another agency's recruitment is answered exactly as one that is not stored: a correction
  // names its own agency's recruitment, and nothing of another agency's is revealed.
  if (!*old || (**old).agency != c.agency.code) {
    if (auto bad = check_id(old_id, "supersedes"); !bad) return bad;
    return make_error("bad_supersedes", "supersedes",
                      "recruitment '" + old_id + "' to supersede is not stored");
  }
  const RecruitmentInfo& o = **old;
  if (o.year != c.recruitment.announced.year)
    return make_error("bad_supersedes", "supersedes",
                      "a correction must be of the same year as '" + o.id + "' (" +
                          std::to_string(o.year) + ")");
  if (o.superseded_by)
    return make_error("bad_supersedes", "supersedes",
                      "'" + o.id + "' is already superseded by '" + *o.superseded_by + "'");
  auto marked = store.mark_superseded(old_id, c.recruitment.id);
  if (!marked) return marked.error();
  if (!*marked)  // another correction got there first
    return make_error("bad_supersedes", "supersedes", "'" + o.id + "' is already superseded");
  return {};
}

// The same answer whichever agency holds the id: ids are unique across agencies, so a create
// can only say that the id is taken, never whose it is or what state it is in (docs/HTTP.md).
Error duplicate(const std::string& id) {
  return make_error("duplicate_recruitment", "recruitment.id",
                    "the recruitment id '" + id +
                        "' is taken (ids are unique across agencies): choose another id; "
                        "a correction of your own recruitment is a new recruitment that names "
                        "it in `supersedes`");
}

// SPEC §4, §5: a decision is final; a superseded recruitment is decided through its correction.
Status check_decidable(const RecruitmentInfo& info) {
  if (info.decided())
    return make_error("already_decided", "recruitment.id",
                      "recruitment '" + info.id + "' was decided at " +
                          info.decided_at.value_or("?") +
                          "; a decision is final: import a correction that supersedes it");
  if (info.superseded_by)
    return make_error("superseded", "recruitment.id",
                      "recruitment '" + info.id + "' is superseded by '" + *info.superseded_by +
                          "': decide that one");
  return {};
}

// What a superseded recruitment put into the ledger; empty when it is not decided.
Result<Ledger> superseded_contribution(Store& store, const RecruitmentInfo& info) {
  if (!info.supersedes) return Ledger{};
  DecidedFilter only;
  only.id = *info.supersedes;
  auto old = store.decided(only);
  if (!old) return old.error();
  if (old->empty()) return Ledger{};
  return contribution(old->front());
}

// The prior ledger a recruitment is decided with: the agency's year, less the hires of the
// recruitment it corrects (a correction is decided as if that one had not been).
Result<Ledger> prior_ledger(Store& store, const RecruitmentInfo& info, Ledger& taken_out) {
  auto current = store.read_ledger(info.agency, info.year);
  if (!current) return current.error();
  auto old = superseded_contribution(store, info);
  if (!old) return old.error();
  taken_out = std::move(*old);
  if (taken_out.empty()) return std::move(*current);
  return add(*current, taken_out, -1);
}

// The agency's year figures once `decided` (just written) counts: the kept figures plus its
// own, O(1) rows. A correction takes the recruitment it supersedes out of the year, which may
// change any figure (the latest ratio too), so its year is summed again from the decided
// recruitments that count, as when no figures were kept yet.
Status update_year_figures(Store& store, const RecruitmentInfo& info,
                           const DecidedRecruitment& decided) {
  if (!info.supersedes) {
    auto kept = store.read_year_figures(info.agency, info.year);
    if (!kept) return kept.error();
    if (*kept) {
      YearFigures figures = std::move((*kept)->figures);
      add_figures(figures, decided);
      return store.put_year_figures(info.agency, info.year, figures);
    }
  }
  DecidedFilter filter;
  filter.year = info.year;
  filter.agency = info.agency;
  auto all = store.decided(filter);
  if (!all) return all.error();
  return store.put_year_figures(info.agency, info.year, year_figures(counted(std::move(*all))));
}

// Fills the summary of a decision.
void summarise(Decided& out, const RecruitmentInfo& info, std::string decided_at) {
  out.recruitment = info.id;
  out.agency = info.agency;
  out.year = info.year;
  out.applicants = info.applicants;
  out.decided_at = std::move(decided_at);
  const Decision& d = out.decision;
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    std::int64_t g = 0;
    for (const UnitDecision& u : d.units) g += p < u.group_hires.size() ? u.group_hires[p] : 0;
    out.group_hires.emplace_back(d.programs[p].id, g);
  }
  for (const UnitDecision& u : d.units) out.hires += u.hires;
}

}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

std::string_view to_string(RecruitmentState s) noexcept {
  return s == RecruitmentState::decided ? "decided" : "imported";
}

// The law, not the case, decides which programs bind an agency (issue 10). A quota-case/2 is
// checked by deciding it once now (SPEC §3.2: program_assigned_by_law, no_rule_in_force, claims
// ...), so an undecidable import is refused here, not at decide. A quota-case/1 names its own
// programs (SPEC-v1 §3), so storage holds it to the two rules the law leaves no room on: an
// inline program may not reuse a law pack's id, and an agency the registry holds as an
// 이전공공기관등 (혁신도시법 §29-2①) must name kr-innovation-city once it is bound.
static Status law_binds(Store& store, const Case& c, const RuleRegistry& rules) {
  if (c.spec == Spec::v2) {
    auto d = passline::decide(c, rules);
    if (!d) return d.error();
    return {};
  }
  bool names_city = false;
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    if (const auto* id = std::get_if<std::string>(&c.programs[p])) {
      names_city = names_city || *id == "kr-innovation-city";
      continue;
    }
    const std::string& id = std::get<Program>(c.programs[p]).id;
    if (rules.knows(id, 1) || rules.knows(id, 2))
      return make_error("program_assigned_by_law", "programs[" + std::to_string(p) + "]",
                        "'" + id +
                            "' is a rule pack of the law; an inline program may not reuse "
                            "its id");
  }
  auto registered = store.find_agency(c.agency.code);
  if (!registered) return registered.error();
  const bool bound = *registered && (*registered)->registered &&
                     (*registered)->agency.innovation_city &&
                     (*registered)->agency.innovation_city->since <= c.recruitment.announced;
  if (bound && !names_city)
    return make_error("program_assigned_by_law", "programs",
                      "kr-innovation-city binds an agency located in " +
                          std::string(to_string(c.agency.region)) +
                          " (혁신도시법 §29-2①); the case must name it");
  return {};
}

Result<ImportSummary> import_case(Store& store, const Case& c, const ImportOptions& options,
                                  const Clock& clock) {
  if (auto v = validate(c); !v) return v.error();
  if (!c.ledger.empty())
    return make_error("invalid_value", "ledger.prior",
                      "a stored recruitment's prior hires come from the database's ledger; "
                      "remove ledger.prior (or decide the file directly with `passline decide`)");
  ImportSummary summary{c.recruitment.id, static_cast<std::int64_t>(c.units.size()), 0, 0};
  for (const Unit& u : c.units)
    summary.applicants += static_cast<std::int64_t>(u.applicants.size());
  Status done = store.transaction([&]() -> Status {
    auto exists = store.find_recruitment(c.recruitment.id);
    if (!exists) return exists.error();
    if (*exists) return duplicate(c.recruitment.id);
    // quota-case/2: the agency's facts are the registry's (SPEC §2); quota-case/1: the agency
    // is stored on first sight, then fixed.
    if (auto s =
            c.spec == Spec::v2 ? check_case_agency(store, c.agency) : check_agency(store, c.agency);
        !s)
      return s;
    if (auto s = law_binds(store, c, options.rules ? *options.rules : bundled_rules()); !s)
      return s;
    if (options.supersedes)
      if (auto s = check_supersedes(store, c, *options.supersedes); !s) return s;
    NewRecruitment meta{options.supersedes, summary.applicants, clock.now()};
    auto scores = store.insert_recruitment(c, meta);
    if (!scores) return scores.error();
    if (!*scores) return duplicate(c.recruitment.id);  // stored by another process meanwhile
    summary.scores = **scores;
    return {};
  });
  if (!done) return std::move(done).error();
  return summary;
}

Result<Decided> decide(Store& store, std::string_view recruitment_id, const RuleRegistry& rules,
                       const Clock& clock, const SaltSource& salts) {
  Decided out;
  Status done = store.transaction([&]() -> Status {
    auto info = stored(store, recruitment_id);
    if (!info) return info.error();
    if (auto s = store.lock_agency(info->agency); !s) return s;
    info = stored(store, recruitment_id);  // as it is now that we hold the lock
    if (!info) return info.error();
    if (auto s = check_decidable(*info); !s) return s;

    auto c = store.read_case(info->id);
    if (!c) return c.error();
    Ledger taken_out;
    auto prior = prior_ledger(store, *info, taken_out);
    if (!prior) return prior.error();
    c->ledger = std::move(*prior);
    auto d = passline::decide(*c, rules);
    if (!d) return d.error();
    out.input = std::move(*c);
    out.decision = std::move(*d);

    const std::string now = clock.now();
    DecisionRecord record;
    record.input = &out.input;
    record.decision = &out.decision;
    record.applies = applies(out.input, out.decision);
    record.ledger_delta = add(contribution(out.input, out.decision), taken_out, -1);
    record.decided_at = now;
    auto written = store.write_decision(record);
    if (!written) return written.error();
    if (!*written)
      return make_error("already_decided", "recruitment.id",
                        "recruitment '" + info->id + "' was decided by another process meanwhile");
    RecruitmentInfo now_decided = *info;
    now_decided.state = std::string(to_string(RecruitmentState::decided));
    now_decided.decided_at = now;
    if (auto s = update_year_figures(store, now_decided,
                                     decided_facts(out.input, out.decision, record.applies,
                                                   now_decided));
        !s)
      return s;

    auto tail = store.log_tail();
    if (!tail) return tail.error();
    LogContext ctx;
    ctx.decided_at = now;
    ctx.supersedes = info->supersedes;
    // passline-log/3: a fresh salt per applicant; the openings go beside the log.
    ctx.salts.emplace();
    for (const Unit& u : out.input.units)
      for (std::size_t a = 0; a < u.applicants.size(); ++a) ctx.salts->push_back(salts.salt());
    Status logged = store.append_log([&](const LogRowSink& sink) {
      return append_decision(*tail, out.input, out.decision, ctx, sink);
    });
    if (!logged) return logged;
    Retention kept;
    kept.recruitment = info->id;
    kept.decided_on = now.substr(0, 10);
    auto decided_on = Date::parse(kept.decided_on);
    if (!decided_on) return make_error("internal", "decided_at", "the clock gave " + now);
    kept.retain_until = add_days(*decided_on, kDefaultRetentionDays).to_string();
    if (auto s = store.put_retention(kept); !s) return s;
    summarise(out, *info, now);
    return {};
  });
  if (!done) return std::move(done).error();
  return out;
}

Result<RecruitmentInfo> recruitment(Store& store, std::string_view recruitment_id) {
  return stored(store, recruitment_id);
}

Result<Case> load_case(Store& store, std::string_view recruitment_id) {
  auto info = stored(store, recruitment_id);
  if (!info) return info.error();
  auto c = store.read_case(info->id);
  if (!c) return c.error();
  if (info->decided()) return c;  // with the prior ledger it was decided with
  Ledger taken_out;
  auto prior = prior_ledger(store, *info, taken_out);
  if (!prior) return prior.error();
  c->ledger = std::move(*prior);
  return c;
}

Result<DecisionPage> decision_page(Store& store, std::string_view recruitment_id,
                                   const DecisionPageQuery& query) {
  auto info = stored(store, recruitment_id);
  if (!info) return info.error();
  if (!info->decided())
    return make_error("not_decided", "recruitment.id",
                      "recruitment '" + info->id + "' is stored but not decided yet");
  return store.decision_page(info->id, query);
}

Result<Decision> decision_units(Store& store, std::string_view recruitment_id) {
  auto info = stored(store, recruitment_id);
  if (!info) return info.error();
  if (!info->decided())
    return make_error("not_decided", "recruitment.id",
                      "recruitment '" + info->id + "' is stored but not decided yet");
  return store.read_decision_units(info->id);
}

Status write_stored_decision(Store& store, const Decision& figures, const DecisionSink& sink,
                             std::size_t page_size) {
  if (page_size == 0) page_size = 1;
  // Pages are read in the document's order (unit, then id) and handed out unit by unit; the
  // applicants a page holds of later units wait for their unit, so each row is read once.
  std::vector<PagedApplicant> waiting;
  std::size_t next = 0;  // the first of `waiting` not handed out yet
  std::optional<PagePosition> after;
  bool done = false;
  std::vector<StageOutcome> outcomes;
  auto applicants = [&](std::size_t unit,
                        const std::function<void(const DecidedApplicant&)>& each) -> Status {
    for (;;) {
      for (; next < waiting.size(); ++next) {
        const PagedApplicant& a = waiting[next];
        if (a.unit > unit) return {};
        if (a.unit < unit)
          return make_error("corrupt_row", "decisions.unit_ord",
                            "the stored applicants of unit " + std::to_string(a.unit) +
                                " came after unit " + std::to_string(unit));
        each(DecidedApplicant{a.id, a.local, a.outcomes});
      }
      if (done) return {};
      DecisionPageQuery q;
      q.after = after;
      q.limit = page_size;
      auto page = store.decision_page(figures.recruitment, q);
      if (!page) return page.error();
      waiting = std::move(page->applicants);
      next = 0;
      if (waiting.size() < page_size) done = true;
      if (!waiting.empty()) after = PagePosition{waiting.back().unit, waiting.back().id};
    }
  };
  return write_decision_json_paged(figures, applicants, sink);
}

Result<StoredDecision> load_decision(Store& store, std::string_view recruitment_id) {
  auto info = stored(store, recruitment_id);
  if (!info) return info.error();
  if (!info->decided())
    return make_error("not_decided", "recruitment.id",
                      "recruitment '" + info->id + "' is stored but not decided yet");
  auto c = store.read_case(info->id);
  if (!c) return c.error();
  auto d = store.read_decision(*c);
  if (!d) return d.error();
  return StoredDecision{std::move(*c), std::move(*d)};
}

Result<Ledger> ledger(Store& store, std::string_view agency, int year) {
  return store.read_ledger(agency, year);
}

Result<std::vector<ComplianceRow>> compliance(Store& store, int year, std::string_view agency) {
  DecidedFilter filter;
  filter.year = year;
  filter.agency = std::string(agency);
  auto decided = store.decided(filter);
  if (!decided) return decided.error();
  return compliance_rows(counted(std::move(*decided)));
}

Result<LogHead> log_head(Store& store) {
  auto tail = store.log_tail();
  if (!tail) return tail.error();
  return LogHead{tail->size, tail->root};
}

Result<StoredCheckpoint> sign_checkpoint(Store& store, std::string_view private_pem,
                                         std::string_view key_name, const Clock& clock) {
  auto vkey = verifier_key_of(private_pem, key_name);
  if (!vkey) return vkey.error();
  StoredCheckpoint out;
  Status done = store.transaction([&]() -> Status {
    auto tail = store.log_tail();
    if (!tail) return tail.error();
    auto signed_before = store.find_checkpoint(tail->size, *vkey);
    if (!signed_before) return signed_before.error();
    if (*signed_before) {  // this key signed the log at this size already: that one
      out = std::move(**signed_before);
      return {};
    }
    Checkpoint cp;
    cp.origin = std::string(key_name);
    cp.tree_size = tail->size;
    cp.root = tail->root;
    cp.time = clock.now();
    auto note = passline::sign_checkpoint(cp, private_pem, key_name);
    if (!note) return note.error();
    out = StoredCheckpoint{cp.tree_size, std::move(*note), *vkey, cp.root, cp.time};
    return store.save_checkpoint(out);
  });
  if (!done) return std::move(done).error();
  return out;
}

Result<StoredCheckpoint> latest_checkpoint(Store& store, std::uint64_t min_size) {
  auto found = store.find_checkpoint(min_size, {});
  if (!found) return found.error();
  if (!*found)
    return make_error("no_checkpoint", "checkpoint",
                      "no signed checkpoint covers the log" +
                          std::string(min_size ? " up to entry " + std::to_string(min_size - 1)
                                               : "") +
                          ": run `passline audit checkpoint` with the log key");
  return std::move(**found);
}

Result<std::vector<std::uint64_t>> log_indices(Store& store, std::string_view recruitment,
                                               std::string_view applicant) {
  auto info = stored(store, recruitment);
  if (!info) return info.error();
  if (!info->decided())
    return make_error("not_decided", "recruitment.id",
                      "recruitment '" + info->id + "' is not decided: it has no log entries");
  auto found = store.log_indices(recruitment, applicant);
  if (!found) return found.error();
  if (found->empty())
    return make_error("not_decided", "recruitment.id", "no log header for '" + info->id + "'");
  if (found->size() == 1)
    return make_error("unknown_applicant", "applicant",
                      "recruitment '" + info->id + "' has no applicant '" + std::string(applicant) +
                          "'");
  return std::move(*found);
}

}  // namespace passline::app
