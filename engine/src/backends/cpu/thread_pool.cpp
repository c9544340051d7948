#include "thread_pool.h"

#include <immintrin.h>

namespace gistscope::cpu {

ThreadPool::ThreadPool(int threads) {
    // The share count goes to each worker as it starts: reading size() from a worker would race
    // with the emplace_back of the later workers (a worker that saw 1 part ran tasks [n, 2n)).
    const int parts = std::max(1, threads);
    workers_.reserve(size_t(parts - 1));
    for (int i = 1; i < parts; ++i) workers_.emplace_back([this, i, parts] { worker_loop(i, parts); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        ++generation_;
        published_.store(generation_);
    }
    start_cv_.notify_all();
    for (auto& t : workers_) t.join();
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn) {
    const int parts = size();
    if (parts == 1 || n < 2) {
        fn(0, n, 0);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = &fn;
        job_n_ = n;
        pending_.store(parts - 1);
        ++generation_;
        published_.store(generation_, std::memory_order_release);
    }
    start_cv_.notify_all();
    fn(0, n / parts, 0);
    // Spin a little (the others usually finish within microseconds), then sleep.
    for (int spin = 0; spin < 4000 && pending_.load(std::memory_order_acquire) > 0; ++spin) _mm_pause();
    if (pending_.load(std::memory_order_acquire) > 0) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_cv_.wait(lock, [&] { return pending_.load() == 0; });
    }
}

void ThreadPool::worker_loop(int index, int parts) {
    uint64_t seen = 0;
    while (true) {
        for (int spin = 0; spin < 4000 && published_.load(std::memory_order_acquire) == seen; ++spin) _mm_pause();
        const std::function<void(int64_t, int64_t, int)>* job = nullptr;
        int64_t n = 0;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            start_cv_.wait(lock, [&] { return generation_ != seen; });
            seen = generation_;
            if (stopping_) return;
            job = job_;
            n = job_n_;
        }
        (*job)(n * index / parts, n * (index + 1) / parts, index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard<std::mutex> lock(mutex_);
            done_cv_.notify_one();
        }
    }
}

}  // namespace gistscope::cpu
