// Every policy on a scripted token stream: the exact KV slot list (token id, position, role) after
// every step, through three compressions / evictions. Policies see metadata only, so the cache is
// driven directly (slots appended as a forward would), with synthetic attention sums for H2O.
#include <QtTest>

#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/policy.h"
#include "test_util.h"

using namespace gistscope;

namespace {

const char* role_letter(SlotRole r) {
    switch (r) {
        case SlotRole::prompt: return "p";
        case SlotRole::thought: return "t";
        case SlotRole::splitter: return "s";
        case SlotRole::gist: return "g";
        case SlotRole::continue_: return "o";
        case SlotRole::anchor: return "a";
        case SlotRole::answer: return "r";
    }
    return "?";
}

// "id@position" for every slot (layer, kv_head) attends to, space separated.
std::string describe_head(const KvCache& c, int layer, int kv_head) {
    std::string s;
    for (int i = 0; i < c.size(); ++i)
        if (c.head_sees(layer, kv_head, i))
            s += (s.empty() ? "" : " ") + std::to_string(c.slot(i).token) + "@" + std::to_string(c.slot(i).position);
    return s;
}

// "id@position role" for every slot, space separated.
std::string describe(const KvCache& c) {
    std::string s;
    for (const auto& slot : c.slot_infos())
        s += (s.empty() ? "" : " ") + std::to_string(slot.token) + "@" + std::to_string(slot.position) + role_letter(slot.role);
    return s;
}

const std::string P = "100@0p 101@1p 102@2p";
constexpr int32_t SPL = 380, O = 381, C0 = 382, C1 = 383;

struct Driver {
    std::unique_ptr<Model> model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
    std::unique_ptr<Backend> backend = make_cpu_backend(*model, 1);
    std::unique_ptr<KvCache> cache = backend->make_cache(8);
    std::unique_ptr<Policy> policy;
    int32_t next_pos = 0;
    // Synthetic H2O attention a slot gets at each step, by token and (layer, KV head) column.
    std::function<float(int32_t, int)> attention_weight = [](int32_t, int) { return 0.0f; };
    std::vector<std::vector<SlotRange>> last_visible;
    std::vector<int32_t> last_gone;  // positions that left storage at the last per-head eviction
    int columns() const { return model->config.num_layers * model->config.num_kv_heads; }

    ForwardOutput sums() const {
        ForwardOutput out;  // (layers, kv_heads, slots)
        for (int c = 0; c < columns(); ++c)
            for (const auto& s : cache->slot_infos()) out.attention_head_sums.push_back(attention_weight(s.token, c));
        return out;
    }

    explicit Driver(const PolicyParams& p) {
        MethodTokens t;
        t.splitter = SPL;
        t.continue_ = O;
        t.cache = {C0, C1};
        t.separators = {44, 45};
        policy = make_policy(p, t);
        std::vector<SlotInfo> infos;
        for (int32_t id : {100, 101, 102}) infos.push_back({id, next_pos++, SlotRole::prompt, -1, 0});
        if (policy->evicts_per_head()) cache->enable_head_validity(model->config.num_layers, model->config.num_kv_heads);
        cache->append(infos);
        QVERIFY(policy->on_prefill(*cache, sums()).empty());
    }
    std::string step(int32_t token) {
        PlannedBlock b = policy->plan(token, *cache);
        std::vector<SlotInfo> infos;
        for (size_t r = 0; r < b.tokens.size(); ++r) infos.push_back({b.tokens[r], next_pos++, b.roles[r], policy->thought(), 0});
        cache->append(infos);
        last_visible = b.visible;
        Eviction e = policy->after_forward(*cache, b, sums());
        if (e.range_end > e.range_begin) cache->erase_range(e.range_begin, e.range_end);
        if (!e.slot_list.empty()) cache->erase_slots(e.slot_list);
        last_gone = cache->evict_for_heads(e.heads);
        return describe(*cache);
    }
};

}  // namespace

