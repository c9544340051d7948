// kernels.cu: the forward pass's CUDA kernels. Deliberately plain: one thread block per row (or per
// row and head), float32 arithmetic through kernel_math.h's helpers, bf16 only in memory. Nothing
// here allocates or synchronises; the launch functions only enqueue on the caller's stream.
#include "kernels.h"

#include <climits>

#include "../../src/backends/kernel_math.h"

// The launch syntax and unroll hint, or the CPU emulation's in tst_cuda_emulated.
#if defined(GS_CUDA_EMULATION)
#define GS_LAUNCH(kernel, grid, block, stream) ::gs_emulation::launcher(grid, block, stream, kernel)
#define GS_UNROLL
#else
#define GS_LAUNCH(kernel, grid, block, stream) kernel<<<grid, block, 0, stream>>>
#define GS_UNROLL _Pragma("unroll")
#endif

namespace gistscope::cuda {
namespace {

constexpr unsigned kFullMask = 0xffffffffu;
constexpr int kWarps = 4;                       // warps per attention block
constexpr int kAttentionThreads = 32 * kWarps;
constexpr int kLaneValues = kMaxHeadDim / 32;   // head-dim elements per lane: lane + 32 * e
constexpr int kRowsPerWarp = kTileRows / kWarps;
static_assert(kTileRows % kWarps == 0, "tile rows must split evenly over the warps");

// Sum over a warp by butterfly: every lane ends with the same bits (each step adds a commutative pair).
__device__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFullMask, v, o);
    return v;
}

// Sum over a block (blockDim.x a multiple of 32, at most 1024); every thread gets the same value.
__device__ float block_sum(float v) {
    __shared__ float partial[32];
    v = warp_sum(v);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    float total = 0.0f;
    for (int w = 0; w < int(blockDim.x >> 5); ++w) total += partial[w];
    __syncthreads();  // `partial` may be reused by the next call
    return total;
}

struct RowRanges {
    const int* ranges;  // (n, 2)
    int n;
};

// False where KV head g no longer attends to `slot` (per-head H2O); uniform over a warp.
__device__ bool head_sees(const uint8_t* valid, int stride, int64_t slot, int g) {
    return valid == nullptr || valid[slot * stride + g] != 0;
}

__device__ RowRanges row_ranges(const BlockView& view, int t) {
    const int b = view.range_offsets[t], e = view.range_offsets[t + 1];
    return {view.ranges + 2 * b, e - b};
}

// q of one (row, head) in registers: lane holds q[lane + 32 e].
__device__ void load_q(float (&qr)[kLaneValues], const float* q, int hd, int lane) {
GS_UNROLL
    for (int e = 0; e < kLaneValues; ++e) {
        const int i = lane + 32 * e;
        qr[e] = i < hd ? q[i] : 0.0f;
    }
}

// q . k * scale for one key. Every attention kernel and the probe use this one function, so the
// probe's recomputed scores are bit-identical to the ones the output was built from.
__device__ float score_warp(const float (&qr)[kLaneValues], const bf16_t* k, int hd, int lane, float scale) {
    float d = 0.0f;
GS_UNROLL
    for (int e = 0; e < kLaneValues; ++e) {
        const int i = lane + 32 * e;
        if (i < hd) d += qr[e] * kmath::bf16_to_float(k[i]);
    }
    return warp_sum(d) * scale;
}

// acc = acc * keep + weight * v
__device__ void accumulate_v(float (&acc)[kLaneValues], float keep, float weight, const bf16_t* v, int hd, int lane) {
GS_UNROLL
    for (int e = 0; e < kLaneValues; ++e) {
        const int i = lane + 32 * e;
        if (i < hd) acc[e] = acc[e] * keep + weight * kmath::bf16_to_float(v[i]);
    }
}

__global__ void embed_kernel(float* x, const bf16_t* embed, const int* tokens, int hidden) {
    const int t = blockIdx.x;
    const int64_t row = int64_t(tokens[t]) * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) x[int64_t(t) * hidden + i] = kmath::bf16_to_float(embed[row + i]);
}

__global__ void rmsnorm_kernel(bf16_t* out, const float* x, const float* weight, int hidden, float eps) {
    const int t = blockIdx.x;
    const float* xr = x + int64_t(t) * hidden;
    float ss = 0.0f;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) ss += xr[i] * xr[i];
    const float inv = kmath::rms_inverse(block_sum(ss), hidden, eps);
    for (int i = threadIdx.x; i < hidden; i += blockDim.x)
        out[int64_t(t) * hidden + i] = kmath::float_to_bf16(kmath::rms_apply(xr[i], inv, weight[i]));
}

