// The block-quantized weight formats (quant.h) and the CPU matmul over them:
// - reference dequantization equals gguf-py's bit for bit (fixtures/quant, see its README);
// - every fast kernel (AVX2, AVX-512 VNNI: each one this CPU has) equals the scalar reference:
//   activation quantization exactly, dot products and matrix products within 2e-6 of the sum of
//   the magnitudes of the products (only the order of the float sums differs);
// - the CPU matmul of quantized weights equals the float matmul of the dequantized weights within
//   the error that quantizing the activations to 8 bits can cause, computed per output;
// - odd sizes: 1, 3, 5, 17 activation rows; output counts that are not a multiple of a tile.
#include <QtTest>
#include <atomic>
#include <cmath>
#include <cstring>
#include <immintrin.h>
#include <random>
#include <vector>

#include "../../engine/src/backends/cpu/matmul.h"
#include "../../engine/src/backends/cpu/matmul_avx512.h"
#include "gistscope/error.h"
#include "gistscope/quant.h"
#include "test_util.h"

using namespace gistscope;

namespace {

const DType kBlockTypes[] = {DType::q8_0, DType::q4_0, DType::q4_1, DType::q5_0,
                             DType::q5_1, DType::q4_k, DType::q5_k, DType::q6_k};

std::vector<quant::Isa> fast_isas() {
    std::vector<quant::Isa> out;
    for (auto isa : {quant::Isa::avx2, quant::Isa::avx512})
        if (quant::isa_available(isa)) out.push_back(isa);
    return out;
}

// F16C's conversion (part of the x86-64-v3 baseline) rounds to nearest even, as gguf-py's numpy
// float16 does; unlike _Float16 it also exists in Debian's clang 14 (the sanitized build).
uint16_t to_f16_bits(float x) { return uint16_t(_cvtss_sh(x, _MM_FROUND_TO_NEAREST_INT)); }

float bf16_value(uint16_t h) {
    const uint32_t u = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

uint16_t kmath_bf16(float x) {  // round to nearest even
    uint32_t u;
    std::memcpy(&u, &x, 4);
    u += 0x7fffu + ((u >> 16) & 1u);
    return uint16_t(u >> 16);
}

// Byte offsets of the f16 scale / min fields inside one block.
std::vector<size_t> f16_fields(DType t) {
    switch (t) {
        case DType::q4_1: case DType::q5_1: case DType::q4_k: case DType::q5_k: return {0, 2};
        case DType::q6_k: return {208};
        default: return {0};
    }
}

// rows x n elements of random blocks: random packed values, random small finite scales.
std::vector<uint8_t> random_weights(DType t, int64_t rows, int64_t n, std::mt19937& rng) {
    const size_t row_bytes = dtype_row_bytes(t, n);
    std::vector<uint8_t> w(size_t(rows) * row_bytes);
    std::uniform_int_distribution<int> byte(0, 255);
    for (auto& b : w) b = uint8_t(byte(rng));
    std::normal_distribution<float> scale(0.0f, 0.01f);
    const size_t bb = dtype_block_bytes(t);
    for (size_t off = 0; off < w.size(); off += bb)
        for (size_t f : f16_fields(t)) {
            const uint16_t h = to_f16_bits(scale(rng));
            std::memcpy(&w[off + f], &h, 2);
        }
    return w;
}

std::vector<float> random_floats(size_t count, std::mt19937& rng) {
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> v(count);
    for (auto& x : v) x = nd(rng);
    return v;
}

std::vector<float> dequantized(DType t, const std::vector<uint8_t>& w, int64_t rows, int64_t n) {
    std::vector<float> out(size_t(rows * n));
    for (int64_t r = 0; r < rows; ++r)
        quant::dequantize_row(t, w.data() + size_t(r) * dtype_row_bytes(t, n), out.data() + r * n, n);
    return out;
}

// The float value of activation element i as quantized (d * q).
float activation_value(const quant::QuantizedActivations& a, int row, int64_t i) {
    return a.d[size_t(row * (a.n / a.block()) + i / a.block())] * float(a.qs[size_t(row * a.n + i)]);
}

// sum |w_i| |x_i| over a row: the scale of the float rounding differences between kernels.
double magnitude(const float* w, const quant::QuantizedActivations& a, int row) {
    double m = 0.0;
    for (int64_t i = 0; i < a.n; ++i) m += std::fabs(double(w[i]) * activation_value(a, row, i));
    return m;
}

// The _1 types' min term uses Q8_1's s = f16(d * sum) where the dequantized product has
// f16(d) * sum: per block |m| * 2^-10 * d * |sum| apart at most.
double min_term_bound(DType t, const uint8_t* w_row, const quant::QuantizedActivations& a, int row) {
    if (t != DType::q4_1 && t != DType::q5_1) return 0.0;
    double bound = 0.0;
    const size_t bb = dtype_block_bytes(t);
    for (int64_t b = 0; b < a.n / 32; ++b) {
        uint16_t m_bits;
        std::memcpy(&m_bits, w_row + size_t(b) * bb + 2, 2);
        const float m = _cvtsh_ss(m_bits);
        const size_t k = size_t(row * (a.n / 32) + b);
        bound += std::fabs(double(m)) * a.d[k] * std::abs(a.sums[k]) * (1.0 / 1024) * 1.01;
    }
    return bound;
}

cpu::ThreadPool& pool() {
    static cpu::ThreadPool p(2);
    return p;
}

}  // namespace

class TestQuant : public QObject {
    Q_OBJECT

private slots:
    void block_geometry_is_ggmls() {
        // ggml's type_traits: (block elements, block bytes)
        const std::pair<DType, std::pair<int, size_t>> expected[] = {
            {DType::q8_0, {32, 34}}, {DType::q4_0, {32, 18}}, {DType::q4_1, {32, 20}}, {DType::q5_0, {32, 22}},
            {DType::q5_1, {32, 24}}, {DType::q4_k, {256, 144}}, {DType::q5_k, {256, 176}}, {DType::q6_k, {256, 210}}};
        for (const auto& [t, geo] : expected) {
            QCOMPARE(dtype_block_elems(t), geo.first);
            QCOMPARE(dtype_block_bytes(t), geo.second);
        }
    }

