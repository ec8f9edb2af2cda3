// passline: the command line. Parses argv, dispatches to a command (commands.h), and turns
// every way out (result, usage error, exception, failed write) into an exit code through
// exit_code_for().
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "passline/decision.h"

namespace passline::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: passline decide CASE.json|- [--rules DIR]\n"
    "       passline decide --recruitment ID [--db URL] [--rules DIR]\n"
    "       passline conform DIR [--rules DIR]\n"
    "       passline explain CASE.json --applicant ID [--lang ko|en] [--rules DIR]\n"
    "       passline explain --recruitment ID --applicant ID [--lang ko|en] [--db URL] [--rules "
    "DIR]\n"
    "       passline rules list [--rules DIR]\n"
    "       passline rules show ID [--rules DIR]\n"
    "       passline rules check DIR\n"
    "       passline db init|migrate [--db URL]\n"
    "       passline import CASE.json|- [--supersedes ID] [--db URL]\n"
    "       passline import-csv RECRUITMENT.json --applicants F --education F --scores F [--db "
    "URL]\n"
    "       passline recruitments [--agency CODE] [--year Y] [--db URL]\n"
    "       passline decisions --recruitment ID [--db URL]\n"
    "       passline report --year Y [--agency CODE] [--format table|csv|json] [--db URL]\n"
    "       passline demo [--year Y] [--db URL] [--key FILE]\n"
    "       passline agency add --code C --region R --name-ko N [--name-en N] "
    "[--public-institution]\n"
    "                           [--innovation-cohort 2018|2020 --innovation-since YYYY-MM-DD "
    "[--joint-city]]\n"
    "                           --source TEXT [--db URL]\n"
    "       passline agency import FILE.json [--db URL]\n"
    "       passline agency list [--format table|json] [--db URL]\n"
    "       passline agency show CODE [--db URL]\n"
    "       passline keys init [--key FILE] [--name ORIGIN]\n"
    "       passline audit checkpoint|export|proof|receipt|verify|replay|verify-receipt|watch|"
    "witness|\n"
    "                      retention|erase ...\n"
    "       passline witness keys init --name NAME --out DIR\n"
    "       passline witness serve --state FILE --key FILE --log ORIGIN=KEY ... [--port P]\n"
    "       passline serve [--db URL] [--port P] [--config FILE] [--access-log FILE|off] [--key "
    "FILE]\n"
    "       passline token create --role recruiter|auditor|admin [--agency CODE] [--db URL]\n"
    "       passline --help | --version\n";

