// API v1 (docs/HTTP.md): routing, tokens and roles, and the endpoints over the Store.
#include <algorithm>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>

#include "passline/app/agencies.h"
#include "passline/app/audit.h"
#include "passline/app/explanation.h"
#include "passline/app/recruitments.h"
#include "passline/case_csv.h"
#include "passline/id.h"
#include "passline/json.h"
#include "passline/rule_pack.h"
#include "passline/app/report_format.h"
#include "passline/checkpoint.h"
#include "passline/merkle.h"
#include "passline/receipt.h"
#include "passline/sql/witness.h"
#include "passline/sql/log_key.h"
#include "request.h"
#include "service.h"

namespace passline::http::detail {
namespace {

using nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Reply json_reply(int status, const json& j) {
  Reply r;
  r.status = status;
  r.body = dump(j);
  return r;
}

// `segment` percent-encoded for a URL path (RFC 3986 §3.3): every byte but the unreserved
// characters (ALPHA DIGIT - . _ ~) as %XX, so an id can never add a path segment, a query, a
// fragment or a header line to the URL it is put in.
std::string path_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : segment) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// HEAD is allowed wherever GET is (RFC 9110 §9.3.2).
std::string with_head(std::string_view allow) {
  std::string out(allow);
  if (out == "GET" || out.rfind("GET, ", 0) == 0) out.insert(3, ", HEAD");
  return out;
}

Reply method_not_allowed(std::string_view allow) {
  const std::string methods = with_head(allow);
  Reply r = problem(make_error("method_not_allowed", "", "this resource allows " + methods));
  r.headers.emplace_back("Allow", methods);
  return r;
}

const std::string* query_value(const Request& rq, std::string_view name) {
  for (const auto& [k, v] : rq.query)
    if (k == name) return &v;
  return nullptr;
}

// Every query parameter must be one the route knows, and given once.
Status check_query(const Request& rq, std::initializer_list<std::string_view> known) {
  for (std::size_t i = 0; i < rq.query.size(); ++i) {
    const std::string& k = rq.query[i].first;
    if (std::find(known.begin(), known.end(), k) == known.end())
      return make_error("bad_query", k, "unknown query parameter '" + k + "'");
    for (std::size_t j = 0; j < i; ++j)
      if (rq.query[j].first == k)
        return make_error("bad_query", k, "query parameter '" + k + "' given twice");
  }
  return Status::ok_status();
}

Result<std::int64_t> parse_int(const std::string& text, std::string_view name, std::int64_t lo,
                               std::int64_t hi) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    return make_error("bad_query", std::string(name),
                      std::string(name) + " must be a whole number from " + std::to_string(lo) +
                          " to " + std::to_string(hi) + ", not '" + text + "'");
  return v;
}

Result<int> year_param(const Request& rq, bool required) {
  const std::string* y = query_value(rq, "year");
  if (!y) {
    if (required) return make_error("bad_query", "year", "the query needs year=YYYY");
    return 0;
  }
  auto v = parse_int(*y, "year", 1900, 9999);
  if (!v) return v.error();
  return static_cast<int>(*v);
}

// ---- access ---------------------------------------------------------------------------------

enum class Action { create, decide, read, read_all, tokens, agencies, rules };

// The role table of docs/HTTP.md.
bool role_may(sql::Role role, Action a) {
  switch (a) {
    case Action::create:
    case Action::decide: return role == sql::Role::recruiter;
    case Action::read: return role == sql::Role::recruiter || role == sql::Role::auditor;
    case Action::read_all: return role == sql::Role::auditor;
    case Action::tokens:
    case Action::agencies: return role == sql::Role::admin;
    case Action::rules: return true;
  }
  return false;
}

Result<sql::Principal> authenticate(Context& cx, Session& session, const Request& rq) {
  const std::string& h = rq.authorization;
  if (h.empty())
    return make_error("unauthorized", "Authorization",
                      "this endpoint needs a token: Authorization: Bearer <token>");
  if (h.size() < 8 || (h.compare(0, 7, "Bearer ") != 0 && h.compare(0, 7, "bearer ") != 0))
    return make_error("invalid_token", "Authorization",
                      "the Authorization header must be 'Bearer <token>'");
  const std::string token = h.substr(7);
  const std::string hash = sha256_hex(token);
  if (auto p = cx.tokens.find(hash)) return *p;
  auto store = session.store();
  if (!store) return store.error();
  auto found = sql::find_token(**store, token);
  if (!found) return found.error();
  if (!*found)
    return make_error("invalid_token", "Authorization", "the token is unknown or revoked");
  cx.tokens.put(hash, **found);
  return **found;
}

Status permit(const sql::Principal& p, Action a) {
  if (role_may(p.role, a)) return Status::ok_status();
  return make_error("forbidden", "",
                    "a " + std::string(sql::to_string(p.role)) +
                        " token may not do this (docs/HTTP.md, Access)");
}

// A recruiter sees its own agency only: anything else is reported exactly as if it did not exist.
Error no_recruitment(const std::string& id) {
  return make_error("unknown_recruitment", "recruitment.id",
                    "no recruitment '" + printable(id) + "' is stored");
}

// An id from a path or a query that names nothing visible: `bad_id` when it breaks the id rule
// (passline/id.h), so the caller learns why; else `fallback`. A stored id from an older version
// that breaks the rule is still found first (percent-encoded in the path: docs/HTTP.md).
Error not_visible(const std::string& id, const std::string& path, Error fallback) {
  if (auto bad = check_id(id, path); !bad) return std::move(bad).error();
  return fallback;
}

Result<sql::RecruitmentInfo> visible_recruitment(sql::Store& store, const sql::Principal& p,
                                                 const std::string& id) {
  auto info = app::recruitment(store, id);
  if (!info) {
    if (info.error().code != "unknown_recruitment") return info.error();
    return not_visible(id, "id", no_recruitment(id));
  }
  if (p.role == sql::Role::recruiter && info->agency != p.agency)
    return not_visible(id, "id", no_recruitment(id));
  return info;
}

// ---- documents --------------------------------------------------------------------------------

