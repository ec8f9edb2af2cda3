// Must compile with the same command line as unknown_error_code.cc (the control for that test).
#include "passline/result.h"

passline::Error known() { return passline::make_error("bad_decimal", "units[0]"); }
