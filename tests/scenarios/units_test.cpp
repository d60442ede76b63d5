#include "scenarios/units.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace m2msim::scenario {
namespace {

double value(std::string_view text, Dimension d) {
  auto r = parse_quantity(text, d);
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << text << ": " << *e;
    return 0.0;
  }
  return std::get<Quantity>(r).value;
}

std::string error(std::string_view text, Dimension d) {
  auto r = parse_quantity(text, d);
  if (auto* e = std::get_if<std::string>(&r)) return *e;
  ADD_FAILURE() << text << " parsed but should not";
  return "";
}

TEST(Units, ConvertToTheCanonicalUnit) {
  EXPECT_DOUBLE_EQ(value("868.1 MHz", Dimension::Frequency), 868.1e6);
  EXPECT_DOUBLE_EQ(value("125 kHz", Dimension::Frequency), 125e3);
  EXPECT_DOUBLE_EQ(value("2 km", Dimension::Length), 2000.0);
  EXPECT_DOUBLE_EQ(value("50 cm", Dimension::Length), 0.5);
  EXPECT_DOUBLE_EQ(value("2.6 Ah", Dimension::Charge), 2600.0);
  EXPECT_DOUBLE_EQ(value("20 B", Dimension::DataSize), 20.0);
  EXPECT_DOUBLE_EQ(value("1.2 kB", Dimension::DataSize), 1200.0);
  EXPECT_DOUBLE_EQ(value("3300 mV", Dimension::Voltage), 3.3);
  EXPECT_DOUBLE_EQ(value("90 %", Dimension::Percent), 0.9);
  EXPECT_DOUBLE_EQ(value("1 %/year", Dimension::RatePerYear), 0.01);
  EXPECT_DOUBLE_EQ(value("15 min", Dimension::Time), 900e9);
  EXPECT_DOUBLE_EQ(value("-3 dB", Dimension::Ratio), -3.0);
}

TEST(Units, PowerInWattsBecomesDecibelMilliwatts) {
  // 10·log10(P / 1 mW): 100 mW = 20 dBm, 1 W = 30 dBm, 25 mW = 13.979 dBm.
  EXPECT_DOUBLE_EQ(value("14 dBm", Dimension::Power), 14.0);
  EXPECT_NEAR(value("100 mW", Dimension::Power), 20.0, 1e-12);
  EXPECT_NEAR(value("1 W", Dimension::Power), 30.0, 1e-12);
  EXPECT_NEAR(value("25 mW", Dimension::Power), 13.9794, 1e-4);
}

TEST(Units, ErrorsSayWhatIsExpected) {
  EXPECT_THAT(error("20", Dimension::DataSize), ::testing::HasSubstr("missing unit"));
  EXPECT_THAT(error("20", Dimension::DataSize), ::testing::HasSubstr("'20 B'"));
  EXPECT_THAT(error("14 dB", Dimension::Power), ::testing::HasSubstr("unit 'dB' is not a power"));
  EXPECT_THAT(error("14 dB", Dimension::Power), ::testing::HasSubstr("dBm, mW, W"));
  EXPECT_THAT(error("fast", Dimension::Time), ::testing::HasSubstr("expected a time"));
  EXPECT_THAT(error("0 mW", Dimension::Power), ::testing::HasSubstr("must be > 0"));
}

}  // namespace
}  // namespace m2msim::scenario
