// passline CLI: `audit watch URL --state FILE --pubkey FILE`, a monitor of a tiled log (C2SP
// tlog-tiles, docs/AUDIT_LOG.md §7). It fetches the checkpoint over plain HTTP (Poco), checks
// its signature with the given key, checks that it extends the checkpoint of the last run
// (the RFC 9162 consistency proof computed from the log's hash tiles, client side), fetches the
// new entries from the entry bundles and checks that they give the signed root, reports each new
// recruitment and correction by agency, and stores the new state whole or not at all.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "files.h"
#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/tiles.h"

namespace passline::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kStateFormat = "passline-watch/1";
constexpr std::size_t kMaxBody = 17u << 20;  // a full entry bundle is at most 256 × 65537 bytes

// GETs paths under the log's URL prefix over one keep-alive connection.
class Fetcher {
 public:
  static Result<Fetcher> open(const std::string& url) {
    Poco::URI uri;
    try {
      uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
      return make_error("usage", "URL", "'" + url + "' is not a URL: " + e.displayText());
    }
    if (uri.getScheme() != "http" || uri.getHost().empty() || !uri.getRawQuery().empty() ||
        !uri.getFragment().empty())
      return make_error("usage", "URL",
                        "the log's URL is http://HOST[:PORT][/PREFIX], not '" + url + "'");
    Fetcher f;
    f.url_ = url;
    f.prefix_ = uri.getPath();
    while (!f.prefix_.empty() && f.prefix_.back() == '/') f.prefix_.pop_back();
    f.session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    f.session_->setKeepAlive(true);
    f.session_->setTimeout(Poco::Timespan(30, 0));
    return f;
  }

  /// The token sent as a bearer header with every request (a passline service serves entry
  /// bundles to auditors only); empty: none.
  void set_bearer(std::string token) { bearer_ = std::move(token); }

  Result<std::string> get(const std::string& path) {
    const std::string target = prefix_ + "/" + path;
    auto failed = [&](const std::string& why) {
      return make_error("fetch_failed", path,
                        "cannot fetch " + path + " of the log at " + url_ + ": " + why);
    };
    for (int attempt = 0;; ++attempt) {
      try {
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        req.setKeepAlive(true);
        if (!bearer_.empty()) req.set("Authorization", "Bearer " + bearer_);
        session_->sendRequest(req);
        Poco::Net::HTTPResponse resp;
        std::istream& in = session_->receiveResponse(resp);
        std::string body;
        char buf[65536];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
          body.append(buf, static_cast<std::size_t>(in.gcount()));
          if (body.size() > kMaxBody) return failed("the answer is larger than 17 MiB");
        }
        if (resp.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
          return failed("HTTP " + std::to_string(resp.getStatus()) + " " + resp.getReason());
        if (resp.has("Content-Encoding") && resp.get("Content-Encoding") != "identity")
          return failed("the answer is encoded (" + resp.get("Content-Encoding") + ")");
        return body;
      } catch (const Poco::Exception& e) {
        session_->reset();  // a kept-alive connection the server closed: try once more
        if (attempt > 0) return failed(e.displayText());
      }
    }
  }

