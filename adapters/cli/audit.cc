// passline CLI: the log key, signed checkpoints, export, verification, replay and receipts.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <functional>
#include <optional>
#include <span>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "files.h"
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "passline/app/audit.h"
#include "passline/app/openings.h"
#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/log.h"
#include "passline/log_verify.h"
#include "passline/receipt.h"
#include "passline/sql/file_write.h"
#include "passline/sql/log_key.h"
#include "passline/sql/store.h"
#include "passline/sql/witness.h"

namespace passline::cli {
namespace {

constexpr std::string_view kDefaultKey = "passline.key";

std::string key_path(const Options& o) { return o.key ? *o.key : std::string(kDefaultKey); }

Error file_error(ErrorCode code, const std::string& path, const std::string& what) {
  return make_error(code, path, what + " " + path + ": " + std::strerror(errno));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Calls `line` with each line of a JSONL file (without its newline), reading in large blocks.
Result<std::uint64_t> for_each_line(const std::string& path,
                                    const std::function<void(std::string_view)>& line) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return file_error("unreadable_file", path, "cannot open");
  std::vector<char> buf(1 << 20);
  std::string carry;
  std::uint64_t n = 0;
  for (;;) {
    const std::size_t got = std::fread(buf.data(), 1, buf.size(), f);
    if (got == 0) break;
    std::string_view chunk(buf.data(), got);
    std::size_t start = 0;
    for (;;) {
      const std::size_t nl = chunk.find('\n', start);
      if (nl == std::string_view::npos) break;
      if (!carry.empty()) {
        carry.append(chunk.substr(start, nl - start));
        line(carry);
        carry.clear();
      } else {
        line(chunk.substr(start, nl - start));
      }
      ++n;
      start = nl + 1;
    }
    carry.append(chunk.substr(start));
  }
  const bool failed = std::ferror(f);
  if (f != stdin) std::fclose(f);
  if (failed) return file_error("unreadable_file", path, "cannot read");
  if (!carry.empty()) {
    line(carry);
    ++n;
  }
  return n;
}

}  // namespace

Result<std::string> sign_with_key_file(sql::Store& store, const std::string& path, bool create) {
  if (create && ::access(path.c_str(), F_OK) != 0) {
    auto made = sql::create_log_key(path, sql::default_log_origin());
    if (!made) return made.error();
  }
  auto key = sql::read_log_key(path);
  if (!key) return key.error();
  auto cp = app::sign_checkpoint(store, key->private_pem, key->name);
  if (!cp) return cp.error();
  return cp->note;
}

int run_keys_init(const Options& o) {
  const std::string path = key_path(o);
  auto key = sql::create_log_key(path, o.name ? *o.name : sql::default_log_origin());
  if (!key) return report(key.error());
  write_out("private key " + path + " (mode 0600), verifier key " + path + ".pub, origin " +
            key->name + ":\n" + key->verifier_key + "\n");
  return 0;
}

int run_audit_checkpoint(const Options& o) {
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  const std::string path = key_path(o);
  if (o.key || ::access(path.c_str(), F_OK) == 0) {
    auto key = sql::read_log_key(path);
    if (!key) return report(key.error());
    auto cp = app::sign_checkpoint(**store, key->private_pem, key->name);
    if (!cp) return report(cp.error());
    auto note = sql::witnessed_note(**store, *cp);
    if (!note) return report(note.error());
    write_out(*note);
    return 0;
  }
  auto cp = app::latest_checkpoint(**store);
  if (!cp) return report(cp.error());
  if (auto note = sql::witnessed_note(**store, *cp); note) cp->note = std::move(*note);
  auto head = app::log_head(**store);
  if (head && head->size > cp->size)
    write_err("passline: the newest checkpoint covers " + std::to_string(cp->size) + " of " +
              std::to_string(head->size) + " entries; sign a newer one with --key FILE\n");
  write_out(cp->note);
  return 0;
}

namespace {

// `audit export --openings FILE`: the kept openings, one JSON line {"index", "opening"} each,
// written whole or not at all, apart from the log so that the log's export holds no personal data.
Status export_openings(sql::Store& store, std::uint64_t size, const std::string& path,
                       std::uint64_t& count) {
  auto f = sql::NewFile::create(path, 0600);
  if (!f) return f.error();
  std::string buf;
  Status written = Status::ok_status();
  auto n = store.read_openings(0, size, [&](std::uint64_t i, std::string_view opening) {
    buf += "{\"index\":" + std::to_string(i) + ",\"opening\":";
    buf += nlohmann::json(std::string(opening)).dump(-1, ' ', false);
    buf += "}\n";
    if (buf.size() >= (1 << 20) && written) {
      written = f->write(buf);
      buf.clear();
    }
  });
  if (!n) return n.error();
  if (written) written = f->write(buf);
  if (written) written = f->commit(true);
  count = *n;
  return written;
}

// Reads an openings file of `audit export --openings` into index -> opening.
/// {"index":N,"opening":"..."} with no escape in the opening but \" and \\, and no control
/// or non-ASCII byte: its index and the opening's text; nullopt for anything else.
std::optional<std::pair<std::uint64_t, std::string>> openings_line_fast(std::string_view line) {
  constexpr std::string_view head = "{\"index\":";
  constexpr std::string_view mid = ",\"opening\":\"";
  if (!line.starts_with(head) || !line.ends_with("\"}")) return std::nullopt;
  std::size_t i = head.size();
  std::uint64_t index = 0;
  const auto [end, ec] = std::from_chars(line.data() + i, line.data() + line.size(), index);
  if (ec != std::errc() || end == line.data() + i || (line[i] == '0' && end != line.data() + i + 1))
    return std::nullopt;
  i = static_cast<std::size_t>(end - line.data());
  if (line.substr(i, mid.size()) != mid) return std::nullopt;
  i += mid.size();
  const std::size_t stop = line.size() - 2;
  std::string text;
  text.reserve(stop - i);
  std::size_t run = i;  // the start of the bytes not yet copied
  for (; i < stop; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') continue;
    if (c != '\\' || i + 1 >= stop || (line[i + 1] != '"' && line[i + 1] != '\\'))
      return std::nullopt;
    text.append(line.data() + run, i - run);
    run = ++i;  // the escaped byte starts the next run
  }
  text.append(line.data() + run, stop - run);
  return std::make_pair(index, std::move(text));
}

Result<std::map<std::uint64_t, std::string>> read_openings_file(const std::string& path) {
  std::map<std::uint64_t, std::string> out;
  std::optional<Error> bad;
  std::uint64_t line_no = 0;
  auto n = for_each_line(path, [&](std::string_view line) {
    ++line_no;
    if (bad || line.empty()) return;
    // The form `audit export --openings` writes, read without a JSON tree: the opening's text
    // escapes only `"` and `\` (it is canonical JSON of ASCII names, ids and decimals); any
    // other line goes through the JSON parser.
    if (auto fast = openings_line_fast(line)) {
      out[fast->first] = std::move(fast->second);
      return;
    }
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("index") || !j["index"].is_number_unsigned() ||
        !j.contains("opening") || !j["opening"].is_string()) {
      bad = make_error("bad_opening", path + ":" + std::to_string(line_no),
                       "expected {\"index\": N, \"opening\": \"...\"} on each line");
      return;
    }
    out[j["index"].get<std::uint64_t>()] = j["opening"].get<std::string>();
  });
  if (!n) return n.error();
  if (bad) return *bad;
  return out;
}

}  // namespace

