// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/interruption.hpp"

#include <signal.h>

#include <atomic>

namespace geoinv {

namespace {

std::atomic<bool> requested{false};
struct sigaction previous_interrupt {}, previous_terminate {};

extern "C" void note_interruption(int /*signal_number*/) { requested.store(true); }

}  // namespace

InterruptionGuard::InterruptionGuard() {
  requested.store(false);
  struct sigaction action {};
  action.sa_handler = note_interruption;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // poll() still wakes with EINTR
  ::sigaction(SIGINT, &action, &previous_interrupt);
  ::sigaction(SIGTERM, &action, &previous_terminate);
}

InterruptionGuard::~InterruptionGuard() {
  ::sigaction(SIGINT, &previous_interrupt, nullptr);
  ::sigaction(SIGTERM, &previous_terminate, nullptr);
}

bool interruption_requested() { return requested.load(); }

}  // namespace geoinv
