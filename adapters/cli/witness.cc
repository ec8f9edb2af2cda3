// passline CLI: the witness service (`witness serve`, C2SP tlog-witness over Poco's HTTP server)
// and the log's side of it (`audit witness`: submit the newest checkpoint to each configured
// witness, keep the cosignatures). docs/AUDIT_LOG.md §8.
//
// The witness keeps, per origin, the last checkpoint it cosigned in one state file
// (`passline-witness/1` JSON), replaced whole (a temporary file beside it, fsynced, renamed, the
// directory fsynced) before it answers. One mutex serialises every add-checkpoint from the
// judgement to the write, so two requests for one origin can never both extend the same state
// (tlog-witness's rollback race).
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <Poco/Util/ServerApplication.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "files.h"
#include "passline/app/audit.h"
#include "passline/app/recruitments.h"
#include "passline/checkpoint.h"
#include "passline/sql/log_key.h"
#include "passline/sql/store.h"
#include "passline/sql/witness.h"
#include "passline/witness.h"

namespace passline::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kStateFormat = "passline-witness/1";
/// An add-checkpoint body: 63 proof lines and a checkpoint with up to 100 signatures fit in
/// well under this.
constexpr std::size_t kMaxRequestBody = 64 * 1024;
constexpr std::size_t kMaxResponseBody = 64 * 1024;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// ---- the witness's state

using WitnessState = std::map<std::string, WitnessedCheckpoint>;  // by origin

Result<WitnessState> read_witness_state(const std::string& path) {
  WitnessState out;
  if (::access(path.c_str(), F_OK) != 0) return out;  // a new witness
  auto text = read_file(path);
  if (!text) return text.error();
  auto bad = [&](const std::string& why) {
    return make_error("invalid_value", path, "the witness state " + path + " " + why);
  };
  json j = json::parse(*text, nullptr, false);
  if (!j.is_object() || j.value("format", "") != kStateFormat || !j.contains("logs") ||
      !j["logs"].is_object())
    return bad("is not a passline-witness/1 document");
  try {
    for (const auto& [origin, v] : j["logs"].items()) {
      WitnessedCheckpoint c;
      c.size = v.at("size").get<std::uint64_t>();
      auto root = hash_from_hex(v.at("root").get<std::string>());
      if (!root) return bad("holds a root that is not 64 hex digits");
      c.root = *root;
      c.note = v.at("checkpoint").get<std::string>();
      out.emplace(origin, std::move(c));
    }
  } catch (const json::exception& e) {
    return bad(std::string("lacks a field or has one of the wrong type: ") + e.what());
  }
  return out;
}

std::string witness_state_json(const WitnessState& s) {
  json logs = json::object();
  for (const auto& [origin, c] : s)
    logs[origin] = {{"size", c.size}, {"root", to_hex(c.root)}, {"checkpoint", c.note}};
  return json{{"format", std::string(kStateFormat)}, {"logs", std::move(logs)}}.dump(1) + "\n";
}

// ---- the witness's key and configuration

struct WitnessConfig {
  std::string name, private_pem, verifier_key;
  std::map<std::string, std::vector<std::string>> logs;  // origin -> trusted log keys
  std::string state_path;
};

// --key PATH: a directory from `witness keys init` (PATH/witness.key, PATH/witness.pub) or the
// key file itself (NAME.key beside NAME.pub, or FILE beside FILE.pub).
Result<WitnessConfig> load_witness_key(const std::string& path) {
  struct stat st {};
  std::string priv = path, pub;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    priv = path + "/witness.key";
    pub = path + "/witness.pub";
  } else if (path.size() > 4 && path.ends_with(".key")) {
    pub = path.substr(0, path.size() - 4) + ".pub";
  } else {
    pub = path + ".pub";
  }
  auto pem = read_file(priv);
  if (!pem) return pem.error();
  auto vkey = read_file(pub);
  if (!vkey) return vkey.error();
  WitnessConfig c;
  c.private_pem = *pem;
  c.verifier_key = trimmed(*vkey);
  auto parsed = parse_witness_key(c.verifier_key);
  if (!parsed) return make_error("usage", "--key", pub + ": " + parsed.error().message);
  c.name = parsed->name;
  auto mine = witness_verifier_key_of(c.private_pem, c.name);
  if (!mine) return make_error("usage", "--key", priv + ": " + mine.error().message);
  if (*mine != c.verifier_key)
    return make_error("usage", "--key",
                      pub + " is not the verifier key of " + priv + " (" + *mine + ")");
  return c;
}

