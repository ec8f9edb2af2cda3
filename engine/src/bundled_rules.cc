// The rule packs shipped in rules/, compiled into the library by cmake/embed_rules.cmake.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "passline/rule_pack.h"

namespace passline {
namespace detail {

/// Every rules/**/*.yaml file as (path relative to the project, e.g.
/// `rules/kr-innovation-city/2018-01-25.yaml`, text), sorted by path. Defined in the source
/// generated at build time (bundled_rules_data.cc).
const std::vector<std::pair<std::string, std::string>>& bundled_rule_files();

}  // namespace detail

const RuleRegistry& bundled_rules() {
  // Built once, on first use; C++ guarantees the initialisation of a function-local static is
  // thread-safe, and the registry is immutable afterwards.
  static const RuleRegistry registry = [] {
    auto loaded = load_rule_packs(detail::bundled_rule_files());
    if (!loaded.ok()) {
      // The packs were embedded at build time, so a bad one is a build defect, not input.
      std::fprintf(stderr,
                   "passline: a bundled rule pack is invalid (build defect; fix rules/ and "
                   "rebuild): %s\n",
                   loaded.error().message.c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return registry;
}

}  // namespace passline
