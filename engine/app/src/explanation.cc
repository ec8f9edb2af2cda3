// The account of one applicant of a decided recruitment, from the decision log (explanation.h).
#include "passline/app/explanation.h"

#include <map>
#include <string>
#include <vector>

#include "passline/app/recruitments.h"
#include "passline/log.h"

namespace passline::app {

Result<Explanation> explain_applicant(Store& store, std::string_view recruitment_id,
                                      std::string_view applicant, const RuleRegistry& rules,
                                      Language lang) {
  auto info = recruitment(store, recruitment_id);
  if (!info) return info.error();
  auto indices = log_indices(store, recruitment_id, applicant);
  if (!indices) return indices.error();

  // The recruitment's entries: its header, then one per applicant of every unit.
  const std::uint64_t header = indices->front();
  const std::uint64_t end = header + 1 + static_cast<std::uint64_t>(info->applicants);
  std::vector<std::string> entries;
  auto read = store.read_log(header, end, [&](std::uint64_t, std::string_view entry) {
    entries.emplace_back(entry);
  });
  if (!read) return read.error();
  // passline-log/3: the applicants' inputs come from the openings kept beside the log.
  std::map<std::uint64_t, std::string> openings;
  auto got = store.read_openings(header, end, [&](std::uint64_t i, std::string_view o) {
    openings.emplace(i, std::string(o));
  });
  if (!got) return got.error();
  auto logged = read_log_entries(entries, static_cast<std::size_t>(header),
                                 [&](std::uint64_t i) -> std::optional<std::string> {
                                   auto it = openings.find(i);
                                   return it == openings.end()
                                              ? std::nullopt
                                              : std::optional<std::string>(it->second);
                                 });
  if (!logged) return logged.error();
  if (logged->size() != 1 || logged->front().input.recruitment.id != info->id)
    return make_error("bad_log_entry", "entry " + std::to_string(header),
                      "the log entries from " + std::to_string(header) +
                          " are not exactly the entries of recruitment '" + info->id + "'");
  const LoggedRecruitment& r = logged->front();
  if (r.erased)
    return make_error("erased", "recruitment.id",
                      "the personal inputs of recruitment '" + info->id +
                          "' were erased at the end of their retention: its decisions can no "
                          "longer be explained from the log");

  // Decided again with the logged pack versions, it must give the logged entries.
  auto chosen = logged_rules(r, rules);
  if (!chosen) return chosen.error();
  auto d = decide(r.input, *chosen);
  if (!d) return d.error();
  if (log_entries(r.input, *d, r.context) != r.entries)
    return make_error("replay_differs", "entry " + std::to_string(header),
                      "recruitment '" + info->id +
                          "' decided again from its log entries does not give them: the log or "
                          "the rule packs changed since (run `passline audit replay`)");

  ExplainOptions options{lang};
  if (r.input.spec == Spec::v2) {
    auto agency = store.find_agency(r.input.agency.code);
    if (!agency) return agency.error();
    // The registry's record is named as the source only while it states the logged facts (a
    // record corrected since is not what decided).
    const Agency& logged_agency = r.input.agency;
    if (*agency && (*agency)->registered && (*agency)->agency.region == logged_agency.region &&
        (*agency)->agency.public_institution == logged_agency.public_institution &&
        (*agency)->agency.innovation_city == logged_agency.innovation_city)
      options.agency_source = (*agency)->source;
  }
  return explain_steps(r.input, *d, rules, applicant, options);
}

}  // namespace passline::app