 private:
  std::string url_, prefix_;
  std::string bearer_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

struct State {
  std::string origin, verifier_key, checkpoint;
  std::uint64_t size = 0;
  Hash root = empty_root();
  CompactRange range;
};

Result<std::optional<State>> read_state(const std::string& path, const std::string& vkey) {
  if (::access(path.c_str(), F_OK) != 0) return std::optional<State>();
  auto text = read_file(path);
  if (!text) return text.error();
  auto bad = [&](const std::string& why) {
    return make_error("invalid_value", path, "the state file " + path + " " + why);
  };
  json j = json::parse(*text, nullptr, false);
  if (!j.is_object() || j.value("format", "") != kStateFormat)
    return bad("is not a passline-watch/1 document");
  State s;
  try {
    s.origin = j.at("origin").get<std::string>();
    s.verifier_key = j.at("verifier_key").get<std::string>();
    s.checkpoint = j.at("checkpoint").get<std::string>();
    s.size = j.at("tree_size").get<std::uint64_t>();
    std::vector<Hash> hashes;
    for (const json& h : j.at("compact_range")) {
      auto parsed = hash_from_hex(h.get<std::string>());
      if (!parsed) return bad("holds a compact range hash that is not 64 hex digits");
      hashes.push_back(*parsed);
    }
    auto range = CompactRange::restore(s.size, std::move(hashes));
    if (!range) return bad("holds a compact range that does not fit its tree size");
    s.range = std::move(*range);
    auto root = hash_from_hex(j.at("root").get<std::string>());
    if (!root || *root != s.range.root())
      return bad("holds a root its compact range does not give");
    s.root = *root;
  } catch (const json::exception& e) {
    return bad(std::string("lacks a field or has one of the wrong type: ") + e.what());
  }
  if (s.verifier_key != vkey)
    return make_error("key_mismatch", "--pubkey",
                      "the state file " + path + " follows the log of key " + s.verifier_key +
                          ", not the one given");
  return std::optional<State>(std::move(s));
}

std::string state_json(const State& s) {
  json hashes = json::array();
  for (const Hash& h : s.range.hashes()) hashes.push_back(to_hex(h));
  json j = {{"format", std::string(kStateFormat)},
            {"origin", s.origin},
            {"verifier_key", s.verifier_key},
            {"tree_size", s.size},
            {"root", to_hex(s.root)},
            {"compact_range", std::move(hashes)},
            {"checkpoint", s.checkpoint}};
  return j.dump(1) + "\n";
}

// What the new entries hold, by agency.
struct Seen {
  std::vector<std::string> recruitments, corrections;
};

int failed(const Error& e) {
  write_out("FAILED: " + (e.path.empty() ? "" : e.path + ": ") + e.code + ": " + e.message + "\n");
  return exit_code_for(e.code);
}

}  // namespace