constexpr std::string_view kHelp =
    "\n"
    "Decides Korean public-agency recruitments under local-talent quota programs\n"
    "(채용목표제, 이전지역인재 추가합격) exactly as ../shared/SPEC.md states.\n"
    "\n"
    "commands:\n"
    "  decide    print the quota-decision/1 JSON for a quota-case/1 file\n"
    "  conform   decide every NAME.case.json in DIR, compare with NAME.expected.json\n"
    "  explain   say in plain words what happened to one applicant at each stage, of a case\n"
    "            file or a stored decided recruitment (quota-case/2: citing every step)\n"
    "  rules     list the rule packs, show one in canonical form, or check a directory\n"
    "  db        create the database schema (init) or bring it up to date (migrate)\n"
    "  import    store a recruitment from a case file, or from CSV exports (import-csv)\n"
    "  decide --recruitment  decide a stored recruitment, record it and update the ledger\n"
    "  recruitments, decisions  list stored recruitments; print a stored decision\n"
    "  report    the annual compliance report of every agency\n"
    "  demo      build a realistic year in the database, decide it, print its report\n"
    "  agency    the agency registry: add (or correct) one agency's facts, import a file of\n"
    "            them (data/agencies/), list them, show one; a quota-case/2 case is imported\n"
    "            only when its agency's facts are the registry's\n"
    "  keys init make the Ed25519 key that signs the log's checkpoints, under a unique\n"
    "            origin (HOST/passline/RANDOM unless --name ORIGIN)\n"
    "  audit     checkpoint: sign and print the log head; export: the log as JSONL;\n"
    "            proof: an inclusion or consistency proof (RFC 9162);\n"
    "            verify: recompute the root, name the first bad entry; replay: decide\n"
    "            every logged recruitment again; receipt / verify-receipt: an applicant's\n"
    "            self-contained proof, and its offline check (--pubkey, or\n"
    "            --trust-receipt-key); export --tiles DIR: the log as static C2SP\n"
    "            tlog-tiles; watch URL: follow a tiled log, check each checkpoint\n"
    "            against the last one seen, report new recruitments and corrections;\n"
    "            retention / erase: how long applicants' openings are kept, and\n"
    "            destroying those past it (docs/AUDIT_LOG.md)\n"
    "            witness: submit the newest checkpoint to the witnesses, keep their\n"
    "            cosignatures (--witness NAME=KEY on verify, verify-receipt and watch\n"
    "            requires them)\n"
    "  witness   keys init: a witness's key; serve: a C2SP tlog-witness that cosigns only\n"
    "            checkpoints consistent with the last one it cosigned for that log\n"
    "  serve     the HTTP API v1 (docs/HTTP.md) until SIGTERM\n"
    "  token     create an access token for the HTTP API (shown once)\n"
    "\n"
    "options:\n"
    "  --rules DIR       use every *.yaml below DIR instead of the bundled rule packs\n"
    "  --applicant ID    the applicant to explain\n"
    "  --lang ko|en      language of the explanation (default ko)\n"
    "  --db URL          sqlite:PATH (default sqlite:passline.db) or\n"
    "                    postgresql://user@host:port/dbname\n"
    "\n"
    "exit status: 0 ok; 1 conform found a difference; 2 invalid input (the case, a file,\n"
    "a rule pack); 3 refused by the stored state (already decided, superseded, duplicate);\n"
    "64 usage error; 69 database unavailable; 70 internal error; 74 output could not be\n"
    "written; 78 database schema missing, outdated or too new.\n";

enum class Option {
  rules,
  applicant,
  lang,
  db,
  recruitment,
  supersedes,
  year,
  agency,
  format,
  applicants_csv,
  education_csv,
  scores_csv,
  key,
  name,
  out,
  checkpoint,
  pubkey,
  port,
  config,
  access_log,
  role,
  index,
  first,
  size,
  code,
  region,
  name_ko,
  name_en,
  public_institution,
  innovation_cohort,
  innovation_since,
  joint_city,
  source,
  tiles,
  state,
  trust_receipt_key,
  token_file,
  openings,
  until,
  as_of,
  witness,
  witness_threshold,
  witnesses,
  log
};