__global__ void qkv_rope_kernel(float* q, bf16_t* k_plane, bf16_t* v_plane, const float* qkv, const float* bias,
                                const float* inv_freq, BlockView view, int nh, int nkv, int hd) {
    const int t = blockIdx.x;
    const int base = view.header[1];
    const int position = view.positions[t];
    const int half = hd / 2, q_dim = nh * hd, kvd = nkv * hd, width = q_dim + 2 * kvd;
    const float* row = qkv + int64_t(t) * width;
    const int64_t slot = int64_t(base) + t;
    // Rotated pairs (i, i + half) of the q heads, then of the k heads (columns q_dim + j * hd + i).
    for (int p = threadIdx.x; p < (nh + nkv) * half; p += blockDim.x) {
        const int head = p / half, i = p % half;
        const int col = head * hd + i;
        float a = row[col], b = row[col + half];
        if (bias) {
            a += bias[col];
            b += bias[col + half];
        }
        const float angle = kmath::rope_angle(inv_freq[i], position);
        kmath::rope_rotate(a, b, cosf(angle), sinf(angle));
        if (head < nh) {
            q[int64_t(t) * q_dim + col] = a;
            q[int64_t(t) * q_dim + col + half] = b;
        } else {
            const int kc = col - q_dim;
            k_plane[slot * kvd + kc] = kmath::float_to_bf16(a);
            k_plane[slot * kvd + kc + half] = kmath::float_to_bf16(b);
        }
    }
    for (int j = threadIdx.x; j < kvd; j += blockDim.x) {
        float v = row[q_dim + kvd + j];
        if (bias) v += bias[q_dim + kvd + j];
        v_plane[slot * kvd + j] = kmath::float_to_bf16(v);
    }
}

// grid (kDecodeSplits, nh, T): chunk j of row t's visible keys for query head h. Each warp streams
// every kWarps-th key of the chunk with an online softmax; the warps are merged at the end.
__global__ void attention_split_kernel(float* partial_acc, float* partial_state, const float* q, const bf16_t* k_plane,
                                       const bf16_t* v_plane, BlockView view, int nh, int nkv, int hd, float scale,
                                       const uint8_t* valid, int valid_stride) {
    const int j = blockIdx.x, h = blockIdx.y, t = blockIdx.z;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int g = h / (nh / nkv), kvd = nkv * hd;
    const RowRanges rr = row_ranges(view, t);
    int chunk_begin = 0, chunk_end = 0;
    kmath::split_chunk(kmath::visible_count(rr.ranges, rr.n), kDecodeSplits, j, chunk_begin, chunk_end);

    float qr[kLaneValues];
    load_q(qr, q + (int64_t(t) * nh + h) * hd, hd, lane);
    float acc[kLaneValues] = {};
    kmath::SoftmaxState st = kmath::softmax_empty();
    for (int vi = chunk_begin + warp; vi < chunk_end; vi += kWarps) {
        const int64_t slot = kmath::visible_nth(rr.ranges, rr.n, vi);
        if (!head_sees(valid, valid_stride, slot, g)) continue;
        const float s = score_warp(qr, k_plane + slot * kvd + g * hd, hd, lane, scale);
        float w = 0.0f;
        const float keep = kmath::softmax_push(st, s, w);
        accumulate_v(acc, keep, w, v_plane + slot * kvd + g * hd, hd, lane);
    }

    __shared__ float s_acc[kWarps][kMaxHeadDim];  // (warp, hd)
    __shared__ float s_state[kWarps][2];          // (warp, [max, sum])
GS_UNROLL
    for (int e = 0; e < kLaneValues; ++e)
        if (lane + 32 * e < hd) s_acc[warp][lane + 32 * e] = acc[e];
    if (lane == 0) {
        s_state[warp][0] = st.max;
        s_state[warp][1] = st.sum;
    }
    __syncthreads();
    const int64_t out_index = (int64_t(t) * nh + h) * kDecodeSplits + j;
    for (int i = threadIdx.x; i < hd; i += blockDim.x) {
        kmath::SoftmaxState m = kmath::softmax_empty();
        float a = 0.0f;
        for (int w = 0; w < kWarps; ++w) {
            float scale_m = 0.0f, scale_w = 0.0f;
            kmath::softmax_merge(m, kmath::SoftmaxState{s_state[w][0], s_state[w][1]}, scale_m, scale_w);
            a = a * scale_m + s_acc[w][i] * scale_w;
        }
        partial_acc[out_index * hd + i] = a;
        if (i == 0) {
            partial_state[out_index * 2] = m.max;
            partial_state[out_index * 2 + 1] = m.sum;
        }
    }
}

