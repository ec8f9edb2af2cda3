// `--db` URLs: sqlite:PATH and postgresql://user[:password]@host[:port]/dbname[?key=value&...].
#include <string>

#include "passline/sql/store.h"

namespace passline::sql {
namespace {

Error bad_url(std::string message) { return make_error("bad_db_url", "--db", std::move(message)); }

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A libpq connection-string value, quoted when it has spaces or quotes.
std::string pq_value(const std::string& v) {
  if (!v.empty() && v.find_first_of(" '\\") == std::string::npos) return v;
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Result<DatabaseUrl> parse_postgres(std::string_view url, std::string_view rest) {
  DatabaseUrl u;
  u.backend = DatabaseUrl::Backend::postgresql;
  u.soci_backend = "postgresql";
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size())
    return bad_url("'" + std::string(url) +
                   "' names no database: expected postgresql://user@host:port/dbname");
  const std::string dbname = percent_decode(rest.substr(slash + 1));
  std::string_view authority = rest.substr(0, slash);
  std::string user, password;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      password = percent_decode(userinfo.substr(colon + 1));
      userinfo = userinfo.substr(0, colon);
    }
    user = percent_decode(userinfo);
  }
  std::string host(authority), port;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = std::string(authority.substr(0, colon));
    port = std::string(authority.substr(colon + 1));
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos)
      return bad_url("port '" + port + "' of '" + std::string(url) + "' is not a number");
  }
  std::string cs = "dbname=" + pq_value(dbname);
  if (!host.empty()) cs += " host=" + pq_value(percent_decode(host));
  if (!port.empty()) cs += " port=" + port;
  if (!user.empty()) cs += " user=" + pq_value(user);
  if (!password.empty()) cs += " password=" + pq_value(password);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return bad_url("parameter '" + std::string(kv) + "' of '" + std::string(url) +
                     "' is not key=value");
    cs +=
        " " + percent_decode(kv.substr(0, eq)) + "=" + pq_value(percent_decode(kv.substr(eq + 1)));
  }
  u.connect_string = cs;
  u.display = std::string(url);
  if (!password.empty()) {
    const auto start = url.find("://") + 3;
    const auto at = url.rfind('@');
    const auto colon = url.find(':', start);
    u.display = std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
  }
  return u;
}

}  // namespace

Result<DatabaseUrl> parse_database_url(std::string_view url) {
  if (url.starts_with("postgresql://")) return parse_postgres(url, url.substr(13));
  if (url.starts_with("postgres://")) return parse_postgres(url, url.substr(11));
  std::string_view path;
  if (url.starts_with("sqlite://")) {
    path = url.substr(9);
  } else if (url.starts_with("sqlite:")) {
    path = url.substr(7);
  } else if (url.ends_with(".db") || url.ends_with(".sqlite") || url.ends_with(".sqlite3")) {
    path = url;
  } else {
    return bad_url(
        "'" + std::string(url) +
        "' is not a database URL: expected sqlite:PATH or postgresql://user@host:port/dbname");
  }
  if (path.empty())
    return bad_url("'" + std::string(url) + "' names no file: expected sqlite:PATH");
  if (path.find_first_of(" \t\"'") != std::string_view::npos)
    return bad_url("SQLite path '" + std::string(path) +
                   "' has a space or quote; choose a path without");
  DatabaseUrl u;
  u.soci_backend = "sqlite3";
  u.connect_string = "db=" + std::string(path) + " timeout=60";
  u.display = "sqlite:" + std::string(path);
  return u;
}

}  // namespace passline::sql
