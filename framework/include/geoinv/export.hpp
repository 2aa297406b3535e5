// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Symbol visibility for libgeoinv. The framework is built with default visibility so that the vtables,
// RTTI and exception types of the interfaces have exactly one home; plugins are built hidden and
// export only their descriptor and factory (plugin.hpp).
#define GEOINV_API __attribute__((visibility("default")))
