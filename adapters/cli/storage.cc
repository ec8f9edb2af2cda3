// passline CLI: the commands that work on a database (--db URL).
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "files.h"
#include "passline/app/agencies.h"
#include "passline/app/explanation.h"
#include "passline/app/recruitments.h"
#include "passline/case_csv.h"
#include "passline/json.h"
#include "passline/sql/store.h"
#include "passline/app/report_format.h"

#if __has_include("passline/demo/year.h")
#include "passline/demo/year.h"
#define PASSLINE_HAVE_DEMO 1
#endif

namespace passline::cli {
namespace {

std::string db_url(const Options& o) {
  return o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl);
}

Result<std::unique_ptr<sql::Store>> open_store(const Options& o) {
  return sql::Store::open(db_url(o));
}

Result<int> parse_year(const std::optional<std::string>& text) {
  int y = 0;
  if (!text) return 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), y);
  if (ec != std::errc() || p != text->data() + text->size() || y < 1900 || y > 9999)
    return make_error("usage", "--year", "--year must be a year such as 2018, not '" + *text + "'");
  return y;
}

int import_parsed(const Options& o, Result<Case> c) {
  if (!c) return report(c.error());
  auto store = open_store(o);
  if (!store) return report(store.error());
  app::ImportOptions opts;
  opts.supersedes = o.supersedes;
  auto s = app::import_case(**store, *c, opts);
  if (!s) return report(s.error());
  write_out("imported " + s->recruitment + ": " + std::to_string(s->units) + " units, " +
            std::to_string(s->applicants) + " applicants, " + std::to_string(s->scores) +
            " score rows into " + (*store)->url().display + "\n");
  return 0;
}

}  // namespace

int run_db_init(const Options& o) {
  auto v = sql::Store::migrate(db_url(o));
  if (!v) return report(v.error());
  write_out("schema version " + std::to_string(*v) + " ready in " +
            sql::parse_database_url(db_url(o))->display + "\n");
  return 0;
}

int run_db_migrate(const Options& o) { return run_db_init(o); }

int run_import(const Options& o) {
  auto text = read_file(o.args.at(0));
  if (!text) return report(text.error());
  return import_parsed(o, parse_case_json(*text));
}

int run_import_csv(const Options& o) {
  auto header = read_file(o.args.at(0));
  if (!header) return report(header.error());
  auto c = parse_case_json(*header);
  if (!c) return report(c.error());
  CsvFiles files;
  for (auto [slot, path] :
       {std::pair{&files.applicants, &o.applicants_csv},
        std::pair{&files.education, &o.education_csv}, std::pair{&files.scores, &o.scores_csv}}) {
    auto text = read_file(**path);
    if (!text) return report(text.error());
    slot->name = **path;
    slot->text = std::move(*text);
  }
  // Every error of the files, one line each (a quota-case/1 merge has at most one), and nothing
  // stored; the exit code is the first error's.
  CsvMerge merged = merge_case_csv_all(std::move(*c), files);
  if (!merged.errors.empty()) {
    const int exit = report(merged.errors.front());
    for (std::size_t i = 1; i < merged.errors.size(); ++i) (void)report(merged.errors[i]);
    if (merged.error_count > merged.errors.size())
      write_err("passline: " + std::to_string(merged.error_count - merged.errors.size()) +
                " more errors not listed (" + std::to_string(merged.error_count) + " in all)\n");
    return exit;
  }
  return import_parsed(o, std::move(*merged.merged));
}

int run_decide_stored(const Options& o) {
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  auto store = open_store(o);
  if (!store) return report(store.error());
  auto s = app::decide(**store, *o.recruitment, **rules);
  if (!s) return report(s.error());
  std::string line = "decided " + s->recruitment + " (" + s->agency + ", " +
                     std::to_string(s->year) + "): " + std::to_string(s->applicants) +
                     " applicants, " + std::to_string(s->hires) + " hires";
  for (const auto& [program, n] : s->group_hires)
    line += ", " + std::to_string(n) + " in " + program;
  write_out(line + "\n");
  return 0;
}

int run_explain_stored(const Options& o) {
  const Language lang = o.lang && *o.lang == "en" ? Language::en : Language::ko;
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  auto store = open_store(o);
  if (!store) return report(store.error());
  auto account = app::explain_applicant(**store, *o.recruitment, *o.applicant, **rules, lang);
  if (!account) return report(account.error());
  write_out(account->text);
  return 0;
}

