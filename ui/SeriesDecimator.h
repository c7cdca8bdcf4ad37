#pragma once

#include <QList>
#include <QPointF>

namespace workdeck {

/// Reduces a time series to about as many points as a chart has pixels, keeping the minimum
/// and the maximum of each bucket so that spikes survive.
class SeriesDecimator {
public:
    /// `points` are ordered by x. At most 2 × `buckets` points come back (`buckets` counts as at
    /// least 2), in x order, each one of the input: the first and the last point, and the
    /// lowest and highest point of each of `buckets` - 1 equal x ranges of the points between
    /// them, so the global minimum and maximum always survive. Input that already fits comes
    /// back unchanged.
    static QList<QPointF> decimate(const QList<QPointF>& points, int buckets);
};

} // namespace workdeck
