// NB-IoT as a technology of the engine (models/technology/technology.hpp):
// its fates and device columns, what the link budget needs of an NB-IoT
// group, and the builder that turns the scenario's NB-IoT settings into a
// running NbiotNetwork.
#pragma once

#include "models/technology/technology.hpp"

namespace m2msim::cellular {

/// The one NB-IoT technology object (stateless).
const technology::Technology& nbiot_technology();

}  // namespace m2msim::cellular
