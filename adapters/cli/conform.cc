// passline CLI: `passline conform DIR`, decides every NAME.case.json in DIR and checks the
// decision against NAME.expected.json (SPEC §6).
#include "conform.h"

#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "files.h"
#include "passline/decision.h"
#include "passline/json.h"

namespace passline::cli {
namespace {

using nlohmann::json;

bool is_identifier(const std::string& key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char ch = key[i];
    const bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
    const bool digit = ch >= '0' && ch <= '9';
    if (!(alpha || (i > 0 && digit))) return false;
  }
  return true;
}

std::string member_path(const std::string& parent, const std::string& key) {
  if (is_identifier(key)) return parent + "." + key;
  return parent + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

// Compact JSON text of a value, cut to a readable length on a UTF-8 character boundary.
std::string show(const json& v) {
  constexpr std::size_t kMax = 72;
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() <= kMax) return s;
  std::size_t cut = kMax - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s + "...";
}

std::optional<Difference> differ(const std::string& path, const json& expected, const json& got) {
  return Difference{path, "expected " + show(expected) + ", got " + show(got)};
}

std::optional<Difference> compare(const std::string& path, const json& expected,
                                  const json& produced) {
  if (expected.is_object()) {
    if (!produced.is_object()) return differ(path, expected, produced);
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const std::string at = member_path(path, it.key());
      auto found = produced.find(it.key());
      if (found == produced.end()) {
        return Difference{at, "expected " + show(it.value()) + ", got nothing (key missing)"};
      }
      if (auto d = compare(at, it.value(), *found)) return d;
    }
    return std::nullopt;
  }
  if (expected.is_array()) {
    if (!produced.is_array()) return differ(path, expected, produced);
    const std::size_t n = std::min(expected.size(), produced.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (auto d = compare(path + "[" + std::to_string(i) + "]", expected[i], produced[i])) {
        return d;
      }
    }
    if (expected.size() != produced.size()) {
      return Difference{path, "expected " + std::to_string(expected.size()) + " elements, got " +
                                  std::to_string(produced.size())};
    }
    return std::nullopt;
  }
  if (expected != produced) return differ(path, expected, produced);
  return std::nullopt;
}

// The file name without its directory and without `suffix`.
std::string case_name(const std::string& path, const std::string& suffix) {
  const std::size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return name.substr(0, name.size() - suffix.size());
}

// The decision document produced for one case file, as the `decide` command prints it;
// an unreadable case file is an error.
Result<json> produce(const std::string& case_path, const RuleRegistry& rules) {
  auto text = read_file(case_path);
  if (!text) return std::move(text).error();
  std::string out;
  auto c = parse_case_json(*text);
  if (!c) {
    out = error_to_json(c.error(), declared_spec(*text));
  } else if (auto d = decide(*c, rules); !d) {
    out = error_to_json(d.error(), c->spec);
  } else {
    out = decision_to_json(*c, *d);
  }
  try {
    return json::parse(out);
  } catch (const json::exception& e) {
    return make_error("internal", case_path,
                      std::string("the engine printed invalid JSON: ") + e.what());
  }
}

Result<json> read_expected(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::move(text).error();
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for `1e999`
    return make_error("malformed_json", path, path + " is not JSON: " + e.what());
  }
}

}  // namespace

std::optional<Difference> first_difference(const json& expected, const json& produced) {
  return compare("$", expected, produced);
}

int run_conform(const Options& o) {
  static const std::string kCase = ".case.json";
  static const std::string kExpected = ".expected.json";
  const std::string& dir = o.args.at(0);

  RuleRegistry storage;
  auto rules = rules_for(o, storage);
  if (!rules) return report(rules.error());
  auto cases = list_files(dir, kCase);
  if (!cases) return report(cases.error());
  if (cases->empty()) {
    return report(make_error("unreadable_dir", dir, "no *" + kCase + " files in " + dir));
  }

  std::size_t passed = 0, failed = 0;
  std::string out;
  for (const std::string& case_path : *cases) {
    const std::string name = case_name(case_path, kCase);
    const std::string expected_path =
        case_path.substr(0, case_path.size() - kCase.size()) + kExpected;
    std::string failure;
    if (auto expected = read_expected(expected_path); !expected) {
      failure = expected.error().message;
    } else if (auto produced = produce(case_path, **rules); !produced) {
      failure = produced.error().message;
    } else if (auto d = first_difference(*expected, *produced)) {
      failure = d->path + ": " + d->detail;
    }
    if (failure.empty()) {
      ++passed;
    } else {
      ++failed;
      out += "FAIL " + name + ": " + failure + "\n";
    }
  }
  out += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
  write_out(out);
  return failed == 0 ? 0 : exit_code_for("not_conforming");
}

}  // namespace passline::cli
