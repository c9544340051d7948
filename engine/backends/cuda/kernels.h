// kernels.h: the CUDA kernels of the forward pass, as host launch functions that enqueue on a
// stream and never synchronise. Their arithmetic is kernel_math.h's (the CPU tests cover it).
// Shapes are row-major; T = rows of the block, S = cache slots after the block is appended,
// H = hidden, nh / nkv = query / KV heads, hd = head dim, kvd = nkv * hd, cap = KV capacity.
// Per-forward values that change every decode step (tokens, positions, visible ranges) are read
// from device memory, never passed as kernel arguments, so one captured CUDA graph serves every step.
#pragma once
#if defined(GS_CUDA_EMULATION)
#include "cuda_emulation.h"  // the kernels run on the CPU in tst_cuda_emulated
#else
#include <cuda_runtime.h>
#endif

#include <cstdint>

namespace gistscope::cuda {

using bf16_t = uint16_t;  // bfloat16 bits; converted with kmath::bf16_to_float / float_to_bf16

constexpr int kMaxHeadDim = 256;     // attention kernels hold hd / 32 values per lane
constexpr int kDecodeSplits = 16;    // key chunks per (row, head) in the split attention
constexpr int kSplitMaxRows = 16;    // blocks of up to this many rows use the split attention
constexpr int kTileRows = 16;        // query rows per block in the tiled (prefill) attention
constexpr int kTileKeys = 32;        // keys per shared-memory tile

// The packed int32 block description, uploaded once per forward (one H2D copy):
// [rows, base, S, n_ranges] tokens(row_cap) positions(row_cap) range_offsets(row_cap + 1) ranges(range_cap, 2)
struct BlockLayout {
    int row_cap = 0;
    int range_cap = 0;
    int header() const { return 0; }
    int tokens() const { return 4; }
    int positions() const { return 4 + row_cap; }
    int range_offsets() const { return 4 + 2 * row_cap; }
    int ranges() const { return 5 + 3 * row_cap; }
    int ints() const { return 5 + 3 * row_cap + 2 * range_cap; }
};

// Device pointers into the packed block description.
struct BlockView {
    const int* header = nullptr;         // [rows, base, S, n_ranges]
    const int* tokens = nullptr;         // (rows)
    const int* positions = nullptr;      // (rows) RoPE positions
    const int* range_offsets = nullptr;  // (rows + 1) row t's ranges are [range_offsets[t], range_offsets[t+1])
    const int* ranges = nullptr;         // (n_ranges, 2) [begin, end) slot ranges
};

struct AttentionShape {
    int rows = 0;   // T
    int nh = 0, nkv = 0, hd = 0;
    int cap = 0;    // KV capacity (rows of a K or V plane)
    float scale = 0.0f;  // 1 / sqrt(hd)
    // Per-head slot validity (per-head H2O), or null: every head attends to every visible slot.
    // valid[slot * valid_stride + g] != 0 where KV head g of this layer still attends to the slot
    // (the cache's (slots, layers * nkv) mask, offset to the layer's first column).
    const uint8_t* valid = nullptr;
    int valid_stride = 0;
};

// x (T, H) f32 <- embed[tokens[t]] (V, H) bf16
void launch_embed(cudaStream_t s, float* x, const bf16_t* embed, BlockView view, int rows, int hidden);

// out (T, H) bf16 <- RMSNorm(x (T, H) f32) * weight (H) f32
void launch_rmsnorm(cudaStream_t s, bf16_t* out, const float* x, const float* weight, int rows, int hidden, float eps);

// qkv (T, nh*hd + 2*kvd) f32 from the fused projection, + bias (same width, or null). Writes
// q (T, nh*hd) f32 rotated, and K (rotated) / V as bf16 into slots base + t of the layer's planes
// k_plane / v_plane (cap, kvd). inv_freq: (hd / 2) f32.
void launch_qkv_rope(cudaStream_t s, float* q, bf16_t* k_plane, bf16_t* v_plane, const float* qkv, const float* bias,
                     const float* inv_freq, BlockView view, const AttentionShape& a);

// Split attention for small blocks (decode, compression block): grid (kDecodeSplits, nh, T).
// partial_acc (T, nh, kDecodeSplits, hd) f32, partial_state (T, nh, kDecodeSplits, 2) f32.
// Then the combine: out (T, nh*hd) bf16, row_state (T, nh, 2) = softmax (max, sum) of each row/head.
void launch_attention_split(cudaStream_t s, bf16_t* out, float* row_state, float* partial_acc, float* partial_state,
                            const float* q, const bf16_t* k_plane, const bf16_t* v_plane, BlockView view,
                            const AttentionShape& a);

// Tiled attention for long blocks (prefill): kTileRows query rows share each K/V tile.
void launch_attention_tiled(cudaStream_t s, bf16_t* out, float* row_state, const float* q, const bf16_t* k_plane,
                            const bf16_t* v_plane, BlockView view, const AttentionShape& a);

// The attention probe: recomputes each visible key's probability from row_state and adds
// p * weight into attention (T, S) for the selected heads (head < 0: all heads), and p into
// column_sums (nkv, S) at row g = h / (nh / nkv) for the first query head of each KV group, or
// with group_sum for every query head of the group (H2O's score of KV head g). Either output may be null.
void launch_attention_probe(cudaStream_t s, float* attention, float* column_sums, const float* row_state,
                            const float* q, const bf16_t* k_plane, BlockView view, const AttentionShape& a,
                            int head, float weight, bool group_sum);

// The block's last row, every query head: heads (nh, S) = that head's probability of each visible
// key (recomputed from row_state as the probe does); invisible slots are left as they are (zero).
void launch_attention_heads(cudaStream_t s, float* heads, const float* row_state, const float* q, const bf16_t* k_plane,
                            BlockView view, const AttentionShape& a);

// gate_up (T, 2I) f32 = [gate | up] -> out (T, I) bf16 = silu(gate) * up
void launch_swiglu(cudaStream_t s, bf16_t* out, const float* gate_up, int rows, int inter);

// out (rows) = argmax of logits (rows, V) f32; temperature > 0: Gumbel-max sampling with `seed`.
void launch_argmax(cudaStream_t s, int* out, const float* logits, int rows, int vocab, float temperature,
                   uint64_t seed);

// KV compaction, two passes through `scratch` so overlapping moves are safe:
// gather: scratch (planes, n, kvd) <- kv (planes, cap, kvd) rows src(i) for i in [i0, i0 + n),
//         src(i) = map ? map[i] : first_src + i
// scatter: kv rows dst0 + i for i in [i0, i0 + n) <- scratch
void launch_kv_gather(cudaStream_t s, bf16_t* scratch, const bf16_t* kv, int planes, int cap, int kvd, const int* map,
                      int first_src, int i0, int n);
void launch_kv_scatter(cudaStream_t s, bf16_t* kv, const bf16_t* scratch, int planes, int cap, int kvd, int dst0,
                       int i0, int n);

// Rows dst0 + i <- src(i) for i in [0, n) of every plane, src(i) = map ? map[i] : first_src + i,
// where dst0 + i < src(i) (rows move down): gather then scatter `chunk` rows at a time through
// scratch (planes, chunk, kvd). Chunk c reads rows src(i) > dst0 + i, above every row the chunks
// before it wrote, so the overlapping move is safe for any chunk size.
void kv_compact(cudaStream_t s, bf16_t* kv, bf16_t* scratch, int planes, int cap, int kvd, const int* map,
                int first_src, int dst0, int n, int chunk);

}  // namespace gistscope::cuda
