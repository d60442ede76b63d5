// LoRaWAN as a technology of the engine (models/technology/technology.hpp):
// its fates and device columns, what the link budget needs of a LoRaWAN
// group, and the builder that turns the scenario's LoRaWAN settings into a
// running LoraNetwork.
#pragma once

#include "models/technology/technology.hpp"

namespace m2msim::lora {

/// The one LoRaWAN technology object (stateless).
const technology::Technology& lorawan_technology();

}  // namespace m2msim::lora
