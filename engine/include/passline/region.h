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

/// The first-level regions (시·도), in SPEC §2 order: the 17 of SPEC-v1, then
/// `jeonnam_gwangju` (전남광주통합특별시), a region only for recruitments announced on or after
/// 2026-07-01 (「전남광주통합특별시 설치를 위한 특별법」; quota-case/2 only).
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
  jeju,
  jeonnam_gwangju
};
/// The 17 regions of SPEC-v1 (quota-case/1 knows no other).
inline constexpr int kRegionCountV1 = 17;
inline constexpr int kRegionCount = 18;

/// A set of regions as a bit mask (bit i = Region i).
using RegionSet = std::uint32_t;
constexpr RegionSet region_bit(Region r) { return RegionSet{1} << static_cast<int>(r); }

/// The lower-case code (`busan`); nullopt for anything else, including other capitalisations.
/// Knows all kRegionCount codes; parse_region_v1() only the 17 of SPEC-v1 §2.
std::optional<Region> parse_region(std::string_view code) noexcept;
std::optional<Region> parse_region_v1(std::string_view code) noexcept;
std::string_view to_string(Region r) noexcept;

/// The capital region (수도권): seoul, incheon, gyeonggi.
inline constexpr RegionSet kCapitalRegion =
    region_bit(Region::seoul) | region_bit(Region::incheon) | region_bit(Region::gyeonggi);
inline constexpr RegionSet kAllRegions = (RegionSet{1} << kRegionCount) - 1;
/// The 17 regions of SPEC-v1.
inline constexpr RegionSet kAllRegionsV1 = (RegionSet{1} << kRegionCountV1) - 1;
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
