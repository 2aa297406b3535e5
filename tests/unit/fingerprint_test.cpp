// SPDX-License-Identifier: BSD-3-Clause
// The fingerprint (base/fingerprint.hpp): its values are written into cache names and campaign.json,
// so they are pinned here to the values geoinv has always written.
#include "base/fingerprint.hpp"

#include <gtest/gtest.h>

#include <string>

namespace geoinv {
namespace {

TEST(Fingerprint, KeepsTheValuesGeoinvHasAlwaysWritten) {
  EXPECT_EQ(fingerprint(std::string_view("")), kFingerprintSeed);
  EXPECT_EQ(fingerprint(std::string_view("a")), 4953267810257967366ULL);
  EXPECT_EQ(fingerprint(std::string_view("foobar")), 9870438755804841970ULL);
}

TEST(Fingerprint, ChainingIsConcatenation) {
  EXPECT_EQ(fingerprint(std::string_view("bar"), fingerprint(std::string_view("foo"))),
            fingerprint(std::string_view("foobar")));
  const double values[] = {1.5, -2.0};
  EXPECT_EQ(fingerprint(values, sizeof values),
            fingerprint(std::string_view(reinterpret_cast<const char*>(values), sizeof values)));
}

}  // namespace
}  // namespace geoinv
