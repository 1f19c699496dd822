// The doctest runner for every tests/unit/*_test.cpp; nothing else lives here.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
