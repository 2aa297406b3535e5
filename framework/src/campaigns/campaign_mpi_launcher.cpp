// SPDX-License-Identifier: BSD-3-Clause
// How many ranks the MPI launcher started (campaign_mpi.hpp); built with and without MPI.
#include <cstdlib>

#include "campaigns/campaign_mpi.hpp"

namespace geoinv {

int mpi_world_size_from_environment() {
  // Set by the launchers for every rank: Open MPI's mpirun, and PMI (MPICH, Slurm's srun).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      const int size = std::atoi(value);
      if (size > 0) return size;
    }
  }
  return 1;
}

}  // namespace geoinv
