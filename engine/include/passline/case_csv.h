// passline: applicants, education records and scores from the CSV files an HR system exports,
// merged into a recruitment read from a header document (units and stages, no applicants). The
// header's format picks the columns and the rules: docs/STORAGE.md documents both.
//
// The three files are UTF-8 (a leading BOM is skipped), RFC 4180 (commas, double quotes,
// LF or CRLF), with a header row naming the columns.
//
// quota-case/1 header (SPEC-v1.md), exactly these columns in this order:
//   applicants.csv  unit,applicant[,attr.NAME ...]          one row per applicant
//   education.csv   unit,applicant,level,region,status      one row per record, in order
//   scores.csv      unit,applicant,stage,score,disqualified one row per applicant and stage
// Codes are the case file's (`busan`, `university`, `graduated`) or their Korean names (`부산`,
// `대학교`, `졸업`). A score is a SPEC §6 decimal or empty (no score); disqualified is 1/0,
// Y/N, true/false or empty. The first bad row stops the merge: `bad_csv` at `FILE:LINE:COLUMN`
// (the physical line and the byte column, 1-based).
//
// quota-case/2 header (SPEC.md §6, strict), columns by name in any order, each once:
//   applicants.csv  unit, applicant, and attr.NAME:TYPE (TYPE text, bool or int) per attribute
//   education.csv   unit, applicant, level, region, status; optional kind, year
//   scores.csv      unit, applicant, stage, score; optional disqualified
// Any other column is `unknown_key`; an applicant id follows SPEC §6 (`bad_id`) and is unique in
// its unit (`duplicate_applicant`); a value of the wrong kind is `wrong_type`, one outside its list
// `invalid_value` (`unknown_region`, `bad_decimal`, `unknown_stage` as in the JSON form); an empty
// required cell `missing_field`; a row that does not fit the files (an unknown unit or applicant,
// a second row for one score, a row of the wrong width, broken quoting) `bad_csv`. Every error is
// at `FILE:ROW:COLUMN`: ROW counts records with the header as row 1, COLUMN counts fields from 1
// (a missing column: one past the last). Every error of every file is collected (at most
// kMaxCsvErrors listed) before anything is merged.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "passline/case.h"
#include "passline/result.h"

namespace passline {

struct CsvFile {
  std::string name;  ///< for error messages (`applicants.csv`)
  std::string text;
};

struct CsvFiles {
  CsvFile applicants;
  CsvFile education;
  CsvFile scores;
};

/// The most errors a merge lists; CsvMerge::error_count counts them all.
inline constexpr std::size_t kMaxCsvErrors = 100;

/// What merge_case_csv_all() found.
struct CsvMerge {
  std::optional<Case> merged;  ///< the case, when `errors` is empty
  /// The errors, in the order found: file by file (applicants, education, scores), row by row,
  /// column by column. A quota-case/1 merge stops at its first.
  std::vector<Error> errors;
  std::size_t error_count = 0;  ///< every error found, listed or not
};

/// Returns `header` with the applicants of `files` added to its units, by the header's format
/// (`Case::spec`), or every error found (see above). The header's units must carry no
/// applicants (`bad_csv`, path `units[i].applicants`). A merged quota-case/2 case is still to be
/// validated as any case (validate(), decide(), app::import_case()): the CSV checks are those of
/// the JSON parser, not those of the rules.
CsvMerge merge_case_csv_all(Case header, const CsvFiles& files);

/// As merge_case_csv_all(), reporting only the first error.
Result<Case> merge_case_csv(Case header, const CsvFiles& files);

}  // namespace passline
