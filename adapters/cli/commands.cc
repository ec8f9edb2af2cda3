// passline CLI: decide, explain and rules commands, error reporting and exit codes.
#include "commands.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "files.h"
#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/json.h"

namespace passline::cli {

int exit_code_for(ErrorCode error_code) noexcept { return error_code.exit_code(); }

void write_out(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }
void write_err(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stderr); }

namespace {

// What each engine error code means, for errors that arrive without a message.
std::string_view default_message(ErrorCode code) { return code.meaning(); }

// Errors of the command line itself carry a complete sentence in `message`.
bool is_cli_error(ErrorCode code) { return code.complete_sentence(); }

// `file:line: message` for a rule pack error (the message may already start with the path).
std::string rule_pack_line(const Error& e) {
  if (e.path.empty() || e.message.compare(0, e.path.size(), e.path) == 0) {
    return e.message.empty() ? std::string(e.code.name()) : e.message;
  }
  return e.path + ": " + (e.message.empty() ? std::string(e.code.name()) : e.message);
}

}  // namespace

int report(const Error& e) {
  std::string line = "passline: ";
  if (is_cli_error(e.code)) {
    line += e.message;
  } else if (e.code == "bad_rule_pack") {
    line += rule_pack_line(e);
  } else {
    if (!e.path.empty()) line += e.path + ": ";
    line += e.code + ": ";
    line += e.message.empty() ? std::string(default_message(e.code)) : e.message;
  }
  line += '\n';
  write_err(line);
  return exit_code_for(e.code);
}

Result<const RuleRegistry*> rules_for(const Options& o, RuleRegistry& storage) {
  if (!o.rules_dir) return &bundled_rules();
  auto loaded = load_rules_dir(*o.rules_dir);
  if (!loaded) return std::move(loaded).error();
  storage = std::move(loaded).value();
  return &storage;
}

namespace {

struct Decided {
  Case c;
  Decision d;
};

/// Reads the case named by the first argument, parses and decides it under the rules of
/// `--rules` (or the bundled ones). `invalid_case` is set when the error is the engine's verdict
/// on the case (SPEC §6), not a file or rules problem.
Result<Decided> decide_file(const Options& o, bool& invalid_case, Spec& spec) {
  invalid_case = false;
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return std::move(rules).error();
  auto text = read_file(o.args.at(0));
  if (!text) return std::move(text).error();
  auto c = parse_case_json(*text);
  spec = c ? c->spec : declared_spec(*text);
  std::string().swap(*text);  // the case is parsed; free the file's bytes before deciding
  invalid_case = true;
  if (!c) return std::move(c).error();
  auto d = decide(*c, **rules);
  if (!d) return std::move(d).error();
  invalid_case = false;
  return Decided{std::move(c).value(), std::move(d).value()};
}

}  // namespace

int run_decide(const Options& o) {
  bool invalid_case = false;
  Spec spec = Spec::v1;
  auto decided = decide_file(o, invalid_case, spec);
  if (!decided) {
    if (invalid_case) write_out(error_to_json(decided.error(), spec));
    return report(decided.error());
  }
  write_decision_json(decided->c, decided->d, write_out);  // streamed: no second copy
  return 0;
}

int run_explain(const Options& o) {
  // main.cc has checked --lang: ko (the default) or en.
  const Language lang = o.lang && *o.lang == "en" ? Language::en : Language::ko;
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  auto text = read_file(o.args.at(0));
  if (!text) return report(text.error());
  auto c = parse_case_json(*text);
  if (!c) return report(c.error());
  auto d = decide(*c, **rules);
  if (!d) return report(d.error());
  // quota-case/2: every step cites the pack that decided, from the same registry.
  auto account = explain(*c, *d, **rules, *o.applicant, ExplainOptions{lang});
  if (!account) {
    Error e = account.error();
    if (e.message.empty()) e.message = "no unit of the case has applicant '" + *o.applicant + "'";
    return report(e);
  }
  write_out(*account);
  return 0;
}

namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string until_text(const std::optional<Date>& d) { return d ? d->to_string() : "-"; }

}  // namespace

int run_rules_list(const Options& o) {
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  const auto& packs = (*rules)->all();

  std::size_t id_w = 2, version_w = 7;
  for (const RulePack& p : packs) {
    id_w = std::max(id_w, p.id.size());
    version_w = std::max(version_w, p.version.size());
  }
  std::string out = pad("ID", id_w) + "  " + pad("VERSION", version_w) + "  " + pad("FROM", 10) +
                    "  " + pad("UNTIL", 10) + "  " + pad("SHA-256", 64) + "  TITLE\n";
  for (const RulePack& p : packs) {
    out += pad(p.id, id_w) + "  " + pad(p.version, version_w) + "  " +
           pad(p.effective_from.to_string(), 10) + "  " + pad(until_text(p.effective_until), 10) +
           "  " + pad(p.digest, 64) + "  " + p.title + "\n";
  }
  write_out(out);
  return 0;
}

int run_rules_show(const Options& o) {
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  const std::string& id = o.args.at(0);

  std::string out;
  std::string known;  // every id, for the error message; all() is ordered by id
  std::string_view last;
  for (const RulePack& p : (*rules)->all()) {
    if (p.id != last) known += (known.empty() ? "" : ", ") + p.id;
    last = p.id;
    if (p.id != id) continue;
    if (!out.empty()) out += '\n';
    // One header line, then the canonical form the digest is computed over, indented for
    // reading (the digest is of the compact canonical bytes, not of this rendering).
    out += "# " + p.id + " " + p.version + " (" + p.effective_from.to_string() + " .. " +
           until_text(p.effective_until) + ") sha256:" + p.digest + "\n";
    const auto canonical = nlohmann::json::parse(p.canonical_json());
    out += canonical.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  if (out.empty()) {
    return report(
        make_error("unknown_pack", id,
                   "no rule pack '" + id + "'; known: " + (known.empty() ? "none" : known)));
  }
  write_out(out);
  return 0;
}

int run_rules_check(const Options& o) {
  const std::string& dir = o.args.at(0);
  auto files = read_rule_files(dir);
  if (!files) return report(files.error());
  auto registry = load_rule_packs(*files);
  if (!registry) {
    // Compiler style, so editors can jump to it: `file:line: message`.
    write_err(rule_pack_line(registry.error()) + "\n");
    return exit_code_for(registry.error().code);
  }
  std::size_t ids = 0;  // all() is ordered by id
  std::string_view last;
  for (const RulePack& p : registry->all()) {
    if (ids == 0 || p.id != last) ++ids;
    last = p.id;
  }
  write_out("OK: " + std::to_string(files->size()) + " files, " +
            std::to_string(registry->all().size()) + " pack versions, " + std::to_string(ids) +
            " programs in " + dir + "\n");
  return 0;
}

}  // namespace passline::cli
