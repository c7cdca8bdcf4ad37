#pragma once

#include "TaskDetail.h"

#include <QTextBrowser>

namespace workdeck {

/// The detail pane of the Tasks view: what a task is (kind, parameters, who submitted it),
/// every attempt with its timing, the output tail and the error.
class TaskDetailView : public QTextBrowser {
    Q_OBJECT

public:
    explicit TaskDetailView(QWidget* parent = nullptr);

    void showDetail(const TaskDetail& detail);
    /// Nothing selected, several selected, or the task could not be read.
    void showMessage(const QString& message);
    /// The task shown, or 0.
    TaskId taskId() const { return m_taskId; }

private:
    TaskId m_taskId = 0;
};

} // namespace workdeck
