// Exact decimals: parsing, printing and ratio arithmetic (SPEC.md §3, §6).
#include "passline/decimal.h"

#include <boost/multiprecision/cpp_int.hpp>
#include <limits>
#include <stdexcept>

namespace passline {
namespace {

using Wide = boost::multiprecision::checked_int128_t;

constexpr std::int64_t kPow10[] = {1,       10,       100,       1000,       10000,      100000,
                                   1000000, 10000000, 100000000, 1000000000, 10000000000};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses `digits[.digits]` with at most `max_fraction` fraction digits into an integer scaled
// by 10^max_fraction. nullopt on any other text or overflow of int64.
std::optional<std::int64_t> parse_scaled(std::string_view text, int max_fraction) noexcept {
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  std::int64_t whole = 0;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::size_t int_digits = 0;
  for (; i < text.size() && is_digit(text[i]); ++i, ++int_digits) {
    const int d = text[i] - '0';
    if (whole > (kMax - d) / 10) return std::nullopt;
    whole = whole * 10 + d;
  }
  if (int_digits == 0) return std::nullopt;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (++fraction_digits > max_fraction) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (fraction_digits == 0 || i != text.size()) return std::nullopt;
  }
  const std::int64_t scale = kPow10[max_fraction];
  if (whole > (kMax - fraction * kPow10[max_fraction - fraction_digits]) / scale)
    return std::nullopt;
  return whole * scale + fraction * kPow10[max_fraction - fraction_digits];
}

// Prints value / 10^digits canonically.
std::string print_scaled(std::int64_t value, int digits) {
  const bool negative = value < 0;
  // Work in unsigned to print INT64_MIN safely.
  std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  const auto scale = static_cast<std::uint64_t>(kPow10[digits]);
  std::uint64_t whole = magnitude / scale;
  std::uint64_t fraction = magnitude % scale;
  std::string out = negative ? "-" : "";
  out += std::to_string(whole);
  if (fraction != 0) {
    std::string f = std::to_string(fraction);
    f.insert(0, static_cast<std::size_t>(digits) - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) noexcept {
  auto units = parse_scaled(text, kMaxFractionDigits);
  if (!units) return std::nullopt;
  return Decimal(*units);
}

std::string Decimal::to_string() const { return print_scaled(units_, kMaxFractionDigits); }

std::optional<Decimal> checked_sub(Decimal a, Decimal b) noexcept {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a.units_, b.units_, &out)) return std::nullopt;
  return Decimal(out);
}

std::optional<Rounding> parse_rounding(std::string_view text) noexcept {
  if (text == "ceil") return Rounding::ceil;
  if (text == "floor") return Rounding::floor;
  if (text == "half_up") return Rounding::half_up;
  return std::nullopt;
}

std::string_view to_string(Rounding r) noexcept {
  switch (r) {
    case Rounding::ceil: return "ceil";
    case Rounding::floor: return "floor";
    case Rounding::half_up: return "half_up";
  }
  return "?";
}

std::optional<Ratio> Ratio::parse(std::string_view text) noexcept {
  Ratio r;
  if (!text.empty() && text.back() == '%') {
    // N% = N / 100: up to 6 fraction digits in N, so up to 8 in the ratio.
    auto n = parse_scaled(text.substr(0, text.size() - 1), Decimal::kMaxFractionDigits);
    if (!n) return std::nullopt;
    r.numerator_ = *n;
    r.denominator_ = kPow10[Decimal::kMaxFractionDigits + 2];
  } else {
    auto n = parse_scaled(text, Decimal::kMaxFractionDigits);
    if (!n) return std::nullopt;
    r.numerator_ = *n;
    r.denominator_ = kPow10[Decimal::kMaxFractionDigits];
  }
  // Reduce by common powers of ten so equal ratios compare equal.
  while (r.denominator_ > 1 && r.numerator_ % 10 == 0) {
    r.numerator_ /= 10;
    r.denominator_ /= 10;
  }
  return r;
}

std::int64_t Ratio::apply(std::int64_t count, Rounding rounding) const {
  // Exact: count × p / 10^k in 128-bit checked arithmetic; counts are non-negative.
  const Wide product = Wide(count) * Wide(numerator_);
  const Wide den(denominator_);
  Wide q = product / den;
  const Wide rem = product % den;
  switch (rounding) {
    case Rounding::floor: break;
    case Rounding::ceil:
      if (rem > 0) ++q;
      break;
    case Rounding::half_up:
      if (rem * 2 >= den) ++q;
      break;
  }
  if (q > Wide(std::numeric_limits<std::int64_t>::max()))
    throw std::overflow_error("ratio product out of range");
  return q.convert_to<std::int64_t>();
}

bool Ratio::at_most(std::int64_t count, std::int64_t total) const {
  // count ≤ total × p / 10^k  ⇔  count × 10^k ≤ total × p
  return Wide(count) * Wide(denominator_) <= Wide(total) * Wide(numerator_);
}

bool Ratio::at_least(std::int64_t count, std::int64_t total) const {
  return Wide(count) * Wide(denominator_) >= Wide(total) * Wide(numerator_);
}

std::string Ratio::to_string() const {
  int digits = 0;
  for (std::int64_t d = denominator_; d > 1; d /= 10) ++digits;
  return print_scaled(numerator_, digits);
}

bool operator==(const Ratio& a, const Ratio& b) {
  return a.numerator_ == b.numerator_ && a.denominator_ == b.denominator_;
}

}  // namespace passline