// Each option's name and where its value goes; a flag takes no value (its slot holds "").
struct OptionSpec {
  std::string_view name;
  Option option;
  std::optional<std::string> Options::*slot;
  bool flag = false;
  std::vector<std::string> Options::*many = nullptr;  ///< a repeatable option's values
};
constexpr OptionSpec kOptions[] = {
    {"--rules", Option::rules, &Options::rules_dir},
    {"--applicant", Option::applicant, &Options::applicant},
    {"--lang", Option::lang, &Options::lang},
    {"--db", Option::db, &Options::db},
    {"--recruitment", Option::recruitment, &Options::recruitment},
    {"--supersedes", Option::supersedes, &Options::supersedes},
    {"--year", Option::year, &Options::year},
    {"--agency", Option::agency, &Options::agency},
    {"--format", Option::format, &Options::format},
    {"--applicants", Option::applicants_csv, &Options::applicants_csv},
    {"--education", Option::education_csv, &Options::education_csv},
    {"--scores", Option::scores_csv, &Options::scores_csv},
    {"--key", Option::key, &Options::key},
    {"--name", Option::name, &Options::name},
    {"--out", Option::out, &Options::out},
    {"--checkpoint", Option::checkpoint, &Options::checkpoint},
    {"--pubkey", Option::pubkey, &Options::pubkey},
    {"--token-file", Option::token_file, &Options::token_file},
    {"--port", Option::port, &Options::port},
    {"--config", Option::config, &Options::config},
    {"--access-log", Option::access_log, &Options::access_log},
    {"--role", Option::role, &Options::role},
    {"--index", Option::index, &Options::index},
    {"--first", Option::first, &Options::first},
    {"--size", Option::size, &Options::size},
    {"--code", Option::code, &Options::code},
    {"--region", Option::region, &Options::region},
    {"--name-ko", Option::name_ko, &Options::name_ko},
    {"--name-en", Option::name_en, &Options::name_en},
    {"--public-institution", Option::public_institution, &Options::public_institution, true},
    {"--innovation-cohort", Option::innovation_cohort, &Options::innovation_cohort},
    {"--innovation-since", Option::innovation_since, &Options::innovation_since},
    {"--joint-city", Option::joint_city, &Options::joint_city, true},
    {"--source", Option::source, &Options::source},
    {"--tiles", Option::tiles, &Options::tiles},
    {"--state", Option::state, &Options::state},
    {"--trust-receipt-key", Option::trust_receipt_key, &Options::trust_receipt_key, true},
    {"--openings", Option::openings, &Options::openings},
    {"--until", Option::until, &Options::until},
    {"--as-of", Option::as_of, &Options::as_of},
    {"--witness", Option::witness, nullptr, false, &Options::witness},
    {"--witness-threshold", Option::witness_threshold, &Options::witness_threshold},
    {"--witnesses", Option::witnesses, &Options::witnesses},
    {"--log", Option::log, nullptr, false, &Options::log},
};

