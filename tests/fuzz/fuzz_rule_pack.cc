// libFuzzer harness: the strict rule pack loader, parse_rule_pack(yaml, "fuzz.yaml").
//
// Invariants (abort on violation): a failure is bad_rule_pack at "fuzz.yaml:LINE"; an accepted
// pack has a 64-hex digest equal to sha256(canonical_json()), its canonical JSON re-parses, and
// resolving it for a few agencies and dates never throws. Adding it to a registry never throws.
//
// Build: see tests/fuzz/CMakeLists.txt (PASSLINE_BUILD_FUZZ=ON, Clang only).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "passline/rule_pack.h"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_rule_pack: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pack = passline::parse_rule_pack(text, "fuzz.yaml");
  if (!pack.ok()) {
    const passline::Error& e = pack.error();
    if (e.code != "bad_rule_pack") violated("unexpected error code", std::string(e.code.name()));
    if (e.path.rfind("fuzz.yaml:", 0) != 0) violated("error path does not name the source", e.path);
    return 0;
  }
  const passline::RulePack& p = pack.value();
  const std::string canonical = p.canonical_json();
  if (p.digest.size() != 64) violated("digest is not 64 hex digits", p.digest);
  if (passline::sha256_hex(canonical) != p.digest) violated("digest != sha256(canonical_json())");
  if (!nlohmann::json::accept(canonical)) violated("canonical JSON does not parse", canonical);

  // Resolve for a few agencies and dates; errors are fine, exceptions and crashes are not.
  for (auto region : {passline::Region::seoul, passline::Region::busan, passline::Region::daegu,
                      passline::Region::jeju}) {
    for (int designated : {0, 2018, 2020}) {
      passline::Agency agency{"FUZZ", region, designated};
      for (const char* when : {"2018-01-25", "2020-05-27", "2024-08-14", "9999-12-31"}) {
        auto r = passline::resolve_program(p, agency, *passline::Date::parse(when));
        if (r.ok()) {
          // The resolved program's target arithmetic must not throw for sane counts.
          (void)r.value().ratio.apply(1000, r.value().rounding);
          if (r.value().cap) (void)r.value().cap->ratio.apply(1000, r.value().cap->rounding);
        }
      }
    }
  }
  passline::RuleRegistry registry;
  auto added = registry.add(p);
  if (!added.ok()) violated("adding one pack to an empty registry failed", added.error().message);
  auto again = registry.add(p);
  if (again.ok()) violated("the same version added twice was accepted");
  return 0;
}