// grid (nh, T): merges the kDecodeSplits chunks of (row, head) and normalises.
__global__ void attention_combine_kernel(bf16_t* out, float* row_state, const float* partial_acc,
                                         const float* partial_state, int nh, int hd) {
    const int h = blockIdx.x, t = blockIdx.y;
    const int64_t first = (int64_t(t) * nh + h) * kDecodeSplits;
    for (int i = threadIdx.x; i < hd; i += blockDim.x) {
        kmath::SoftmaxState m = kmath::softmax_empty();
        float a = 0.0f;
        for (int j = 0; j < kDecodeSplits; ++j) {
            float scale_m = 0.0f, scale_j = 0.0f;
            const kmath::SoftmaxState sj{partial_state[(first + j) * 2], partial_state[(first + j) * 2 + 1]};
            kmath::softmax_merge(m, sj, scale_m, scale_j);
            a = a * scale_m + partial_acc[(first + j) * hd + i] * scale_j;
        }
        // A row that sees nothing outputs zeros, as the CPU reference does.
        out[(int64_t(t) * nh + h) * hd + i] = kmath::float_to_bf16(m.sum > 0.0f ? a / m.sum : 0.0f);
        if (i == 0) {
            row_state[(int64_t(t) * nh + h) * 2] = m.max;
            row_state[(int64_t(t) * nh + h) * 2 + 1] = m.sum;
        }
    }
}

// grid (ceil(T / kTileRows), nh): kTileRows query rows of one head; K/V tiles of kTileKeys keys are
// loaded once into shared memory and used by all rows; each warp owns kRowsPerWarp rows.
__global__ void attention_tiled_kernel(bf16_t* out, float* row_state, const float* q, const bf16_t* k_plane,
                                       const bf16_t* v_plane, BlockView view, int rows, int nh, int nkv, int hd,
                                       float scale, const uint8_t* valid, int valid_stride) {
    const int h = blockIdx.y, t0 = blockIdx.x * kTileRows;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int g = h / (nh / nkv), kvd = nkv * hd;
    __shared__ bf16_t s_k[kTileKeys][kMaxHeadDim];  // (key, hd)
    __shared__ bf16_t s_v[kTileKeys][kMaxHeadDim];  // (key, hd)
    __shared__ int s_lo, s_hi;                      // the union [lo, hi) of the tile rows' ranges
    if (threadIdx.x == 0) {
        int lo = INT_MAX, hi = 0;
        for (int r = 0; r < kTileRows && t0 + r < rows; ++r) {
            const RowRanges rr = row_ranges(view, t0 + r);
            for (int k = 0; k < rr.n; ++k)
                if (rr.ranges[2 * k + 1] > rr.ranges[2 * k]) {
                    lo = min(lo, rr.ranges[2 * k]);
                    hi = max(hi, rr.ranges[2 * k + 1]);
                }
        }
        s_lo = lo;
        s_hi = hi;
    }
    __syncthreads();
    const int lo = s_lo, hi = s_hi;

    float qr[kRowsPerWarp][kLaneValues];
    float acc[kRowsPerWarp][kLaneValues] = {};
    kmath::SoftmaxState st[kRowsPerWarp];
    RowRanges rr[kRowsPerWarp];
GS_UNROLL
    for (int r = 0; r < kRowsPerWarp; ++r) {
        const int t = t0 + warp * kRowsPerWarp + r;
        st[r] = kmath::softmax_empty();
        rr[r] = t < rows ? row_ranges(view, t) : RowRanges{nullptr, 0};
        load_q(qr[r], q + (int64_t(t < rows ? t : 0) * nh + h) * hd, hd, lane);
    }
    for (int k0 = lo; k0 < hi; k0 += kTileKeys) {
        for (int idx = threadIdx.x; idx < kTileKeys * hd; idx += blockDim.x) {
            const int j = idx / hd, i = idx % hd;
            const int64_t slot = int64_t(k0) + j;
            const bool in = slot < hi;
            s_k[j][i] = in ? k_plane[slot * kvd + g * hd + i] : bf16_t(0);
            s_v[j][i] = in ? v_plane[slot * kvd + g * hd + i] : bf16_t(0);
        }
        __syncthreads();
        for (int j = 0; j < kTileKeys && k0 + j < hi; ++j) {
            if (!head_sees(valid, valid_stride, int64_t(k0) + j, g)) continue;  // uniform over the block
GS_UNROLL
            for (int r = 0; r < kRowsPerWarp; ++r) {
                // Uniform over the warp (one row per warp), so the shuffles in score_warp are safe.
                if (!kmath::row_sees(rr[r].ranges, rr[r].n, k0 + j)) continue;
                const float s = score_warp(qr[r], s_k[j], hd, lane, scale);
                float w = 0.0f;
                const float keep = kmath::softmax_push(st[r], s, w);
                accumulate_v(acc[r], keep, w, s_v[j], hd, lane);
            }
        }
        __syncthreads();
    }
GS_UNROLL
    for (int r = 0; r < kRowsPerWarp; ++r) {
        const int t = t0 + warp * kRowsPerWarp + r;
        if (t >= rows) continue;
GS_UNROLL
        for (int e = 0; e < kLaneValues; ++e) {
            const int i = lane + 32 * e;
            if (i < hd)
                out[(int64_t(t) * nh + h) * hd + i] = kmath::float_to_bf16(st[r].sum > 0.0f ? acc[r][e] / st[r].sum : 0.0f);
        }
        if (lane == 0) {
            row_state[(int64_t(t) * nh + h) * 2] = st[r].max;
            row_state[(int64_t(t) * nh + h) * 2 + 1] = st[r].sum;
        }
    }
}

