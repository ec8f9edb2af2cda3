// The doctest runner, compiled once as an OBJECT library and linked into passline_tests.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
