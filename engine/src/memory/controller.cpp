// MemoryController: actions parsed out of the generated text, the steps (R_k, Z_k, state) and
// the context rendered from them (spec 10.2, 10.3, 10.5).
#include <algorithm>

#include "gistscope/error.h"
#include "gistscope/memory.h"

namespace gistscope {
namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string replace_all(std::string s, const std::string& key, const std::string& value) {
    for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
        s.replace(at, key.size(), value);
    return s;
}

// A step number as the model writes it: digits only, at most 6 of them.
std::optional<int> step_number(const std::string& s) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(s);
}

}  // namespace

MemoryController::MemoryController(MemoryGrammar grammar, const Tokenizer& tokenizer, std::vector<int32_t> prompt_ids)
    : grammar_(std::move(grammar)), tok_(tokenizer), prompt_(std::move(prompt_ids)), context_(prompt_) {}

std::vector<int32_t> MemoryController::render_step(int index) const {
    const MemoryStep& s = steps_[size_t(index)];
    std::string text = s.active ? grammar_.active : grammar_.archived;
    // {k} first: a summary or raw text that happens to contain "{k}" stays as written.
    text = replace_all(std::move(text), "{k}", std::to_string(index + grammar_.first_number));
    const auto at = text.find(s.active ? "{raw}" : "{summary}");
    if (at != std::string::npos) text.replace(at, s.active ? 5 : 9, s.active ? s.raw : s.summary);
    return tok_.encode(text, false);
}

std::vector<int32_t> MemoryController::render() const {
    std::vector<int32_t> out = prompt_;
    for (int i = 0; i < int(steps_.size()); ++i) {
        const auto ids = render_step(i);
        out.insert(out.end(), ids.begin(), ids.end());
    }
    out.insert(out.end(), tail_.begin(), tail_.end());
    out.insert(out.end(), pending_.begin(), pending_.end());
    return out;
}

std::vector<int32_t> MemoryController::pending_prefix(size_t chars, const std::string& pending_text) const {
    // The longest run of whole pending tokens whose text ends at or before the marker. When the
    // marker starts inside a token (a plain-text marker glued to a word), the text before it is
    // encoded afresh: the context then differs from what was fed there, and the KV reuse below
    // notices it by comparing ids.
    for (size_t n = pending_.size(); n > 0; --n) {
        const std::string head = tok_.decode(std::span<const int32_t>(pending_.data(), n));
        if (head.size() == chars && pending_text.compare(0, chars, head) == 0)
            return {pending_.begin(), pending_.begin() + std::ptrdiff_t(n)};
        if (head.size() < chars) break;
    }
    if (chars == 0) return {};
    return tok_.encode(pending_text.substr(0, chars), false);
}

std::optional<MemoryUpdate> MemoryController::on_token(int32_t id, int32_t address) {
    if (finished()) throw Error("the LightThinker++ run already gave its final answer");
    pending_.push_back(id);
    pending_addresses_.push_back(address);
    context_.push_back(id);
    const std::string text = tok_.decode(pending_);
    // The action whose open marker comes first and whose close marker has been written.
    const MemoryGrammar::Marker* markers[] = {&grammar_.commit, &grammar_.expand, &grammar_.fold, &grammar_.final_answer};
    int found = -1;
    size_t open_at = std::string::npos, close_at = 0;
    for (int a = 0; a < 4; ++a) {
        const size_t o = text.find(markers[a]->open);
        if (o == std::string::npos || o >= open_at) continue;
        const size_t c = text.find(markers[a]->close, o + markers[a]->open.size());
        if (c == std::string::npos) continue;
        found = a;
        open_at = o;
        close_at = c;
    }
    if (found < 0) return std::nullopt;
    const auto& m = *markers[found];
    const std::string content = trimmed(text.substr(open_at + m.open.size(), close_at - open_at - m.open.size()));
    return apply(MemoryAction(found), content, open_at, text);
}