json recruitment_json(const sql::RecruitmentInfo& r) {
  auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
  return json{{"id", r.id},
              {"agency", r.agency},
              {"announced", r.announced},
              {"year", r.year},
              {"state", r.state},
              {"supersedes", opt(r.supersedes)},
              {"superseded_by", opt(r.superseded_by)},
              {"applicants", r.applicants},
              {"imported_at", r.imported_at},
              {"decided_at", opt(r.decided_at)}};
}

void count_outcomes(Metrics& m, const Decision& d) {
  std::int64_t n[static_cast<int>(Basis::count)] = {};
  for (const UnitDecision& u : d.units) {
    const std::size_t stages = u.stages.size();
    if (stages == 0) continue;
    const std::size_t applicants = u.outcomes.size() / stages;
    for (std::size_t a = 0; a < applicants; ++a) {
      Outcome last = Outcome::not_reached;
      for (std::size_t s = 0; s < stages; ++s)
        if (u.outcome(a, s).outcome != Outcome::not_reached) last = u.outcome(a, s).outcome;
      Basis b = last == Outcome::pass_rank         ? Basis::rank
                : last == Outcome::pass_tie        ? Basis::tie
                : last == Outcome::pass_additional ? Basis::additional
                                                   : Basis::fail;
      ++n[static_cast<int>(b)];
    }
  }
  for (int b = 0; b < static_cast<int>(Basis::count); ++b)
    if (n[b]) m.count_decisions(static_cast<Basis>(b), n[b]);
}

// ---- endpoints ----------------------------------------------------------------------------------

bool json_body(const Request& rq) { return rq.media_type == "application/json"; }

Error unsupported(std::string_view want) {
  return make_error("unsupported_media_type", "Content-Type",
                    "the body must be sent as " + std::string(want));
}

// The case of a create request: a quota-case/1 or quota-case/2 document, or the CSV form
// {"format": "passline-case-csv/1", "case": {header}, "applicants": CSV, "education": CSV,
// "scores": CSV}. The errors of a quota-case/2 CSV merge, every one of them, go to `listed` too
// (the result carries the first).
Result<Case> case_from_body(const std::string& body, std::optional<CsvMerge>& listed) {
  // A case document is read once (the CSV form's format is not a case's: unsupported_format).
  auto direct = parse_case_json(body);  // malformed JSON reported with line and column
  if (direct || direct.error().code != ErrorCode("unsupported_format")) return direct;
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") ||
      j["format"] != "passline-case-csv/1")
    return direct;
  // With a quota-case/2 header the form is read as strictly as the case (SPEC §6 codes); with a
  // quota-case/1 header, as it always was.
  const bool strict = j.contains("case") && j["case"].is_object() && j["case"].contains("format") &&
                      j["case"]["format"] == "quota-case/2";
  constexpr std::string_view kKeys[] = {"format", "case", "applicants", "education", "scores"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      if (strict)
        return make_error("unknown_key", it.key(),
                          "'" + it.key() +
                              "' is not a key of the CSV form (keys: format, case, applicants, "
                              "education, scores)");
      return make_error("invalid_value", it.key(),
                        "unknown key '" + it.key() + "' in the CSV form");
    }
  for (const char* k : {"case", "applicants", "education", "scores"}) {
    const bool is_case = std::string_view(k) == "case";
    if (j.contains(k) && (is_case ? j[k].is_object() : j[k].is_string())) continue;
    const std::string what =
        is_case ? "' (the recruitment header, an object)" : "' (the CSV text, a string)";
    if (strict)
      return j.contains(k)
                 ? make_error("wrong_type", k,
                              std::string("'") + k + "' must be" +
                                  (is_case ? " an object" : " a string"))
                 : make_error("missing_field", k, std::string("the CSV form needs '") + k + what);
    return make_error("invalid_value", k, std::string("the CSV form needs '") + k + what);
  }
  auto header = parse_case_json(j["case"].dump());
  if (!header) {
    Error e = header.error();
    e.path = "case." + e.path;
    return e;
  }
  CsvFiles files{{"applicants.csv", j["applicants"].get<std::string>()},
                 {"education.csv", j["education"].get<std::string>()},
                 {"scores.csv", j["scores"].get<std::string>()}};
  const Spec spec = header->spec;
  CsvMerge csv = merge_case_csv_all(std::move(*header), files);
  if (csv.errors.empty()) return std::move(*csv.merged);
  Error first = csv.errors.front();
  if (spec == Spec::v2) listed = std::move(csv);
  return first;
}

// The problem of a quota-case/2 CSV merge: the first error as the problem's own code and path,
// and every error listed in `errors` ({code, path, detail}), `error_count` counting those not
// listed too (docs/HTTP.md).
Reply csv_problem(const CsvMerge& csv) {
  Reply r = problem(csv.errors.front());
  json j = json::parse(r.body);
  json list = json::array();
  for (const Error& e : csv.errors)
    list.push_back({{"code", std::string(e.code.name())},
                    {"path", e.path},
                    {"detail", e.message.empty() ? std::string(e.code.meaning()) : e.message}});
  j["errors"] = std::move(list);
  j["error_count"] = csv.error_count;
  r.body = dump(j);
  return r;
}

// Runs `action` directly, or through run_idempotent() when the request has an Idempotency-Key.
Result<Reply> maybe_idempotent(
    sql::Store& store, const Request& rq, const sql::Principal& p,
    const std::function<Result<sql::StoredResponse>(sql::Store&)>& action, bool& replayed) {
  replayed = false;
  if (rq.idempotency_key.empty()) {
    auto r = action(store);
    if (!r) return r.error();
    Reply out;
    out.status = r->status;
    out.content_type = r->content_type;
    out.body = std::move(r->body);
    return out;
  }
  if (rq.idempotency_key.size() > 255)
    return make_error("bad_request", "Idempotency-Key",
                      "Idempotency-Key is at most 255 characters");
  const std::string hash = sha256_hex(rq.method + " " + rq.target + "\n" + rq.body);
  auto r = sql::run_idempotent(store, p.token_id, rq.idempotency_key, hash, action);
  if (!r) return r.error();
  replayed = r->replayed;
  Reply out;
  out.status = r->response.status;
  out.content_type = r->response.content_type;
  out.body = std::move(r->response.body);
  out.headers.emplace_back("Idempotency-Key", rq.idempotency_key);
  if (replayed) out.headers.emplace_back("Idempotent-Replayed", "true");
  return out;
}

