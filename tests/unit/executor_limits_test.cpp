// SPDX-License-Identifier: BSD-3-Clause
// The limits of the campaign executors (issue 16): --jobs has a documented ceiling, and a thread the
// system refuses to start becomes a usage error naming --jobs instead of std::terminate. Root ignores
// RLIMIT_NPROC, so the refusal is tested here on the converting function and, end to end, in
// tests/e2e/bad_input_test.cpp with a stack limit that leaves no room for the threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <thread>

#include "campaigns/campaign.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

// Sets or clears GEOINV_MAX_JOBS for one test.
class MaxJobsVariable {
 public:
  explicit MaxJobsVariable(const char* value) {
    if (value)
      ::setenv("GEOINV_MAX_JOBS", value, 1);
    else
      ::unsetenv("GEOINV_MAX_JOBS");
  }
  ~MaxJobsVariable() { ::unsetenv("GEOINV_MAX_JOBS"); }
};

TEST(MaxJobs, IsFourTimesTheHardwareThreadsByDefault) {
  MaxJobsVariable unset(nullptr);
  EXPECT_EQ(max_jobs(), 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

TEST(MaxJobs, GeoinvMaxJobsSetsAnotherLimit) {
  MaxJobsVariable set("3");
  EXPECT_EQ(max_jobs(), 3);
}

TEST(MaxJobs, ABadGeoinvMaxJobsIsAUsageError) {
  for (const char* bad : {"0", "-2", "many", "4x", "99999999999999999999"}) {
    MaxJobsVariable set(bad);
    try {
      max_jobs();
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), Error::Category::usage);
      EXPECT_THAT(error.what(), HasSubstr("GEOINV_MAX_JOBS must be a positive whole number"));
      EXPECT_THAT(error.what(), HasSubstr(bad));
    }
  }
}

TEST(ThreadStartError, NamesJobsTheReasonAndTheThreadsStarted) {
  const std::system_error refusal(std::make_error_code(std::errc::resource_unavailable_try_again));
  const Error error = thread_start_error(refusal, 7, 64);
  EXPECT_EQ(error.category(), Error::Category::usage);
  EXPECT_THAT(error.what(), HasSubstr("--jobs: the system refused to start solver thread 8 of 64"));
  EXPECT_THAT(error.what(), HasSubstr("Resource temporarily unavailable"));
  EXPECT_THAT(error.what(), HasSubstr("7 started"));
}

}  // namespace
}  // namespace geoinv
