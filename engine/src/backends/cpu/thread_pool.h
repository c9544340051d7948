// thread_pool.h: the CPU backend's workers. A fixed set of threads that split a range statically;
// the caller works on the first share. Waiting workers spin briefly, then sleep on a futex
// (std::atomic<int>::wait), so a machine shared with a GUI, a second run or a compiler is not
// slowed by busy waiting (OpenMP's default active wait made 2-thread decode 10x slower on a
// loaded 2-core box). No condition variables: glibc 2.36's can lose a broadcast, which hung the
// stop of a pool whose start-up had failed.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace gistscope::cpu {

class ThreadPool {
public:
    // Starts threads - 1 workers (the caller is the first). Either every worker starts, or the
    // ones that did are stopped and joined and Error says how many could be started.
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return parts_; }
    // Runs fn(begin, end, worker) over [0, n) split into size() contiguous shares; returns when done.
    void parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn);

private:
    void worker_loop(int index);
    void stop_workers();

    // Fixed before the first worker starts: workers read it while the constructor is still
    // starting others (workers_.size() then would be a data race and a wrong share).
    const int parts_;
    std::vector<std::thread> workers_;
    // The job of the current generation; written before generation_ is released.
    const std::function<void(int64_t, int64_t, int)>* job_ = nullptr;
    int64_t job_n_ = 0;
    bool stopping_ = false;
    std::atomic<int> generation_{0};  // bumped (release) for each job and for the stop
    std::atomic<int> pending_{0};     // workers still on the current job
};

}  // namespace gistscope::cpu
