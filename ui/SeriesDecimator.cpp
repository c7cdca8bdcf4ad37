#include "SeriesDecimator.h"

#include <algorithm>

namespace workdeck {

QList<QPointF> SeriesDecimator::decimate(const QList<QPointF>& points, int buckets)
{
    // Two buckets is the least that can keep both ends and the extremes between them.
    buckets = std::max(2, buckets);
    const qsizetype n = points.size();
    if (n <= 2 * static_cast<qsizetype>(buckets))
        return points;

    // The ends are kept as they are, so the interior gets one bucket fewer: two points per
    // bucket plus the two ends stays within 2 × buckets.
    const int inner = buckets - 1;
    const double x0 = points.first().x();
    const double span = points.last().x() - x0;
    const double scale = span > 0 ? inner / span : 0.0;

    QList<QPointF> result;
    result.reserve(2 * buckets);
    result.append(points.first());

    qsizetype lo = 1; // index of the bucket's lowest and highest point so far
    qsizetype hi = 1;
    int bucket = -1;
    const auto flush = [&] {
        if (bucket < 0)
            return;
        result.append(points.at(std::min(lo, hi)));
        if (lo != hi)
            result.append(points.at(std::max(lo, hi)));
    };
    for (qsizetype i = 1; i < n - 1; ++i) {
        const QPointF& p = points.at(i);
        const double at = (p.x() - x0) * scale;
        const int b = at > 0 ? static_cast<int>(std::min(at, inner - 1.0)) : 0; // NaN lands in 0
        if (b != bucket) {
            flush();
            bucket = b;
            lo = hi = i;
            continue;
        }
        if (p.y() < points.at(lo).y())
            lo = i;
        else if (p.y() > points.at(hi).y())
            hi = i;
    }
    flush();
    result.append(points.last());
    return result;
}

} // namespace workdeck
