// Must NOT compile: "bad_decmal" is not in PASSLINE_ERROR_CODES (tests/CMakeLists.txt,
// error_code.unknown_code_does_not_compile).
#include "passline/result.h"

passline::Error typo() { return passline::make_error("bad_decmal", "units[0]"); }
