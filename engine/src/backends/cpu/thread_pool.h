// thread_pool.h: the CPU backend's workers. A fixed set of threads that share a range in chunks,
// each thread taking the next chunk until none is left (the caller too): on a shared machine a
// thread the scheduler holds back leaves its chunks to the others instead of making every matmul
// wait for it. The chunk grid depends only on the range and the thread count, so the results do
// not depend on which thread ran what. Waiting workers spin briefly, then sleep on a futex
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
    // Runs fn(begin, end, worker) over [0, n) in up to size() * kChunksPerThread contiguous chunks
    // (fn may be called several times per worker, never twice at once with the same worker
    // index); returns when all are done. Every chunk but the last starts and ends on a multiple
    // of `grain`: a matmul whose kernel takes 6 weight rows at a time gets no partial tile inside
    // the range (the k/v projections of Qwen2-0.5B, 128 rows in 8 chunks of 16, ran a quarter
    // of their rows through the one-row kernel at 2 threads before).
    void parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn, int64_t grain = 1);

    static constexpr int kChunksPerThread = 4;

private:
    void worker_loop(int index);
    void run_chunks(int worker);
    void stop_workers();

    // Fixed before the first worker starts: workers read it while the constructor is still
    // starting others (workers_.size() then would be a data race and a wrong share).
    const int parts_;
    std::vector<std::thread> workers_;
    // The job of the current generation; written before generation_ is released.
    const std::function<void(int64_t, int64_t, int)>* job_ = nullptr;
    int64_t job_n_ = 0;
    int64_t job_grain_ = 1;
    int64_t job_chunks_ = 0;
    std::atomic<int64_t> next_chunk_{0};  // the next chunk to take
    bool stopping_ = false;
    std::atomic<int> generation_{0};  // bumped (release) for each job and for the stop
    std::atomic<int> pending_{0};     // workers still on the current job
};

}  // namespace gistscope::cpu