// --log ORIGIN=KEY: KEY the log's note verifier key (`keys init`'s FILE.pub) or a file holding
// it; its name must be the origin.
Status add_log_option(WitnessConfig& c, const std::string& value) {
  std::string origin, key = value;
  const auto eq = value.find('=');
  if (eq != std::string::npos && value.substr(0, eq).find('+') == std::string::npos) {
    origin = value.substr(0, eq);
    key = value.substr(eq + 1);
  }
  auto usable = [](const std::string& k) {
    // verify_note parses the key before anything else: bad_verifier_key means it is not one.
    auto r = verify_note("x\n\n\xE2\x80\x94 x AAAAAAAA\n", k);
    return r.ok() || r.error().code != "bad_verifier_key";
  };
  if (!usable(key)) {
    auto text = read_file(key);
    if (!text || !usable(trimmed(*text)))
      return make_error("usage", "--log",
                        "--log ORIGIN=KEY: \"" + key +
                            "\" is neither a log verifier key nor a file holding one");
    key = trimmed(*text);
  }
  const std::string name = key.substr(0, key.find('+'));
  if (origin.empty()) origin = name;
  if (origin != name)
    return make_error("usage", "--log",
                      "--log " + origin + "=KEY: the key is named \"" + name +
                          "\"; a log's key is named by its origin");
  c.logs[origin].push_back(key);
  return {};
}

// ---- the witness's HTTP service

class Witness {
 public:
  Witness(WitnessConfig config, WitnessState state)
      : config_(std::move(config)), state_(std::move(state)) {}

  struct Answer {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };

  /// One add-checkpoint request, from the judgement to the persisted state, under the lock.
  Answer add_checkpoint(std::string_view body) {
    auto request = parse_add_checkpoint(body);
    if (!request) return {400, "text/plain; charset=utf-8", request.error().message + "\n"};
    const std::string origin(note_origin(request->checkpoint));
    static const std::vector<std::string> kNone;
    const auto keys = config_.logs.find(origin);
    std::lock_guard lock(mutex_);
    std::optional<WitnessedCheckpoint> last;
    if (auto it = state_.find(origin); it != state_.end()) last = it->second;
    const WitnessVerdict v =
        judge_add_checkpoint(*request, keys == config_.logs.end() ? kNone : keys->second, last);
    log_line(origin, v);
    if (v.status != 200) {
      if (v.conflict_size)
        return {409, "text/x.tlog.size", std::to_string(*v.conflict_size) + "\n"};
      return {v.status, "text/plain; charset=utf-8", v.message + "\n"};
    }
    auto line = cosign(request->checkpoint, static_cast<std::uint64_t>(std::time(nullptr)),
                       config_.private_pem, config_.name);
    if (!line) return {500, "text/plain; charset=utf-8", line.error().message + "\n"};
    WitnessState next = state_;
    next[origin] = *v.checkpoint;
    // Persisted before the answer: a cosignature is never given for a state that is lost.
    if (auto w = write_file_atomically(config_.state_path, witness_state_json(next)); !w)
      return {500, "text/plain; charset=utf-8",
              "the witness could not store its state: " + w.error().message + "\n"};
    state_ = std::move(next);
    return {200, "text/plain; charset=utf-8", *line};
  }