// grid (nh, T): the probe, after the attention of the same layer (row_state holds each row's softmax).
__global__ void attention_probe_kernel(float* attention, float* column_sums, const float* row_state, const float* q,
                                       const bf16_t* k_plane, BlockView view, int nh, int nkv, int hd, float scale,
                                       int head, float weight, bool group_sum, const uint8_t* valid,
                                       int valid_stride) {
    const int h = blockIdx.x, t = blockIdx.y;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int group = nh / nkv, g = h / group, kvd = nkv * hd;
    const bool to_attention = attention != nullptr && (head < 0 || head == h);
    // H2O: the first query head of each KV group (HHCache), or all of them
    const bool to_sums = column_sums != nullptr && (group_sum || h % group == 0);
    if (!to_attention && !to_sums) return;
    const int S = view.header[2];
    const RowRanges rr = row_ranges(view, t);
    const int count = kmath::visible_count(rr.ranges, rr.n);
    const kmath::SoftmaxState state{row_state[(int64_t(t) * nh + h) * 2], row_state[(int64_t(t) * nh + h) * 2 + 1]};
    float qr[kLaneValues];
    load_q(qr, q + (int64_t(t) * nh + h) * hd, hd, lane);
    for (int vi = warp; vi < count; vi += kWarps) {
        const int64_t slot = kmath::visible_nth(rr.ranges, rr.n, vi);
        if (!head_sees(valid, valid_stride, slot, g)) continue;  // not in this head's softmax
        const float p = kmath::softmax_probability(state, score_warp(qr, k_plane + slot * kvd + g * hd, hd, lane, scale));
        if (lane == 0) {
            if (to_attention) atomicAdd(&attention[int64_t(t) * S + slot], p * weight);
            if (to_sums) atomicAdd(&column_sums[int64_t(g) * S + slot], p);
        }
    }
}

// Every query head's probabilities for the block's last row: heads (nh, S), one block per head.
// Each (head, slot) is written by one lane, so no atomics; invisible slots keep the zero of the memset.
__global__ void attention_heads_kernel(float* heads, const float* row_state, const float* q, const bf16_t* k_plane,
                                       BlockView view, int rows, int nh, int nkv, int hd, float scale,
                                       const uint8_t* valid, int valid_stride) {
    const int h = blockIdx.x, t = rows - 1;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int group = nh / nkv, g = h / group, kvd = nkv * hd;
    const int S = view.header[2];
    const RowRanges rr = row_ranges(view, t);
    const int count = kmath::visible_count(rr.ranges, rr.n);
    const kmath::SoftmaxState state{row_state[(int64_t(t) * nh + h) * 2], row_state[(int64_t(t) * nh + h) * 2 + 1]};
    float qr[kLaneValues];
    load_q(qr, q + (int64_t(t) * nh + h) * hd, hd, lane);
    for (int vi = warp; vi < count; vi += kWarps) {
        const int64_t slot = kmath::visible_nth(rr.ranges, rr.n, vi);
        if (!head_sees(valid, valid_stride, slot, g)) continue;
        const float p = kmath::softmax_probability(state, score_warp(qr, k_plane + slot * kvd + g * hd, hd, lane, scale));
        if (lane == 0) heads[int64_t(h) * S + slot] = p;
    }
}

