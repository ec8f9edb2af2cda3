// Group membership (SPEC §3.1; SPEC-v1 §2–3): who is in a program's group.
//
// Education groups follow final_education() (program.cc) under quota-case/1 and
// in_education_group_v2() under quota-case/2; attribute groups compare one attribute's text;
// any_of groups are in when any member is. 혁신도시법 §29-2①: 이전지역인재, the local talent the
// quota counts; 시행령 §30-2③: residents hired under the radioactive-waste-site act count too.
#include <type_traits>
#include <variant>

#include "detail/steps.h"

namespace passline::detail {

bool attribute_matches(const Applicant& a, const AttributeGroup& g) {
  for (const auto& [name, value] : a.attributes)
    if (name == g.name) return value == g.equals;
  return false;
}

bool in_group(const Applicant& a, const Group& group, Spec spec) {
  return std::visit(
      [&](const auto& g) {
        using G = std::decay_t<decltype(g)>;
        if constexpr (std::is_same_v<G, EducationGroup>) {
          return spec == Spec::v1 ? in_education_group(a.education, g)
                                  : in_education_group_v2(a.education, g);
        } else if constexpr (std::is_same_v<G, AttributeGroup>) {
          return attribute_matches(a, g);
        } else {
          for (const GroupNode& member : g.any_of)
            if (in_group(a, member.group, spec)) return true;
          return false;
        }
      },
      group);
}

std::uint32_t group_membership(const Applicant& a, const std::vector<Program>& programs,
                               Spec spec) {
  std::uint32_t mask = 0;
  for (std::size_t p = 0; p < programs.size(); ++p)
    if (in_group(a, programs[p].group, spec)) mask |= std::uint32_t{1} << p;
  return mask;
}

}  // namespace passline::detail