Result<Reply> create_recruitment(Context& cx, sql::Store& store, const Request& rq,
                                 const sql::Principal& p) {
  if (auto ok = check_query(rq, {"supersedes"}); !ok) return ok.error();
  if (!json_body(rq)) return unsupported("application/json");
  if (const std::string* s = query_value(rq, "supersedes"))
    if (auto ok = check_id(*s, "supersedes"); !ok) return ok.error();
  std::optional<CsvMerge> listed;
  auto c = case_from_body(rq.body, listed);
  if (!c) {
    if (listed) return csv_problem(*listed);
    return c.error();
  }
  if (p.agency != c->agency.code)
    return make_error("forbidden", "agency.code",
                      "this token creates recruitments of agency " + p.agency + ", not " +
                          c->agency.code);
  app::ImportOptions opts;
  if (const std::string* s = query_value(rq, "supersedes")) opts.supersedes = *s;
  const std::string id = c->recruitment.id;
  bool replayed = false;
  auto reply = maybe_idempotent(
      store, rq, p,
      [&](sql::Store& s) -> Result<sql::StoredResponse> {
        auto imported = app::import_case(s, *c, opts);
        if (!imported) return imported.error();
        auto info = app::recruitment(s, id);  // the stored state: imported_at as the store keeps it
        if (!info) return info.error();
        return sql::StoredResponse{201, "application/json", dump(recruitment_json(*info))};
      },
      replayed);
  if (!reply) return reply.error();
  if (!replayed) cx.reports.invalidate();
  reply->headers.emplace_back("Location", "/v1/recruitments/" + path_segment(id));
  return reply;
}

Result<Reply> decide_recruitment(Context& cx, sql::Store& store, const Request& rq,
                                 const sql::Principal& p, const std::string& id) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  if (!rq.body.empty() && !json_body(rq)) return unsupported("application/json (or no body)");
  auto info = visible_recruitment(store, p, id);
  if (!info) return info.error();
  std::optional<Decision> decided;
  bool replayed = false;
  auto reply = maybe_idempotent(
      store, rq, p,
      [&](sql::Store& s) -> Result<sql::StoredResponse> {
        auto d = app::decide(s, id, bundled_rules());
        if (!d) return d.error();
        std::string body = decision_to_json(d->input, d->decision);  // as decided: no read-back
        decided = std::move(d->decision);
        return sql::StoredResponse{200, "application/json", std::move(body)};
      },
      replayed);
  if (!reply) return reply.error();
  if (!replayed) cx.reports.invalidate();
  if (decided && !replayed) count_outcomes(cx.metrics, *decided);
  return reply;
}

// A page token: where the next page resumes (unit ordinal, applicant id), bound to the
// recruitment and filters it was given out with by a check value, so a token altered, made up
// or passed back with other filters is refused rather than read as another position.
std::string page_check(const std::string& recruitment, const Request& rq,
                       std::string_view position) {
  std::string text = recruitment;
  for (const char* name : {"stage", "basis", "applicant"}) {
    text += '\0';
    if (const std::string* v = query_value(rq, name)) text += "=" + *v;
  }
  text += '\0';
  text.append(position);
  const Hash h = leaf_hash(text);
  return to_hex(std::span<const std::uint8_t>(h.data(), 8));
}

std::string page_token(const std::string& recruitment, const Request& rq,
                       const app::PagePosition& at) {
  const std::string position = std::to_string(at.unit) + ":" + at.applicant;
  return "p1." + to_hex(position) + "." + page_check(recruitment, rq, position);
}

Result<app::PagePosition> parse_page_token(const std::string& recruitment, const Request& rq,
                                           const std::string& token) {
  auto refuse = [] {
    return make_error("bad_query", "page_token",
                      "page_token is not one this server gave out for these filters");
  };
  if (token.size() > 2 * (24 + 1 + 1024) || token.rfind("p1.", 0) != 0) return refuse();
  const auto dot = token.find('.', 3);
  if (dot == std::string::npos) return refuse();
  auto position = from_hex(std::string_view(token).substr(3, dot - 3));
  if (!position || token.substr(dot + 1) != page_check(recruitment, rq, *position)) return refuse();
  const auto colon = position->find(':');
  if (colon == std::string::npos || colon == 0 || colon > 9) return refuse();
  std::size_t unit = 0;
  for (char c : position->substr(0, colon)) {
    if (c < '0' || c > '9') return refuse();
    unit = unit * 10 + static_cast<std::size_t>(c - '0');
  }
  return app::PagePosition{unit, position->substr(colon + 1)};
}

json outcome_json(const StageOutcome& o, const std::string& stage,
                  const std::vector<std::string>& programs) {
  json out = json::object();
  switch (o.outcome) {
    case Outcome::pass_rank:
    case Outcome::pass_tie:
    case Outcome::pass_additional:
      out["basis"] = o.outcome == Outcome::pass_rank  ? "rank"
                     : o.outcome == Outcome::pass_tie ? "tie"
                                                      : "additional";
      out["decision"] = "pass";
      if (o.outcome == Outcome::pass_additional) out["program"] = programs.at(o.program);
      break;
    case Outcome::fail_disqualified:
    case Outcome::fail_below_cut:
      out["decision"] = "fail";
      out["reason"] = o.outcome == Outcome::fail_disqualified ? "disqualified" : "below_cut";
      break;
    case Outcome::not_reached: break;
  }
  out["stage"] = stage;
  return out;
}