    void dequantize_equals_gguf_py_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16"})
            QTest::newRow(t) << QString(t);
    }
    void dequantize_equals_gguf_py() {
        QFETCH(QString, type);
        DType t = DType::f32;
        for (int i = 0; i <= int(DType::q6_k); ++i)
            if (type == dtype_name(DType(i))) t = DType(i);
        const auto dir = testutil::fixtures() / "quant";
        const std::string blocks = testutil::read_file(dir / (type.toStdString() + ".blocks"));
        const std::vector<float> want = testutil::read_f32(dir / (type.toStdString() + ".f32"));
        const int64_t n = 512, rows = int64_t(want.size()) / n;
        QCOMPARE(rows, int64_t(4));
        QCOMPARE(blocks.size(), size_t(rows) * dtype_row_bytes(t, n));
        std::vector<float> got(want.size());
        for (int64_t r = 0; r < rows; ++r)
            quant::dequantize_row(t, blocks.data() + size_t(r) * dtype_row_bytes(t, n), got.data() + r * n, n);
        for (size_t i = 0; i < want.size(); ++i) {
            uint32_t a, b;
            std::memcpy(&a, &got[i], 4);
            std::memcpy(&b, &want[i], 4);
            if (a != b) QFAIL(qPrintable(QString("%1 element %2: %3, gguf-py %4").arg(type).arg(i).arg(got[i], 0, 'g', 9).arg(want[i], 0, 'g', 9)));
        }
        // row_to_float (embedding lookup) reads the same values
        TensorView view{t, {rows, n}, blocks.data(), blocks.size()};
        std::vector<float> row(static_cast<size_t>(n));
        cpu::row_to_float(row.data(), view, 3);
        QVERIFY(std::memcmp(row.data(), want.data() + 3 * n, size_t(n) * 4) == 0);
    }