 private:
  void log_line(const std::string& origin, const WitnessVerdict& v) {
    // Origins are checked printable by verify_checkpoint only once verified: print them escaped.
    std::string o;
    for (char c : origin.substr(0, 200)) o += (c < 0x20 || c == 0x7F) ? '?' : c;
    write_err("passline witness: " + std::to_string(v.status) + " " + o + ": " + v.message + "\n");
    std::fflush(stderr);
  }

  WitnessConfig config_;
  std::mutex mutex_;
  WitnessState state_;
};

class AddCheckpointHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit AddCheckpointHandler(Witness& w) : witness_(w) {}
  void handleRequest(Poco::Net::HTTPServerRequest& rq,
                     Poco::Net::HTTPServerResponse& resp) override {
    Witness::Answer a;
    try {
      a = answer(rq);
    } catch (const std::exception& e) {
      a = {500, "text/plain; charset=utf-8", std::string("internal error: ") + e.what() + "\n"};
    }
    try {
      resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(a.status));
      resp.setContentType(a.content_type);
      resp.setContentLength64(static_cast<Poco::Int64>(a.body.size()));
      if (a.status == 405) resp.set("Allow", "POST");
      resp.send() << a.body;
    } catch (...) {
      // the client went away
    }
  }

 private:
  Witness::Answer answer(Poco::Net::HTTPServerRequest& rq) {
    std::istream& in = rq.stream();
    std::string body;
    char buf[16384];
    bool too_large = false;
    if (rq.hasContentLength() &&
        rq.getContentLength64() > static_cast<Poco::Int64>(kMaxRequestBody))
      too_large = true;
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {  // drained whatever the answer
      if (body.size() <= kMaxRequestBody) body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (body.size() > kMaxRequestBody) too_large = true;
      if (too_large && body.size() > 4 * kMaxRequestBody) break;
    }
    if (too_large) {
      rq.response().setKeepAlive(false);
      return {413, "text/plain; charset=utf-8",
              "the body is larger than the " + std::to_string(kMaxRequestBody) +
                  " bytes an add-checkpoint request needs\n"};
    }
    const std::string path = Poco::URI(rq.getURI()).getPath();
    if (path != "/add-checkpoint")
      return {404, "text/plain; charset=utf-8", "this witness serves POST /add-checkpoint only\n"};
    if (rq.getMethod() != Poco::Net::HTTPRequest::HTTP_POST)
      return {405, "text/plain; charset=utf-8", "add-checkpoint takes POST\n"};
    return witness_.add_checkpoint(body);
  }
  Witness& witness_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Witness& w) : witness_(w) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new AddCheckpointHandler(witness_);
  }

 private:
  Witness& witness_;
};

class WitnessApp final : public Poco::Util::ServerApplication {
 public:
  WitnessApp(WitnessConfig c, WitnessState s, int port)
      : witness_(std::move(c), std::move(s)), port_(port) {}
  int exit_code = 0;
  std::string name;

 protected:
  int main(const std::vector<std::string>&) override {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGQUIT}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    Poco::Net::ServerSocket socket;
    try {
      socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port_)), true,
                  false);
      socket.listen(64);
    } catch (const Poco::Exception& e) {
      exit_code = report(make_error("bind_failed", "--port",
                                    "cannot listen on 127.0.0.1:" + std::to_string(port_) + ": " +
                                        e.displayText()));
      return exit_code;
    }
    const int port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setMaxQueued(64);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPServer server(new Factory(witness_), socket, params);
    server.start();
    write_err("passline: witness " + name + " serving C2SP tlog-witness on http://127.0.0.1:" +
              std::to_string(port) + "/add-checkpoint\n");
    std::fflush(stderr);
    waitForTerminationRequest();
    server.stopAll(false);
    write_err("passline: witness stopped\n");
    return 0;
  }

 private:
  Witness witness_;
  int port_;
};

// ---- the log's side: submitting checkpoints

struct ConfiguredWitness {
  WitnessKey key;
  std::string url;  // the submission prefix, without a trailing '/'
};

