// The H2O and SepLLM parameters within a cache budget (gistscope/policy.h): what the user left
// unset scales with the budget in the paper's proportions, what was set is checked.
#include <algorithm>
#include <cstdint>
#include <string>

#include "gistscope/error.h"
#include "gistscope/policy.h"

namespace gistscope {
namespace {

int share(int budget, int num, int den) { return int(int64_t(budget) * num / den); }

// "--sepllm-init 96 (from --cache-size)" or "--sepllm-init 200".
std::string option_text(const char* option, int value, bool derived) {
    return std::string(option) + " " + std::to_string(value) + (derived ? " (from --cache-size)" : "");
}

}  // namespace

PolicyParams with_budget_defaults(PolicyParams p) {
    using S = BudgetShares;
    const std::string budget = "--cache-size " + std::to_string(p.cache_size);
    if (p.method == "h2o" || p.method == "h2o-global") {
        const std::string& m = p.method;
        if (p.cache_size < 2) throw Error(m + ": " + budget + " is too small; expected at least 2 tokens");
        if (p.h2o_recent < -1) throw Error(m + ": --h2o-recent is " + std::to_string(p.h2o_recent) + ", expected 0 or more");
        const bool derived = p.h2o_recent < 0;
        if (derived) p.h2o_recent = share(p.cache_size, S::h2o_recent_num, S::h2o_recent_den);
        if (p.h2o_recent >= p.cache_size)
            throw Error(m + ": " + option_text("--h2o-recent", p.h2o_recent, derived) + " must be less than " + budget +
                        " (the rest holds the heavy hitters); give a smaller --h2o-recent or leave it unset for half the budget");
        return p;
    }
    if (p.method == "sepllm") {
        if (p.cache_size < 2) throw Error("sepllm: " + budget + " is too small; expected at least 2 tokens");
        struct Field {
            int& value;
            const char* option;
            int num, den, lowest;
            bool derived = false;
        };
        Field fields[] = {{p.sepllm_init, "--sepllm-init", S::sepllm_init_num, S::sepllm_init_den, 0},
                          {p.sepllm_separators, "--sepllm-separators", S::sepllm_separators_num, S::sepllm_separators_den, 0},
                          {p.sepllm_local, "--sepllm-local", S::sepllm_local_num, S::sepllm_local_den, 1}};
        for (Field& f : fields) {
            if (f.value < -1 || (f.value >= 0 && f.value < f.lowest))
                throw Error("sepllm: " + std::string(f.option) + " is " + std::to_string(f.value) + ", expected " +
                            std::to_string(f.lowest) + " or more");
            f.derived = f.value < 0;
            if (f.derived) f.value = std::max(f.lowest, share(p.cache_size, f.num, f.den));
        }
        // As the reference's SepCache asserts: a + s + w < c, so that a compression frees room.
        const int64_t sum = int64_t(p.sepllm_init) + p.sepllm_separators + p.sepllm_local;
        if (sum >= p.cache_size) {
            std::string parts;
            for (const Field& f : fields) parts += (parts.empty() ? "" : " + ") + option_text(f.option, f.value, f.derived);
            throw Error("sepllm: " + parts + " = " + std::to_string(sum) + " must be less than " + budget +
                        "; give smaller values or leave them unset to scale with the budget (3/8, 1/16 and 1/4 of it)");
        }
        return p;
    }
    return p;
}

}  // namespace gistscope