    void fast_activation_quantization_is_exact() {
        std::mt19937 rng(1);
        const int rows = 3;
        const int64_t n = 768;
        auto x = random_floats(size_t(rows * n), rng);
        std::fill(x.begin() + 256, x.begin() + 512, 0.0f);  // an all-zero block
        x[600] = 40.0f;
        x[601] = -40.0f;                         // ties of magnitude: the first sets the sign
        for (DType t : kBlockTypes)
            for (auto isa : fast_isas()) {
                quant::QuantizedActivations ref, fast;
                quant::quantize_activations(ref, t, x.data(), rows, n, quant::Isa::scalar);
                quant::quantize_activations(fast, t, x.data(), rows, n, isa);
                QVERIFY2(ref.qs == fast.qs && ref.sums == fast.sums, dtype_name(t));
                // Bit for bit; memcmp of an empty vector's null data would be undefined (UBSan).
                auto same_bits = [](const std::vector<float>& a, const std::vector<float>& b) {
                    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
                };
                QVERIFY2(same_bits(ref.d, fast.d), dtype_name(t));
                QVERIFY2(same_bits(ref.s, fast.s), dtype_name(t));
            }
    }

    void reference_dot_equals_dequantized_dot() {
        // The integer formulation of each type against the float dot of its dequantized weights
        // with the dequantized activations: the same sum up to float rounding.
        std::mt19937 rng(2);
        const int64_t n = 1024;
        for (DType t : kBlockTypes) {
            const auto w = random_weights(t, 1, n, rng);
            const auto wf = dequantized(t, w, 1, n);
            const auto x = random_floats(size_t(n), rng);
            quant::QuantizedActivations a;
            quant::quantize_activations(a, t, x.data(), 1, n, quant::Isa::scalar);
            double want = 0.0;
            for (int64_t i = 0; i < n; ++i) want += double(wf[size_t(i)]) * activation_value(a, 0, i);
            // Q8_1 keeps f16(d * sum) for the min term: off by 2^-10 of d |sum| at most per block
            const double bound_min = min_term_bound(t, w.data(), a, 0);
            const double got = quant::dot_row(w.data(), a, 0, quant::Isa::scalar);
            const double bound = 1e-5 * magnitude(wf.data(), a, 0) + bound_min;
            QVERIFY2(std::fabs(got - want) <= bound,
                     qPrintable(QString("%1: %2 vs %3 (bound %4)").arg(dtype_name(t)).arg(got).arg(want).arg(bound)));
        }
    }

