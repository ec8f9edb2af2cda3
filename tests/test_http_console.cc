// The web console's files as the HTTP service serves them (adapters/http/src/console.cc): the
// fixed set embedded at build time at `/` and `/assets/NAME`, their security and cache
// headers, conditional requests, and GET /v1/whoami, which the console signs in with. The
// pages themselves are tested in a real browser by console/test/e2e.mjs (ctest: console_e2e).
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_support.h"

using namespace passline;
using namespace passline::test;

TEST_SUITE("http console") {

TEST_CASE("http console: whoami names the token's role and agency") {
  Service svc(Backend::sqlite);
  Client c = svc.client();
  CHECK(c.get("/v1/whoami").status == 401);
  CHECK(c.get("/v1/whoami", "pl_not-a-token").status == 401);
  auto r = c.get("/v1/whoami", svc.recruiter);
  REQUIRE(r.status == 200);
  CHECK(r.json().at("role") == "recruiter");
  CHECK(r.json().at("agency") == "BUSAN-A");
  CHECK(r.json().at("token").get<std::string>().rfind("tok_", 0) == 0);
  auto admin = c.get("/v1/whoami", svc.admin);
  REQUIRE(admin.status == 200);
  CHECK(admin.json().at("role") == "admin");
  CHECK(admin.json().at("agency").is_null());
  CHECK(c.get("/v1/whoami", svc.auditor).json().at("role") == "auditor");
  CHECK(c.get("/v1/whoami?x=1", svc.auditor).status == 400);
  CHECK(c.request("POST", "/v1/whoami", svc.auditor).status == 405);
}

#if PASSLINE_CONSOLE_BUILT
TEST_CASE("http console: index.html and its assets, with a strict policy and cache headers") {
  Service svc(Backend::sqlite);
  Client c = svc.client();
  auto index = c.get("/");
  REQUIRE(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  const std::string csp = index.headers["Content-Security-Policy"];
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe") == std::string::npos);
  CHECK(index.headers["X-Content-Type-Options"] == "nosniff");
  CHECK(index.headers["Cache-Control"] == "no-cache");
  const std::string etag = index.headers["ETag"];
  CHECK(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\"")));
  // No inline script: every script element names its source.
  const std::regex script("<script([^>]*)>");
  for (auto it = std::sregex_iterator(index.body.begin(), index.body.end(), script);
       it != std::sregex_iterator(); ++it)
    CHECK((*it)[1].str().find(" src=\"/assets/") != std::string::npos);

  std::vector<std::string> assets;
  const std::regex ref("(?:src|href)=\"(/assets/[^\"]+)\"");
  for (auto it = std::sregex_iterator(index.body.begin(), index.body.end(), ref);
       it != std::sregex_iterator(); ++it)
    assets.push_back((*it)[1].str());
  REQUIRE(assets.size() >= 2);
  bool js = false, css = false;
  for (const auto& a : assets) {
    CAPTURE(a);
    auto r = c.get(a);
    CHECK(r.status == 200);
    CHECK(!r.body.empty());
    CHECK(r.headers["Cache-Control"] == "public, max-age=31536000, immutable");
    CHECK(r.headers["X-Content-Type-Options"] == "nosniff");
    if (a.ends_with(".js")) js = (r.content_type == "text/javascript; charset=utf-8");
    if (a.ends_with(".css")) css = (r.content_type == "text/css; charset=utf-8");
  }
  CHECK(js);
  CHECK(css);

  // If-None-Match: 304 without a body, and the kept-alive connection serves the next request.
  auto same = c.request("GET", "/", "", "", "", {{"If-None-Match", etag}});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(same.headers["ETag"] == etag);
  CHECK(c.request("GET", "/", "", "", "", {{"If-None-Match", "\"other\", W/" + etag}}).status ==
        304);
  CHECK(c.request("GET", "/", "", "", "", {{"If-None-Match", "\"other\""}}).status == 200);
  CHECK(c.get("/healthz").status == 200);

  auto head = c.request("HEAD", "/");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers["Content-Length"] == std::to_string(index.body.size()));

  auto post = c.request("POST", "/", "", "{}");
  CHECK(post.status == 405);
  CHECK(post.headers["Allow"] == "GET, HEAD");
}

TEST_CASE("http console: only the built files, by exact name") {
  Service svc(Backend::sqlite);
  Client c = svc.client();
  for (const char* path : {"/index.html", "/assets/", "/assets/nope.js", "/assets/../index.html",
                           "/assets/%2e%2e%2findex.html", "/assets/x/main.js", "/console",
                           "/assets/%2Fetc%2Fpasswd"}) {
    CAPTURE(path);
    auto r = c.get(path);
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/problem+json");
  }
}
#else
TEST_CASE("http console: built without the console, / is the API's 404") {
  Service svc(Backend::sqlite);
  Client c = svc.client();
  CHECK(c.get("/").status == 404);
}
#endif

}  // TEST_SUITE
