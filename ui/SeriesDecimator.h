#pragma once

#include <QList>
#include <QPointF>

namespace workdeck {

/// Reduces a time series to about as many points as a chart has pixels, keeping the minimum
/// and the maximum of each bucket so that spikes survive.
class SeriesDecimator {
public:
    /// `points` are ordered by x. At most 2 × `buckets` points come back, in x order.
    static QList<QPointF> decimate(const QList<QPointF>& points, int buckets);
};

} // namespace workdeck
