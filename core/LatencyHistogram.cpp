#include "LatencyHistogram.h"

#include <bit>
#include <cmath>

namespace workdeck {

int LatencyHistogram::bucketOf(std::uint64_t micros)
{
    if (micros < SubBuckets)
        return static_cast<int>(micros);
    const int exponent = 63 - std::countl_zero(micros); // >= SubBits
    const int sub = static_cast<int>((micros >> (exponent - SubBits)) & (SubBuckets - 1));
    return (exponent - SubBits + 1) * SubBuckets + sub;
}

std::uint64_t LatencyHistogram::upperBound(int bucket)
{
    if (bucket < SubBuckets)
        return static_cast<std::uint64_t>(bucket);
    const int exponent = bucket / SubBuckets + SubBits - 1;
    const auto sub = static_cast<std::uint64_t>(bucket % SubBuckets);
    const std::uint64_t low = (std::uint64_t{1} << exponent) | (sub << (exponent - SubBits));
    return low + ((std::uint64_t{1} << (exponent - SubBits)) - 1);
}

std::uint64_t LatencyHistogram::count() const
{
    std::uint64_t total = 0;
    for (const auto c : m_counts)
        total += c;
    return total;
}

std::uint64_t LatencyHistogram::percentile(double fraction) const
{
    const std::uint64_t total = count();
    if (total == 0)
        return 0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(total)));
    std::uint64_t seen = 0;
    for (int i = 0; i < BucketCount; ++i) {
        seen += m_counts[static_cast<std::size_t>(i)];
        if (seen >= rank && seen > 0)
            return upperBound(i);
    }
    return upperBound(BucketCount - 1);
}

LatencyHistogram LatencyHistogram::since(const LatencyHistogram& earlier) const
{
    LatencyHistogram delta;
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        delta.m_counts[i] = m_counts[i] - earlier.m_counts[i];
    delta.m_lowest = m_lowest;
    delta.m_highest = m_highest;
    return delta;
}

void LatencyHistogram::takeFrom(LatencyHistogram& other)
{
    for (int i = other.m_lowest; i <= other.m_highest; ++i) {
        const auto bucket = static_cast<std::size_t>(i);
        m_counts[bucket] += other.m_counts[bucket];
        other.m_counts[bucket] = 0;
    }
    m_lowest = std::min(m_lowest, other.m_lowest);
    m_highest = std::max(m_highest, other.m_highest);
    other.m_lowest = BucketCount;
    other.m_highest = -1;
}

} // namespace workdeck