int run_audit_export(const Options& o) {
  if (o.tiles) return run_audit_export_tiles(o);
  if (o.key) return report(make_error("usage", "--key", "--key applies with --tiles DIR only"));
  if (o.openings && !o.out)
    return report(make_error("usage", "--openings",
                             "--openings FILE goes with --out FILE: the openings are exported "
                             "apart from the log, never into its stream"));
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto head = app::log_head(**store);
  if (!head) return report(head.error());
  // --out: the file appears whole or not at all (file_write.h); stdout: as it comes.
  std::optional<sql::NewFile> file;
  if (o.out) {
    auto f = sql::NewFile::create(*o.out, 0644);
    if (!f) return report(f.error());
    file.emplace(std::move(*f));
  }
  std::string buf;
  buf.reserve(1 << 20);
  Status written = Status::ok_status();
  auto flush = [&] {
    if (!written) return;
    if (file)
      written = file->write(buf);
    else if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size())
      written = make_error("write_failed", "", "cannot write the exported log");
    buf.clear();
  };
  auto n = (*store)->read_log(0, head->size, [&](std::uint64_t, std::string_view entry) {
    buf.append(entry);
    buf.push_back('\n');
    if (buf.size() >= (1 << 20)) flush();
  });
  if (!n) return report(n.error());  // the temporary file goes with `file`
  flush();
  std::uint64_t openings = 0;
  if (written && o.openings) written = export_openings(**store, head->size, *o.openings, openings);
  if (written && file) written = file->commit(true);
  if (!written) return report(std::move(written).error());
  if (o.out)
    write_err("exported " + std::to_string(*n) + " entries, root " + to_hex(head->root) + ", to " +
              *o.out +
              (o.openings ? ", and " + std::to_string(openings) + " openings to " + *o.openings
                          : std::string()) +
              "\n");
  return 0;
}

