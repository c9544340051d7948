// cuda_backend.h: the CUDA implementation of gistscope::Backend and of the KV storage it owns on
// the device, plus the memory plan checked before anything is loaded.
#pragma once
#include <memory>
#include <span>

#include "cuda_util.h"
#include "gistscope/backend.h"

namespace gistscope::cuda {

// The device, stream and cuBLAS handle one backend and its caches share (the caches may outlive
// the backend object, so they hold it by shared_ptr).
struct DeviceContext {
    explicit DeviceContext(int device);
    ~DeviceContext();
    DeviceContext(const DeviceContext&) = delete;
    DeviceContext& operator=(const DeviceContext&) = delete;
    void bind() const { GS_CUDA(cudaSetDevice(device)); }  // the calling thread may change (GUI worker)

    int device = 0;
    cudaStream_t stream = nullptr;
    cublasHandle_t cublas = nullptr;
    DeviceBuffer<uint8_t> cublas_workspace;  // set on the handle so graph capture never allocates
};

// K and V of every layer in one device allocation, bf16: (2 * layers, cap, kvd); plane 2l is the
// K of layer l, plane 2l + 1 its V; row = slot. Erases move rows on the device, stream-ordered.
class CudaKvStorage final : public KvStorage {
public:
    CudaKvStorage(std::shared_ptr<DeviceContext> ctx, int layers, int kvd);
    void reserve(int slot_count) override;
    void erase_range(int begin, int end, int size_before) override;
    void erase_slots(std::span<const int> sorted_slots, int size_before) override;
    size_t bytes_per_slot() const override { return size_t(2) * size_t(layers_) * size_t(kvd_) * sizeof(bf16_t); }

    bf16_t* k_plane(int layer) const { return kv_.get() + size_t(2 * layer) * size_t(cap_) * size_t(kvd_); }
    bf16_t* v_plane(int layer) const { return kv_.get() + size_t(2 * layer + 1) * size_t(cap_) * size_t(kvd_); }
    bf16_t* data() const { return kv_.get(); }
    int capacity() const { return cap_; }
    int planes() const { return 2 * layers_; }
    // A process-wide unique id of the current planes, new at every growth: a captured graph
    // that points at other planes (another cache, or these before they moved) is stale.
    uint64_t generation() const { return generation_; }
    // Per-head slot validity on the device, (cap, columns) uint8, or null while the cache has none.
    const uint8_t* head_valid() const { return valid_columns_ > 0 ? valid_.get() : nullptr; }
    int head_valid_columns() const { return valid_columns_; }
    // Copies the cache's (slots, columns) mask to the device (the buffer grows with the planes; a
    // new buffer is a new generation, so a decode graph that read the old one is captured again).
    void upload_head_validity(const uint8_t* host, int slot_count, int columns);

private:
    // Rows dst0 + i <- src(i) for i in [0, n), src(i) = map ? map[i] : first_src + i, with
    // dst0 + i < src(i); through a bounded scratch, chunk by chunk, so overlapping moves are safe.
    void compact(const int* map, int first_src, int dst0, int n);

    std::shared_ptr<DeviceContext> ctx_;
    int layers_, kvd_;
    int cap_ = 0;
    uint64_t generation_ = 0;
    DeviceBuffer<bf16_t> kv_;       // (2 * layers, cap, kvd)
    DeviceBuffer<bf16_t> scratch_;  // (2 * layers, chunk, kvd)
    DeviceBuffer<int> map_;         // (moved rows) source slots for erase_slots
    DeviceBuffer<uint8_t> valid_;   // (valid_cap_, valid_columns_) per-head slot validity
    int valid_cap_ = 0, valid_columns_ = 0;
};

// What loading `config` on a device takes, in bytes.
struct MemoryPlan {
    size_t weights = 0;    // bf16 matrices, f32 norms and biases
    size_t kv = 0;         // kv_slots slots
    size_t workspace = 0;  // activations for planned_rows rows, cuBLAS workspace
    size_t reserve = 0;    // CUDA context, allocator slack
    size_t total() const { return weights + kv + workspace + reserve; }
};
constexpr int kPlannedRows = 512;  // prefill rows the workspace is planned for (it grows on demand)
MemoryPlan plan_memory(const ModelConfig& config, int kv_slots);

// flags: GISTSCOPE_CUDA_FLAG_* of plugin_abi.h.
std::unique_ptr<Backend> make_cuda_backend(const Model& model, int device, int kv_slots, unsigned flags);

// The plugin's kernel selftest; returns true when every check passes. One line per check in `report`.
bool run_kernel_selftest(int device, std::string& report);

}  // namespace gistscope::cuda
