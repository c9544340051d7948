// thread_pool.h: the CPU backend's workers. A fixed set of threads that split a range statically;
// the caller works on the first share. Waiting workers spin briefly, then sleep on a condition
// variable, so a machine shared with a GUI, a second run or a compiler is not slowed by busy
// waiting (OpenMP's default active wait made 2-thread decode 10x slower on a loaded 2-core box).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gistscope::cpu {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }
    // Runs fn(begin, end, worker) over [0, n) split into size() contiguous shares; returns when done.
    void parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn);

private:
    void worker_loop(int index, int parts);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_cv_, done_cv_;
    const std::function<void(int64_t, int64_t, int)>* job_ = nullptr;
    int64_t job_n_ = 0;
    uint64_t generation_ = 0;
    std::atomic<uint64_t> published_{0};
    std::atomic<int> pending_{0};
    bool stopping_ = false;
};

}  // namespace gistscope::cpu
