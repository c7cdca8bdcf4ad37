#pragma once

#include <QDialog>

#include "TaskState.h"

namespace workdeck {

class Workspace;

/// Add Task: a kind selector with that kind's fields, priority, retries, timeout and the
/// submitting user; problems come from core's parser and show inline; submitting queues it.
class TaskForm : public QDialog {
    Q_OBJECT

public:
    TaskForm(Workspace& workspace, qint64 defaultTimeoutMs, QWidget* parent = nullptr);

signals:
    void taskQueued(workdeck::TaskId id);
};

} // namespace workdeck
