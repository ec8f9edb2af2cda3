// libFuzzer harness: the auditor's side of the decision log on untrusted bytes.
//   * the input, split into lines, goes through LogVerifier (with no checkpoint) and
//     read_log_entries(); every recruitment read back is replayed (replay never throws);
//   * the whole input goes through verify_receipt().
// Invariants: no crash or exception; when the verifier accepts a log whose entries also read
// back as passline entries (canonical JSON of the log's schema), every line's top-level
// log_index is its position: the verifier's quick position check agrees with the full scan
// on every well-formed entry. (A line that is not a passline entry but ends like one can pass
// the quick check without a checkpoint; the checkpoint's root and replay catch it.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "passline/log.h"
#include "passline/log_verify.h"
#include "passline/receipt.h"
#include "passline/rule_pack.h"

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_log: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= in.size()) {
    auto nl = in.find('\n', start);
    if (nl == std::string::npos) nl = in.size();
    if (nl > start) lines.push_back(in.substr(start, nl - start));
    start = nl + 1;
  }
  passline::LogVerifier verifier;
  for (const auto& l : lines) verifier.add(l);
  const auto v = verifier.finish();
  auto read = passline::read_log_entries(lines);
  if (v.ok() && read.ok()) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto pos = passline::entry_position(lines[i]);
      if (!pos || pos->log_index != i) violated("an accepted log with a misplaced entry", lines[i]);
    }
  }
  if (read.ok()) {
    for (const auto& r : *read) {
      const auto result = passline::replay(r, passline::bundled_rules());
      if (result.error && result.error->code.name().empty())
        violated("replay error without a code");
    }
  } else if (read.error().code.name().empty()) {
    violated("read_log_entries error without a code");
  }
  auto receipt = passline::verify_receipt(in);
  if (!receipt.ok() && receipt.error().code.name().empty())
    violated("receipt error without a code");
  return 0;
}