MemoryUpdate MemoryController::apply(MemoryAction action, const std::string& content, size_t marker_at,
                                     const std::string& pending_text) {
    MemoryUpdate u;
    u.action = action;
    u.written = action;
    u.content = content;
    u.context_before = int(context_.size());
    const std::vector<int32_t> before_marker = pending_prefix(marker_at, pending_text);
    const size_t kept = std::min(before_marker.size(), pending_addresses_.size());
    auto keep_text_before_marker = [&] {
        tail_.insert(tail_.end(), before_marker.begin(), before_marker.end());
        tail_addresses_.insert(tail_addresses_.end(), pending_addresses_.begin(),
                               pending_addresses_.begin() + std::ptrdiff_t(kept));
    };
    auto refuse = [&](std::string why) {
        u.action = MemoryAction::invalid;
        u.error = std::string(memory_action_name(action)) + ": " + std::move(why);
        keep_text_before_marker();  // the action's own text is taken out; what came before stays
    };
    auto target = [&](bool want_active) -> int {
        const auto n = step_number(content);
        const int K = int(steps_.size());
        if (!n) {
            refuse("\"" + content + "\" is not a step number");
            return -1;
        }
        const int index = *n - grammar_.first_number;
        if (index < 0 || index >= K) {
            refuse("step " + content + " does not exist (" +
                   (K == 0 ? std::string("no step is committed yet")
                           : "steps are " + std::to_string(grammar_.first_number) + ".." +
                                 std::to_string(K - 1 + grammar_.first_number)) +
                   ")");
            return -1;
        }
        if (steps_[size_t(index)].active == want_active) {
            u.fold_without_expand = !want_active;
            refuse("step " + content + " is already " + (want_active ? "expanded" : "folded"));
            return -1;
        }
        return index;
    };

    switch (action) {
        case MemoryAction::commit: {
            std::vector<int32_t> raw_ids = tail_;
            raw_ids.insert(raw_ids.end(), before_marker.begin(), before_marker.end());
            MemoryStep s;
            s.raw = trimmed(tok_.decode(raw_ids));
            s.summary = content;
            if (s.summary.empty()) {
                refuse("the summary is empty");
                break;
            }
            if (s.raw.empty()) {
                refuse("there is no reasoning since the last commit");
                break;
            }
            s.raw_addresses = tail_addresses_;
            s.raw_addresses.insert(s.raw_addresses.end(), pending_addresses_.begin(),
                                   pending_addresses_.begin() + std::ptrdiff_t(kept));
            steps_.push_back(std::move(s));
            u.step = int(steps_.size()) - 1;
            tail_.clear();
            tail_addresses_.clear();
            break;
        }
        case MemoryAction::expand:
        case MemoryAction::fold: {
            if (action == MemoryAction::expand && !expand_allowed_) {
                refuse("expand is turned off for this run");
                break;
            }
            const int k = target(action == MemoryAction::expand);
            if (k < 0) break;
            steps_[size_t(k)].active = action == MemoryAction::expand;
            u.step = k;
            keep_text_before_marker();
            break;
        }
        case MemoryAction::final_answer:
            if (content.empty()) {
                refuse("the answer is empty");
                break;
            }
            answer_ = content;
            keep_text_before_marker();
            break;
        case MemoryAction::invalid:
            break;
    }
    pending_.clear();
    pending_addresses_.clear();
    if (finished()) {
        // Nothing is fed after the final answer: the context stays as the model wrote it.
        u.context_after = u.context_before;
        u.first_changed = u.context_before;
        return u;
    }
    std::vector<int32_t> next = render();
    size_t same = 0;
    while (same < next.size() && same < context_.size() && next[same] == context_[same]) ++same;
    u.first_changed = int(same);
    context_ = std::move(next);
    u.context_after = int(context_.size());
    return u;
}

}  // namespace gistscope
