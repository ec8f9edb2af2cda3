// Words both explanations use (explain.cc for quota-case/1, explain_v2.cc for quota-case/2),
// internal to the engine: message filling, exact percentages, region names and the words of the
// engine's enums (explain_words.cc), so both accounts name a level or a rounding alike.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "passline/decimal.h"
#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/program.h"
#include "passline/region.h"

namespace passline::detail {

/// `text` with `{i}` (one digit) replaced by args[i]; a placeholder without an argument stays.
inline std::string fill_text(std::string_view text, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool placeholder = text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' &&
                             text[i + 1] >= '0' && text[i + 1] <= '9';
    const auto arg = placeholder ? static_cast<std::size_t>(text[i + 1] - '0') : args.size();
    if (arg < args.size()) {
      out += args.begin()[arg];
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// A ratio p / 10^k as a percentage (`30%`, `12.5%`), exactly.
inline std::string percent(const Ratio& r) {
  int k = 0;
  for (std::int64_t den = r.denominator(); den > 1; den /= 10) ++k;
  std::string digits = std::to_string(r.numerator());
  const int shift = k - 2;  // percentage = numerator / 10^shift
  if (shift <= 0) {
    if (r.numerator() != 0) digits.append(static_cast<std::size_t>(-shift), '0');
    return digits + "%";
  }
  if (static_cast<int>(digits.size()) <= shift) {
    digits.insert(0, static_cast<std::size_t>(shift + 1) - digits.size(), '0');
  }
  std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(shift));
  std::string frac = digits.substr(digits.size() - static_cast<std::size_t>(shift));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole + "%" : whole + "." + frac + "%";
}

/// Region names: the English ones are the codes (region.h); the Korean ones are these.
inline std::string region_name(Region r, Language lang) {
  static constexpr std::string_view kKo[kRegionCount] = {"서울", "부산", "대구",    "인천", "광주",
                                                         "대전", "울산", "세종",    "경기", "강원",
                                                         "충북", "충남", "전북",    "전남", "경북",
                                                         "경남", "제주", "전남광주"};
  return std::string(lang == Language::ko ? kKo[static_cast<int>(r)] : to_string(r));
}

/// The words for each value of the enums an account names (`올림` / `rounded up`, `대학교` /
/// `university`, …); stopped_word(StoppedBy::none) is empty.
std::string_view rounding_word(Rounding r, Language lang);
std::string_view level_word(EducationLevel l, Language lang);
std::string_view status_word(EducationStatus s, Language lang);
std::string_view kind_word(EducationKind k, Language lang);
std::string_view stopped_word(StoppedBy s, Language lang);

/// The regions of a set, in the reader's language (`울산·경남`, `ulsan+gyeongnam`).
std::string regions_text(RegionSet regions, Language lang);

/// The English ordinal suffix of n: `st`, `nd`, `rd`, `th`.
std::string_view ordinal_suffix(std::int64_t n);

}  // namespace passline::detail
