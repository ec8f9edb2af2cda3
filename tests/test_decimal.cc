// Exact decimals and ratios (SPEC.md §3, §6).
#include <doctest/doctest.h>

#include "passline/decimal.h"

using passline::Decimal;
using passline::Ratio;
using passline::Rounding;

TEST_CASE("decimal: accepts SPEC §6 text and prints it canonically") {
  const std::pair<const char*, const char*> cases[] = {{"80", "80"},
                                                       {"80.5", "80.5"},
                                                       {"70.000", "70"},
                                                       {"0", "0"},
                                                       {"007.50", "7.5"},
                                                       {"0.000001", "0.000001"},
                                                       {"123456.123456", "123456.123456"},
                                                       {"9223372036854.775807",
                                                        "9223372036854.775807"}};
  for (const auto& c : cases) {  // not a structured binding: clang 14 cannot capture one
    const char* in = c.first;
    CAPTURE(in);
    auto d = Decimal::parse(in);
    REQUIRE(d);
    CHECK(d->to_string() == c.second);
  }
}

TEST_CASE("decimal: rejects anything else") {
  const char* bad[] = {"",
                       "1e2",
                       "-1",
                       "+1",
                       " 1",
                       "1 ",
                       "80.",
                       ".5",
                       "NaN",
                       "inf",
                       "1,5",
                       "0.0000001",
                       "1.2.3",
                       "0x10",
                       "9223372036854.775808",
                       "99999999999999999999"};
  for (const char* b : bad) {
    CAPTURE(b);
    CHECK_FALSE(Decimal::parse(b));
  }
}

TEST_CASE("decimal: ordering is exact") {
  CHECK(*Decimal::parse("80.000001") > *Decimal::parse("80"));
  CHECK(*Decimal::parse("80.10") == *Decimal::parse("80.1"));
  CHECK(checked_sub(*Decimal::parse("3"), *Decimal::parse("5"))->to_string() == "-2");
}

TEST_CASE("ratio: 10 × 0.30 is exactly 3, so its ceiling is 3 (SPEC §3)") {
  auto r = Ratio::parse("0.30");
  REQUIRE(r);
  CHECK(r->apply(10, Rounding::ceil) == 3);
  CHECK(Ratio::parse("30%")->apply(10, Rounding::ceil) == 3);
  CHECK(*Ratio::parse("30%") == *Ratio::parse("0.3"));
}

TEST_CASE("ratio: rounding modes") {
  auto r = *Ratio::parse("27%");
  CHECK(r.apply(4, Rounding::ceil) == 2);  // 1.08
  CHECK(r.apply(4, Rounding::floor) == 1);
  CHECK(r.apply(4, Rounding::half_up) == 1);
  auto h = *Ratio::parse("0.25");
  CHECK(h.apply(2, Rounding::half_up) == 1);  // 0.5 rounds up
  CHECK(h.apply(2, Rounding::floor) == 0);
  CHECK(Ratio::parse("12.345678%")->to_string() == "0.12345678");
  CHECK(Ratio::parse("12.345678%")->apply(100000000, Rounding::floor) == 12345678);
  CHECK(Ratio::parse("1.5")->above_one());
  CHECK_FALSE(Ratio::parse("100%")->above_one());
  CHECK_FALSE(Ratio::parse("30 %"));
  CHECK_FALSE(Ratio::parse("%"));
}

TEST_CASE("ratio: at_most compares exactly") {
  auto r = *Ratio::parse("0.3");
  CHECK(r.at_most(3, 10));
  CHECK_FALSE(r.at_most(4, 10));
  CHECK(r.at_most(0, 0));
}