// One command: the words that name it, its positional arguments, the options it accepts.
struct Command {
  std::vector<std::string_view> words;
  std::vector<std::string_view> positional;  // names, for the usage line
  std::vector<Option> options;
  std::vector<Option> required;
  std::string_view usage;
  int (*run)(const Options&);
};

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {{"decide"},
       {"CASE.json"},
       {Option::rules, Option::db, Option::recruitment},
       {},
       "usage: passline decide CASE.json|- [--rules DIR]\n"
       "       passline decide --recruitment ID [--db URL] [--rules DIR]",
       run_decide},
      {{"conform"},
       {"DIR"},
       {Option::rules},
       {},
       "usage: passline conform DIR [--rules DIR]",
       run_conform},
      {{"explain"},
       {"CASE.json"},
       {Option::rules, Option::applicant, Option::lang, Option::db, Option::recruitment},
       {Option::applicant},
       "usage: passline explain CASE.json --applicant ID [--lang ko|en] [--rules DIR]\n"
       "       passline explain --recruitment ID --applicant ID [--lang ko|en] [--db URL] "
       "[--rules DIR]",
       run_explain},
      {{"rules", "list"},
       {},
       {Option::rules},
       {},
       "usage: passline rules list [--rules DIR]",
       run_rules_list},
      {{"rules", "show"},
       {"ID"},
       {Option::rules},
       {},
       "usage: passline rules show ID [--rules DIR]",
       run_rules_show},
      {{"rules", "check"}, {"DIR"}, {}, {}, "usage: passline rules check DIR", run_rules_check},
      {{"db", "init"}, {}, {Option::db}, {}, "usage: passline db init [--db URL]", run_db_init},
      {{"db", "migrate"},
       {},
       {Option::db},
       {},
       "usage: passline db migrate [--db URL]",
       run_db_migrate},
      {{"import"},
       {"CASE.json"},
       {Option::db, Option::supersedes},
       {},
       "usage: passline import CASE.json|- [--supersedes ID] [--db URL]",
       run_import},
      {{"import-csv"},
       {"RECRUITMENT.json"},
       {Option::db, Option::supersedes, Option::applicants_csv, Option::education_csv,
        Option::scores_csv},
       {Option::applicants_csv, Option::education_csv, Option::scores_csv},
       "usage: passline import-csv RECRUITMENT.json --applicants FILE.csv --education FILE.csv\n"
       "                           --scores FILE.csv [--supersedes ID] [--db URL]",
       run_import_csv},
      {{"recruitments"},
       {},
       {Option::db, Option::agency, Option::year},
       {},
       "usage: passline recruitments [--agency CODE] [--year Y] [--db URL]",
       run_recruitments},
      {{"decisions"},
       {},
       {Option::db, Option::recruitment},
       {Option::recruitment},
       "usage: passline decisions --recruitment ID [--db URL]",
       run_decisions},
      {{"report"},
       {},
       {Option::db, Option::year, Option::agency, Option::format},
       {Option::year},
       "usage: passline report --year Y [--agency CODE] [--format table|csv|json] [--db URL]",
       run_report},
      {{"demo"},
       {},
       {Option::db, Option::year, Option::key},
       {},
       "usage: passline demo [--year Y] [--db URL] [--key FILE]",
       run_demo},
      {{"agency", "add"},
       {},
       {Option::db, Option::code, Option::region, Option::name_ko, Option::name_en,
        Option::public_institution, Option::innovation_cohort, Option::innovation_since,
        Option::joint_city, Option::source},
       {Option::code, Option::region, Option::name_ko, Option::source},
       "usage: passline agency add --code C --region R --name-ko N [--name-en N] "
       "[--public-institution]\n"
       "                           [--innovation-cohort 2018|2020 --innovation-since YYYY-MM-DD "
       "[--joint-city]]\n"
       "                           --source TEXT [--db URL]",
       run_agency_add},
      {{"agency", "import"},
       {"FILE"},
       {Option::db},
       {},
       "usage: passline agency import FILE.json [--db URL]",
       run_agency_import},
      {{"agency", "list"},
       {},
       {Option::db, Option::format},
       {},
       "usage: passline agency list [--format table|json] [--db URL]",
       run_agency_list},
      {{"agency", "show"},
       {"CODE"},
       {Option::db},
       {},
       "usage: passline agency show CODE [--db URL]",
       run_agency_show},
      {{"keys", "init"},
       {},
       {Option::key, Option::name},
       {},
       "usage: passline keys init [--key FILE] [--name ORIGIN]",
       run_keys_init},
      {{"witness", "keys", "init"},
       {},
       {Option::name, Option::out},
       {Option::name, Option::out},
       "usage: passline witness keys init --name NAME --out DIR",
       run_witness_keys_init},
      {{"audit", "checkpoint"},
       {},
       {Option::db, Option::key},
       {},
       "usage: passline audit checkpoint [--key FILE] [--db URL]",
       run_audit_checkpoint},
      {{"audit", "export"},
       {},
       {Option::db, Option::out, Option::tiles, Option::key, Option::openings},
       {},
       "usage: passline audit export [--out FILE] [--openings FILE] [--db URL]\n"
       "       passline audit export --tiles DIR [--key FILE] [--db URL]",
       run_audit_export},
      {{"audit", "verify"},
       {"LOG"},
       {Option::checkpoint, Option::pubkey, Option::witness, Option::witness_threshold},
       {},
       "usage: passline audit verify LOG.jsonl [--checkpoint FILE --pubkey FILE\n"
       "                                [--witness NAME=KEY ... [--witness-threshold N]]]",
       run_audit_verify},
      {{"audit", "replay"},
       {"LOG"},
       {Option::rules, Option::openings},
       {},
       "usage: passline audit replay LOG.jsonl [--openings FILE] [--rules DIR]",
       run_audit_replay},
      {{"audit", "retention"},
       {},
       {Option::db, Option::recruitment, Option::until},
       {Option::recruitment},
       "usage: passline audit retention --recruitment ID [--until YYYY-MM-DD] [--db URL]",
       run_audit_retention},
      {{"audit", "erase"},
       {},
       {Option::db, Option::as_of},
       {},
       "usage: passline audit erase [--as-of YYYY-MM-DD] [--db URL]",
       run_audit_erase},
      {{"audit", "receipt"},
       {},
       {Option::db, Option::recruitment, Option::applicant, Option::key, Option::out},
       {Option::recruitment, Option::applicant},
       "usage: passline audit receipt --recruitment ID --applicant ID [--out FILE] [--key FILE] "
       "[--db URL]",
       run_audit_receipt},
      {{"audit", "proof"},
       {},
       {Option::db, Option::index, Option::first, Option::size},
       {},
       "usage: passline audit proof --index I [--size N] [--db URL]\n"
       "       passline audit proof --first M [--size N] [--db URL]",
       run_audit_proof},
      {{"audit", "verify-receipt"},
       {"FILE"},
       {Option::pubkey, Option::trust_receipt_key, Option::witness, Option::witness_threshold},
       {},
       "usage: passline audit verify-receipt FILE --pubkey FILE\n"
       "       passline audit verify-receipt FILE --trust-receipt-key\n"
       "         [--witness NAME=KEY ... [--witness-threshold N]]",
       run_audit_verify_receipt},
