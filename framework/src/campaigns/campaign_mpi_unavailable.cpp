// SPDX-License-Identifier: BSD-3-Clause
// run_mpi_campaign in a build without MPI (GEOINV_WITH_MPI, docs/packaging.md): built instead of
// campaign_mpi.cpp, it refuses the campaign so that N ranks do not each run the whole sweep.
#include <fmt/format.h>

#include "campaigns/campaign_mpi.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

int run_mpi_campaign(const std::filesystem::path& /*campaign_file*/, CampaignOptions /*options*/,
                     const std::function<void(const CampaignReport&)>& /*print*/,
                     const ReportFailure& /*report_failure*/) {
  throw Error(
      Error::Category::usage,
      fmt::format("this geoinv was built without MPI (GEOINV_WITH_MPI=OFF, or no MPI and Boost.MPI at "
                  "build time), so it cannot share a campaign among the {} ranks its launcher started; "
                  "run it without mpirun/srun (--jobs N for threads, --shard i/N for a job array), or "
                  "rebuild geoinv with MPI (docs/packaging.md)",
                  mpi_world_size_from_environment()));
}

}  // namespace geoinv