int run_audit_verify(const Options& o) {
  std::optional<Checkpoint> checkpoint;
  std::string witnessed;
  if (o.checkpoint || o.pubkey) {
    if (!o.checkpoint || !o.pubkey)
      return report(
          make_error("usage", "--checkpoint", "--checkpoint FILE and --pubkey FILE go together"));
    auto note = read_file(*o.checkpoint);
    if (!note) return report(note.error());
    auto vkey = read_file(*o.pubkey);
    if (!vkey) return report(vkey.error());
    auto cp = verify_checkpoint(*note, trimmed(*vkey));
    if (!cp) return report(cp.error());
    checkpoint = *cp;
    auto quorum = check_witnesses(o, *note);
    if (!quorum) {
      if (quorum.error().code == "usage") return report(quorum.error());
      write_out("FAILED: " + quorum.error().code + ": " + quorum.error().message + "\n");
      return exit_code_for(quorum.error().code);
    }
    witnessed = *quorum;
  } else if (!o.witness.empty() || o.witness_threshold) {
    return report(make_error("usage", "--witness",
                             "--witness applies to a checkpoint: give --checkpoint FILE and "
                             "--pubkey FILE"));
  }
  LogVerifier verifier(checkpoint);
  auto n = for_each_line(o.args.at(0), [&](std::string_view line) { verifier.add(line); });
  if (!n) return report(n.error());
  const LogVerification v = verifier.finish();
  if (!v.ok()) {
    write_out("FAILED: entry " + std::to_string(*v.first_bad) + ": " + v.problem + "\n");
    return exit_code_for("not_conforming");
  }
  std::string line = "OK: " + std::to_string(v.size) + " entries, root " + to_hex(v.root);
  if (checkpoint)
    line += ", matching the checkpoint signed by " + checkpoint->origin + " at " + checkpoint->time;
  if (!witnessed.empty()) line += ", " + witnessed;
  write_out(line + "\n");
  return 0;
}