int run_recruitments(const Options& o) {
  auto year = parse_year(o.year);
  if (!year) return report(year.error());
  auto store = open_store(o);
  if (!store) return report(store.error());
  auto list = (*store)->list_recruitments(o.agency.value_or(""), *year);
  if (!list) return report(list.error());
  std::string out = "ID\tAGENCY\tANNOUNCED\tSTATE\tAPPLICANTS\tSUPERSEDES\tSUPERSEDED_BY\n";
  for (const auto& r : *list) {
    out += r.id + "\t" + r.agency + "\t" + r.announced + "\t" + r.state + "\t" +
           std::to_string(r.applicants) + "\t" + r.supersedes.value_or("-") + "\t" +
           r.superseded_by.value_or("-") + "\n";
  }
  write_out(out);
  return 0;
}

int run_decisions(const Options& o) {
  auto store = open_store(o);
  if (!store) return report(store.error());
  auto d = app::load_decision(**store, *o.recruitment);
  if (!d) return report(d.error());
  write_decision_json(d->input, d->decision, write_out);
  return 0;
}

int run_report(const Options& o) {
  auto year = parse_year(o.year);
  if (!year) return report(year.error());
  const std::string format = o.format.value_or("table");
  if (format != "table" && format != "csv" && format != "json")
    return report(make_error("usage", "--format",
                             "--format must be table, csv or json, not '" + format + "'"));
  auto store = open_store(o);
  if (!store) return report(store.error());
  auto annual = app::annual_report(**store, *year, o.agency.value_or(""));
  if (!annual) return report(annual.error());
  write_out(app::format_report(*annual, format));
  return 0;
}

int run_demo(const Options& o) {
#ifdef PASSLINE_HAVE_DEMO
  auto year = parse_year(o.year);
  if (!year) return report(year.error());
  const int y = *year ? *year : 2018;
  auto v = sql::Store::migrate(db_url(o));
  if (!v) return report(v.error());
  auto store = open_store(o);
  if (!store) return report(store.error());
  // The agency registry first (data/agencies/*.json, built in): a quota-case/2 case is imported
  // only for a registered agency whose facts it states (SPEC §2).
  std::int64_t registered = 0, unchanged = 0;
  for (const auto& file : demo::registry_files()) {  // (path, JSON text)
    auto done = app::import_agencies(**store, file.second);
    if (!done) return report(done.error());
    registered += done->added + done->updated;
    unchanged += done->unchanged;
  }
  write_err("registered " + std::to_string(registered) + " agencies (" + std::to_string(unchanged) +
            " already registered) from " + std::to_string(demo::registry_files().size()) +
            " files of data/agencies\n");
  demo::DemoOptions opts;
  opts.year = y;
  std::vector<Case> cases = demo::demo_year(opts);
  write_err(demo::demo_year_summary(cases) + "\n");
  std::int64_t imported = 0, skipped = 0;
  for (const Case& c : cases) {
    auto existing = app::recruitment(**store, c.recruitment.id);
    if (existing) {  // demo run before on this database: keep what is there
      ++skipped;
      continue;
    }
    // The generator fills ledger.prior by deciding the agency's earlier recruitments; the
    // database keeps that ledger itself, and decides in the same order.
    Case stored = c;
    stored.ledger.clear();
    auto s = app::import_case(**store, stored);
    if (!s) return report(s.error());
    ++imported;
  }
  std::int64_t decided = 0;
  for (const Case& c : cases) {
    auto info = app::recruitment(**store, c.recruitment.id);
    if (!info) return report(info.error());
    if (info->state == "decided") continue;
    auto s = app::decide(**store, c.recruitment.id, bundled_rules());
    if (!s) return report(s.error());
    ++decided;
  }
  write_err("imported " + std::to_string(imported) + " recruitments (" + std::to_string(skipped) +
            " already stored), decided " + std::to_string(decided) + " into " +
            (*store)->url().display + "\n\n");
  // Sign the log's head (making ./passline.key on first use), so `audit` has a checkpoint.
  const std::string key = o.key ? *o.key : std::string("passline.key");
  auto note = sign_with_key_file(**store, key, true);
  if (!note) return report(note.error());
  auto head = app::log_head(**store);
  if (!head) return report(head.error());
  write_err("log: " + std::to_string(head->size) + " entries, checkpoint signed with " + key +
            "\n\n");
  auto annual = app::annual_report(**store, y);
  if (!annual) return report(annual.error());
  write_out(app::format_report(*annual, "table"));
  return 0;
#else
  (void)o;
  return report(make_error("internal", "", "this build has no demo generator"));
#endif
}

}  // namespace passline::cli