// Applicants of a decision, filtered and paged (docs/HTTP.md): each as the decision document
// prints it, with its unit's id. A keyset read of page_size + 1 applicants: the cost of a page
// does not grow with the recruitment.
Result<Reply> decisions_page(sql::Store& store, const Request& rq, const std::string& id) {
  const std::string* basis = query_value(rq, "basis");
  app::DecisionPageQuery q;
  if (const std::string* stage = query_value(rq, "stage")) q.stage = *stage;
  if (const std::string* applicant = query_value(rq, "applicant")) q.applicant = *applicant;
  if (basis)
    q.passed = *basis == "rank"  ? Outcome::pass_rank
               : *basis == "tie" ? Outcome::pass_tie
                                 : Outcome::pass_additional;
  std::int64_t page_size = 100;
  if (const std::string* ps = query_value(rq, "page_size")) {
    auto v = parse_int(*ps, "page_size", 1, 1000);
    if (!v) return v.error();
    page_size = *v;
  }
  if (const std::string* pt = query_value(rq, "page_token")) {
    auto at = parse_page_token(id, rq, *pt);
    if (!at) return at.error();
    q.after = std::move(*at);
  }
  q.limit = static_cast<std::size_t>(page_size) + 1;
  auto page = app::decision_page(store, id, q);
  if (!page) return page.error();
  if (q.applicant && page->applicants.empty())
    if (auto ok = check_id(*q.applicant, "applicant"); !ok) return std::move(ok).error();
  const bool more = page->applicants.size() > static_cast<std::size_t>(page_size);
  if (more) page->applicants.resize(static_cast<std::size_t>(page_size));
  json items = json::array();
  for (const app::PagedApplicant& a : page->applicants) {
    const app::DecisionPage::Unit& unit = page->units.at(a.unit);
    json local = json::object();
    for (std::size_t p = 0; p < page->programs.size(); ++p)
      local[page->programs[p]] = ((a.local >> p) & 1u) != 0;
    json stages = json::array();
    for (std::size_t s = 0; s < a.outcomes.size(); ++s)
      stages.push_back(outcome_json(a.outcomes[s], unit.stages.at(s), page->programs));
    items.push_back(json{{"id", a.id},
                         {"local", std::move(local)},
                         {"stages", std::move(stages)},
                         {"unit", unit.id}});
  }
  json next = nullptr;
  if (more) {
    const app::PagedApplicant& last = page->applicants.back();
    next = page_token(id, rq, app::PagePosition{last.unit, last.id});
  }
  json out = {{"format", "passline-decisions-page/1"},
              {"recruitment", id},
              {"applicants", std::move(items)},
              {"next_page_token", std::move(next)}};
  return json_reply(200, out);
}

Result<Reply> read_decisions(sql::Store& store, const Request& rq, const sql::Principal& p,
                             const std::string& id) {
  if (auto ok = check_query(rq, {"stage", "basis", "applicant", "page_size", "page_token"}); !ok)
    return ok.error();
  if (const std::string* b = query_value(rq, "basis");
      b && *b != "rank" && *b != "tie" && *b != "additional")
    return make_error("bad_query", "basis",
                      "basis must be rank, tie or additional, not '" + *b + "'");
  auto info = visible_recruitment(store, p, id);
  if (!info) return info.error();
  if (!rq.query.empty()) return decisions_page(store, rq, info->id);
  // The whole document: byte for byte what `passline decisions --recruitment ID` prints,
  // streamed from keyset pages while it is sent (memory: one page, whatever the size). The
  // figures are read now, so an undecided recruitment is still a 409 before the head.
  auto figures = app::decision_units(store, info->id);
  if (!figures) return figures.error();
  Reply r;
  r.stream = [&store, d = std::move(*figures)](const DecisionSink& sink) {
    return app::write_stored_decision(store, d, sink);
  };
  return r;
}

// The decision's units without its applicants (docs/HTTP.md): the figures a stage table
// shows, read in rows that do not grow with the applicants.
Result<Reply> read_decision_units(sql::Store& store, const Request& rq, const sql::Principal& p,
                                  const std::string& id) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  auto info = visible_recruitment(store, p, id);
  if (!info) return info.error();
  auto d = app::decision_units(store, info->id);
  if (!d) return d.error();
  Reply r;
  r.body = decision_units_to_json(*d);
  return r;
}

Result<Reply> list_recruitments(sql::Store& store, const Request& rq, const sql::Principal& p) {
  if (auto ok = check_query(rq, {"agency", "year"}); !ok) return ok.error();
  auto year = year_param(rq, false);
  if (!year) return year.error();
  std::string agency;
  if (const std::string* a = query_value(rq, "agency")) agency = *a;
  json items = json::array();
  if (p.role == sql::Role::recruiter) {
    if (!agency.empty() && agency != p.agency)
      return json_reply(200, json{{"recruitments", items}});
    agency = p.agency;
  }
  auto list = store.list_recruitments(agency, *year);
  if (!list) return list.error();
  if (list->empty() && !agency.empty())  // nothing found: say so if the code cannot be one
    if (auto ok = check_id(agency, "agency"); !ok) return std::move(ok).error();
  for (const auto& r : *list) items.push_back(recruitment_json(r));
  return json_reply(200, json{{"recruitments", std::move(items)}});
}

Result<Reply> agency_compliance(Context& cx, Session& session, const Request& rq,
                                const sql::Principal& p, const std::string& code) {
  if (auto ok = check_query(rq, {"year"}); !ok) return ok.error();
  auto year = year_param(rq, true);
  if (!year) return year.error();
  const Error unknown =
      not_visible(code, "code",
                  make_error("unknown_agency", "agency", "no agency '" + code + "' is stored"));
  if (p.role == sql::Role::recruiter && p.agency != code) return unknown;
  if (code.empty()) return unknown;
  if (auto cached = cx.reports.find(code, *year)) {  // only agencies that exist are cached
    Reply r;
    r.body = std::move(*cached);
    return r;
  }
  const std::uint64_t generation = cx.reports.generation();
  auto leased = session.store();
  if (!leased) return leased.error();
  sql::Store& store = **leased;
  auto annual = app::annual_report(store, *year, code);
  if (!annual) return annual.error();
  if (annual->rows.empty() && annual->without_row.empty()) {  // known agency, or none at all?
    auto exists = store.agency_exists(code);
    if (!exists) return exists.error();
    if (!*exists) return unknown;
  }
  Reply r;
  r.body = app::report_json(*annual);
  cx.reports.put(code, *year, generation, r.body);
  return r;
}

