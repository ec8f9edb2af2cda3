// The RFC 4180 reader of the CSV merges (detail/case_csv_common.h).
#include "detail/case_csv_common.h"

namespace passline::detail {

CsvReader::CsvReader(std::string_view text) : s_(text) {
  if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::stop(std::optional<CsvProblem>& problem, std::size_t line, std::size_t column,
                     std::size_t field, std::string message) {
  problem = CsvProblem{line, column, record_, field, std::move(message)};
  pos_ = s_.size();
  return false;
}

bool CsvReader::next(CsvRow& row, std::optional<CsvProblem>& problem) {
  row.fields.clear();
  if (pos_ >= s_.size()) return false;
  row.line = line_;
  row.record = ++record_;
  for (;;) {
    CsvField f;
    f.column = pos_ - line_start_ + 1;
    const std::size_t field = row.fields.size() + 1;
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      for (;;) {
        if (pos_ >= s_.size())
          return stop(problem, row.line, f.column, field,
                      "a quoted field is not closed: add the closing \"");
        const char c = s_[pos_++];
        if (c == '"') {
          if (pos_ < s_.size() && s_[pos_] == '"') {
            f.text += '"';
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') {
            ++line_;
            line_start_ = pos_;
          }
          f.text += c;
        }
      }
      if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r')
        return stop(problem, line_, pos_ - line_start_ + 1, field,
                    "text after a closing quote: quote the whole field");
    } else {
      while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
        if (s_[pos_] == '"')
          return stop(problem, line_, pos_ - line_start_ + 1, field,
                      "a quote inside an unquoted field: quote the field and double the quote");
        f.text += s_[pos_++];
      }
    }
    row.fields.push_back(std::move(f));
    if (pos_ >= s_.size()) break;
    if (s_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (s_[pos_] == '\r') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
    ++line_;
    line_start_ = pos_;
    break;
  }
  return true;
}

}  // namespace passline::detail
