#pragma once
// The MPI campaign backend (campaign_mpi.cpp).
#include <filesystem>
#include <functional>

#include "campaign.hpp"

namespace geoinv_cli {

// The number of ranks the MPI launcher started, read from its environment (1 outside mpirun/srun), so
// that MPI is initialised only when geoinv runs under a launcher.
int mpi_world_size_from_environment();

// Runs the campaign on every rank: rank 0 writes the folder and calls `print` with the report; the other
// ranks solve. Returns the rank's exit code; rank 0 prints the campaign's error (print_error) before it
// lets the other ranks go, so that the message is out before any rank can exit with its code.
int run_mpi_campaign(const std::filesystem::path& campaign_file, geoinv::CampaignOptions options,
                     const std::function<void(const geoinv::CampaignReport&)>& print);

}  // namespace geoinv_cli