Result<std::vector<ConfiguredWitness>> read_witnesses(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  std::vector<ConfiguredWitness> out;
  std::string_view rest = *text;
  for (std::size_t n = 1; !rest.empty(); ++n) {
    const auto eol = rest.find('\n');
    std::string line(rest.substr(0, eol));
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    line = trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    auto bad = [&](const std::string& why) {
      return make_error("usage", path + ":" + std::to_string(n),
                        path + " line " + std::to_string(n) +
                            ": a witness is \"<verifier key> http://HOST[:PORT][/PREFIX]\": " +
                            why);
    };
    const auto space = line.find(' ');
    if (space == std::string::npos) return bad("no URL");
    auto key = parse_witness_key(line.substr(0, space));
    if (!key) return bad(key.error().message);
    std::string url = trimmed(line.substr(line.find_first_not_of(' ', space)));
    try {
      Poco::URI uri(url);
      if (uri.getScheme() != "http" || uri.getHost().empty() || !uri.getRawQuery().empty() ||
          !uri.getFragment().empty())
        return bad("the URL must be http://HOST[:PORT][/PREFIX]");
    } catch (const Poco::Exception& e) {
      return bad("not a URL: " + e.displayText());
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    for (const ConfiguredWitness& w : out)
      if (w.key.text == key->text) return bad("the witness is listed twice");
    out.push_back({std::move(*key), std::move(url)});
  }
  if (out.empty())
    return make_error("usage", path, path + " lists no witness (\"<verifier key> <URL>\" lines)");
  return out;
}

struct Posted {
  int status = 0;
  std::string content_type, body;
};

Result<Posted> post_add_checkpoint(const ConfiguredWitness& w, const std::string& body) {
  auto failed = [&](const std::string& why) {
    return make_error("witness_failed", w.key.name,
                      "cannot reach the witness " + w.key.name + " at " + w.url + ": " + why);
  };
  try {
    Poco::URI uri(w.url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPath() + "/add-checkpoint",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("text/plain; charset=utf-8");
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Posted p;
    char buf[16384];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      p.body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (p.body.size() > kMaxResponseBody) return failed("the answer is larger than 64 KiB");
    }
    p.status = resp.getStatus();
    p.content_type = resp.getContentType();
    return p;
  } catch (const Poco::Exception& e) {
    return failed(e.displayText());
  } catch (const std::exception& e) {
    return failed(e.what());
  }
}

// Submits `cp` to `w`: the `old` size is the largest this witness cosigned of this log key
// (stored), corrected once from a 409's text/x.tlog.size. Returns the verified cosignature.
Result<Cosignature> submit(sql::Store& store, const app::StoredCheckpoint& cp,
                           const ConfiguredWitness& w) {
  auto old = sql::witnessed_size(store, cp.verifier_key, w.key.text);
  if (!old) return old.error();
  auto refused = [&](const Posted& p) {
    std::string why = trimmed(p.body.substr(0, 500));
    return make_error("witness_failed", w.key.name,
                      "the witness " + w.key.name + " refused the checkpoint of " +
                          std::to_string(cp.size) + " entries: HTTP " + std::to_string(p.status) +
                          (why.empty() ? "" : ": " + why));
  };
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (*old > cp.size)
      return make_error("witness_failed", w.key.name,
                        "the witness " + w.key.name + " cosigned a tree of " +
                            std::to_string(*old) + " entries of this log, larger than its " +
                            std::to_string(cp.size) + ": the log shrank or was forked");
    AddCheckpointRequest rq;
    rq.old_size = *old;
    rq.checkpoint = cp.note;
    if (*old > 0 && *old < cp.size) {
      auto proof = app::prove_consistency(store, *old, cp.size);
      if (!proof) return proof.error();
      rq.proof = proof->proof;
    }
    auto p = post_add_checkpoint(w, add_checkpoint_body(rq));
    if (!p) return p.error();
    if (p->status == 409 && p->content_type.starts_with("text/x.tlog.size")) {
      const std::string text = trimmed(p->body);
      std::uint64_t size = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty() || size == *old)
        return refused(*p);
      *old = size;  // the witness's own record: try again from there
      continue;
    }
    if (p->status != 200) return refused(*p);
    std::vector<std::string> lines;
    std::string_view rest = p->body;
    while (!rest.empty()) {
      const auto eol = rest.find('\n');
      lines.emplace_back(rest.substr(0, eol));
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    }
    auto with = add_signatures(cp.note, lines);
    if (!with)
      return make_error("witness_failed", w.key.name,
                        "the witness " + w.key.name +
                            " answered with lines that are not "
                            "signature lines: " +
                            with.error().message);
    auto c = verify_cosignature(*with, w.key);
    if (!c)
      return make_error("witness_failed", w.key.name,
                        "the witness " + w.key.name +
                            " answered without a valid cosignature by its key: " +
                            c.error().message);
    sql::StoredCosignature row;
    row.size = cp.size;
    row.verifier_key = cp.verifier_key;
    row.witness_key = w.key.text;
    row.witness = w.key.name;
    row.timestamp = c->timestamp;
    row.line = c->line;
    row.received_at = app::system_clock().now();
    if (auto s = sql::save_cosignature(store, row); !s) return std::move(s).error();
    return c;
  }
  return make_error("witness_failed", w.key.name,
                    "the witness " + w.key.name + " kept answering 409 Conflict");
}

