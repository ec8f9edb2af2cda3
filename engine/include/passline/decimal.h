// passline: exact decimals for scores, thresholds and ratios.
//
// SPEC.md §6: a decimal is digits, an optional point and at most 6 fraction digits; no sign,
// exponent, NaN or spaces. Decimal stores the value as an exact count of millionths in a 64-bit
// integer, so comparisons and sorting run at integer speed and nothing is ever rounded. Products
// that could overflow (ratio × head count) are computed in Boost.Multiprecision's checked
// 128-bit integers. No binary floating point is used anywhere.
//
// Thread-safety: value types; all functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passline {

/// An exact decimal with at most 6 fraction digits, range ±9,223,372,036,854.775807.
class Decimal {
 public:
  static constexpr std::int64_t kScale = 1'000'000;  ///< millionths per unit
  static constexpr int kMaxFractionDigits = 6;

  constexpr Decimal() = default;

  /// The integer `n` exactly.
  static constexpr Decimal from_int(std::int64_t n) { return Decimal(n * kScale); }
  /// The decimal whose value is `units` millionths.
  static constexpr Decimal from_units(std::int64_t units) { return Decimal(units); }

  /// Parses SPEC §6 decimal text (`80`, `80.5`, `0.000001`). Returns nullopt for anything
  /// else: empty, sign, exponent, spaces, more than 6 fraction digits, `80.`, `.5`, or a value
  /// beyond the range above.
  static std::optional<Decimal> parse(std::string_view text) noexcept;

  /// Canonical text: no exponent, no trailing fraction zeros, no point for integers
  /// (`80.5`, `70`, `0`); a leading `-` for negative values (a threshold `cut − below_cut`).
  std::string to_string() const;

  constexpr std::int64_t units() const { return units_; }

  friend constexpr bool operator==(Decimal a, Decimal b) = default;
  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;

  /// a − b; nullopt when the exact result is out of range.
  friend std::optional<Decimal> checked_sub(Decimal a, Decimal b) noexcept;

 private:
  constexpr explicit Decimal(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

/// How a fractional target is made whole. SPEC §3: `ceil | floor | half_up`.
enum class Rounding { ceil, floor, half_up };

/// "ceil" / "floor" / "half_up"; nullopt otherwise.
std::optional<Rounding> parse_rounding(std::string_view text) noexcept;
std::string_view to_string(Rounding r) noexcept;

/// An exact ratio p / 10^k in [0, ∞), written as a decimal (`0.30`) or a percentage (`30%`,
/// `12.5%`). A percentage may carry 6 fraction digits, so the ratio keeps up to 8.
class Ratio {
 public:
  constexpr Ratio() = default;

  /// Parses `0.3`, `30%`, `12.345678%`. The number part follows Decimal::parse; nullopt
  /// otherwise.
  static std::optional<Ratio> parse(std::string_view text) noexcept;

  /// round(count × ratio) computed exactly (SPEC §3: 10 × 0.30 is exactly 3, so ceil gives 3).
  std::int64_t apply(std::int64_t count, Rounding rounding) const;

  /// True when count ≤ ratio × total, exactly (no rounding).
  bool at_most(std::int64_t count, std::int64_t total) const;
  /// True when count ≥ ratio × total, exactly (no rounding): a share that reaches the ratio.
  bool at_least(std::int64_t count, std::int64_t total) const;

  /// Canonical decimal text of the ratio (`0.3`, `0.125`), never a percentage.
  std::string to_string() const;

  /// True when the ratio is greater than 1.
  bool above_one() const noexcept { return numerator_ > denominator_; }

  std::int64_t numerator() const noexcept { return numerator_; }
  std::int64_t denominator() const noexcept { return denominator_; }

  friend bool operator==(const Ratio& a, const Ratio& b);

 private:
  std::int64_t numerator_ = 0;
  std::int64_t denominator_ = 1;  // a power of ten, at most 10^8
};

}  // namespace passline
