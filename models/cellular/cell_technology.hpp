// NB-IoT and LTE-M as technologies of the engine (models/technology/technology.hpp):
// their fates and device columns, what the link budget needs of a cellular
// group, and the builder that turns the scenario's settings into a running
// CellNetwork. One implementation, two variants.
#pragma once

#include "models/technology/technology.hpp"

namespace m2msim::cellular {

/// The technology objects (stateless).
const technology::Technology& nbiot_technology();
const technology::Technology& ltem_technology();

}  // namespace m2msim::cellular
