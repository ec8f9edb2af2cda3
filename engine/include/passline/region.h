// passline: Korea's 17 first-level regions (SPEC.md §2) and calendar dates.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passline {

/// The 17 metropolitan cities and provinces (시·도), in SPEC §2 order.
enum class Region : std::uint8_t {
  seoul,
  busan,
  daegu,
  incheon,
  gwangju,
  daejeon,
  ulsan,
  sejong,
  gyeonggi,
  gangwon,
  chungbuk,
  chungnam,
  jeonbuk,
  jeonnam,
  gyeongbuk,
  gyeongnam,
  jeju
};
inline constexpr int kRegionCount = 17;

/// A set of regions as a bit mask (bit i = Region i).
using RegionSet = std::uint32_t;
constexpr RegionSet region_bit(Region r) { return RegionSet{1} << static_cast<int>(r); }

/// The lower-case code (`busan`); nullopt for anything else, including other capitalisations.
std::optional<Region> parse_region(std::string_view code) noexcept;
std::string_view to_string(Region r) noexcept;

/// The capital region (수도권): seoul, incheon, gyeonggi.
inline constexpr RegionSet kCapitalRegion =
    region_bit(Region::seoul) | region_bit(Region::incheon) | region_bit(Region::gyeonggi);
inline constexpr RegionSet kAllRegions = (RegionSet{1} << kRegionCount) - 1;
inline bool is_capital(Region r) { return (kCapitalRegion & region_bit(r)) != 0; }

/// The regions of a set, in enum order.
std::string describe(RegionSet set);

/// A calendar date (proleptic Gregorian), compared as (year, month, day).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  /// Strict ISO 8601 `YYYY-MM-DD` with a valid day of month; nullopt otherwise.
  static std::optional<Date> parse(std::string_view text) noexcept;
  std::string to_string() const;
  /// The next calendar day.
  Date next_day() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;
};

}  // namespace passline
