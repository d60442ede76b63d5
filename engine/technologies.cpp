#include "engine/technologies.hpp"

#include <array>

#include "models/lorawan/lorawan_technology.hpp"

namespace m2msim::engine {

std::span<const technology::Technology* const> technologies() {
  // The registration list: one line per technology.
  static const std::array<const technology::Technology*, 1> list{
      &lora::lorawan_technology(),
  };
  return list;
}

const technology::Technology* find_technology(std::string_view name) {
  for (const auto* t : technologies()) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

}  // namespace m2msim::engine