Result<Reply> annual_report(Context& cx, Session& session, const Request& rq) {
  if (auto ok = check_query(rq, {"year"}); !ok) return ok.error();
  auto year = year_param(rq, true);
  if (!year) return year.error();
  if (auto cached = cx.reports.find("", *year)) {
    Reply r;
    r.body = std::move(*cached);
    return r;
  }
  const std::uint64_t generation = cx.reports.generation();
  auto store = session.store();
  if (!store) return store.error();
  auto annual = app::annual_report(**store, *year);
  if (!annual) return annual.error();
  Reply r;
  r.body = app::report_json(*annual);
  cx.reports.put("", *year, generation, r.body);
  return r;
}

json pack_summary(const RulePack& pk) {
  return json{{"id", pk.id},
              {"version", pk.version},
              {"title", pk.title},
              {"effective_from", pk.effective_from.to_string()},
              {"effective_until",
               pk.effective_until ? json(pk.effective_until->to_string()) : json(nullptr)},
              {"digest", pk.digest}};
}

Result<Reply> list_rules() {
  json items = json::array();
  for (const RulePack& pk : bundled_rules().all()) items.push_back(pack_summary(pk));
  return json_reply(200, json{{"rules", std::move(items)}});
}

Result<Reply> show_rule(const std::string& id) {
  json versions = json::array();
  for (const RulePack& pk : bundled_rules().all()) {
    if (pk.id != id) continue;
    json v = pack_summary(pk);
    v["pack"] = json::parse(pk.canonical_json());
    versions.push_back(std::move(v));
  }
  if (versions.empty())
    return not_visible(id, "id", make_error("unknown_pack", "id", "no rule pack '" + id + "'"));
  return json_reply(200, json{{"id", id}, {"versions", std::move(versions)}});
}

json principal_json(const sql::Principal& p) {
  return json{{"id", p.token_id},
              {"role", sql::to_string(p.role)},
              {"agency", p.agency.empty() ? json(nullptr) : json(p.agency)}};
}

Result<Reply> create_token(sql::Store& store, const Request& rq) {
  if (!json_body(rq)) return unsupported("application/json");
  json j = json::parse(rq.body, nullptr, false);
  if (j.is_discarded()) return make_error("malformed_json", "", "the body is not JSON");
  if (!j.is_object() || !j.contains("role") || !j["role"].is_string())
    return make_error("invalid_value", "role",
                      "give {\"role\": \"recruiter\"|\"auditor\"|\"admin\", \"agency\": CODE}");
  auto role = sql::parse_role(j["role"].get<std::string>());
  if (!role) return make_error("invalid_value", "role", "role must be recruiter, auditor or admin");
  std::string agency;
  if (j.contains("agency") && !j["agency"].is_null()) {
    if (!j["agency"].is_string())
      return make_error("invalid_value", "agency", "agency must be a string");
    agency = j["agency"].get<std::string>();
  }
  auto t = sql::create_token(store, *role, agency);
  if (!t) return t.error();
  json out = principal_json(t->principal);
  out["token"] = t->token;
  return json_reply(201, out);
}

Result<Reply> token_list(sql::Store& store) {
  auto all = sql::list_tokens(store);
  if (!all) return all.error();
  json items = json::array();
  for (const auto& [p, revoked] : *all) {
    json j = principal_json(p);
    j["revoked"] = revoked;
    items.push_back(std::move(j));
  }
  return json_reply(200, json{{"tokens", std::move(items)}});
}

// ---- the agency registry (admin only) ------------------------------------------------------

Result<Reply> agency_list(sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  auto all = app::list_agencies(store);
  if (!all) return all.error();
  Reply r;
  r.body = app::agencies_json(*all);
  return r;
}

Result<Reply> agency_show(sql::Store& store, const Request& rq, const std::string& code) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  auto found = app::show_agency(store, code);
  if (!found) return found.error();
  Reply r;
  r.body = app::agency_json(*found);
  return r;
}

// PUT /v1/agencies/{code}: the record in the body (its `code` may be left out; when given it
// must be the path's).
Result<Reply> agency_put(sql::Store& store, const Request& rq, const std::string& code) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  if (!json_body(rq)) return unsupported("application/json");
  auto rec = app::parse_agency_json(rq.body, false);
  if (!rec) return rec.error();
  if (!rec->agency.code.empty() && rec->agency.code != code)
    return make_error("invalid_value", "code",
                      "the body's code '" + rec->agency.code + "' is not the path's '" + code +
                          "'; leave it out or make them equal");
  rec->agency.code = code;
  auto done = app::register_agency(store, std::move(*rec));
  if (!done) return done.error();
  Reply r;
  r.status = done->created ? 201 : 200;
  r.body = app::agency_json(done->record);
  if (done->created) r.headers.emplace_back("Location", "/v1/agencies/" + path_segment(code));
  return r;
}

// POST /v1/agencies/import: a registry file (a JSON array of records), all or nothing.
Result<Reply> agency_import(sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  if (!json_body(rq)) return unsupported("application/json");
  auto done = app::import_agencies(store, rq.body);
  if (!done) return done.error();
  return json_reply(200, json{{"added", done->added},
                              {"updated", done->updated},
                              {"unchanged", done->unchanged}});
}

// ---- audit
// ---------------------------------------------------------------------------------------

json hashes_json(const std::vector<Hash>& v) {
  json a = json::array();
  for (const Hash& h : v) a.push_back(to_hex(h));
  return a;
}

// A checkpoint covering at least `min_size` entries: the newest stored one, or one signed now
// with the server's log key (log_key) when it has one.
Result<app::StoredCheckpoint> covering_checkpoint(Context& cx, sql::Store& store,
                                                  std::uint64_t min_size) {
  auto cp = app::latest_checkpoint(store, min_size);
  if (cp || cx.options.log_key.empty()) return cp;
  auto key = sql::read_log_key(cx.options.log_key);
  if (!key) return key.error();
  return app::sign_checkpoint(store, key->private_pem, key->name);
}

