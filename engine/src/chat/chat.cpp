// The LightThinker prompt (spec 2): bos + template.complete.format(system=..., question=...), and
// the prompt of any other model through its own Jinja template.
#include "gistscope/chat.h"

#include "gistscope/error.h"

namespace gistscope {

const std::string& bespoke_stratos_system_prompt() {
    // Exactly as LightThinker's dataset_reader.py returns it: the '\n\n' inside is a literal
    // backslash-n pair, not a newline (spec 2).
    static const std::string prompt =
        R"(Your role as an assistant involves thoroughly exploring questions through a systematic long thinking process before providing the final precise and accurate solutions. This requires engaging in a comprehensive cycle of analysis, summarizing, exploration, reassessment, reflection, backtracing, and iteration to develop well-considered thinking process. Please structure your response into two main sections: Thought and Solution. In the Thought section, detail your reasoning process using the specified format: <|begin_of_thought|> {thought with steps separated with '\n\n'} <|end_of_thought|> Each step should include detailed considerations such as analisying questions, summarizing relevant findings, brainstorming new ideas, verifying the accuracy of the current steps, refining any errors, and revisiting previous steps. In the Solution section, based on various attempts, explorations, and reflections from the Thought section, systematically present the final solution that you deem correct. The solution should remain a logical, accurate, concise expression style and detail necessary step needed to reach the conclusion, formatted as follows: <|begin_of_solution|> {final formatted, precise, and clear solution} <|end_of_solution|> Now, try to solve the following question through the above guidelines:)";
    return prompt;
}

const std::string& boxed_question_prefix() {
    static const std::string prefix = R"(Return your final response within \boxed{}. )";
    return prefix;
}

std::string chat_prompt(const CompConfig& comp, const std::string& question) {
    return chat_prompt(comp, comp.system_prompt, comp.question_prefix + question);
}

std::string chat_prompt(const CompConfig& comp, const std::string& system, const std::string& question) {
    const std::string& t = comp.template_complete;
    std::string out = comp.bos_token;
    for (size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') { out += '{'; ++i; continue; }
        if (c == '}' && i + 1 < t.size() && t[i + 1] == '}') { out += '}'; ++i; continue; }
        if (c == '{') {
            const size_t close = t.find('}', i);
            if (close == std::string::npos) throw Error("chat template: unmatched '{' at offset " + std::to_string(i));
            const std::string field = t.substr(i + 1, close - i - 1);
            if (field == "system") out += system;
            else if (field == "question") out += question;
            else throw Error("chat template: unknown field {" + field + "}, expected {system} or {question}");
            i = close;
            continue;
        }
        out += c;
    }
    return out;
}

std::string template_chat_prompt(const ChatTemplate& tmpl, const ChatSpecialTokens& tokens, const std::string& system,
                                 const std::string& question) {
    ChatTemplateInput input;
    if (!system.empty()) input.messages.push_back({{"role", "system"}, {"content", system}});
    input.messages.push_back({{"role", "user"}, {"content", question}});
    input.add_generation_prompt = true;
    input.bos_token = tokens.bos_token;
    input.eos_token = tokens.eos_token;
    return chat_template_apply(tmpl, input);
}

}  // namespace gistscope