__global__ void swiglu_kernel(bf16_t* out, const float* gate_up, int rows, int inter) {
    const int64_t n = int64_t(rows) * inter;
    for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; idx < n; idx += int64_t(gridDim.x) * blockDim.x) {
        const int64_t t = idx / inter, i = idx % inter;
        out[idx] = kmath::float_to_bf16(kmath::swiglu(gate_up[t * 2 * inter + i], gate_up[t * 2 * inter + inter + i]));
    }
}

constexpr int kArgmaxThreads = 1024;

__global__ void argmax_kernel(int* out, const float* logits, int vocab, float temperature, uint64_t seed) {
    const int r = blockIdx.x;
    const float* row = logits + int64_t(r) * vocab;
    float best = -INFINITY;
    int best_i = vocab;  // beaten by any value that is not NaN
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        const float v = temperature > 0.0f ? row[i] / temperature + kmath::gumbel_noise(seed + uint64_t(r), uint32_t(i))
                                           : row[i];
        if (kmath::argmax_better(v, i, best, best_i)) {
            best = v;
            best_i = i;
        }
    }
    __shared__ float s_v[kArgmaxThreads];
    __shared__ int s_i[kArgmaxThreads];
    s_v[threadIdx.x] = best;
    s_i[threadIdx.x] = best_i;
    __syncthreads();
    // (value desc, index asc) is a total order, so the tree's shape cannot change the winner.
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (int(threadIdx.x) < stride &&
            kmath::argmax_better(s_v[threadIdx.x + stride], s_i[threadIdx.x + stride], s_v[threadIdx.x], s_i[threadIdx.x])) {
            s_v[threadIdx.x] = s_v[threadIdx.x + stride];
            s_i[threadIdx.x] = s_i[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[r] = s_i[0] < vocab ? s_i[0] : 0;
}

__global__ void kv_gather_kernel(bf16_t* scratch, const bf16_t* kv, int planes, int cap, int kvd, const int* map,
                                 int first_src, int i0, int n) {
    const int64_t per_plane = int64_t(n) * kvd, total = per_plane * planes;
    for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; idx < total; idx += int64_t(gridDim.x) * blockDim.x) {
        const int64_t plane = idx / per_plane, rem = idx % per_plane, i = rem / kvd, e = rem % kvd;
        const int64_t src = map ? map[i0 + i] : first_src + i0 + i;
        scratch[idx] = kv[(plane * cap + src) * kvd + e];
    }
}

__global__ void kv_scatter_kernel(bf16_t* kv, const bf16_t* scratch, int planes, int cap, int kvd, int dst0, int i0,
                                  int n) {
    const int64_t per_plane = int64_t(n) * kvd, total = per_plane * planes;
    for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; idx < total; idx += int64_t(gridDim.x) * blockDim.x) {
        const int64_t plane = idx / per_plane, rem = idx % per_plane, i = rem / kvd, e = rem % kvd;
        kv[(plane * cap + dst0 + i0 + i) * kvd + e] = scratch[idx];
    }
}

unsigned grid_for(int64_t n, int threads) {
    const int64_t blocks = (n + threads - 1) / threads;
    return unsigned(blocks < 1 ? 1 : (blocks > 65535 ? 65535 : blocks));
}

}  // namespace

void launch_embed(cudaStream_t s, float* x, const bf16_t* embed, BlockView view, int rows, int hidden) {
    GS_LAUNCH(embed_kernel, rows, 256, s)(x, embed, view.tokens, hidden);
}

void launch_rmsnorm(cudaStream_t s, bf16_t* out, const float* x, const float* weight, int rows, int hidden, float eps) {
    GS_LAUNCH(rmsnorm_kernel, rows, 256, s)(out, x, weight, hidden, eps);
}

