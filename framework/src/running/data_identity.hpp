// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What a run's data are, by content: the fingerprint result.json records (data.fingerprint) so that
// `geoinv compare` ranks runs only on the same data, however their files were named, and tells apart
// synthetic data made with another noise σ or seed.
#include <string>

#include "geoinv/problem.hpp"

namespace geoinv {

// 16 hexadecimal digits (base/fingerprint.hpp, over the bytes of the doubles) of the stations, the
// values and σ (empty when unknown), each preceded by its count. Equal data give equal fingerprints on
// every machine that stores doubles as IEEE 754 little-endian; a data value changed in its last bit, a
// σ added or a station moved gives another.
std::string data_fingerprint(const Vector& stations, const Vector& observed, const Vector& sigma);

}  // namespace geoinv
