// The scalar arithmetic shared by the CPU backend and the CUDA kernels (kernel_math.h), checked on
// the CPU: what the GPU computes is these formulas, so this is the part of the CUDA backend that
// can be verified on a machine without a GPU. Reference numbers marked "torch" were computed with
// PyTorch 2.15 / transformers 5.23 in float32 (/work/venv/bin/python), independently of this code:
//   bf16: torch.tensor([x], dtype=torch.float32).to(torch.bfloat16).view(torch.int16)
//   f16:  torch.tensor([bits], dtype=torch.int16).view(torch.float16).float()
//   rope: transformers.modeling_rope_utils.ROPE_INIT_FUNCTIONS["llama3"] (Llama 3.1 config) and
//         1 / (theta ** (arange(0, 128, 2).float() / 128)) for Qwen2.5 (theta 1e6)
//   silu: torch.nn.functional.silu; rms: torch.rsqrt((v * v).mean() + 1e-6); softmax: torch.softmax
#include <QtTest>
#include <cmath>
#include <limits>
#include <vector>

#include "../../engine/src/backends/kernel_math.h"

namespace km = gistscope::kmath;

namespace {

bool close_rel(double got, double want, double rel) {
    return std::fabs(got - want) <= rel * std::max(std::fabs(want), 1e-30);
}

// Softmax of `scores` the two-pass way the CPU backend's attention does it.
std::vector<float> softmax_two_pass(const std::vector<float>& scores) {
    float mx = -INFINITY;
    for (float s : scores) mx = std::max(mx, s);
    std::vector<float> p(scores.size());
    float sum = 0.0f;
    for (size_t i = 0; i < scores.size(); ++i) sum += (p[i] = std::exp(scores[i] - mx));
    for (float& x : p) x /= sum;
    return p;
}

const std::vector<float> kScores = {1.5f, -0.25f, 3.0f, 0.0f, 2.25f, -4.0f};
// torch.softmax(kScores)
const std::vector<double> kSoftmaxTorch = {0.12500502169132233, 0.021722612902522087, 0.5602335929870605,
                                           0.02789238654077053, 0.2646355926990509, 0.0005108669283799827};

}  // namespace

class TestKernelMath : public QObject {
    Q_OBJECT
private slots:
    void bf16_rounding_data() {
        QTest::addColumn<float>("x");
        QTest::addColumn<int>("bits");  // torch
        QTest::newRow("one") << 1.0f << 0x3f80;
        QTest::newRow("halfway, even below") << 1.00390625f << 0x3f80;
        QTest::newRow("halfway, even above") << 1.01171875f << 0x3f82;
        QTest::newRow("negative") << -2.5f << 0xc020;
        QTest::newRow("pi") << 3.1415927f << 0x4049;
        QTest::newRow("0.1") << 0.1f << 0x3dcd;
        QTest::newRow("subnormal") << 1e-40f << 0x0001;
        QTest::newRow("overflow to inf") << 3.4e38f << 0x7f80;
        QTest::newRow("inf") << std::numeric_limits<float>::infinity() << 0x7f80;
        QTest::newRow("-inf") << -std::numeric_limits<float>::infinity() << 0xff80;
    }
    void bf16_rounding() {
        QFETCH(float, x);
        QFETCH(int, bits);
        QCOMPARE(int(km::float_to_bf16(x)), bits);
    }

    void bf16_nan_stays_nan() {
        // torch's own NaN bits differ between its code paths (0x7fc0 or 0xffff), so check the
        // property: a NaN stays a NaN with its sign, even when its payload is only in the low bits
        // that rounding would carry into the exponent.
        for (uint32_t u : {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0x7fbfffffu}) {
            float f;
            std::memcpy(&f, &u, 4);
            const uint16_t b = km::float_to_bf16(f);
            QVERIFY2((b & 0x7f80) == 0x7f80 && (b & 0x007f) != 0, qPrintable(QString::number(u, 16)));
            QCOMPARE(b >> 15, int(u >> 31));
            QVERIFY(std::isnan(km::bf16_to_float(b)));
        }
    }

