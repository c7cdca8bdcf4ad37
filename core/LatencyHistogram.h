#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

namespace workdeck {

/// A log-linear histogram of durations in microseconds (8 sub-buckets per power of two,
/// at most 12.5% error), cheap enough to record every task and to diff between samples.
class LatencyHistogram {
public:
    static constexpr int SubBits = 3;
    static constexpr int SubBuckets = 1 << SubBits;
    static constexpr int BucketCount = (64 - SubBits + 1) * SubBuckets;

    void record(std::uint64_t micros)
    {
        const int bucket = bucketOf(micros);
        ++m_counts[static_cast<std::size_t>(bucket)];
        m_lowest = std::min(m_lowest, bucket);
        m_highest = std::max(m_highest, bucket);
    }
    std::uint64_t count() const;
    /// The value below which `fraction` (0..1) of the recorded values fall; 0 when empty.
    std::uint64_t percentile(double fraction) const;
    /// The values recorded since `earlier` was copied from this histogram.
    LatencyHistogram since(const LatencyHistogram& earlier) const;
    /// Adds the values recorded in `other`, then empties it. Costs the range of buckets used,
    /// not all of them: workers hand over a few values at a time.
    void takeFrom(LatencyHistogram& other);

    static int bucketOf(std::uint64_t micros);
    /// The largest value that falls in `bucket`.
    static std::uint64_t upperBound(int bucket);

private:
    std::array<std::uint64_t, BucketCount> m_counts{};
    int m_lowest = BucketCount; ///< no bucket below this one has been used
    int m_highest = -1;         ///< nor any above this one
};

} // namespace workdeck
