// passline CLI: a witness's key (`witness keys init`) and the witness quorum that `audit
// verify`, `audit verify-receipt` and `audit watch` require with --witness NAME=KEY and
// --witness-threshold N (docs/AUDIT_LOG.md §8).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "commands.h"
#include "files.h"
#include "passline/sql/file_write.h"
#include "passline/witness.h"

namespace passline::cli {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// --witness [NAME=]KEY: KEY a type-0x04 verifier key, or a file holding one.
Result<WitnessKey> parse_witness_option(const std::string& value) {
  std::string name, key = value;
  const auto eq = value.find('=');
  if (eq != std::string::npos && value.substr(0, eq).find('+') == std::string::npos) {
    name = value.substr(0, eq);
    key = value.substr(eq + 1);
  }
  auto parsed = parse_witness_key(key);
  if (!parsed) {
    auto text = read_file(key);
    if (!text)
      return make_error("usage", "--witness",
                        "--witness NAME=KEY: \"" + key +
                            "\" is neither a witness verifier key nor a readable file (" +
                            parsed.error().message + ")");
    parsed = parse_witness_key(trimmed(*text));
    if (!parsed)
      return make_error("usage", "--witness",
                        "--witness NAME=KEY: " + key + ": " + parsed.error().message);
  }
  if (!name.empty() && name != parsed->name)
    return make_error("usage", "--witness",
                      "--witness " + name + "=KEY: the key is named \"" + parsed->name + "\"");
  return parsed;
}

}  // namespace

Result<std::string> check_witnesses(const Options& o, std::string_view note) {
  if (o.witness.empty()) {
    if (o.witness_threshold)
      return make_error("usage", "--witness-threshold",
                        "--witness-threshold N needs the witnesses: --witness NAME=KEY");
    return std::string();
  }
  std::vector<WitnessKey> keys;
  for (const std::string& w : o.witness) {
    auto k = parse_witness_option(w);
    if (!k) return k.error();
    keys.push_back(std::move(*k));
  }
  std::size_t threshold = keys.size();
  if (o.witness_threshold) {
    const std::string& t = *o.witness_threshold;
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || p != t.data() + t.size() || n < 1 || n > keys.size())
      return make_error("usage", "--witness-threshold",
                        "--witness-threshold must be a whole number from 1 to the " +
                            std::to_string(keys.size()) + " witnesses given, not '" + t + "'");
    threshold = n;
  }
  auto good = verify_witness_quorum(note, keys, threshold);
  if (!good) return good.error();
  std::string names;
  for (const Cosignature& c : *good) names += (names.empty() ? "" : ", ") + c.witness;
  return "cosigned by " + std::to_string(good->size()) + " of " + std::to_string(keys.size()) +
         " witnesses (threshold " + std::to_string(threshold) + "): " + names;
}

int run_witness_keys_init(const Options& o) {
  const std::string dir = *o.out;
  auto key = generate_witness_key(*o.name);  // the name checked before anything is written
  if (!key) return report(key.error());
  const std::string priv = dir + "/witness.key", pub = dir + "/witness.pub";
  for (const std::string& f : {priv, pub})  // a witness's key is never replaced, half or whole
    if (::access(f.c_str(), F_OK) == 0)
      return report(make_error("key_exists", f,
                               f + " exists already; a witness key is never replaced (its "
                                   "cosignatures are checked with it)"));
  bool made_dir = false;
  if (::mkdir(dir.c_str(), 0700) == 0)
    made_dir = true;
  else if (errno != EEXIST)
    return report(make_error("write_failed", dir,
                             "cannot create the directory " + dir + ": " + std::strerror(errno)));
  // A failed init leaves no key file it wrote and no directory it made.
  auto undo = [&](Status s, bool wrote_key) {
    if (wrote_key) ::unlink(priv.c_str());
    if (made_dir) ::rmdir(dir.c_str());
    return report(std::move(s).error());
  };
  if (auto w = sql::write_file_whole(priv, key->private_pem, 0600, false); !w)
    return undo(std::move(w), false);
  if (auto w = sql::write_file_whole(pub, key->verifier_key + "\n", 0644, false); !w)
    return undo(std::move(w), true);
  write_out("witness key " + priv + " (mode 0600), verifier key " + pub + ", name " + key->name +
            ":\n" + key->verifier_key + "\n");
  return 0;
}

}  // namespace passline::cli
