// A Store kept in memory (memory_store.h).
#include "passline/app/memory_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "passline/app/ledger.h"

namespace passline::app {
namespace {

struct StoredRecruitment {
  RecruitmentInfo info;
  Case input;  // ledger.prior: the prior ledger it was decided with
  std::optional<Decision> decision;
  std::vector<std::vector<std::uint8_t>> applies;
};

struct StoredLogRow {
  std::uint64_t index = 0;
  std::string recruitment;
  std::optional<std::string> applicant;
  std::string entry;
  Hash leaf{};
};

struct State {
  std::map<std::string, AgencyRecord, std::less<>> agencies;
  std::map<std::string, StoredRecruitment, std::less<>> recruitments;
  std::map<std::pair<std::string, int>, Ledger> ledgers;
  std::map<std::pair<std::string, int>, YearFigures> figures;
  std::vector<StoredLogRow> log;
  LogTail tail;
  std::vector<StoredCheckpoint> checkpoints;
  std::map<std::uint64_t, std::pair<std::string, std::string>> openings;  // idx: recruitment, text
  std::map<std::string, Retention, std::less<>> retention;
};

class MemoryStore final : public Store {
 public:
  Status transaction(const std::function<Status()>& work) override {
    if (depth_ > 0) return work();  // joins the outer transaction
    State saved = state_;
    ++depth_;
    Status s;
    try {
      s = work();
    } catch (...) {
      --depth_;
      state_ = std::move(saved);
      throw;
    }
    --depth_;
    if (!s) state_ = std::move(saved);
    return s;
  }

  Result<std::optional<RecruitmentInfo>> find_recruitment(std::string_view id) override {
    auto it = state_.recruitments.find(id);
    if (it == state_.recruitments.end()) return std::optional<RecruitmentInfo>{};
    return std::optional<RecruitmentInfo>{info_of(it->second)};
  }

  Result<std::vector<RecruitmentInfo>> list_recruitments(std::string_view agency,
                                                         int year) override {
    std::vector<RecruitmentInfo> out;
    for (const auto& [id, r] : state_.recruitments)
      if ((agency.empty() || r.info.agency == agency) && (year == 0 || r.info.year == year))
        out.push_back(info_of(r));
    return out;
  }

  Result<Agency> ensure_agency(const Agency& agency) override {
    // As the SQL store keeps an agency created on first sight: code, region, designated.
    AgencyRecord implicit;
    implicit.agency.code = agency.code;
    implicit.agency.region = agency.region;
    implicit.agency.designated = agency.designated;
    const Agency& kept = state_.agencies.emplace(agency.code, implicit).first->second.agency;
    Agency out = agency;
    out.region = kept.region;
    out.designated = kept.designated;
    return out;
  }

  Result<bool> agency_exists(std::string_view code) override {
    return state_.agencies.count(code) > 0;
  }

  Result<std::optional<AgencyRecord>> find_agency(std::string_view code) override {
    auto it = state_.agencies.find(code);
    if (it == state_.agencies.end()) return std::optional<AgencyRecord>{};
    return std::optional<AgencyRecord>{it->second};
  }

  Status put_agency(const AgencyRecord& record) override {
    state_.agencies.insert_or_assign(record.agency.code, record);
    return {};
  }

  Result<std::vector<AgencyRecord>> list_agencies() override {
    std::vector<AgencyRecord> out;
    for (const auto& [code, r] : state_.agencies) out.push_back(r);
    return out;
  }

