// Group membership (SPEC §2–3): who is in a program's group.
//
// Education groups follow final_education() (program.cc); attribute groups compare one
// attribute's text. 혁신도시법 §29-2: 이전지역인재, the local talent the quota counts.
#include <type_traits>
#include <variant>

#include "detail/steps.h"

namespace passline::detail {

bool attribute_matches(const Applicant& a, const AttributeGroup& g) {
  for (const auto& [name, value] : a.attributes)
    if (name == g.name) return value == g.equals;
  return false;
}

std::uint32_t group_membership(const Applicant& a, const std::vector<Program>& programs) {
  std::uint32_t mask = 0;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const bool in = std::visit(
        [&](const auto& g) {
          using G = std::decay_t<decltype(g)>;
          if constexpr (std::is_same_v<G, EducationGroup>)
            return in_education_group(a.education, g);
          else
            return attribute_matches(a, g);
        },
        programs[p].group);
    if (in) mask |= std::uint32_t{1} << p;
  }
  return mask;
}

}  // namespace passline::detail
