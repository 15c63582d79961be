#pragma once
// Runs fn(i) for every i in [0, n) on up to `threads` threads, the caller's
// included; each index once. fn returning false, or the first exception,
// stops what has not started; the exception is rethrown here.

#include <cstddef>
#include <functional>

namespace pushgate {

void parallel_for(std::size_t n, std::size_t threads, const std::function<bool(std::size_t)>& fn);

}  // namespace pushgate