  Result<std::optional<std::int64_t>> insert_recruitment(const Case& c,
                                                         const NewRecruitment& meta) override {
    if (state_.recruitments.count(c.recruitment.id)) return std::optional<std::int64_t>{};
    StoredRecruitment r;
    r.info.id = c.recruitment.id;
    r.info.agency = c.agency.code;
    r.info.announced = c.recruitment.announced.to_string();
    r.info.year = c.recruitment.announced.year;
    r.info.state = std::string(to_string(RecruitmentState::imported));
    r.info.supersedes = meta.supersedes;
    r.info.applicants = meta.applicants;
    r.info.imported_at = meta.imported_at;
    r.input = c;
    std::int64_t scores = 0;
    for (const Unit& u : c.units)
      for (const Applicant& a : u.applicants)
        for (std::size_t s = 0; s < a.scores.size(); ++s)
          scores += a.scores[s] || ((a.disqualified >> s) & 1u) ? 1 : 0;
    state_.recruitments.emplace(r.info.id, std::move(r));
    return std::optional<std::int64_t>{scores};
  }

  Result<bool> mark_superseded(std::string_view old_id, std::string_view new_id) override {
    auto it = state_.recruitments.find(old_id);
    if (it == state_.recruitments.end() || it->second.info.superseded_by) return false;
    it->second.info.superseded_by = std::string(new_id);
    return true;
  }

  Status lock_agency(std::string_view) override { return {}; }

  Result<Case> read_case(std::string_view id) override {
    auto it = state_.recruitments.find(id);
    if (it == state_.recruitments.end())
      return make_error("unknown_recruitment", "recruitment.id",
                        "no recruitment '" + std::string(id) + "' is stored");
    return it->second.input;
  }

  Result<Ledger> read_ledger(std::string_view agency, int year) override {
    auto it = state_.ledgers.find({std::string(agency), year});
    return it == state_.ledgers.end() ? Ledger{} : it->second;
  }

  Result<bool> write_decision(const DecisionRecord& record) override {
    auto it = state_.recruitments.find(record.input->recruitment.id);
    if (it == state_.recruitments.end() || it->second.info.decided()) return false;
    StoredRecruitment& r = it->second;
    r.input = *record.input;
    r.decision = *record.decision;
    r.applies = record.applies;
    r.info.state = std::string(to_string(RecruitmentState::decided));
    r.info.decided_at = record.decided_at;
    Ledger& ledger = state_.ledgers[{r.info.agency, r.info.year}];
    for (const LedgerEntry& delta : record.ledger_delta) {
      auto e = std::find_if(ledger.begin(), ledger.end(),
                            [&](const LedgerEntry& x) { return x.field == delta.field; });
      if (e == ledger.end()) {
        e = ledger.insert(std::upper_bound(ledger.begin(), ledger.end(), delta.field,
                                           [](const std::string& f, const LedgerEntry& x) {
                                             return f < x.field;
                                           }),
                          LedgerEntry{delta.field, 0, {}});
      }
      e->hires += delta.hires;
      e->posts += delta.posts;  // SPEC §7 (schema 8 in the SQL store): posts, obligated hires
      for (const auto& [program, n] : delta.group_hires) e->group_hires[program] += n;
      for (const auto& [program, n] : delta.obligated) e->obligated[program] += n;
    }
    return true;
  }

  Result<Decision> read_decision(const Case& input) override {
    auto it = state_.recruitments.find(input.recruitment.id);
    if (it == state_.recruitments.end() || !it->second.decision)
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + input.recruitment.id + "' is not decided");
    return *it->second.decision;
  }

  Result<Decision> read_decision_units(std::string_view id) override {
    auto it = state_.recruitments.find(id);
    if (it == state_.recruitments.end() || !it->second.decision)
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + std::string(id) + "' is not decided");
    Decision d = *it->second.decision;
    for (UnitDecision& u : d.units) {
      u.local.clear();
      u.outcomes.clear();
    }
    return d;
  }