#ifdef PASSLINE_HAVE_HTTP
      {{"audit", "watch"},
       {"URL"},
       {Option::state, Option::pubkey, Option::token_file, Option::witness,
        Option::witness_threshold},
       {Option::state, Option::pubkey},
       "usage: passline audit watch URL --state FILE --pubkey FILE [--token-file FILE]\n"
       "         [--witness NAME=KEY ... [--witness-threshold N]]",
       run_audit_watch},
      {{"audit", "witness"},
       {},
       {Option::db, Option::key, Option::witnesses},
       {Option::witnesses},
       "usage: passline audit witness --witnesses FILE [--key FILE] [--db URL]",
       run_audit_witness},
      {{"witness", "serve"},
       {},
       {Option::port, Option::state, Option::key, Option::log},
       {Option::state, Option::key, Option::log},
       "usage: passline witness serve --state FILE --key FILE --log ORIGIN=KEY ... [--port P]",
       run_witness_serve},
      {{"serve"},
       {},
       {Option::db, Option::port, Option::config, Option::access_log, Option::key},
       {},
       "usage: passline serve [--db URL] [--port P] [--config FILE] [--access-log FILE|off] [--key "
       "FILE]",
       run_serve},
      {{"token", "create"},
       {},
       {Option::db, Option::role, Option::agency},
       {Option::role},
       "usage: passline token create --role recruiter|auditor|admin [--agency CODE] [--db URL]",
       run_token_create},
#endif
  };
  return table;
}

int usage_error(std::string_view what, std::string_view usage) {
  write_err("passline: " + std::string(what) + "\n" + std::string(usage) +
            (usage.empty() || usage.back() == '\n' ? "" : "\n"));
  return exit_code_for("usage");
}

bool accepts(const Command& c, Option o) {
  for (Option x : c.options) {
    if (x == o) return true;
  }
  return false;
}

