// Turns a RunRecord into the terminal table, summary.json and devices.csv.
// Numbers are printed with fixed formats so that the same record always gives
// the same bytes.
#pragma once

#include <ostream>
#include <string>

#include "results/run_record.hpp"

namespace m2msim::analysis {

void print_summary_table(const results::RunRecord& r, std::ostream& out);
void write_summary_json(const results::RunRecord& r, std::ostream& out);
void write_devices_csv(const results::RunRecord& r, std::ostream& out);
/// One row per site (gateway, cell site): name, technology, position, and
/// its technology's site columns (empty for another technology's).
void write_gateways_csv(const results::RunRecord& r, std::ostream& out);
/// outputs.state_of_charge: the sampled devices' battery over the run.
void write_state_of_charge_csv(const results::RunRecord& r, std::ostream& out);
/// Writes summary.json, devices.csv and gateways.csv into `directory` (created if needed).
/// Throws std::runtime_error with the path on failure.
void write_results(const results::RunRecord& r, const std::string& directory);

}  // namespace m2msim::analysis
