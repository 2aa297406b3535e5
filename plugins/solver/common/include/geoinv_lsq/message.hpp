// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Short numeric text for the solvers' messages (termination reasons, failures), exactly as printf's %.3g.
//
// Every solve writes at least one message, so formatting is on the hot path of a campaign: snprintf and
// even std::to_chars with a precision cost a visible share of a seed solve (docs/benchmarks.md,
// "Least-squares solvers"). Values with 1e-20 <= |x| < 1e20 are therefore written here from their three
// rounded digits (solver_common_test compares every case with snprintf), and anything else (0, ±inf, NaN,
// extreme exponents) by std::to_chars.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace geoinv::lsq {

namespace detail {

// Writes |value| in that range as %.3g from `out` and returns the end; returns nullptr outside it.
inline char* write_three_digits(char* out, double value) {
  static constexpr double kPowers[] = {1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12,
                                       1e-11, 1e-10, 1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,
                                       1e0,   1e1,   1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,
                                       1e11,  1e12,  1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,
                                       1e22};  // exact doubles, so one product or quotient rounds once
  auto power = [](int exponent) { return kPowers[exponent + 22]; };
  const double magnitude = std::abs(value);
  if (!(magnitude >= 1e-20 && magnitude < 1e20)) return nullptr;
  if (value < 0.0) *out++ = '-';
  // The decimal exponent: an estimate from the binary one, then corrected against the exact powers.
  int binary = 0;
  std::frexp(magnitude, &binary);
  int exponent = static_cast<int>(std::floor((binary - 1) * 0.30102999566398120));
  if (magnitude >= power(exponent + 1)) {
    ++exponent;
  } else if (magnitude < power(exponent)) {
    --exponent;
  }
  // The three significant digits, rounded half to even on the exact value as printf does.
  const double factor = exponent <= 2 ? power(2 - exponent) : power(exponent - 2);
  const double scaled = exponent <= 2 ? magnitude * factor : magnitude / factor;
  const double below = std::floor(scaled);
  int digits = static_cast<int>(std::nearbyint(scaled));
  if (scaled - below == 0.5) {  // a tie after rounding: the exact error says on which side the value lies
    const double error = exponent <= 2 ? std::fma(magnitude, factor, -scaled) : std::fma(-scaled, factor, magnitude);
    if (error != 0.0) digits = static_cast<int>(error > 0.0 ? below + 1.0 : below);
  }
  if (digits >= 1000) {  // 999.5 rounded up
    digits /= 10;
    ++exponent;
  }
  const char digit[3] = {static_cast<char>('0' + digits / 100), static_cast<char>('0' + digits / 10 % 10),
                         static_cast<char>('0' + digits % 10)};
  const int significant = digit[2] != '0' ? 3 : digit[1] != '0' ? 2 : 1;  // %g drops trailing zeros
  if (exponent < -4 || exponent >= 3) {  // %e style: d.dde±XX
    *out++ = digit[0];
    if (significant > 1) {
      *out++ = '.';
      for (int k = 1; k < significant; ++k) *out++ = digit[k];
    }
    *out++ = 'e';
    *out++ = exponent < 0 ? '-' : '+';
    const int size = std::abs(exponent);
    *out++ = static_cast<char>('0' + size / 10);
    *out++ = static_cast<char>('0' + size % 10);
  } else if (exponent >= 0) {  // ddd, dd.d, d.dd
    for (int k = 0; k <= exponent; ++k) *out++ = digit[k];
    if (significant > exponent + 1) {
      *out++ = '.';
      for (int k = exponent + 1; k < significant; ++k) *out++ = digit[k];
    }
  } else {  // 0.0…ddd
    *out++ = '0';
    *out++ = '.';
    for (int k = 1; k < -exponent; ++k) *out++ = '0';
    for (int k = 0; k < significant; ++k) *out++ = digit[k];
  }
  return out;
}

// Writes `value` as %.3g into [out, end), which must hold 32 characters; returns the end of the text.
inline char* write_number(char* out, char* end, double value) {
  if (char* written = write_three_digits(out, value)) return written;
  return std::to_chars(out, end, value, std::chars_format::general, 3).ptr;
}

}  // namespace detail

inline std::string number(double value) {
  char text[32];
  return std::string(text, detail::write_number(text, text + sizeof text, value));
}

// *message = before + number(first) + between + number(second), built with one allocation.
inline void write_message(std::string* message, std::string_view before, double first, std::string_view between,
                          double second) {
  char first_text[32], second_text[32];
  const std::string_view first_view(
      first_text, static_cast<std::size_t>(detail::write_number(first_text, first_text + 32, first) - first_text));
  const std::string_view second_view(
      second_text,
      static_cast<std::size_t>(detail::write_number(second_text, second_text + 32, second) - second_text));
  message->clear();
  message->reserve(before.size() + first_view.size() + between.size() + second_view.size());
  message->append(before).append(first_view).append(between).append(second_view);
}

}  // namespace geoinv::lsq
