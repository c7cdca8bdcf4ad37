#pragma once

#include <QString>

namespace workdeck {

/// An FTS5 query matching every word of `text` as a prefix. Each word is quoted, so nothing a
/// person types is FTS syntax; empty when `text` has no words.
QString ftsQuery(const QString& text);

} // namespace workdeck