class TestPolicies : public QObject {
    Q_OBJECT
private slots:
    void vanilla_keeps_everything() {
        Driver d(PolicyParams{.method = "vanilla"});
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(SPL), P + " 10@3t 380@4t");  // a splitter is just a token to vanilla
        QCOMPARE(d.step(11), P + " 10@3t 380@4t 11@5t");
    }

    void lightthinker_thought_level() {
        PolicyParams p;
        p.method = "lightthinker";
        Driver d(p);
        const std::string G1 = " 382@6g 383@7g 381@8o", G2 = " 382@12g 383@13g 381@14o", G3 = " 382@17g 383@18g 381@19o";
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(11), P + " 10@3t 11@4t");
        QCOMPARE(d.step(SPL), P + G1);  // [SPL@5, c@6, c@7, o@8] fed; thought + SPL evicted
        // The o row saw the prompt and its own block, never the thought [3, 6).
        QCOMPARE(d.last_visible.back().size(), size_t(2));
        QCOMPARE(d.last_visible.back()[0].begin, 0);
        QCOMPARE(d.last_visible.back()[0].end, 3);
        QCOMPARE(d.last_visible.back()[1].begin, 6);
        QCOMPARE(d.last_visible.back()[1].end, 9);
        QCOMPARE(d.step(13), P + G1 + " 13@9t");
        QCOMPARE(d.step(14), P + G1 + " 13@9t 14@10t");
        QCOMPARE(d.step(SPL), P + G1 + G2);
        QCOMPARE(d.step(15), P + G1 + G2 + " 15@15t");
        QCOMPARE(d.step(SPL), P + G1 + G2 + G3);
        QCOMPARE(d.step(16), P + G1 + G2 + G3 + " 16@20t");
        QCOMPARE(d.policy->thought(), 3);
    }

    void lightthinker_token_level() {
        PolicyParams p;
        p.method = "lightthinker-token";
        p.token_step = 3;
        Driver d(p);
        const std::string G1 = " 382@6g 383@7g 381@8o", G2 = " 382@12g 383@13g 381@14o", G3 = " 382@18g 383@19g 381@20o";
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(11), P + " 10@3t 11@4t");
        QCOMPARE(d.step(12), P + G1);  // the 3rd token is the block's first row, evicted with the chunk
        QCOMPARE(d.step(13), P + G1 + " 13@9t");
        QCOMPARE(d.step(14), P + G1 + " 13@9t 14@10t");
        QCOMPARE(d.step(15), P + G1 + G2);
        QCOMPARE(d.step(16), P + G1 + G2 + " 16@15t");
        QCOMPARE(d.step(17), P + G1 + G2 + " 16@15t 17@16t");
        QCOMPARE(d.step(18), P + G1 + G2 + G3);
    }

    void anllm_keeps_the_anchor() {
        PolicyParams p;
        p.method = "anllm";
        Driver d(p);
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(11), P + " 10@3t 11@4t");
        QCOMPARE(d.step(C0), P + " 382@5a");
        // see_current: the anchor row saw only the thought and itself.
        QCOMPARE(d.last_visible.size(), size_t(1));
        QCOMPARE(d.last_visible[0][0].begin, 3);
        QCOMPARE(d.last_visible[0][0].end, 6);
        QCOMPARE(d.step(13), P + " 382@5a 13@6t");
        QCOMPARE(d.step(C0), P + " 382@5a 382@7a");
        QCOMPARE(d.step(14), P + " 382@5a 382@7a 14@8t");
        QCOMPARE(d.step(15), P + " 382@5a 382@7a 14@8t 15@9t");
        QCOMPARE(d.step(C0), P + " 382@5a 382@7a 382@10a");
        QCOMPARE(d.step(16), P + " 382@5a 382@7a 382@10a 16@11t");
    }

    void h2o_global_heavy_hitters_and_recent_window() {
        PolicyParams p;
        p.method = "h2o-global";
        p.cache_size = 6;
        p.h2o_recent = 3;
        Driver d(p);
        QVERIFY(!d.policy->evicts_per_head());
        // Token 101 and token 13 draw most attention; others token_id / 1000 (the same in every head:
        // the global score is their sum).
        d.attention_weight = [](int32_t t, int) { return t == 101 ? 1.0f : t == 13 ? 0.5f : float(t) / 1000.0f; };
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(11), P + " 10@3t 11@4t");
        QCOMPARE(d.step(13), P + " 10@3t 11@4t 13@5t");
        QCOMPARE(d.step(14), P + " 11@4t 13@5t 14@6t");                 // 7 > 6: lightest outside the window (10)
        QCOMPARE(d.step(15), P + " 13@5t 14@6t 15@7t");                 // then 11
        QCOMPARE(d.step(16), "101@1p 102@2p 13@5t 14@6t 15@7t 16@8t");  // 13 is heavy now; 100 goes
    }

    // Each (layer, KV head) keeps its own heavy hitters: even columns favour 101 and 13, odd ones
    // 100, 14 and older tokens. Budget 5 = 3 heavy hitters + 2 recent, per head. A slot leaves
    // storage only once every head dropped it (11 at step 6).
    void h2o_per_head_heavy_hitters_and_recent_window() {
        PolicyParams p;
        p.method = "h2o";
        p.cache_size = 5;
        p.h2o_recent = 2;
        Driver d(p);
        QVERIFY(d.policy->evicts_per_head());
        QVERIFY(d.columns() >= 2);
        d.attention_weight = [](int32_t t, int c) {
            if (c % 2 == 0) return t == 101 ? 1.0f : t == 13 ? 0.5f : float(t) / 1000.0f;
            return t == 100 ? 1.0f : t == 14 ? 0.5f : float(200 - t) / 1000.0f;
        };
        auto heads = [&](const std::string& even, const std::string& odd) {
            for (int l = 0; l < d.model->config.num_layers; ++l)
                for (int g = 0; g < d.model->config.num_kv_heads; ++g) {
                    const std::string got = describe_head(*d.cache, l, g);
                    if (got != ((l * d.model->config.num_kv_heads + g) % 2 == 0 ? even : odd)) return got;
                }
            return std::string("ok");
        };
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(11), P + " 10@3t 11@4t");
        QCOMPARE(d.step(13), P + " 10@3t 11@4t 13@5t");  // every slot is still held by some head
        QCOMPARE(heads("100@0 101@1 102@2 11@4 13@5", "100@0 101@1 10@3 11@4 13@5"), std::string("ok"));
        QCOMPARE(d.cache->head_occupancy().max, 5);
        QCOMPARE(d.step(14), P + " 10@3t 11@4t 13@5t 14@6t");
        QCOMPARE(heads("100@0 101@1 102@2 13@5 14@6", "100@0 10@3 11@4 13@5 14@6"), std::string("ok"));
        QCOMPARE(d.step(15), P + " 10@3t 11@4t 13@5t 14@6t 15@7t");
        QCOMPARE(heads("101@1 102@2 13@5 14@6 15@7", "100@0 10@3 11@4 14@6 15@7"), std::string("ok"));
        QVERIFY(d.last_gone.empty());
        QCOMPARE(d.step(16), P + " 10@3t 13@5t 14@6t 15@7t 16@8t");
        QCOMPARE(heads("101@1 102@2 13@5 15@7 16@8", "100@0 10@3 14@6 15@7 16@8"), std::string("ok"));
        QCOMPARE(d.last_gone, std::vector<int32_t>{4});
        const HeadOccupancy o = d.cache->head_occupancy();
        QCOMPARE(o.min, 5);
        QCOMPARE(o.max, 5);
        QCOMPARE(o.stored, 8);
    }

    void sepllm_initial_separators_local() {
        PolicyParams p;
        p.method = "sepllm";
        p.cache_size = 8;
        p.sepllm_init = 2;
        p.sepllm_separators = 1;
        p.sepllm_local = 3;
        Driver d(p);
        QCOMPARE(d.step(10), P + " 10@3t");
        QCOMPARE(d.step(44), P + " 10@3t 44@4t");
        QCOMPARE(d.step(11), P + " 10@3t 44@4t 11@5t");
        QCOMPARE(d.step(45), P + " 10@3t 44@4t 11@5t 45@6t");
        QCOMPARE(d.step(13), P + " 10@3t 44@4t 11@5t 45@6t 13@7t");
        QCOMPARE(d.step(14), "100@0p 101@1p 44@4t 45@6t 13@7t 14@8t");
        QCOMPARE(d.step(15), "100@0p 101@1p 44@4t 45@6t 13@7t 14@8t 15@9t");
        QCOMPARE(d.step(16), "100@0p 101@1p 44@4t 45@6t 13@7t 14@8t 15@9t 16@10t");
        QCOMPARE(d.step(17), "100@0p 101@1p 45@6t 15@9t 16@10t 17@11t");  // newest separator only
        QCOMPARE(d.step(18), "100@0p 101@1p 45@6t 15@9t 16@10t 17@11t 18@12t");
        QCOMPARE(d.step(19), "100@0p 101@1p 45@6t 15@9t 16@10t 17@11t 18@12t 19@13t");
        QCOMPARE(d.step(20), "100@0p 101@1p 45@6t 18@12t 19@13t 20@14t");
    }

    void bad_parameters_are_errors() {
        MethodTokens none;
        QVERIFY_THROWS_EXCEPTION(Error, make_policy(PolicyParams{.method = "lightthinker"}, none));
        QVERIFY_THROWS_EXCEPTION(Error, make_policy(PolicyParams{.method = "zip"}, none));
        for (const char* method : {"h2o", "h2o-global"}) {
            PolicyParams h{.method = method};
            h.cache_size = 4;
            h.h2o_recent = 4;
            QVERIFY_THROWS_EXCEPTION(Error, make_policy(h, none));
        }
        // Set SepLLM values that do not fit are one error naming every option and what was derived.
        PolicyParams s{.method = "sepllm"};
        s.cache_size = 256;
        s.sepllm_local = 200;
        try {
            make_policy(s, none);
            QFAIL("a misfit was accepted");
        } catch (const Error& e) {
            const QString m = e.what();
            QVERIFY2(m.contains("--sepllm-init 96 (from --cache-size)") && m.contains("--sepllm-separators 16 (from --cache-size)") &&
                         m.contains("--sepllm-local 200") && !m.contains("--sepllm-local 200 (from") && m.contains("--cache-size 256"),
                     qPrintable(m));
        }
        s.sepllm_local = 0;
        QVERIFY_THROWS_EXCEPTION(Error, make_policy(s, none));
    }

    // What the user leaves unset takes the paper's share of the budget (LightThinker App. C.2:
    // SepLLM 384 / 64 / 256 of 1024, H2O half recent), so any budget works.
    void budget_defaults_scale_with_the_cache_size() {
        PolicyParams s{.method = "sepllm"};
        const PolicyParams paper = with_budget_defaults(s);  // cache_size 1024
        QCOMPARE(paper.sepllm_init, 384);
        QCOMPARE(paper.sepllm_separators, 64);
        QCOMPARE(paper.sepllm_local, 256);
        s.cache_size = 256;
        const PolicyParams small = with_budget_defaults(s);
        QCOMPARE(small.sepllm_init, 96);
        QCOMPARE(small.sepllm_separators, 16);
        QCOMPARE(small.sepllm_local, 64);
        for (int budget : {2, 3, 7, 100, 187, 1000, 1 << 20}) {
            s.cache_size = budget;
            const PolicyParams r = with_budget_defaults(s);
            QVERIFY2(r.sepllm_init + r.sepllm_separators + r.sepllm_local < budget && r.sepllm_local >= 1, qPrintable(QString::number(budget)));
            make_policy(s, MethodTokens{});  // and the policy takes it
        }
        // A value the user set is kept; only the unset ones are derived.
        s.cache_size = 512;
        s.sepllm_init = 4;
        const PolicyParams mixed = with_budget_defaults(s);
        QCOMPARE(mixed.sepllm_init, 4);
        QCOMPARE(mixed.sepllm_separators, 32);
        QCOMPARE(mixed.sepllm_local, 128);
        PolicyParams h{.method = "h2o"};
        h.cache_size = 187;
        QCOMPARE(with_budget_defaults(h).h2o_recent, 93);
        h.h2o_recent = 0;
        QCOMPARE(with_budget_defaults(h).h2o_recent, 0);
        // Other methods pass through untouched.
        PolicyParams v{.method = "vanilla"};
        v.cache_size = 1;
        QCOMPARE(with_budget_defaults(v).sepllm_init, -1);
    }
};

QTEST_APPLESS_MAIN(TestPolicies)
#include "tst_policies.moc"
