// What the quota-case/1 and quota-case/2 CSV merges share (case_csv.cc, case_csv_v2.cc): the
// RFC 4180 reader (csv_reader.cc), which gives records of fields with where each starts and
// reports a malformed record in both coordinates the two merges use (the physical line and byte
// column for /1, the record and field number for /2); the Korean names of the codes; the flag
// words. Thread-safety: one reader per thread; the rest are pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/case_csv.h"

namespace passline::detail {

struct CsvField {
  std::string text;
  std::size_t column = 0;  ///< 1-based byte column where the field starts
};

struct CsvRow {
  std::size_t line = 0;    ///< 1-based physical line where the record starts
  std::size_t record = 0;  ///< 1-based record number (the header is record 1)
  std::vector<CsvField> fields;
};

/// A record that is not RFC 4180: where, in both coordinates, and what would be right.
struct CsvProblem {
  std::size_t line = 0;
  std::size_t column = 0;  ///< byte column on `line`
  std::size_t record = 0;
  std::size_t field = 0;  ///< 1-based field number in the record
  std::string message;
};

class CsvReader {
 public:
  /// Reads `text`, skipping a leading UTF-8 BOM. `text` must outlive the reader.
  explicit CsvReader(std::string_view text);

  /// Reads the next record into `row`. Returns false at the end, or on a malformed record (then
  /// `problem` is set and the reader is at the end: the rest of the text cannot be framed).
  bool next(CsvRow& row, std::optional<CsvProblem>& problem);

 private:
  bool stop(std::optional<CsvProblem>& problem, std::size_t line, std::size_t column,
            std::size_t field, std::string message);

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t record_ = 0;
};

/// The Korean names HR systems export for the codes of the case file (case_csv.h): regions
/// (`부산`, `부산광역시`), levels (`대학교`), statuses (`졸업`, `졸업예정`, `재학`, `중퇴`);
/// nullopt for any other text (the codes themselves included).
std::optional<Region> korean_region(std::string_view s);
std::optional<EducationLevel> korean_level(std::string_view s);
std::optional<EducationStatus> korean_status(std::string_view s);

/// A flag cell: empty, 0, N, n, false → false; 1, Y, y, true → true; else nullopt.
std::optional<bool> csv_flag(std::string_view s);

/// The quota-case/2 merge (case_csv_v2.cc), as merge_case_csv_all() documents it.
CsvMerge merge_case_csv_v2(Case header, const CsvFiles& files);

}  // namespace passline::detail