Result<Reply> audit_checkpoint(Context& cx, sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {}); !ok) return ok.error();
  auto head = app::log_head(store);
  if (!head) return head.error();
  auto cp = covering_checkpoint(cx, store, head->size);
  if (!cp) cp = app::latest_checkpoint(store);  // no key here: the newest there is
  if (!cp) return cp.error();
  auto parsed = verify_checkpoint(cp->note, cp->verifier_key);
  if (!parsed) return parsed.error();
  auto note = sql::witnessed_note(store, *cp);  // with the witnesses' cosignatures
  if (!note) return note.error();
  cp->note = std::move(*note);
  return json_reply(200, json{{"tree_size", cp->size},
                              {"root", to_hex(parsed->root)},
                              {"time", parsed->time},
                              {"origin", parsed->origin},
                              {"log_size", head->size},
                              {"note", cp->note},
                              {"verifier_key", cp->verifier_key}});
}

Result<std::uint64_t> u64_param(const Request& rq, std::string_view name, std::uint64_t max) {
  const std::string* v = query_value(rq, name);
  if (!v)
    return make_error("bad_query", std::string(name),
                      "the query needs " + std::string(name) + "=N");
  auto n = parse_int(*v, name, 0, static_cast<std::int64_t>(max));
  if (!n) return n.error();
  return static_cast<std::uint64_t>(*n);
}

constexpr std::uint64_t kMaxEntriesPerPage = 1000;

Result<Reply> audit_entries(sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {"start", "end"}); !ok) return ok.error();
  auto head = app::log_head(store);
  if (!head) return head.error();
  auto start = u64_param(rq, "start", head->size);
  if (!start) return start.error();
  std::uint64_t end = std::min(head->size, *start + kMaxEntriesPerPage);
  if (query_value(rq, "end")) {
    auto e = u64_param(rq, "end", std::numeric_limits<std::int64_t>::max());
    if (!e) return e.error();
    if (*e < *start) return make_error("bad_query", "end", "end must not be below start");
    end = std::min({*e, *start + kMaxEntriesPerPage, head->size});  // the log's end at most
  }
  Reply r;
  r.content_type = "application/x-ndjson";
  auto n = store.read_log(*start, end, [&](std::uint64_t, std::string_view entry) {
    r.body.append(entry);
    r.body.push_back('\n');
  });
  if (!n) return n.error();
  r.headers.emplace_back("Log-Size", std::to_string(head->size));
  return r;
}

Result<Reply> audit_inclusion(sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {"index", "tree_size"}); !ok) return ok.error();
  auto head = app::log_head(store);
  if (!head) return head.error();
  auto size = u64_param(rq, "tree_size", head->size);
  if (!size) return size.error();
  if (*size == 0) return make_error("bad_query", "tree_size", "tree_size must be at least 1");
  auto index = u64_param(rq, "index", *size - 1);
  if (!index) return index.error();
  auto p = app::prove_inclusion(store, *index, *size);
  if (!p) return p.error();
  return json_reply(200, json{{"index", p->index},
                              {"tree_size", p->tree_size},
                              {"leaf_hash", to_hex(p->leaf_hash)},
                              {"root", to_hex(p->root)},
                              {"proof", hashes_json(p->proof)}});
}

Result<Reply> audit_consistency(sql::Store& store, const Request& rq) {
  if (auto ok = check_query(rq, {"first", "second"}); !ok) return ok.error();
  auto head = app::log_head(store);
  if (!head) return head.error();
  auto second = u64_param(rq, "second", head->size);
  if (!second) return second.error();
  auto first = u64_param(rq, "first", *second);
  if (!first) return first.error();
  auto p = app::prove_consistency(store, *first, *second);
  if (!p) return p.error();
  return json_reply(200, json{{"first", p->first},
                              {"second", p->second},
                              {"first_root", to_hex(p->first_root)},
                              {"second_root", to_hex(p->second_root)},
                              {"proof", hashes_json(p->proof)}});
}

Result<Reply> applicant_receipt(Context& cx, sql::Store& store, const std::string& recruitment,
                                const std::string& applicant) {
  auto receipt = app::applicant_receipt(
      store, recruitment, applicant, [&](std::uint64_t need) -> Result<app::StoredCheckpoint> {
        auto cp = covering_checkpoint(cx, store, need);
        if (!cp) return cp;
        auto note = sql::witnessed_note(store, *cp);  // with the witnesses' cosignatures
        if (!note) return note.error();
        cp->note = std::move(*note);
        return cp;
      });
  if (!receipt) {
    if (receipt.error().code == "unknown_applicant")
      return not_visible(applicant, "applicant", receipt.error());
    return receipt.error();
  }
  Reply r;
  r.body = std::move(*receipt);
  return r;
}

// ---- explanations -------------------------------------------------------------------------------

json citation_json(const Citation& c) {
  switch (c.source) {
    case Citation::Source::pack:
      return json{{"source", "pack"},   {"program", c.pack}, {"version", c.version},
                  {"digest", c.digest}, {"key", c.key},      {"text", c.text}};
    case Citation::Source::regions:
      return json{{"source", "regions"}, {"digest", c.digest}, {"key", c.key}, {"text", c.text}};
    case Citation::Source::spec: break;
  }
  return json{{"source", "spec"}, {"key", c.key}, {"text", c.text}};
}

// GET /v1/recruitments/{id}/applicants/{applicant}/explanation?lang=ko|en: the account of one
// applicant of a decided recruitment (app/explanation.h), as text and as lines with citations.
Result<Reply> applicant_explanation(sql::Store& store, const Request& rq,
                                    const std::string& recruitment, const std::string& applicant) {
  if (auto ok = check_query(rq, {"lang"}); !ok) return ok.error();
  Language lang = Language::ko;
  if (const std::string* l = query_value(rq, "lang")) {
    if (*l != "ko" && *l != "en")
      return make_error("bad_query", "lang", "lang must be ko or en, not '" + *l + "'");
    lang = *l == "en" ? Language::en : Language::ko;
  }
  auto account = app::explain_applicant(store, recruitment, applicant, bundled_rules(), lang);
  if (!account) return account.error();
  json lines = json::array();
  for (const ExplanationLine& line : account->lines) {
    json citations = json::array();
    for (const Citation& c : line.citations) citations.push_back(citation_json(c));
    lines.push_back(
        json{{"indent", line.indent}, {"text", line.text}, {"citations", std::move(citations)}});
  }
  return json_reply(200, json{{"format", "passline-explanation/1"},
                              {"recruitment", recruitment},
                              {"applicant", applicant},
                              {"lang", lang == Language::en ? "en" : "ko"},
                              {"text", account->text},
                              {"lines", std::move(lines)}});
}

