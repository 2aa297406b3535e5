// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The MPI campaign backend (campaign_mpi.cpp), optional at build time: GEOINV_WITH_MPI=AUTO|ON|OFF
// (docs/packaging.md). mpi_world_size_from_environment (campaign_mpi_launcher.cpp) is always built; a
// build without MPI has campaign_mpi_unavailable.cpp's run_mpi_campaign, which only refuses.
#include <exception>
#include <filesystem>
#include <functional>

#include "campaigns/campaign.hpp"

namespace geoinv {

// The number of ranks the MPI launcher started, read from its environment (1 outside mpirun/srun), so
// that MPI is initialised only when geoinv runs under a launcher.
int mpi_world_size_from_environment();

// How the caller reports an error that ends the campaign: it tells the user and returns the exit code.
using ReportFailure = std::function<int(const std::exception_ptr&)>;

// Runs the campaign on every rank: rank 0 writes the folder and calls `print` with the report; the other
// ranks solve. Returns the rank's exit code. Rank 0 hands the campaign's error to `report_failure` before
// it lets the other ranks go, so that the message is out before any rank can exit with its code.
// Built without MPI, it throws Error (usage) saying so and how to run the campaign instead, on every rank.
int run_mpi_campaign(const std::filesystem::path& campaign_file, CampaignOptions options,
                     const std::function<void(const CampaignReport&)>& print, const ReportFailure& report_failure);

}  // namespace geoinv