int run_audit_watch(const Options& o) {
  auto fetcher = Fetcher::open(o.args.at(0));
  if (!fetcher) return report(fetcher.error());
  if (o.token_file) {
    auto token = read_file(*o.token_file);
    if (!token) return report(token.error());
    std::string t = *token;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.empty() || t.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return report(
          make_error("usage", "--token-file", "the token file must hold one token on one line"));
    fetcher->set_bearer(std::move(t));
  }
  auto vkey_text = read_file(*o.pubkey);
  if (!vkey_text) return report(vkey_text.error());
  std::string vkey = *vkey_text;
  while (!vkey.empty() && (vkey.back() == '\n' || vkey.back() == '\r')) vkey.pop_back();
  auto previous = read_state(*o.state, vkey);
  if (!previous) return report(previous.error());

  auto note = fetcher->get("checkpoint");
  if (!note) return report(note.error());
  auto cp = verify_checkpoint(*note, vkey);
  if (!cp) return failed(cp.error());
  const std::string key_name = vkey.substr(0, vkey.find('+'));
  if (cp->origin != key_name)
    return failed(make_error("bad_checkpoint", "origin",
                             "the checkpoint's origin \"" + cp->origin +
                                 "\" is not the name of the log's key \"" + key_name + "\""));
  // The witnesses required (--witness): the checkpoint must carry their quorum before anything
  // else is believed; the state is left as it was otherwise.
  auto quorum = check_witnesses(o, *note);
  if (!quorum) {
    if (quorum.error().code == "usage") return report(quorum.error());
    return failed(quorum.error());
  }
  State s = previous->value_or(State{});
  const std::uint64_t m = s.size, n = cp->tree_size;
  if (*previous && s.origin != cp->origin)
    return failed(
        make_error("inconsistent_log", "origin",
                   "the log's origin changed from \"" + s.origin + "\" to \"" + cp->origin + "\""));
  if (n < m)
    return failed(make_error("inconsistent_log", "tree_size",
                             "the log shrank: its checkpoint has " + std::to_string(n) +
                                 " entries, the one seen before " + std::to_string(m)));
  if (n == m && cp->root != s.root)
    return failed(make_error("inconsistent_log", "root",
                             "a checkpoint of the same size " + std::to_string(n) +
                                 " with another root: the log forked"));

  auto fetch_tile = [&](const TileRef& t) { return fetcher->get(tile_path(t)); };
  if (m > 0 && n > m) {
    TileReader reader(n, fetch_tile);
    auto proof = reader.consistency_proof(m);
    if (!proof) return failed(proof.error());
    if (!verify_consistency(m, n, s.root, cp->root, *proof))
      return failed(make_error(
          "inconsistent_log", "checkpoint",
          "the checkpoint of " + std::to_string(n) + " entries does not extend the one of " +
              std::to_string(m) + " seen before (root " + to_hex(s.root) +
              "): the consistency proof from the log's tiles fails; the log was rewritten"));
  }

  // The new entries, checked against the signed root by extending the tree seen before.
  std::map<std::string, Seen> by_agency;
  std::string lines;
  for (std::uint64_t bundle = m / kTileWidth; bundle * kTileWidth < n; ++bundle) {
    const TileRef ref = *tile_of(n, 0, bundle, true);
    auto bytes = fetch_tile(ref);
    if (!bytes) return report(bytes.error());
    auto entries = read_entry_bundle(*bytes, ref.width);
    if (!entries) {
      Error e = entries.error();
      e.path = tile_path(ref);
      return failed(e);
    }
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const std::uint64_t index = bundle * kTileWidth + i;
      if (index < m) continue;
      const std::string& entry = (*entries)[i];
      s.range.append(leaf_hash(entry));
      if (entry.find("\"type\":\"recruitment\"") == std::string::npos) continue;
      json h = json::parse(entry, nullptr, false);
      if (!h.is_object() || h.value("type", "") != "recruitment") continue;
      // passline-log/1 has agency and announced in the header, /2 in its `input` case.
      const json& at = h.contains("input") && h["input"].is_object() ? h["input"] : h;
      std::string agency = "?", id = h.value("recruitment", "?"), announced = "?";
      if (at.contains("agency") && at["agency"].is_object())
        agency = at["agency"].value("code", "?");
      if (at.contains("announced") && at["announced"].is_string())
        announced = at["announced"].get<std::string>();
      else if (at.contains("recruitment") && at["recruitment"].is_object())
        announced = at["recruitment"].value("announced", "?");
      Seen& seen = by_agency[agency];
      if (h.contains("supersedes") && h["supersedes"].is_string()) {
        seen.corrections.push_back(id);
        lines += "correction " + id + " of agency " + agency + " supersedes " +
                 h["supersedes"].get<std::string>() + " (entry " + std::to_string(index) +
                 ", decided " + h.value("decided_at", "?") + ")\n";
      } else {
        seen.recruitments.push_back(id);
        lines += "new recruitment " + id + " of agency " + agency + " (entry " +
                 std::to_string(index) + ", announced " + announced + ", decided " +
                 h.value("decided_at", "?") + ")\n";
      }
    }
  }
  if (s.range.size() != n || s.range.root() != cp->root)
    return failed(
        make_error("bad_tile", "tile/entries",
                   "the entries served do not give the checkpoint's root " + to_hex(cp->root)));

  std::string out = "log " + cp->origin + ": checkpoint of " + std::to_string(n) + " entries" +
                    (cp->time.empty() ? "" : " (" + cp->time + ")");
  out += *previous ? ", consistent with the " + std::to_string(m) + " entries seen before\n"
                   : ", the first seen (trusted on its signature alone)\n";
  if (!quorum->empty()) out += "checkpoint " + *quorum + "\n";
  out += lines;
  for (const auto& [agency, seen] : by_agency)
    out += "agency " + agency + ": " + std::to_string(seen.recruitments.size()) +
           " new recruitment" + (seen.recruitments.size() == 1 ? "" : "s") + ", " +
           std::to_string(seen.corrections.size()) + " correction" +
           (seen.corrections.size() == 1 ? "" : "s") + "\n";

  s.origin = cp->origin;
  s.verifier_key = vkey;
  s.checkpoint = *note;
  s.size = n;
  s.root = cp->root;
  if (auto w = write_file_atomically(*o.state, state_json(s)); !w) return report(w.error());
  write_out(out);
  return 0;
}

}  // namespace passline::cli
