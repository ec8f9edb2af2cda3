// Final education and group membership (SPEC.md §2).
#include <doctest/doctest.h>

#include "passline/program.h"

using namespace passline;

namespace {
EducationGroup innovation_busan() {
  EducationGroup g;
  g.levels = level_bit(EducationLevel::high_school) | level_bit(EducationLevel::college) |
             level_bit(EducationLevel::university);
  g.statuses = status_bit(EducationStatus::graduated) | status_bit(EducationStatus::expected);
  g.regions = region_bit(Region::busan);
  return g;
}
EducationRecord rec(EducationLevel l, Region r, EducationStatus s) { return {l, r, s}; }
constexpr auto HS = EducationLevel::high_school;
constexpr auto UNI = EducationLevel::university;
constexpr auto GRAD = EducationLevel::graduate;
constexpr auto G = EducationStatus::graduated;
}  // namespace

TEST_CASE("a local high-school graduate with a Seoul university degree is not local") {
  CHECK_FALSE(in_education_group({rec(HS, Region::busan, G), rec(UNI, Region::seoul, G)},
                                 innovation_busan()));
}

TEST_CASE("a Seoul high-school graduate with a local university degree is local") {
  CHECK(in_education_group({rec(HS, Region::seoul, G), rec(UNI, Region::busan, G)},
                           innovation_busan()));
}

TEST_CASE("a university dropout's final education is the high school") {
  CHECK(in_education_group({rec(HS, Region::busan, G),
                            rec(UNI, Region::seoul, EducationStatus::dropped)},
                           innovation_busan()));
}

TEST_CASE("graduate school never counts") {
  CHECK_FALSE(in_education_group({rec(GRAD, Region::busan, G)}, innovation_busan()));
  CHECK(in_education_group({rec(UNI, Region::busan, G), rec(GRAD, Region::seoul, G)},
                           innovation_busan()));
}

TEST_CASE("no records means not in the group") {
  CHECK_FALSE(in_education_group({}, innovation_busan()));
}

TEST_CASE("an enrolled student counts only where the program accepts enrolled") {
  const std::vector<EducationRecord> r = {rec(UNI, Region::busan, EducationStatus::enrolled)};
  CHECK_FALSE(in_education_group(r, innovation_busan()));
  auto g = innovation_busan();
  g.statuses |= status_bit(EducationStatus::enrolled);
  CHECK(in_education_group(r, g));
}

TEST_CASE("a level the group does not accept keeps the applicant out") {
  auto g = innovation_busan();
  g.levels = level_bit(EducationLevel::college) | level_bit(EducationLevel::university);
  CHECK_FALSE(in_education_group({rec(HS, Region::busan, G)}, g));
}

TEST_CASE("final_education picks the highest accepted level") {
  const std::vector<EducationRecord> r = {rec(UNI, Region::seoul, G), rec(HS, Region::busan, G)};
  CHECK(final_education(r, status_bit(G)) == std::optional<std::size_t>(0));
  CHECK_FALSE(final_education(r, status_bit(EducationStatus::expected)));
}
