// Records the largest single allocation made through operator new while an
// AllocationTracker is alive, so a test can show that the decoder never asks
// for more memory than its input could describe. The replacement operator new
// lives in allocation_tracker.cpp, a TU of its own (kept out of line so the
// compiler does not pair inlined new/delete calls with malloc/free).
#pragma once

#include <cstddef>

namespace tars::test {
class AllocationTracker {
public:
    AllocationTracker();
    ~AllocationTracker();
    AllocationTracker(const AllocationTracker&) = delete;
    AllocationTracker& operator=(const AllocationTracker&) = delete;

    std::size_t largest() const;
};
}  // namespace tars::test
