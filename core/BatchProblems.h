#pragma once

#include "Result.h"

#include <QStringList>

namespace workdeck {

/// The problems found in a batch file, as "line N: field: problem": the first MaxShown kept
/// in file order, the rest counted.
class BatchProblems {
public:
    static constexpr int MaxShown = 100;

    void add(qint64 line, const QString& problem);
    /// A problem of one field; `field` may be empty when the problem is the line's.
    void add(qint64 line, const QString& field, const QString& problem);

    bool empty() const { return m_count == 0; }
    qint64 count() const { return m_count; }
    const QStringList& shown() const { return m_shown; }
    /// Every shown problem on its own line, then "… and N more problem(s)" if some were not.
    Error error() const;

private:
    QStringList m_shown;
    qint64 m_count = 0;
};

} // namespace workdeck
