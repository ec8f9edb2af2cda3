// passline: applicants, education records and scores from the CSV files an HR system exports,
// merged into a recruitment read from a `quota-case/1` header (units and stages, no applicants).
//
// The three files are UTF-8 (a leading BOM is skipped), RFC 4180 (commas, double quotes,
// LF or CRLF), with a header row naming the columns; docs/STORAGE.md documents them:
//   applicants.csv  unit,applicant[,attr.NAME ...]          one row per applicant
//   education.csv   unit,applicant,level,region,status      one row per record, in order
//   scores.csv      unit,applicant,stage,score,disqualified one row per applicant and stage
// Codes are the case file's (`busan`, `university`, `graduated`) or their Korean names (`부산`,
// `대학교`, `졸업`). A score is a SPEC §6 decimal or empty (no score); disqualified is 1/0,
// Y/N, true/false or empty.
// Thread-safety: pure function.
#pragma once

#include <string>

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

/// Returns `header` with the applicants of `files` added to its units. The first bad row stops
/// it: error `bad_csv` with path `FILE:LINE:COLUMN` (1-based) and a message saying what is wrong
/// and what would be right. The header's units must carry no applicants (`bad_csv`, path
/// `units[i].applicants`).
Result<Case> merge_case_csv(Case header, const CsvFiles& files);

}  // namespace passline
