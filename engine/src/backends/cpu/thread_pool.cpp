#include "thread_pool.h"

#include <immintrin.h>

#include <algorithm>
#include <string>

#include "gistscope/error.h"

namespace gistscope::cpu {

ThreadPool::ThreadPool(int threads) : parts_(std::max(1, threads)) {
    workers_.reserve(size_t(parts_ - 1));
    for (int i = 1; i < parts_; ++i) {
        try {
            workers_.emplace_back([this, i] { worker_loop(i); });
        } catch (const std::exception& e) {
            // Out of threads (system_error) or of address space for the thread's state
            // (bad_alloc): no half-started pool, no joinable thread left to terminate the process.
            const int started = int(workers_.size()) + 1;
            stop_workers();
            throw Error("cannot start " + std::to_string(parts_) + " CPU threads (only " + std::to_string(started) +
                        " could be started: " + e.what() + "); use fewer --threads");
        }
    }
}

ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::stop_workers() {
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn, int64_t grain) {
    const int parts = size();
    grain = std::max<int64_t>(1, grain);
    const int64_t units = (n + grain - 1) / grain;
    if (parts == 1 || units < 2) {
        fn(0, n, 0);
        return;
    }
    job_ = &fn;
    job_n_ = n;
    job_grain_ = grain;
    job_chunks_ = std::min<int64_t>(units, int64_t(parts) * kChunksPerThread);
    next_chunk_.store(0, std::memory_order_relaxed);
    pending_.store(parts - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);  // publishes the job and the counters
    generation_.notify_all();
    run_chunks(0);
    // Spin a little (the others usually finish within microseconds), then sleep.
    for (int spin = 0; spin < 4000 && pending_.load(std::memory_order_acquire) > 0; ++spin) _mm_pause();
    for (int left = pending_.load(std::memory_order_acquire); left > 0; left = pending_.load(std::memory_order_acquire))
        pending_.wait(left, std::memory_order_acquire);
}

void ThreadPool::run_chunks(int worker) {
    const int64_t n = job_n_, grain = job_grain_, chunks = job_chunks_;
    const int64_t units = (n + grain - 1) / grain;
    for (int64_t c = next_chunk_.fetch_add(1, std::memory_order_relaxed); c < chunks;
         c = next_chunk_.fetch_add(1, std::memory_order_relaxed))
        (*job_)(units * c / chunks * grain, std::min(n, units * (c + 1) / chunks * grain), worker);
}

void ThreadPool::worker_loop(int index) {
    int seen = 0;
    while (true) {
        for (int spin = 0; spin < 4000 && generation_.load(std::memory_order_acquire) == seen; ++spin) _mm_pause();
        while (generation_.load(std::memory_order_acquire) == seen) generation_.wait(seen, std::memory_order_acquire);
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_) return;
        run_chunks(index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
}

}  // namespace gistscope::cpu