    void bf16_round_trip_is_exact() {
        for (uint32_t b = 0; b < 0x10000; b += 7) {
            if ((b & 0x7f80) == 0x7f80 && (b & 0x7f)) continue;  // NaN
            QCOMPARE(int(km::float_to_bf16(km::bf16_to_float(uint16_t(b)))), int(b));
        }
    }

    void f16_decode_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<double>("value");  // torch
        QTest::newRow("smallest subnormal") << 0x0001 << 5.960464477539063e-08;
        QTest::newRow("largest subnormal") << 0x03ff << 6.097555160522461e-05;
        QTest::newRow("smallest normal") << 0x0400 << 6.103515625e-05;
        QTest::newRow("one") << 0x3c00 << 1.0;
        QTest::newRow("third") << 0x3555 << 0.333251953125;
        QTest::newRow("minus two") << 0xc000 << -2.0;
        QTest::newRow("max") << 0x7bff << 65504.0;
        QTest::newRow("negative subnormal") << 0x8001 << -5.960464477539063e-08;
        QTest::newRow("inf") << 0x7c00 << std::numeric_limits<double>::infinity();
        QTest::newRow("-inf") << 0xfc00 << -std::numeric_limits<double>::infinity();
        QTest::newRow("zero") << 0x0000 << 0.0;
    }
    void f16_decode() {
        QFETCH(int, bits);
        QFETCH(double, value);
        QCOMPARE(double(km::f16_to_float(uint16_t(bits))), value);  // exact: every f16 is a float
    }

    void f16_nan() {
        QVERIFY(std::isnan(km::f16_to_float(0x7e00)));
        QVERIFY(std::isnan(km::f16_to_float(0x7c01)));
    }

    void rope_inv_freq_llama3_data() {
        QTest::addColumn<int>("i");
        QTest::addColumn<double>("want");  // torch, transformers' llama3 rope init
        QTest::newRow("0 (high freq, unscaled)") << 0 << 1.0;
        QTest::newRow("10 (high freq)") << 10 << 0.12868738174438477;
        QTest::newRow("20 (high freq)") << 20 << 0.016560440883040428;
        QTest::newRow("40 (smoothed band)") << 40 << 3.428102354519069e-05;
        QTest::newRow("45 (smoothed band)") << 45 << 1.2297638932068367e-05;
        QTest::newRow("48 (low freq, / factor)") << 48 << 6.647869668086059e-06;
        QTest::newRow("63 (low freq, / factor)") << 63 << 3.068925877869333e-07;
    }
    void rope_inv_freq_llama3() {
        QFETCH(int, i);
        QFETCH(double, want);
        km::RopeParams p;  // Llama 3.1 8B
        p.theta = 500000.0f;
        p.head_dim = 128;
        p.factor = 8.0f;
        p.low_freq_factor = 1.0f;
        p.high_freq_factor = 4.0f;
        p.original_max_position = 8192.0f;
        const double got = km::rope_inv_freq(p, i);
        QVERIFY2(close_rel(got, want, 2e-6), qPrintable(QString("got %1 want %2").arg(got, 0, 'g', 10).arg(want, 0, 'g', 10)));
    }

    void rope_inv_freq_default() {
        km::RopeParams p;  // Qwen2.5 7B: theta 1e6, head_dim 128, no scaling
        p.theta = 1000000.0f;
        p.head_dim = 128;
        const std::vector<std::pair<int, double>> torch = {
            {0, 1.0}, {1, 0.8058422207832336}, {32, 0.0010000000474974513}, {63, 1.2409377632138785e-06}};
        for (const auto& [i, want] : torch) QVERIFY2(close_rel(km::rope_inv_freq(p, i), want, 2e-6), qPrintable(QString::number(i)));
        // The angle is a float32 product (torch: inv_freq[1] * 12345.0 = 9948.1220703125).
        QVERIFY(close_rel(km::rope_angle(km::rope_inv_freq(p, 1), 12345), 9948.1220703125, 1e-6));
    }

    void rope_rotate_quarter_turn() {
        float a = 1.0f, b = 0.0f;
        km::rope_rotate(a, b, std::cos(float(M_PI / 2)), std::sin(float(M_PI / 2)));
        QVERIFY(std::fabs(a) < 1e-7f);
        QCOMPARE(b, 1.0f);
        float c = 3.0f, d = 4.0f;  // rotation keeps the norm
        km::rope_rotate(c, d, std::cos(0.7f), std::sin(0.7f));
        QVERIFY(close_rel(std::hypot(c, d), 5.0, 1e-6));
    }

    void silu_data() {
        QTest::addColumn<float>("x");
        QTest::addColumn<double>("want");  // torch
        QTest::newRow("-20") << -20.0f << -4.1223074731533416e-08;
        QTest::newRow("-1") << -1.0f << -0.2689414322376251;
        QTest::newRow("0.5") << 0.5f << 0.3112296760082245;
        QTest::newRow("3") << 3.0f << 2.857722520828247;
        QTest::newRow("20") << 20.0f << 20.0;
    }
    void silu() {
        QFETCH(float, x);
        QFETCH(double, want);
        QVERIFY(close_rel(km::silu(x), want, 1e-6));
        QCOMPARE(km::swiglu(x, 2.0f), km::silu(x) * 2.0f);
        QCOMPARE(km::silu(0.0f), 0.0f);
    }

    void rms_inverse() {
        const float v[] = {0.5f, -1.25f, 2.0f, 3.0f, -0.75f};
        float ss = 0.0f;
        for (float x : v) ss += x * x;
        QCOMPARE(ss, 15.375f);  // torch
        QVERIFY(close_rel(km::rms_inverse(ss, 5, 1e-6f), 0.5702658891677856, 1e-6));  // torch
        QCOMPARE(km::rms_apply(2.0f, 0.5f, 3.0f), 3.0f);
    }

    // The attention kernels' streaming softmax equals the two-pass one (and torch's).
    void online_softmax_matches_two_pass() {
        const auto ref = softmax_two_pass(kScores);
        for (size_t i = 0; i < ref.size(); ++i) QVERIFY(close_rel(ref[i], kSoftmaxTorch[i], 1e-6));
        // Stream the scores with a value per key (value = index), as a kernel's warp does.
        km::SoftmaxState st = km::softmax_empty();
        double acc = 0.0;
        for (size_t i = 0; i < kScores.size(); ++i) {
            float w = 0.0f;
            const float keep = km::softmax_push(st, kScores[i], w);
            acc = acc * keep + w * double(i);
        }
        double want = 0.0;
        for (size_t i = 0; i < ref.size(); ++i) want += ref[i] * double(i);
        QVERIFY(close_rel(acc / st.sum, want, 1e-6));
        for (size_t i = 0; i < kScores.size(); ++i) QVERIFY(close_rel(km::softmax_probability(st, kScores[i]), ref[i], 1e-6));
    }

    // Chunks merged in any grouping, including empty chunks, give the same result.
    void online_softmax_merge() {
        const auto ref = softmax_two_pass(kScores);
        double want = 0.0;
        for (size_t i = 0; i < ref.size(); ++i) want += ref[i] * double(i);
        const std::vector<std::pair<int, int>> chunks = {{0, 2}, {2, 2}, {2, 5}, {5, 6}, {6, 6}};  // [b, e)
        km::SoftmaxState total = km::softmax_empty();
        double total_acc = 0.0;
        for (const auto& [b, e] : chunks) {
            km::SoftmaxState st = km::softmax_empty();
            double acc = 0.0;
            for (int i = b; i < e; ++i) {
                float w = 0.0f;
                const float keep = km::softmax_push(st, kScores[size_t(i)], w);
                acc = acc * keep + w * double(i);
            }
            float sa = 0.0f, sb = 0.0f;
            km::softmax_merge(total, st, sa, sb);
            total_acc = total_acc * sa + acc * sb;
        }
        QVERIFY(close_rel(total_acc / total.sum, want, 1e-6));
        QVERIFY(close_rel(total.max, 3.0, 0.0));

        // Two empty states merge to an empty state with zero scales (no NaN from -inf - -inf).
        km::SoftmaxState a = km::softmax_empty();
        float sa = 1.0f, sb = 1.0f;
        km::softmax_merge(a, km::softmax_empty(), sa, sb);
        QCOMPARE(sa, 0.0f);
        QCOMPARE(sb, 0.0f);
        QCOMPARE(a.sum, 0.0f);
        QCOMPARE(km::softmax_probability(a, 1.0f), 0.0f);  // a row that sees nothing
    }

    void split_chunk_covers_every_key_once() {
        for (int count : {0, 1, 5, 16, 17, 1000})
            for (int splits : {1, 3, 16}) {
                int next = 0;
                for (int j = 0; j < splits; ++j) {
                    int b = 0, e = 0;
                    km::split_chunk(count, splits, j, b, e);
                    QVERIFY(b <= e);
                    if (b < e) {
                        QCOMPARE(b, next);
                        next = e;
                    }
                }
                QCOMPARE(next, count);
            }
    }

    void visible_ranges() {
        // [o]'s row of a compression block: the prompt and the gists, not the thought.
        const int ranges[] = {0, 4, 9, 12, 20, 20};  // [0,4) [9,12) [20,20)
        QCOMPARE(km::visible_count(ranges, 3), 7);
        const int want[] = {0, 1, 2, 3, 9, 10, 11};
        for (int i = 0; i < 7; ++i) QCOMPARE(km::visible_nth(ranges, 3, i), want[i]);
        QCOMPARE(km::visible_nth(ranges, 3, 7), -1);
        QVERIFY(km::row_sees(ranges, 3, 3));
        QVERIFY(!km::row_sees(ranges, 3, 4));
        QVERIFY(km::row_sees(ranges, 3, 9));
        QVERIFY(!km::row_sees(ranges, 3, 20));
        QCOMPARE(km::visible_count(ranges, 0), 0);
    }

    void argmax_order() {
        QVERIFY(km::argmax_better(2.0f, 5, 1.0f, 0));
        QVERIFY(km::argmax_better(1.0f, 3, 1.0f, 7));   // tie: lower index
        QVERIFY(!km::argmax_better(1.0f, 7, 1.0f, 3));
        QVERIFY(km::argmax_better(-INFINITY, 0, -INFINITY, 100));  // the kernel's start value
        QVERIFY(!km::argmax_better(std::nanf(""), 0, 1.0f, 1));
    }

    // Gumbel-max draws follow softmax(logits): frequencies over 40000 seeds within 0.01 of torch's.
    void gumbel_sampling_follows_softmax() {
        const int draws = 40000;
        std::vector<int> hits(kScores.size(), 0);
        double mean_u = 0.0;
        for (int seed = 0; seed < draws; ++seed) {
            float best = -INFINITY;
            int best_i = int(kScores.size());
            for (size_t i = 0; i < kScores.size(); ++i) {
                const float u = km::uniform_open01(uint64_t(seed), uint32_t(i));
                QVERIFY(u > 0.0f && u < 1.0f);
                mean_u += u;
                const float v = kScores[i] + km::gumbel_noise(uint64_t(seed), uint32_t(i));
                if (km::argmax_better(v, int(i), best, best_i)) {
                    best = v;
                    best_i = int(i);
                }
            }
            ++hits[size_t(best_i)];
        }
        QVERIFY(std::fabs(mean_u / (draws * double(kScores.size())) - 0.5) < 0.005);
        for (size_t i = 0; i < kScores.size(); ++i)
            QVERIFY2(std::fabs(hits[i] / double(draws) - kSoftmaxTorch[i]) < 0.01, qPrintable(QString::number(i)));
    }
};

QTEST_APPLESS_MAIN(TestKernelMath)
#include "tst_kernel_math.moc"
