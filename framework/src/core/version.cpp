// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/version.hpp"

namespace geoinv {

std::string version() { return GEOINV_VERSION_STRING; }
std::string abi_tag() { return GEOINV_ABI_TAG; }

}  // namespace geoinv
