// passline: the words both explanations give the engine's enums (detail/explain_words.h).
#include "detail/explain_words.h"

namespace passline::detail {
namespace {

struct Word {
  std::string_view ko, en;
};

std::string_view pick(const Word& w, Language lang) { return lang == Language::ko ? w.ko : w.en; }

}  // namespace

std::string_view rounding_word(Rounding r, Language lang) {
  static constexpr Word kWords[] = {{"올림", "rounded up"},
                                    {"내림", "rounded down"},
                                    {"반올림", "rounded half up"}};
  return pick(kWords[static_cast<int>(r)], lang);
}

std::string_view level_word(EducationLevel l, Language lang) {
  static constexpr Word kWords[] = {{"고등학교", "high school"},
                                    {"전문대학", "college"},
                                    {"대학교", "university"},
                                    {"대학원", "graduate school"}};
  return pick(kWords[static_cast<int>(l)], lang);
}

std::string_view status_word(EducationStatus s, Language lang) {
  static constexpr Word kWords[] = {{"졸업", "graduated"},
                                    {"졸업예정", "graduation expected"},
                                    {"재학", "enrolled"},
                                    {"중퇴", "dropped out"},
                                    {"휴학", "on leave"}};
  return pick(kWords[static_cast<int>(s)], lang);
}

std::string_view kind_word(EducationKind k, Language lang) {
  static constexpr Word kWords[] = {{"일반 학교", "regular"},
                                    {"원격대학", "remote (원격대학)"},
                                    {"각종학교", "misc (각종학교)"}};
  return pick(kWords[static_cast<int>(k)], lang);
}

std::string_view stopped_word(StoppedBy s, Language lang) {
  static constexpr Word kWords[] = {{"", ""},
                                    {"합격하한선에서 중단", "stopped at the threshold"},
                                    {"추가할 지역인재 없음", "no group member left"},
                                    {"추가합격 상한 도달", "stopped by the cap"}};
  return pick(kWords[static_cast<int>(s)], lang);
}

std::string regions_text(RegionSet regions, Language lang) {
  std::string out;
  for (int i = 0; i < kRegionCount; ++i) {
    const auto r = static_cast<Region>(i);
    if (!(regions & region_bit(r))) continue;
    if (!out.empty()) out += lang == Language::ko ? "·" : "+";
    out += region_name(r, lang);
  }
  return out;
}

std::string_view ordinal_suffix(std::int64_t n) {
  if (n % 10 == 1 && n % 100 != 11) return "st";
  if (n % 10 == 2 && n % 100 != 12) return "nd";
  if (n % 10 == 3 && n % 100 != 13) return "rd";
  return "th";
}

}  // namespace passline::detail
