// The embedded OpenAPI document (docs/openapi.json).
#include <utility>
#include <vector>

#include "service.h"

namespace passline::detail {
const std::vector<std::pair<std::string, std::string>>& http_openapi_files();
}

namespace passline::http::detail {

const std::string& openapi_json() {
  static const std::string text = [] {
    for (const auto& [path, body] : passline::detail::http_openapi_files())
      if (path == "docs/openapi.json") return body;
    return std::string("{}");
  }();
  return text;
}

}  // namespace passline::http::detail
