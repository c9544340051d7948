// gistscope/backend_compare.h: one backend checked against another on a real model, in the spirit
// of llama.cpp's test-backend-ops: the same LightThinker-shaped step sequence (prefill, decode, a
// compression block with its mask, a range eviction, a slot eviction, attention probes) is fed to
// both, and every step's outputs are compared under a tolerance. gistscope-cli selftest runs it for
// CPU vs CUDA; tst_cuda_emulated runs it for CPU vs the CUDA backend on the CPU emulation.
#pragma once
#include <string>
#include <vector>

#include "gistscope/backend.h"

namespace gistscope {

struct BackendCheck {
    std::string name;
    double max_err = 0.0;
    double tol = 0.0;
    bool pass = false;
};

BackendCheck backend_check(std::string name, double max_err, double tol);

struct BackendCompareTolerances {
    double logits = 0.05;       // max |diff| / max(max |reference logit|, 1)
    double consistency = 1e-3;  // the same, between `candidate` and `candidate_twin`
    double probe = 0.02;        // attention probabilities, absolute
    double column_sums = 0.05;  // H2O column sums, absolute
};

// `candidate_twin` (may be null) is a second instance of the candidate run differently (CUDA graph
// vs eager); it must agree with `candidate` within `consistency`. `label` prefixes every check name.
std::vector<BackendCheck> backend_compare(const Model& model, Backend& reference, Backend& candidate,
                                          Backend* candidate_twin, const std::string& label,
                                          const BackendCompareTolerances& tol = {});

}  // namespace gistscope
