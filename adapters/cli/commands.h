// passline CLI: the commands. main.cc parses the command line into Options and calls one of
// these; each writes its output, reports its own errors on stderr, and returns the process
// exit code (always through exit_code_for()). Not thread-safe: they write to stdout/stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline::sql {
class Store;
}

namespace passline::cli {

/// Exit codes of `passline`.
///   0   success; `conform`: every case conformed
///   1   `conform`: at least one case did not conform
///   2   invalid input: a case the engine rejects (SPEC §6 codes), malformed JSON, an unreadable
///       file or directory, a bad rule pack, an unknown applicant or pack id, a bad CSV row
///   3   refused by the stored state: already decided, superseded, duplicate recruitment
///   69  database unavailable (EX_UNAVAILABLE): cannot connect, or a database error
///   64  usage error (EX_USAGE): unknown command or option, missing or extra argument
///   70  internal error (EX_SOFTWARE): an exception escaped a command
///   74  output error (EX_IOERR): stdout could not be written
///   78  database schema missing, outdated or too new (EX_CONFIG)
/// The one place where an error code becomes an exit code (CONVENTIONS: "one to CLI exit codes").
int exit_code_for(ErrorCode error_code) noexcept;

/// The command line after parsing: positional arguments (without the command words) and the
/// options the command accepts.
struct Options {
  std::vector<std::string> args;
  std::optional<std::string> rules_dir;  ///< --rules DIR: load packs from DIR, not the bundled ones
  std::optional<std::string> applicant;  ///< --applicant ID (explain)
  std::optional<std::string> lang;       ///< --lang ko|en (explain; default ko)
  std::optional<std::string> db;         ///< --db URL (default sqlite:passline.db)
  std::optional<std::string> recruitment;
  std::optional<std::string> supersedes;
  std::optional<std::string> year;
  std::optional<std::string> agency;
  std::optional<std::string> format;  ///< report: table (default), csv or json
  std::optional<std::string> applicants_csv, education_csv, scores_csv;
  std::optional<std::string> key;   ///< --key FILE: the log's private key (FILE.pub beside it)
  std::optional<std::string> name;  ///< --name ORIGIN: the key's (and log's) name
  std::optional<std::string> out;   ///< --out FILE
  std::optional<std::string> checkpoint;          ///< --checkpoint FILE: a signed checkpoint note
  std::optional<std::string> pubkey;              ///< --pubkey FILE: a note verifier key
  std::optional<std::string> port;                ///< serve: --port P (0: any free port)
  std::optional<std::string> config;              ///< serve: --config FILE (docs/HTTP.md)
  std::optional<std::string> access_log;          ///< serve: --access-log FILE|off
  std::optional<std::string> role;                ///< token create: --role recruiter|auditor|admin
  std::optional<std::string> index, first, size;  ///< audit proof: --index I | --first M, --size N
  // agency add: the registry record's fields; the two flags hold "" when given.
  std::optional<std::string> code, region, name_ko, name_en, source;
  std::optional<std::string> innovation_cohort, innovation_since;
  std::optional<std::string> public_institution, joint_city;  ///< flags
  std::optional<std::string> tiles;                           ///< audit export: --tiles DIR
  std::optional<std::string> state;                           ///< audit watch: --state FILE
  std::optional<std::string> trust_receipt_key;               ///< verify-receipt: flag
  std::optional<std::string> token_file;  ///< audit watch: --token-file FILE (an auditor's token)
  std::optional<std::string> openings;    ///< audit export / replay: --openings FILE (JSONL)
  std::optional<std::string> until;       ///< audit retention: --until DATE
  std::optional<std::string> as_of;       ///< audit erase: --as-of DATE
  // Witnesses (witness.cc; docs/AUDIT_LOG.md §8).
  std::vector<std::string> witness;  ///< --witness NAME=KEY, repeatable: a witness to require
  std::optional<std::string> witness_threshold;  ///< --witness-threshold N (default: all given)
  std::optional<std::string> witnesses;          ///< audit witness: --witnesses FILE
  std::vector<std::string> log;                  ///< witness serve: --log ORIGIN=KEY, repeatable
};

/// Writes bytes to stdout / stderr unchanged (std::fwrite; no locale, no newline translation).
void write_out(std::string_view text);
void write_err(std::string_view text);

/// Prints `passline: <one sentence>` for `e` on stderr and returns exit_code_for(e.code).
int report(const Error& e);

/// The packs a command decides with: bundled_rules(), or, with --rules DIR, every `*.yaml`
/// below DIR loaded strictly into `storage`. Errors as load_rules_dir().
Result<const RuleRegistry*> rules_for(const Options& o, RuleRegistry& storage);

/// `passline decide CASE.json [--rules DIR]`.
int run_decide(const Options& o);
/// `passline explain CASE.json --applicant ID [--lang ko|en] [--rules DIR]`.
int run_explain(const Options& o);
/// `passline rules list [--rules DIR]`.
int run_rules_list(const Options& o);
/// `passline rules show ID [--rules DIR]`.
int run_rules_show(const Options& o);
/// `passline rules check DIR`.
int run_rules_check(const Options& o);
/// `passline conform DIR [--rules DIR]` (conform.cc).
int run_conform(const Options& o);

// Storage commands (storage.cc); every one takes --db URL.
/// `passline db init` / `passline db migrate`.
int run_db_init(const Options& o);
int run_db_migrate(const Options& o);
/// `passline import CASE.json [--supersedes ID]`.
int run_import(const Options& o);
/// `passline import-csv RECRUITMENT.json --applicants F --education F --scores F`.
int run_import_csv(const Options& o);
/// `passline decide --recruitment ID`.
int run_decide_stored(const Options& o);
/// `passline explain --recruitment ID --applicant ID [--lang ko|en] [--rules DIR]`: the
/// account of a decided recruitment's applicant, from the decision log (app/explanation.h).
int run_explain_stored(const Options& o);
/// `passline recruitments [--agency CODE] [--year Y]`.
int run_recruitments(const Options& o);
/// `passline decisions --recruitment ID`: the stored quota-decision/1 document.
int run_decisions(const Options& o);
/// `passline report --year Y [--agency CODE] [--format table|csv|json]`.
int run_report(const Options& o);
/// `passline demo [--year Y]`: a realistic year imported, decided and reported.
int run_demo(const Options& o);

// The agency registry (agencies.cc; every one takes --db URL).
/// `passline agency add --code C --region R --name-ko N [--name-en N] [--public-institution]
/// [--innovation-cohort 2018|2020 --innovation-since DATE [--joint-city]] --source TEXT`.
int run_agency_add(const Options& o);
/// `passline agency import FILE.json`: all or nothing.
int run_agency_import(const Options& o);
/// `passline agency list [--format table|json]`.
int run_agency_list(const Options& o);
/// `passline agency show CODE`: the record as JSON.
int run_agency_show(const Options& o);

// The decision log (audit.cc).
/// Signs a checkpoint of `store`'s log with the key at `path` (and `path`.pub); with `create`,
/// makes the key first when there is none. Returns the signed note.
Result<std::string> sign_with_key_file(sql::Store& store, const std::string& path, bool create);
/// `passline keys init [--key FILE] [--name ORIGIN]`: FILE (mode 0600) and FILE.pub.
int run_keys_init(const Options& o);
/// `passline audit checkpoint`: signs (with --key, or ./passline.key when present) and prints.
int run_audit_checkpoint(const Options& o);
/// `passline audit export [--out FILE]`: one canonical entry per line.
int run_audit_export(const Options& o);
/// `passline audit export --tiles DIR [--key FILE]` (tiles.cc): the log as static C2SP tiles.
int run_audit_export_tiles(const Options& o);
/// `passline audit verify LOG [--checkpoint FILE --pubkey FILE]`: exit 1 naming the first bad
/// entry.
int run_audit_verify(const Options& o);
/// `passline audit replay LOG [--rules DIR]`: `N recruitments replayed, N differ`, exit 1 if any.
int run_audit_replay(const Options& o);
/// `passline audit receipt --recruitment R --applicant A [--out FILE]`.
int run_audit_receipt(const Options& o);
/// `passline audit proof --index I | --first M [--size N]`: an RFC 9162 inclusion or
/// consistency proof from the stored log, as JSON.
int run_audit_proof(const Options& o);
/// `passline audit verify-receipt FILE [--pubkey FILE]`: exit 1 when it does not verify.
int run_audit_verify_receipt(const Options& o);
/// `passline audit watch URL --state FILE --pubkey FILE` (watch.cc): the monitor.
int run_audit_watch(const Options& o);
/// `passline audit retention --recruitment ID [--until DATE]`: shows (or sets) how long a
/// recruitment's openings are kept.
int run_audit_retention(const Options& o);
/// `passline audit erase [--as-of DATE]`: destroys the openings whose retention ended before
/// DATE (default today, UTC), in one transaction, and prints what it erased.
int run_audit_erase(const Options& o);
// Witnesses (witness.cc; docs/AUDIT_LOG.md §8).
/// `passline witness keys init --name NAME --out DIR`: DIR/witness.key (0600), DIR/witness.pub.
int run_witness_keys_init(const Options& o);
/// `passline witness serve --port P --state FILE --key FILE --log ORIGIN=KEY ...`: a C2SP
/// tlog-witness until SIGTERM.
int run_witness_serve(const Options& o);
/// `passline audit witness --witnesses FILE [--key FILE]`: submits the newest checkpoint to each
/// witness and stores the cosignatures; exit 69 (witness_failed) when one could not cosign.
int run_audit_witness(const Options& o);
/// The witness quorum --witness/--witness-threshold ask of the signed checkpoint `note`: ok when
/// no --witness is given; `usage` for a bad option; `witness_quorum` when too few cosigned.
/// On success, a line naming the witnesses that cosigned (empty without --witness).
Result<std::string> check_witnesses(const Options& o, std::string_view note);
// The HTTP service (http_commands.cc; docs/HTTP.md).
/// `passline serve [--db URL] [--port P] [--config FILE] [--access-log FILE|off]`: serves API
/// v1 until SIGTERM or SIGINT, then stops gracefully.
int run_serve(const Options& o);
/// `passline token create --role R [--agency CODE]`: prints the new token once, on its last line.
int run_token_create(const Options& o);

}  // namespace passline::cli