// ---- routing ------------------------------------------------------------------------------------

struct Matched {
  Route route = Route::not_found;
  std::string_view allow;  // methods, for 405
  std::string arg;         // {id} / {code}
  std::string arg2{};      // {applicant}
};

Matched match(const std::vector<std::string>& s) {
  const std::size_t n = s.size();
  if (n == 1 && s[0] == "healthz") return {Route::healthz, "GET", {}};
  if (n == 1 && s[0] == "readyz") return {Route::readyz, "GET", {}};
  if (n == 1 && s[0] == "metrics") return {Route::metrics, "GET", {}};
  if (n == 1 && s[0] == "checkpoint") return {Route::log_checkpoint, "GET", {}};
  if (n >= 1 && s[0] == "tile") return {Route::log_tile, "GET", {}};  // tiles.cc checks the rest
  if (n < 2 || s[0] != "v1") return {};
  if (n == 2 && s[1] == "openapi.json") return {Route::openapi, "GET", {}};
  if (s[1] == "recruitments") {
    if (n == 2) return {Route::recruitments, "GET, POST", {}};
    if (n == 3) return {Route::recruitment, "GET", s[2]};
    if (n == 4 && s[3] == "decide") return {Route::decide, "POST", s[2]};
    if (n == 4 && s[3] == "decisions") return {Route::decisions, "GET", s[2]};
    if (n == 4 && s[3] == "units") return {Route::units, "GET", s[2]};
    if (n == 6 && s[3] == "applicants" && s[5] == "receipt")
      return {Route::receipt, "GET", s[2], s[4]};
    if (n == 6 && s[3] == "applicants" && s[5] == "explanation")
      return {Route::explanation, "GET", s[2], s[4]};
  }
  if (s[1] == "audit") {
    if (n == 3 && s[2] == "checkpoint") return {Route::audit_checkpoint, "GET", {}};
    if (n == 3 && s[2] == "entries") return {Route::audit_entries, "GET", {}};
    if (n == 4 && s[2] == "proofs" && s[3] == "inclusion")
      return {Route::audit_inclusion, "GET", {}};
    if (n == 4 && s[2] == "proofs" && s[3] == "consistency")
      return {Route::audit_consistency, "GET", {}};
  }
  if (n == 4 && s[1] == "agencies" && s[3] == "compliance") return {Route::compliance, "GET", s[2]};
  if (n == 2 && s[1] == "agencies") return {Route::agencies, "GET", {}};
  // POST /v1/agencies/import (serve_api tells it from the agency "import" by its method).
  if (n == 3 && s[1] == "agencies")
    return {Route::agency, s[2] == "import" ? "GET, PUT, POST" : "GET, PUT", s[2]};
  if (n == 2 && s[1] == "report") return {Route::report, "GET", {}};
  if (n == 2 && s[1] == "rules") return {Route::rules, "GET", {}};
  if (n == 3 && s[1] == "rules") return {Route::rule, "GET", s[2]};
  if (n == 2 && s[1] == "whoami") return {Route::whoami, "GET", {}};
  if (n == 2 && s[1] == "tokens") return {Route::tokens, "GET, POST", {}};
  if (n == 3 && s[1] == "tokens") return {Route::token, "DELETE", s[2]};
  return {};
}

bool allows(std::string_view allow, const std::string& method) {
  std::size_t pos = 0;
  while (pos < allow.size()) {
    auto end = allow.find(", ", pos);
    if (end == std::string_view::npos) end = allow.size();
    if (allow.substr(pos, end - pos) == method) return true;
    pos = end + 2;
  }
  return false;
}