void launch_qkv_rope(cudaStream_t s, float* q, bf16_t* k_plane, bf16_t* v_plane, const float* qkv, const float* bias,
                     const float* inv_freq, BlockView view, const AttentionShape& a) {
    GS_LAUNCH(qkv_rope_kernel, a.rows, 256, s)(q, k_plane, v_plane, qkv, bias, inv_freq, view, a.nh, a.nkv, a.hd);
}

void launch_attention_split(cudaStream_t s, bf16_t* out, float* row_state, float* partial_acc, float* partial_state,
                            const float* q, const bf16_t* k_plane, const bf16_t* v_plane, BlockView view,
                            const AttentionShape& a) {
    GS_LAUNCH(attention_split_kernel, dim3(kDecodeSplits, a.nh, a.rows), kAttentionThreads, s)(
        partial_acc, partial_state, q, k_plane, v_plane, view, a.nh, a.nkv, a.hd, a.scale, a.valid, a.valid_stride);
    GS_LAUNCH(attention_combine_kernel, dim3(a.nh, a.rows), 128, s)(out, row_state, partial_acc, partial_state, a.nh, a.hd);
}

void launch_attention_tiled(cudaStream_t s, bf16_t* out, float* row_state, const float* q, const bf16_t* k_plane,
                            const bf16_t* v_plane, BlockView view, const AttentionShape& a) {
    const unsigned tiles = unsigned((a.rows + kTileRows - 1) / kTileRows);
    GS_LAUNCH(attention_tiled_kernel, dim3(tiles, a.nh), kAttentionThreads, s)(out, row_state, q, k_plane, v_plane, view,
                                                                            a.rows, a.nh, a.nkv, a.hd, a.scale, a.valid,
                                                                            a.valid_stride);
}

void launch_attention_probe(cudaStream_t s, float* attention, float* column_sums, const float* row_state,
                            const float* q, const bf16_t* k_plane, BlockView view, const AttentionShape& a,
                            int head, float weight, bool group_sum) {
    GS_LAUNCH(attention_probe_kernel, dim3(a.nh, a.rows), kAttentionThreads, s)(
        attention, column_sums, row_state, q, k_plane, view, a.nh, a.nkv, a.hd, a.scale, head, weight, group_sum, a.valid,
        a.valid_stride);
}

void launch_attention_heads(cudaStream_t s, float* heads, const float* row_state, const float* q, const bf16_t* k_plane,
                            BlockView view, const AttentionShape& a) {
    GS_LAUNCH(attention_heads_kernel, a.nh, kAttentionThreads, s)(heads, row_state, q, k_plane, view, a.rows, a.nh, a.nkv,
                                                                 a.hd, a.scale, a.valid, a.valid_stride);
}

void launch_swiglu(cudaStream_t s, bf16_t* out, const float* gate_up, int rows, int inter) {
    GS_LAUNCH(swiglu_kernel, grid_for(int64_t(rows) * inter, 256), 256, s)(out, gate_up, rows, inter);
}

void launch_argmax(cudaStream_t s, int* out, const float* logits, int rows, int vocab, float temperature,
                   uint64_t seed) {
    GS_LAUNCH(argmax_kernel, rows, kArgmaxThreads, s)(out, logits, vocab, temperature, seed);
}

void launch_kv_gather(cudaStream_t s, bf16_t* scratch, const bf16_t* kv, int planes, int cap, int kvd, const int* map,
                      int first_src, int i0, int n) {
    GS_LAUNCH(kv_gather_kernel, grid_for(int64_t(planes) * n * kvd, 256), 256, s)(scratch, kv, planes, cap, kvd, map,
                                                                               first_src, i0, n);
}

void launch_kv_scatter(cudaStream_t s, bf16_t* kv, const bf16_t* scratch, int planes, int cap, int kvd, int dst0,
                       int i0, int n) {
    GS_LAUNCH(kv_scatter_kernel, grid_for(int64_t(planes) * n * kvd, 256), 256, s)(kv, scratch, planes, cap, kvd, dst0, i0,
                                                                                n);
}

void kv_compact(cudaStream_t s, bf16_t* kv, bf16_t* scratch, int planes, int cap, int kvd, const int* map,
                int first_src, int dst0, int n, int chunk) {
    for (int i0 = 0; i0 < n; i0 += chunk) {
        const int m = n - i0 < chunk ? n - i0 : chunk;
        launch_kv_gather(s, scratch, kv, planes, cap, kvd, map, first_src, i0, m);
        launch_kv_scatter(s, kv, scratch, planes, cap, kvd, dst0, i0, m);
    }
}

}  // namespace gistscope::cuda