  Result<DecisionPage> decision_page(std::string_view id, const DecisionPageQuery& q) override {
    auto it = state_.recruitments.find(id);
    if (it == state_.recruitments.end() || !it->second.decision)
      return make_error("not_decided", "recruitment.id",
                        "recruitment '" + std::string(id) + "' is not decided");
    const Case& c = it->second.input;
    const Decision& d = *it->second.decision;
    DecisionPage page;
    for (const Program& p : d.programs) page.programs.push_back(p.id);
    for (const Unit& u : c.units) {
      DecisionPage::Unit& pu = page.units.emplace_back();
      pu.id = u.id;
      for (const Stage& s : u.stages) pu.stages.push_back(s.name);
    }
    for (std::size_t u = 0; u < c.units.size(); ++u) {
      const Unit& unit = c.units[u];
      const UnitDecision& ud = d.units[u];
      std::vector<std::size_t> order(unit.applicants.size());
      for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return unit.applicants[a].id < unit.applicants[b].id;
      });
      for (std::size_t a : order) {
        const std::string& aid = unit.applicants[a].id;
        if (q.after && std::tie(u, aid) <= std::tie(q.after->unit, q.after->applicant)) continue;
        if (q.applicant && aid != *q.applicant) continue;
        PagedApplicant pa;
        pa.unit = u;
        pa.id = aid;
        pa.local = ud.local[a];
        bool match = !q.stage && !q.passed;
        for (std::size_t s = 0; s < unit.stages.size(); ++s) {
          const StageOutcome& o = ud.outcome(a, s);
          if (o.outcome == Outcome::not_reached) break;
          pa.outcomes.push_back(o);
          if ((!q.stage || unit.stages[s].name == *q.stage) &&
              (!q.passed || o.outcome == *q.passed))
            match = true;
        }
        if (!match) continue;
        if (page.applicants.size() == q.limit) return page;
        page.applicants.push_back(std::move(pa));
      }
    }
    return page;
  }

  Result<std::vector<DecidedRecruitment>> decided(const DecidedFilter& f) override {
    std::vector<const StoredRecruitment*> matching;
    for (const auto& [id, r] : state_.recruitments) {
      if (!r.decision) continue;
      if (!f.id.empty() && id != f.id) continue;
      if (f.year && r.info.year != f.year) continue;
      if (!f.agency.empty() && r.info.agency != f.agency) continue;
      matching.push_back(&r);
    }
    std::sort(matching.begin(), matching.end(), [](auto* a, auto* b) {
      return std::tie(a->info.announced, a->info.id) < std::tie(b->info.announced, b->info.id);
    });
    std::vector<DecidedRecruitment> out;
    for (const StoredRecruitment* r : matching) {
      out.push_back(facts(*r));
      out.back().info = info_of(*r);
    }
    return out;
  }

  Result<std::optional<StoredYearFigures>> read_year_figures(std::string_view agency,
                                                             int year) override {
    auto it = state_.figures.find({std::string(agency), year});
    if (it == state_.figures.end()) return std::optional<StoredYearFigures>{};
    StoredYearFigures out{it->second, std::nullopt};
    if (auto a = state_.agencies.find(agency); a != state_.agencies.end())
      out.region = a->second.agency.region;
    return std::optional<StoredYearFigures>{std::move(out)};
  }

  Status put_year_figures(std::string_view agency, int year, const YearFigures& f) override {
    state_.figures[{std::string(agency), year}] = f;
    return {};
  }

  Result<LogTail> log_tail() override { return state_.tail; }

  Status append_log(const std::function<Result<LogTail>(const LogRowSink&)>& produce) override {
    auto tail = produce([&](LogRow&& row) {
      std::optional<std::string> applicant;
      if (row.applicant) applicant = std::string(*row.applicant);
      if (!row.opening.empty())
        state_.openings[row.index] = {std::string(row.recruitment), std::move(row.opening)};
      state_.log.push_back({row.index, std::string(row.recruitment), std::move(applicant),
                            std::move(row.entry), row.leaf});
    });
    if (!tail) return tail.error();
    state_.tail = std::move(*tail);
    return {};
  }

  Result<std::uint64_t> read_log(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) override {
    std::uint64_t n = 0;
    for (std::uint64_t i = begin; i < std::min<std::uint64_t>(end, state_.log.size()); ++i, ++n)
      sink(i, state_.log[i].entry);
    return n;
  }

  Result<std::vector<Hash>> leaf_hashes(std::uint64_t end) override {
    std::vector<Hash> out;
    for (std::uint64_t i = 0; i < std::min<std::uint64_t>(end, state_.log.size()); ++i)
      out.push_back(state_.log[i].leaf);
    return out;
  }

  Result<std::vector<Hash>> tree_hashes(std::span<const TreeNode> nodes) override {
    std::vector<Hash> leaves;
    for (const StoredLogRow& row : state_.log) leaves.push_back(row.leaf);
    std::vector<Hash> out;
    for (const TreeNode& n : nodes) {
      const std::uint64_t width = std::uint64_t{1} << n.height, begin = n.index << n.height;
      if (n.height >= 64 || begin + width > leaves.size())
        return make_error("invalid_value", "node", "the node reaches past the log's end");
      out.push_back(root_of(std::span<const Hash>(leaves).subspan(begin, width)));
    }
    return out;
  }

  Result<std::vector<std::uint64_t>> log_indices(std::string_view recruitment,
                                                 std::string_view applicant) override {
    std::vector<std::uint64_t> out;
    for (const StoredLogRow& row : state_.log)
      if (row.recruitment == recruitment && !row.applicant) {
        out.push_back(row.index);
        break;
      }
    if (out.empty()) return out;
    for (const StoredLogRow& row : state_.log)
      if (row.recruitment == recruitment && row.applicant && *row.applicant == applicant)
        out.push_back(row.index);
    return out;
  }

  Result<std::optional<StoredCheckpoint>> find_checkpoint(std::uint64_t min_size,
                                                          std::string_view key) override {
    const StoredCheckpoint* best = nullptr;
    for (const StoredCheckpoint& c : state_.checkpoints) {
      if (c.size < min_size || (!key.empty() && (c.verifier_key != key || c.size != min_size)))
        continue;
      if (!best || c.size > best->size || (c.size == best->size && c.time > best->time)) best = &c;
    }
    return best ? std::optional<StoredCheckpoint>{*best} : std::nullopt;
  }

  Status save_checkpoint(const StoredCheckpoint& c) override {
    state_.checkpoints.push_back(c);
    return {};
  }

  Result<std::uint64_t> read_openings(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) override {
    std::uint64_t n = 0;
    for (auto it = state_.openings.lower_bound(begin);
         it != state_.openings.end() && it->first < end; ++it, ++n)
      sink(it->first, it->second.second);
    return n;
  }

  Result<std::optional<Retention>> read_retention(std::string_view recruitment) override {
    auto it = state_.retention.find(recruitment);
    if (it == state_.retention.end()) return std::optional<Retention>{};
    return std::optional<Retention>{it->second};
  }

  Result<std::vector<Retention>> retentions() override {
    std::vector<Retention> out;
    for (const auto& [id, r] : state_.retention) out.push_back(r);
    return out;
  }

  Status put_retention(const Retention& r) override {
    state_.retention[r.recruitment] = r;
    return {};
  }

  Result<std::uint64_t> delete_openings(std::string_view recruitment) override {
    std::uint64_t n = 0;
    for (auto it = state_.openings.begin(); it != state_.openings.end();)
      if (it->second.first == recruitment) {
        it = state_.openings.erase(it);
        ++n;
      } else {
        ++it;
      }
    return n;
  }

 private:
  /// The recruitment's info with its agency's region as stored now.
  RecruitmentInfo info_of(const StoredRecruitment& r) const {
    RecruitmentInfo info = r.info;
    auto agency = state_.agencies.find(info.agency);
    if (agency != state_.agencies.end()) info.agency_region = agency->second.agency.region;
    return info;
  }

  static DecidedRecruitment facts(const StoredRecruitment& r) {
    return decided_facts(r.input, *r.decision, r.applies, r.info);
  }

  State state_;
  int depth_ = 0;
};

}  // namespace

std::unique_ptr<Store> make_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace passline::app