int run(const std::vector<std::string>& argv) {
  if (argv.empty()) return usage_error("no command given", kUsage);
  if (argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    write_out(std::string(kUsage) + std::string(kHelp));
    return 0;
  }
  if (argv[0] == "--version") {
    write_out("passline " + std::string(engine_version()) + "\n");
    return 0;
  }

  // Find the command whose words start the argument list.
  const Command* cmd = nullptr;
  for (const Command& c : commands()) {
    if (argv.size() < c.words.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < c.words.size(); ++i) match = match && argv[i] == c.words[i];
    if (match) {
      cmd = &c;
      break;
    }
  }
  if (cmd == nullptr) {
    if (argv[0] == "audit" || argv[0] == "keys" || argv[0] == "db" || argv[0] == "token" ||
        argv[0] == "agency" || argv[0] == "witness") {
      return usage_error(argv.size() < 2 ? argv[0] + " needs a subcommand"
                                         : "unknown " + argv[0] + " command '" + argv[1] + "'",
                         kUsage);
    }
    if (argv[0] == "rules") {
      return usage_error(argv.size() < 2 ? "rules needs list, show or check"
                                         : "unknown rules command '" + argv[1] + "'",
                         "usage: passline rules list|show ID|check DIR");
    }
    return usage_error("unknown command '" + argv[0] + "'", kUsage);
  }

  Options o;
  bool options_done = false;
  for (std::size_t i = cmd->words.size(); i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      o.args.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      write_out(std::string(cmd->usage) + "\n");
      return 0;
    }
    // --name VALUE or --name=VALUE
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& os : kOptions) {
      if (os.name == name) spec = &os;
    }
    if (spec == nullptr) return usage_error("unknown option '" + name + "'", cmd->usage);
    if (!accepts(*cmd, spec->option)) {
      return usage_error("option " + name + " does not apply here", cmd->usage);
    }
    if (spec->many) {
      if (!has_value) {
        if (i + 1 >= argv.size()) return usage_error(name + " needs a value", cmd->usage);
        value = argv[++i];
      }
      (o.*(spec->many)).push_back(value);
      continue;
    }
    std::optional<std::string>* slot = &(o.*(spec->slot));
    if (spec->flag) {
      if (has_value) return usage_error(name + " takes no value", cmd->usage);
      if (slot->has_value()) return usage_error(name + " given twice", cmd->usage);
      *slot = std::string();
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argv.size()) return usage_error(name + " needs a value", cmd->usage);
      value = argv[++i];
    }
    if (slot->has_value()) return usage_error(name + " given twice", cmd->usage);
    *slot = value;
  }

  // `decide --recruitment ID` decides a stored recruitment instead of a file.
  if (o.recruitment && cmd->words[0] == "decide" && o.args.empty()) return run_decide_stored(o);
  if (o.recruitment && cmd->words[0] == "decide")
    return usage_error("give CASE.json or --recruitment ID, not both", cmd->usage);
  // `explain --recruitment ID` explains a stored decided recruitment instead of a file.
  const bool stored_explain = o.recruitment && cmd->words[0] == "explain";
  if (stored_explain && !o.args.empty())
    return usage_error("give CASE.json or --recruitment ID, not both", cmd->usage);
  if (!stored_explain && o.db && cmd->words[0] == "explain")
    return usage_error("--db applies with --recruitment ID only", cmd->usage);
  if (o.args.size() < cmd->positional.size() && !stored_explain) {
    return usage_error("missing " + std::string(cmd->positional[o.args.size()]), cmd->usage);
  }
  if (o.args.size() > cmd->positional.size()) {
    return usage_error("unexpected argument '" + o.args[cmd->positional.size()] + "'", cmd->usage);
  }
  for (Option required : cmd->required) {
    for (const OptionSpec& os : kOptions) {
      if (os.option == required && (os.many ? (o.*(os.many)).empty() : !(o.*(os.slot))))
        return usage_error("missing " + std::string(os.name), cmd->usage);
    }
  }
  if (o.lang && *o.lang != "ko" && *o.lang != "en") {
    return usage_error("--lang must be ko or en, not '" + *o.lang + "'", cmd->usage);
  }
  if (stored_explain) return run_explain_stored(o);
  return cmd->run(o);
}

}  // namespace
}  // namespace passline::cli

int main(int argc, char** argv) {
  namespace cli = passline::cli;
  int code;
  try {
    code = cli::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    code = cli::report(
        passline::make_error("internal", "", std::string("internal error: ") + e.what()));
  } catch (...) {
    code = cli::report(passline::make_error("internal", "", "internal error: unknown exception"));
  }
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int err = errno;
    code = cli::report(passline::make_error("write_failed", "",
                                            std::string("cannot write output: ") +
                                                std::strerror(err ? err : EIO)));
  }
  return code;
}
