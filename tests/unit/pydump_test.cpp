#include "json/pydump.hpp"

#include <gtest/gtest.h>

using alcape::json::py_dumps;
using alcape::json::py_float_repr;
using alcape::json::Value;

TEST(PyDumps, SeparatorsAndOrderLikePython) {
  Value v = Value::object();
  v["b"] = 1;
  v["a"] = Value::array({1, "x", nullptr, true});
  EXPECT_EQ(py_dumps(v), R"({"b": 1, "a": [1, "x", null, true]})");
}

TEST(PyDumps, EnsureAsciiEscapes) {
  EXPECT_EQ(py_dumps(Value("caf\xc3\xa9")), R"("caf\u00e9")");
  EXPECT_EQ(py_dumps(Value("\xf0\x9f\x98\x80")), R"("\ud83d\ude00")");
  EXPECT_EQ(py_dumps(Value("a\"b\\c\n\t\x01")), R"("a\"b\\c\n\t\u0001")");
  EXPECT_EQ(py_dumps(Value("\x7f")), "\"\x7f\"");
}

TEST(PyDumps, FloatReprMatchesPython) {
  EXPECT_EQ(py_float_repr(0.1), "0.1");
  EXPECT_EQ(py_float_repr(1e-07), "1e-07");
  EXPECT_EQ(py_float_repr(1.5e+300), "1.5e+300");
  EXPECT_EQ(py_float_repr(100.0), "100.0");
  EXPECT_EQ(py_float_repr(1e16), "1e+16");
  EXPECT_EQ(py_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(py_float_repr(0.0001), "0.0001");
  EXPECT_EQ(py_float_repr(-2.5), "-2.5");
  EXPECT_EQ(py_float_repr(123456.789), "123456.789");
}

TEST(PyDumps, LargeIntegers) {
  EXPECT_EQ(py_dumps(Value(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(py_dumps(Value(static_cast<int64_t>(-9223372036854775807LL - 1))), "-9223372036854775808");
}

TEST(PyDumps, IndentLikePython) {
  Value v = Value::object();
  v["a"] = Value::array({1, 2});
  v["b"] = Value::object();
  EXPECT_EQ(alcape::json::py_dumps_indent(v, 4), "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {}\n}");
}