int run_audit_replay(const Options& o) {
  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  std::vector<std::string> entries;
  auto n = for_each_line(o.args.at(0), [&](std::string_view line) { entries.emplace_back(line); });
  if (!n) return report(n.error());
  std::map<std::uint64_t, std::string> openings;
  if (o.openings) {
    auto read = read_openings_file(*o.openings);
    if (!read) return report(read.error());
    openings = std::move(*read);
  }
  // passline-log/3 entries are decided again from their openings; a recruitment whose openings
  // are not given (erased, or not exported) is listed as erased, never as a difference.
  auto logged =
      read_log_entries(std::move(entries), 0, [&](std::uint64_t i) -> std::optional<std::string> {
        auto it = openings.find(i);
        return it == openings.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  if (!logged) return report(logged.error());
  std::size_t differ = 0, erased = 0;
  std::string details, erased_list;
  for (const LoggedRecruitment& r : *logged) {
    const ReplayResult res = replay(r, **rules);
    if (res.erased) {
      ++erased;
      erased_list += r.input.recruitment.id + ": erased (entry " + std::to_string(r.header_index) +
                     "; its openings are gone, so it is not decided again)\n";
      continue;
    }
    if (res.ok()) continue;
    ++differ;
    if (res.error)
      details += r.input.recruitment.id + ": " + res.error->path + ": " + res.error->code + ": " +
                 res.error->message + "\n";
    else
      details += r.input.recruitment.id + ": entry " + std::to_string(*res.first_difference) +
                 " differs from the decision made again\n";
  }
  write_err(details);
  write_out(erased_list + std::to_string(logged->size() - erased) + " recruitments replayed, " +
            std::to_string(differ) + " differ" +
            (erased ? ", " + std::to_string(erased) + " erased" : std::string()) + "\n");
  return differ ? exit_code_for("not_conforming") : 0;
}

int run_audit_receipt(const Options& o) {
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  // The newest stored checkpoint that covers the entries, or one signed now with the key file.
  auto signed_covering = [&](std::uint64_t need) -> Result<app::StoredCheckpoint> {
    auto cp = app::latest_checkpoint(**store, need);
    if (cp) return cp;
    const std::string path = key_path(o);
    if (!o.key && ::access(path.c_str(), F_OK) != 0) return cp;
    auto key = sql::read_log_key(path);
    if (!key) return key.error();
    return app::sign_checkpoint(**store, key->private_pem, key->name);
  };
  // The receipt's checkpoint carries the witnesses' cosignatures stored for it.
  auto covering = [&](std::uint64_t need) -> Result<app::StoredCheckpoint> {
    auto cp = signed_covering(need);
    if (!cp) return cp;
    auto note = sql::witnessed_note(**store, *cp);
    if (!note) return note.error();
    cp->note = std::move(*note);
    return cp;
  };
  auto receipt = app::applicant_receipt(**store, *o.recruitment, *o.applicant, covering);
  if (!receipt) return report(receipt.error());
  if (o.out) {
    if (auto ok = sql::write_file_whole(*o.out, *receipt, 0644, true); !ok)
      return report(std::move(ok).error());
    write_err("receipt for " + *o.applicant + " in " + *o.recruitment + " written to " + *o.out +
              "\n");
    return 0;
  }
  write_out(*receipt);
  return 0;
}

int run_audit_verify_receipt(const Options& o) {
  auto text = read_file(o.args.at(0));
  if (!text) return report(text.error());
  if (o.pubkey.has_value() == o.trust_receipt_key.has_value())
    return report(make_error(
        "usage", "--pubkey",
        o.pubkey ? "give --pubkey FILE or --trust-receipt-key, not both"
                 : "a receipt proves nothing by itself: give the log's key with --pubkey FILE, or "
                   "--trust-receipt-key to trust the key the receipt names"));
  std::optional<std::string> pinned;
  if (o.pubkey) {
    auto vkey = read_file(*o.pubkey);
    if (!vkey) return report(vkey.error());
    pinned = trimmed(*vkey);
  }
  auto summary = pinned ? verify_receipt(*text, *pinned) : verify_receipt(*text);
  if (!summary) {
    write_out("FAILED: " + (summary.error().path.empty() ? "" : summary.error().path + ": ") +
              summary.error().code + ": " + summary.error().message + "\n");
    return exit_code_for("not_conforming");
  }
  std::string witnessed;
  if (!o.witness.empty() || o.witness_threshold) {
    // The receipt verified, so it is JSON with the checkpoint note the signature covered.
    const auto doc = nlohmann::json::parse(*text, nullptr, false);
    const std::string note = doc.is_object() ? doc.value("checkpoint", "") : "";
    auto quorum = check_witnesses(o, note);
    if (!quorum) {
      if (quorum.error().code == "usage") return report(quorum.error());
      write_out("FAILED: checkpoint: " + quorum.error().code + ": " + quorum.error().message +
                "\n");
      return exit_code_for(quorum.error().code);
    }
    witnessed = *quorum + "\n";
  }
  std::string out = "OK: applicant " + summary->applicant + " of unit " + summary->unit + " in " +
                    summary->recruitment + " (decided " + summary->decided_at + ") is in the log " +
                    summary->log_origin + " of " + std::to_string(summary->tree_size) +
                    " entries, checkpoint signed " + summary->checkpoint_time + "\n";
  for (const ReceiptOutcome& r : summary->outcomes)
    out += "  " + r.stage + ": " + r.outcome + (r.program.empty() ? "" : " (" + r.program + ")") +
           "\n";
  if (!summary->opening.empty())
    out +=
        "  the inputs the decision used (the receipt's opening, matching the logged "
        "commitment): " +
        nlohmann::json::parse(summary->opening)["inputs"].dump(-1, ' ', false) + "\n";
  if (!pinned) {
    // name+keyid+key: the signer's name and key id, for the reader to compare with the log's.
    const std::string& k = summary->verifier_key;
    const auto p1 = k.find('+'), p2 = k.find('+', p1 + 1);
    out += "signed by " + k.substr(0, p1) + ", key id " + k.substr(p1 + 1, p2 - p1 - 1) +
           ", the key the receipt names (--trust-receipt-key); pin the log's key with --pubkey "
           "FILE\n";
  }
  out += witnessed;
  write_out(out);
  return 0;
}

namespace {

std::string today_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string retention_line(const app::Retention& r) {
  return r.recruitment + ": decided " + r.decided_on + ", openings kept through " + r.retain_until +
         (r.erased_at ? ", erased at " + *r.erased_at : std::string(", not erased")) + "\n";
}

}  // namespace

int run_audit_retention(const Options& o) {
  std::optional<Date> until;
  if (o.until) {
    until = Date::parse(*o.until);
    if (!until)
      return report(make_error("usage", "--until",
                               "--until must be a date YYYY-MM-DD, not '" + *o.until + "'"));
  }
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto r = until ? app::set_retention(**store, *o.recruitment, *until)
                 : app::retention(**store, *o.recruitment);
  if (!r) return report(r.error());
  write_out(retention_line(*r));
  return 0;
}

int run_audit_erase(const Options& o) {
  const std::string as_of_text = o.as_of ? *o.as_of : today_utc();
  auto as_of = Date::parse(as_of_text);
  if (!as_of)
    return report(make_error("usage", "--as-of",
                             "--as-of must be a date YYYY-MM-DD, not '" + as_of_text + "'"));
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto erased = app::erase_openings(**store, *as_of);
  if (!erased) return report(erased.error());
  std::string out;
  std::uint64_t total = 0;
  for (const app::ErasedOpenings& e : *erased) {
    out += "erased " + std::to_string(e.openings) + " openings of " + e.recruitment +
           " (kept through " + e.retain_until + ")\n";
    total += e.openings;
  }
  out += std::to_string(erased->size()) + " recruitments erased, " + std::to_string(total) +
         " openings, as of " + as_of->to_string() + "\n";
  write_out(out);
  return 0;
}

}  // namespace passline::cli

namespace passline::cli {

int run_audit_proof(const Options& o) {
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  auto head = app::log_head(**store);
  if (!head) return report(head.error());
  auto number = [&](const std::optional<std::string>& text, const char* name,
                    std::uint64_t max) -> Result<std::uint64_t> {
    std::uint64_t v = 0;
    const auto* end = text->data() + text->size();
    auto [p, ec] = std::from_chars(text->data(), end, v);
    if (ec != std::errc() || p != end || v > max)
      return make_error("usage", name,
                        std::string(name) + " must be a whole number from 0 to " +
                            std::to_string(max) + ", not '" + *text + "'");
    return v;
  };
  const bool inclusion = o.index.has_value();
  if (inclusion == o.first.has_value())
    return report(
        make_error("usage", "--index", "give --index I [--size N] or --first M [--size N]"));
  std::uint64_t size = head->size;
  if (o.size) {
    auto n = number(o.size, "--size", head->size);
    if (!n) return report(n.error());
    size = *n;
  }
  auto hashes = [](const std::vector<Hash>& v) {
    std::string a = "[";
    for (std::size_t i = 0; i < v.size(); ++i) a += (i ? ",\"" : "\"") + to_hex(v[i]) + "\"";
    return a + "]";
  };
  std::string out;
  if (inclusion) {
    if (size == 0)
      return report(make_error("usage", "--size", "the log is empty: there is nothing to prove"));
    auto i = number(o.index, "--index", size - 1);
    if (!i) return report(i.error());
    auto p = app::prove_inclusion(**store, *i, size);
    if (!p) return report(p.error());
    out = "{\"index\":" + std::to_string(p->index) + ",\"leaf_hash\":\"" + to_hex(p->leaf_hash) +
          "\",\"proof\":" + hashes(p->proof) + ",\"root\":\"" + to_hex(p->root) +
          "\",\"tree_size\":" + std::to_string(p->tree_size) + "}\n";
  } else {
    auto m = number(o.first, "--first", size);
    if (!m) return report(m.error());
    auto p = app::prove_consistency(**store, *m, size);
    if (!p) return report(p.error());
    out = "{\"first\":" + std::to_string(p->first) + ",\"first_root\":\"" + to_hex(p->first_root) +
          "\",\"proof\":" + hashes(p->proof) + ",\"second\":" + std::to_string(p->second) +
          ",\"second_root\":\"" + to_hex(p->second_root) + "\"}\n";
  }
  write_out(out);
  return 0;
}

}  // namespace passline::cli
