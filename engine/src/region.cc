// Regions and dates (SPEC.md §2).
#include "passline/region.h"

#include <array>
#include <cstdio>

namespace passline {
namespace {
constexpr std::array<std::string_view, kRegionCount> kRegionCodes = {
    "seoul",   "busan",   "daegu",     "incheon",   "gwangju",  "daejeon",
    "ulsan",   "sejong",  "gyeonggi",  "gangwon",   "chungbuk", "chungnam",
    "jeonbuk", "jeonnam", "gyeongbuk", "gyeongnam", "jeju",     "jeonnam_gwangju"};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}
}  // namespace

std::optional<Region> parse_region(std::string_view code) noexcept {
  for (int i = 0; i < kRegionCount; ++i)
    if (kRegionCodes[static_cast<std::size_t>(i)] == code) return static_cast<Region>(i);
  return std::nullopt;
}

std::optional<Region> parse_region_v1(std::string_view code) noexcept {
  auto r = parse_region(code);
  if (r && static_cast<int>(*r) >= kRegionCountV1) return std::nullopt;
  return r;
}

std::string_view to_string(Region r) noexcept { return kRegionCodes[static_cast<std::size_t>(r)]; }

std::string describe(RegionSet set) {
  std::string out;
  for (int i = 0; i < kRegionCount; ++i) {
    if (!(set & (RegionSet{1} << i))) continue;
    if (!out.empty()) out += '+';
    out += kRegionCodes[static_cast<std::size_t>(i)];
  }
  return out;
}

std::optional<Date> Date::parse(std::string_view t) noexcept {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto num = [&](std::size_t from, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  Date d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  if (d.day > days_in_month(d.year, d.month)) return std::nullopt;
  return d;
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Date Date::next_day() const {
  Date d = *this;
  if (++d.day > days_in_month(d.year, d.month)) {
    d.day = 1;
    if (++d.month > 12) {
      d.month = 1;
      ++d.year;
    }
  }
  return d;
}

}  // namespace passline
