// gistscope/eval.h: evaluation sets and answer checking. Reads GistScope's JSONL (one
// {"question", "answer"} per line, as resources/datasets/demo-test.jsonl) and LightThinker's JSON
// schema ({group: [{"question", "answer", ...}]}, GSM8K / MMLU / BBH of spec 3.2).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gistscope {

struct EvalItem {
    std::string id;        // "group/index" or the line number
    std::string question;
    std::string answer;
    std::vector<std::string> choices;  // multiple choice, when given
};

std::vector<EvalItem> eval_dataset_load(const std::filesystem::path& file);

// Spec 7.4 without a person in the loop: the answer or "\text{answer}" matches; otherwise both
// sides are compared as numbers when both are numbers (commas dropped, "18.0" == "18"); for
// multiple choice a leading letter is compared. Case- and surrounding-space-insensitive.
bool eval_answer_matches(const std::optional<std::string>& model_answer, const EvalItem& item);

}  // namespace gistscope