    void fast_gemm_equals_scalar_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("n_out");
        for (int rows : {1, 3, 5, 17})
            for (int n_out : {1, 7, 13}) QTest::newRow(qPrintable(QString("%1x%2").arg(rows).arg(n_out))) << rows << n_out;
    }
    void fast_gemm_equals_scalar() {
        QFETCH(int, rows);
        QFETCH(int, n_out);
        std::mt19937 rng(uint32_t(rows * 100 + n_out));
        // 544: 17 blocks of 32, an odd count (the AVX-512 kernels take blocks in pairs)
        for (const int64_t n : {int64_t(512), int64_t(544)})
        for (DType t : kBlockTypes) {
            if (n % quant::activation_block(t) != 0) continue;
            const auto w = random_weights(t, n_out, n, rng);
            const auto wf = dequantized(t, w, n_out, n);
            const auto x = random_floats(size_t(rows * n), rng);
            quant::QuantizedActivations a;
            quant::quantize_activations(a, t, x.data(), rows, n, quant::Isa::scalar);
            std::vector<float> ref(size_t(rows * n_out));
            quant::gemm(ref.data(), n_out, w.data(), 0, n_out, a, quant::Isa::scalar);
            for (auto isa : fast_isas()) {
                std::vector<float> got(ref.size(), NAN);
                // two slices, as the thread pool splits the outputs
                const int half = n_out / 2;
                quant::gemm(got.data(), n_out, w.data(), 0, half, a, isa);
                quant::gemm(got.data(), n_out, w.data(), half, n_out, a, isa);
                for (int r = 0; r < rows; ++r)
                    for (int o = 0; o < n_out; ++o) {
                        const double bound = 2e-6 * magnitude(wf.data() + o * n, a, r) + 1e-30;
                        const float g = got[size_t(r * n_out + o)], e = ref[size_t(r * n_out + o)];
                        if (!(std::fabs(double(g) - e) <= bound))
                            QFAIL(qPrintable(QString("%1 %2 row %3 out %4: %5 vs scalar %6 (bound %7)")
                                                 .arg(quant::isa_name(isa)).arg(dtype_name(t)).arg(r).arg(o)
                                                 .arg(g, 0, 'g', 9).arg(e, 0, 'g', 9).arg(bound)));
                    }
                QCOMPARE(quant::dot_row(w.data(), a, rows - 1, isa), quant::dot_row(w.data(), a, rows - 1, isa));
            }
        }
    }

    void matmul_quantized_equals_dequantized_float_data() {
        QTest::addColumn<int>("rows");
        for (int rows : {1, 3, 5, 17}) QTest::newRow(qPrintable(QString::number(rows))) << rows;
    }
    void matmul_quantized_equals_dequantized_float() {
        QFETCH(int, rows);
        std::mt19937 rng(uint32_t(7 + rows));
        const int64_t n = 768, n_out = 37;
        const char* product = std::getenv("GISTSCOPE_QUANT_MATMUL");
        const bool exact = product && std::string(product) == "float32";
        for (DType t : kBlockTypes) {
            const auto w = random_weights(t, n_out, n, rng);
            const auto wf = dequantized(t, w, n_out, n);
            const auto x = random_floats(size_t(rows * n), rng);
            std::vector<float> bias(static_cast<size_t>(n_out));
            for (auto& b : bias) b = float(&b - bias.data()) * 0.25f;
            TensorView wq{t, {n_out, n}, w.data(), w.size()};
            TensorView wfv{DType::f32, {n_out, n}, wf.data(), wf.size() * 4};
            std::vector<float> got(size_t(rows * n_out)), want(got.size());
            cpu::matmul(got.data(), x.data(), rows, wq, bias.data(), pool());
            cpu::matmul(want.data(), x.data(), rows, wfv, bias.data(), pool());
            // Quantizing an activation block of largest magnitude A moves each element by at
            // most A / 254 (rounding) + A / 2048 (the f16 scale) [+ 1/2 of the last for Q8_K].
            const int block = quant::activation_block(t);
            for (int r = 0; r < rows; ++r)
                for (int64_t o = 0; o < n_out; ++o) {
                    double bound = 0.0, magnitude = 0.0;  // magnitude: at least sum |w x|
                    for (int64_t b0 = 0; b0 < n; b0 += block) {
                        float amax = 0.0f, wsum = 0.0f;
                        for (int64_t i = b0; i < b0 + block; ++i) {
                            amax = std::max(amax, std::fabs(x[size_t(r * n + i)]));
                            wsum += std::fabs(wf[size_t(o * n + i)]);
                        }
                        bound += double(wsum) * amax * (1.0 / 254 + 1.0 / 2048) * 1.01;
                        magnitude += double(wsum) * amax;
                    }
                    if (t == DType::q4_1 || t == DType::q5_1) {
                        quant::QuantizedActivations a;
                        quant::quantize_activations(a, t, x.data(), rows, n, quant::Isa::scalar);
                        bound += min_term_bound(t, w.data() + size_t(o) * dtype_row_bytes(t, n), a, r);
                    }
                    bound += 1e-5;
                    const float g = got[size_t(r * n_out + o)], e = want[size_t(r * n_out + o)];
                    // GISTSCOPE_QUANT_MATMUL=float32 (ctest's tst_quant_float32): the dequantized
                    // weights times the float32 activations, the float product's up to summation
                    // order (float32 rounding of 768 terms, well under 1e-5 of their magnitude).
                    if (exact) bound = 1e-5 * (1.0 + magnitude);
                    if (!(std::fabs(double(g) - e) <= bound))
                        QFAIL(qPrintable(QString("%1 row %2 out %3: %4 vs float %5 (bound %6)").arg(dtype_name(t)).arg(r).arg(o)
                                             .arg(g, 0, 'g', 9).arg(e, 0, 'g', 9).arg(bound)));
                }
        }
    }

    void float_matmul_equals_double_reference_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("n_in");
        for (int rows : {1, 3, 5, 17})
            for (int n_in : {100, 896}) QTest::newRow(qPrintable(QString("%1x%2").arg(rows).arg(n_in))) << rows << n_in;
    }
    void float_matmul_equals_double_reference() {
        // F32 / F16 / BF16 weights keep float32 accuracy (no rounding of the activations), on the
        // AVX2 path and, where the CPU has it, the AVX-512 one; 13 outputs: not a whole tile.
        // (cpu::matmul's BF16 product on AVX-512 BF16 rounds the activations: checked below.)
        QFETCH(int, rows);
        QFETCH(int, n_in);
        const int64_t n_out = 13;
        std::mt19937 rng(uint32_t(rows * 1000 + n_in));
        const auto x = random_floats(size_t(rows) * size_t(n_in), rng);
        const auto wf = random_floats(size_t(n_out * n_in), rng);
        for (DType t : {DType::f32, DType::f16, DType::bf16}) {
            std::vector<uint8_t> w(size_t(n_out * n_in) * dtype_block_bytes(t));
            for (size_t i = 0; i < wf.size(); ++i) {
                if (t == DType::f32) std::memcpy(&w[4 * i], &wf[i], 4);
                else {
                    const uint16_t h = t == DType::f16 ? to_f16_bits(wf[i]) : kmath_bf16(wf[i]);
                    std::memcpy(&w[2 * i], &h, 2);
                }
            }
            TensorView view{t, {n_out, n_in}, w.data(), w.size()};
            std::vector<float> wd(wf.size());
            for (int64_t o = 0; o < n_out; ++o) cpu::row_to_float(wd.data() + o * n_in, view, o);
            std::vector<std::vector<float>> results;
            if (!(t == DType::bf16 && cpu::bf16_matmul_rounds_activations())) {
                results.emplace_back(size_t(rows * n_out));
                cpu::matmul(results.back().data(), x.data(), rows, view, nullptr, pool());
            }
            if (quant::isa_available(quant::Isa::avx512)) {
                results.emplace_back(size_t(rows * n_out));
                cpu::matmul_float_avx512(results.back().data(), x.data(), rows, view, nullptr, pool());
            }
            for (const auto& got : results)
                for (int r = 0; r < rows; ++r)
                    for (int64_t o = 0; o < n_out; ++o) {
                        double want = 0.0, mag = 0.0;
                        for (int i = 0; i < n_in; ++i) {
                            want += double(wd[size_t(o * n_in + i)]) * x[size_t(r * n_in + i)];
                            mag += std::fabs(double(wd[size_t(o * n_in + i)]) * x[size_t(r * n_in + i)]);
                        }
                        QVERIFY2(std::fabs(got[size_t(r * n_out + o)] - want) <= 1e-6 * mag,
                                 qPrintable(QString("%1 row %2 out %3").arg(dtype_name(t)).arg(r).arg(o)));
                    }
        }
    }


    void bf16_dot_matmul_equals_rounded_reference_data() { float_matmul_equals_double_reference_data(); }
    void bf16_dot_matmul_equals_rounded_reference() {
        // The BF16 matmul of AVX-512 BF16 (vdpbf16ps), decode and prefill: exactly the product of the BF16 weights
        // with the activations rounded to BF16 (nearest even), float32 sums; 13 outputs, rows
        // that are not a multiple of 32 elements (100) and 1 to 17 activation rows.
        if (!cpu::bf16_dot_available()) QSKIP("this CPU has no AVX512_BF16");
        QFETCH(int, rows);
        QFETCH(int, n_in);
        const int64_t n_out = 13;
        std::mt19937 rng(uint32_t(rows * 7919 + n_in));
        const auto x = random_floats(size_t(rows) * size_t(n_in), rng);
        const auto wf = random_floats(size_t(n_out * n_in), rng);
        std::vector<uint16_t> w(wf.size());
        for (size_t i = 0; i < wf.size(); ++i) w[i] = kmath_bf16(wf[i]);
        TensorView view{DType::bf16, {n_out, n_in}, w.data(), w.size() * 2};
        std::vector<float> bias(static_cast<size_t>(n_out));
        for (auto& b : bias) b = random_floats(1, rng)[0];
        std::vector<float> got(size_t(rows * n_out));
        cpu::matmul_bf16_dot(got.data(), x.data(), rows, view, bias.data(), pool());
        if (cpu::bf16_matmul_rounds_activations()) {
            std::vector<float> via_matmul(got.size());
            cpu::matmul(via_matmul.data(), x.data(), rows, view, bias.data(), pool());
            QCOMPARE(via_matmul, got);  // what a forward takes
        }
        for (int r = 0; r < rows; ++r)
            for (int64_t o = 0; o < n_out; ++o) {
                double want = bias[size_t(o)], mag = std::fabs(bias[size_t(o)]);
                for (int i = 0; i < n_in; ++i) {
                    const double p = double(bf16_value(w[size_t(o * n_in + i)])) *
                                     double(bf16_value(kmath_bf16(x[size_t(r * n_in + i)])));
                    want += p;
                    mag += std::fabs(p);
                }
                QVERIFY2(std::fabs(got[size_t(r * n_out + o)] - want) <= 1e-6 * mag,
                         qPrintable(QString("row %1 out %2: %3 vs %4").arg(r).arg(o).arg(got[size_t(r * n_out + o)]).arg(want)));
            }
        // The rounding itself: nearest even, as kmath's BF16 conversion; zeros past the row.
        const int64_t stride = (n_in + 31) / 32 * 32 + 32;
        std::vector<uint16_t> xb(size_t(rows * stride), 0xffff);
        cpu::round_rows_to_bf16(xb.data(), stride, x.data(), rows, n_in);
        for (int r = 0; r < rows; ++r)
            for (int64_t i = 0; i < stride; ++i)
                QCOMPARE(xb[size_t(r * stride + i)], i < n_in ? kmath_bf16(x[size_t(r * n_in + i)]) : uint16_t(0));
    }
    void thread_pool_covers_each_index_once() {
        // A fresh pool's workers must know the share count from the start: each index of
        // parallel_for runs exactly once (a worker that read the pool's size while later workers
        // were still being added ran [n, 2n) and crashed the forward).
        for (int round = 0; round < 50; ++round) {
            cpu::ThreadPool p(2 + round % 3);
            const int64_t n = 97;
            std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
            std::atomic<int> outside{0};  // Qt Test's macros belong on the test's own thread
            p.parallel_for(n, [&](int64_t b, int64_t e, int) {
                for (int64_t i = b; i < e; ++i) {
                    if (i < 0 || i >= n) ++outside;
                    else hits[size_t(i)]++;
                }
            });
            QCOMPARE(outside.load(), 0);
            for (auto& h : hits) QCOMPARE(h.load(), 1);
        }
    }
    void thread_pool_chunks_end_on_the_grain() {
        // A matmul's kernel takes whole tiles of weight rows: every chunk but the range's last
        // starts and ends on a multiple of the grain, and each index still runs once.
        for (int threads : {2, 3}) {
            cpu::ThreadPool p(threads);
            for (int64_t n : {int64_t(1), int64_t(5), int64_t(6), int64_t(128), int64_t(896), int64_t(4867)})
                for (int64_t grain : {int64_t(1), int64_t(4), int64_t(6)}) {
                    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                    std::atomic<int> misaligned{0};
                    p.parallel_for(n, [&](int64_t b, int64_t e, int) {
                        if (b % grain != 0 || (e != n && e % grain != 0) || b >= e) ++misaligned;
                        for (int64_t i = b; i < e; ++i) hits[size_t(i)]++;
                    }, grain);
                    QCOMPARE(misaligned.load(), 0);
                    for (auto& h : hits) QCOMPARE(h.load(), 1);
                }
        }
    }

    void bad_sizes_are_refused() {
        quant::QuantizedActivations a;
        std::vector<float> x(100);
        QVERIFY_THROWS_EXCEPTION(gistscope::Error, quant::quantize_activations(a, DType::q4_k, x.data(), 1, 100));
        QVERIFY_THROWS_EXCEPTION(gistscope::Error, quant::quantize_activations(a, DType::bf16, x.data(), 1, 64));
        std::vector<float> out(100);
        QVERIFY_THROWS_EXCEPTION(gistscope::Error, quant::dequantize_row(DType::q8_0, x.data(), out.data(), 33));
    }
};

QTEST_GUILESS_MAIN(TestQuant)
#include "tst_quant.moc"