Result<Reply> serve_authenticated(Context& cx, Session& session, const Request& rq,
                                  const Matched& m, std::string& token_id) {
  auto p = authenticate(cx, session, rq);
  if (!p) return p.error();
  token_id = p->token_id;
  if (m.route == Route::whoami) {  // any valid token: who it is (the console's sign-in)
    if (auto ok = check_query(rq, {}); !ok) return ok.error();
    return json_reply(200, json{{"token", p->token_id},
                                {"role", std::string(sql::to_string(p->role))},
                                {"agency", p->agency.empty() ? json(nullptr) : json(p->agency)}});
  }
  Action action = Action::read;
  switch (m.route) {
    case Route::recruitments: action = rq.method == "POST" ? Action::create : Action::read; break;
    case Route::decide: action = Action::decide; break;
    case Route::report: action = Action::read_all; break;
    case Route::rules:
    case Route::rule: action = Action::rules; break;
    case Route::tokens:
    case Route::token: action = Action::tokens; break;
    case Route::agencies:
    case Route::agency:
    case Route::agencies_import: action = Action::agencies; break;
    case Route::audit_checkpoint:
    case Route::audit_entries:
    case Route::audit_inclusion:
    case Route::audit_consistency: action = Action::read_all; break;
    default: action = Action::read;
  }
  if (auto ok = permit(*p, action); !ok) return ok.error();
  // Agency codes are checked before anything is looked up (SPEC §6's id rule; 422 bad_id naming
  // the path parameter). A recruitment or applicant id is looked up first (a bound parameter,
  // never SQL text) so that rows older versions stored under ids today's rule refuses stay
  // readable; one that names nothing visible answers bad_id when it breaks the rule
  // (not_visible), else 404.
  if (m.route == Route::agency || m.route == Route::compliance)
    if (auto ok = app::check_agency_code(m.arg, "code"); !ok) return ok.error();
  // Bytes no id of any version can be addressed by (text that is not UTF-8, control characters)
  // are refused at the door all the same.
  if (m.route == Route::recruitment || m.route == Route::decide || m.route == Route::decisions ||
      m.route == Route::units || m.route == Route::receipt || m.route == Route::explanation) {
    if (printable(m.arg) != m.arg) return check_id(m.arg, "id").error();
    if (printable(m.arg2) != m.arg2) return check_id(m.arg2, "applicant").error();
  }
  if (m.route == Route::rules) return list_rules();
  if (m.route == Route::rule) return show_rule(m.arg);
  if (m.route == Route::compliance) return agency_compliance(cx, session, rq, *p, m.arg);
  if (m.route == Route::report) return annual_report(cx, session, rq);
  auto store = session.store();
  if (!store) return store.error();
  sql::Store& s = **store;
  switch (m.route) {
    case Route::recruitments:
      return rq.method == "POST" ? create_recruitment(cx, s, rq, *p) : list_recruitments(s, rq, *p);
    case Route::recruitment: {
      if (auto ok = check_query(rq, {}); !ok) return ok.error();
      auto info = visible_recruitment(s, *p, m.arg);
      if (!info) return info.error();
      return json_reply(200, recruitment_json(*info));
    }
    case Route::decide: return decide_recruitment(cx, s, rq, *p, m.arg);
    case Route::decisions: return read_decisions(s, rq, *p, m.arg);
    case Route::units: return read_decision_units(s, rq, *p, m.arg);
    case Route::tokens: return rq.method == "POST" ? create_token(s, rq) : token_list(s);
    case Route::agencies: return agency_list(s, rq);
    case Route::agency:
      return rq.method == "PUT" ? agency_put(s, rq, m.arg) : agency_show(s, rq, m.arg);
    case Route::agencies_import: return agency_import(s, rq);
    case Route::audit_checkpoint: return audit_checkpoint(cx, s, rq);
    case Route::audit_entries: return audit_entries(s, rq);
    case Route::audit_inclusion: return audit_inclusion(s, rq);
    case Route::audit_consistency: return audit_consistency(s, rq);
    case Route::receipt: {
      if (auto ok = check_query(rq, {}); !ok) return ok.error();
      auto info = visible_recruitment(s, *p, m.arg);
      if (!info) return info.error();
      return applicant_receipt(cx, s, m.arg, m.arg2);
    }
    case Route::explanation: {
      auto info = visible_recruitment(s, *p, m.arg);
      if (!info) return info.error();
      return applicant_explanation(s, rq, m.arg, m.arg2);
    }
    case Route::token: {
      if (auto ok = check_id(m.arg, "id"); !ok) return std::move(ok).error();
      auto r = sql::revoke_token(s, m.arg);
      if (!r) return r.error();
      cx.tokens.clear();
      Reply out;
      out.status = 204;
      return out;
    }
    default: return make_error("not_found", "", "no such resource");
  }
}

}  // namespace

Reply serve_api(Context& cx, const Request& rq, Route& route, std::string& token_id) {
  if (rq.method == "HEAD") {  // GET's answer; Poco sends its head and Content-Length, no body
    Request get = rq;
    get.method = "GET";
    return serve_api(cx, get, route, token_id);
  }
  if (rq.idempotency_key.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
    return problem(
        make_error("bad_request", "Idempotency-Key", "Idempotency-Key may not hold CR, LF or NUL"));
  if (auto console = serve_console(rq, route)) return std::move(*console);
  Matched m = match(rq.segments);
  route = m.route;
  if (m.route == Route::not_found)
    return problem(
        make_error("not_found", "", "no resource at " + rq.target.substr(0, rq.target.find('?'))));
  if (!allows(m.allow, rq.method)) return method_not_allowed(m.allow);
  if (m.route == Route::agency && rq.method == "POST") route = m.route = Route::agencies_import;
  switch (m.route) {
    case Route::healthz: return json_reply(200, json{{"status", "ok"}});
    case Route::readyz: {
      if (cx.stopping.load())
        return problem(make_error("shutting_down", "", "the server is stopping"));
      Session session(cx);
      auto store = session.store();
      if (!store) return problem(store.error());
      auto ok = sql::ping(**store);
      if (!ok) {
        session.discard();
        return problem(ok.error());
      }
      return json_reply(200,
                        json{{"status", "ready"},
                             {"schema_version", (*store)->schema_version()},
                             {"db_pool",
                              {{"size", cx.pool.size()}, {"open", cx.pool.open_connections()}}}});
    }
    case Route::metrics: {
      Reply r;
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = cx.metrics.render();
      return r;
    }
    case Route::log_checkpoint: return serve_log_tiles(cx, rq, m.route);  // public: tiles.cc
    case Route::log_tile: {
      // Hash tiles are public; entry bundles hold applicants' personal data (exam ids, education
      // regions, scores), so only an auditor's or admin's token reads them, as /v1/audit does.
      if (rq.segments.size() >= 2 && rq.segments[1] == "entries") {
        Session session(cx);
        auto p = authenticate(cx, session, rq);
        if (!p) return problem(p.error());
        token_id = p->token_id;
        if (auto ok = permit(*p, Action::read_all); !ok) return problem(ok.error());
      }
      return serve_log_tiles(cx, rq, m.route);
    }
    case Route::openapi: {
      Reply r;
      r.body = openapi_json();
      return r;
    }
    default: break;
  }
  // Shared: a streamed reply keeps the store it reads from leased until it has been sent.
  auto session = std::make_shared<Session>(cx);
  auto r = serve_authenticated(cx, *session, rq, m, token_id);
  if (r) {
    if (r->stream) {
      r->stream = [session, inner = std::move(r->stream)](const DecisionSink& sink) {
        auto ok = inner(sink);
        if (!ok && ok.error().code == "storage") session->discard();
        return ok;
      };
      r->holds = session;
    }
    return std::move(*r);
  }
  if (r.error().code == "storage")
    session->discard();  // reopen rather than reuse a broken connection
  return problem(r.error());
}

RouteMatch match_route(const std::vector<std::string>& segments) {
  Matched m = match(segments);
  return {m.route, m.allow, std::move(m.arg), std::move(m.arg2)};
}

bool route_allows(std::string_view allow, const std::string& method) {
  return allows(allow, method);
}

}  // namespace passline::http::detail