Result<int> parse_port(const std::string& text) {
  int p = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
  if (ec == std::errc() && end == text.data() + text.size() && p >= 0 && p <= 65535) return p;
  return make_error("usage", "--port", "--port must be 0..65535, not '" + text + "'");
}

}  // namespace

int run_witness_serve(const Options& o) {
  auto config = load_witness_key(*o.key);
  if (!config) return report(config.error());
  for (const std::string& l : o.log)
    if (auto s = add_log_option(*config, l); !s) return report(std::move(s).error());
  config->state_path = *o.state;
  struct stat st {};
  if (::stat(o.state->c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    config->state_path = *o.state + "/witness-state.json";
  auto state = read_witness_state(config->state_path);
  if (!state) return report(state.error());
  int port = 0;
  if (o.port) {
    auto p = parse_port(*o.port);
    if (!p) return report(p.error());
    port = *p;
  }
  const std::string name = config->name;
  WitnessApp app(std::move(*config), std::move(*state), port);
  app.name = name;
  const int rc = app.run(std::vector<std::string>{"passline"});
  return app.exit_code ? app.exit_code : rc;
}

int run_audit_witness(const Options& o) {
  auto witnesses = read_witnesses(*o.witnesses);
  if (!witnesses) return report(witnesses.error());
  auto store = sql::Store::open(o.db ? *o.db : std::string(sql::kDefaultDatabaseUrl));
  if (!store) return report(store.error());
  // The newest checkpoint covering the whole log: signed now with the key file when there is
  // one (--key FILE or ./passline.key), else the newest stored one.
  const std::string path = o.key ? *o.key : std::string("passline.key");
  Result<app::StoredCheckpoint> cp = make_error("no_checkpoint", "", "");
  if (o.key || ::access(path.c_str(), F_OK) == 0) {
    auto key = sql::read_log_key(path);
    if (!key) return report(key.error());
    cp = app::sign_checkpoint(**store, key->private_pem, key->name);
  } else {
    cp = app::latest_checkpoint(**store);
  }
  if (!cp) return report(cp.error());
  std::string out;
  std::optional<Error> first_failure;
  for (const ConfiguredWitness& w : *witnesses) {
    auto c = submit(**store, *cp, w);
    if (c) {
      out += "witness " + w.key.name + ": cosigned the checkpoint of " + std::to_string(cp->size) +
             " entries (time " + std::to_string(c->timestamp) + ")\n";
      continue;
    }
    out += "witness " + w.key.name + ": FAILED: " + c.error().message + "\n";
    if (!first_failure) first_failure = c.error();
  }
  write_out(out);
  if (first_failure) return exit_code_for(first_failure->code);
  return 0;
}

}  // namespace passline::cli
