#include "TasksPage.h"

#include "TaskListModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

#include <array>

namespace workdeck {

TasksPage::TasksPage(TaskStore& tasks, QWidget* parent)
    : QWidget(parent)
    , m_model(new TaskListModel(tasks, this))
    , m_view(new QTableView(this))
    , m_caption(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("tasksView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Widths from the font rather than resizeColumnsToContents(), which measures every row
    // and would stall the window on each reload under load.
    const QFontMetrics metrics = m_view->fontMetrics();
    const auto width = [&metrics](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    const QString time = QStringLiteral("00:00:00");
    const std::array<std::pair<TaskListModel::Column, QString>, 10> samples{{
        {TaskListModel::Id, QStringLiteral("10000000")},
        {TaskListModel::Kind, QStringLiteral("checksum")},
        {TaskListModel::State, QStringLiteral("MM succeeded")},
        {TaskListModel::Priority, tr("Priority")},
        {TaskListModel::Attempts, QStringLiteral("10 of 10")},
        {TaskListModel::User, QStringLiteral("someone@example.org")},
        {TaskListModel::Created, time},
        {TaskListModel::Started, time},
        {TaskListModel::Finished, time},
        {TaskListModel::Duration, QStringLiteral("10 min 00 s")},
    }};
    for (const auto& [column, sample] : samples)
        m_view->setColumnWidth(column, width(sample));
    m_caption->setObjectName(QStringLiteral("tasksCaption"));
    m_caption->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    layout->addWidget(m_view);
    reload();
}

void TasksPage::reload()
{
    m_model->reload();
    if (!m_model->problem().isEmpty())
        m_caption->setText(tr("The tasks cannot be read: %1").arg(m_model->problem()));
    else if (m_model->rowCount() == 0)
        m_caption->setText(
            tr("No tasks yet. Add one with Add Task, or load a batch file with File ▸ Load Task "
               "Batch."));
    else
        m_caption->setText(
            tr("The newest %1 tasks, newest first.").arg(QLocale().toString(m_model->rowCount())));
}

} // namespace workdeck
