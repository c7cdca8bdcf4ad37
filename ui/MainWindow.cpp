#include "MainWindow.h"

#include "WorkerPool.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace workdeck {

MainWindow::MainWindow(WorkerPool& pool, QWidget* parent)
    : QMainWindow(parent)
    , m_pool(pool)
{
    setWindowTitle(QStringLiteral("Workdeck"));
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_counters = new QLabel(central);
    m_counters->setObjectName(QStringLiteral("counters"));
    m_counters->setTextFormat(Qt::PlainText);
    layout->addWidget(m_counters);
    layout->addStretch();
    setCentralWidget(central);
    resize(800, 500);

    connect(&m_pool, &WorkerPool::statsSampled, this, &MainWindow::showSample);
    showSample(StatsSample{.workers = m_pool.workerCount()});
}

void MainWindow::showSample(const StatsSample& sample)
{
    m_counters->setText(
        tr("Pending %1   Running %2   Retrying %3   Succeeded %4   Failed %5   Cancelled %6   "
           "Workers %7")
            .arg(sample.pending)
            .arg(sample.running)
            .arg(sample.retrying)
            .arg(sample.succeeded)
            .arg(sample.failed)
            .arg(sample.cancelled)
            .arg(sample.workers));
    statusBar()->showMessage(tr("%1 tasks finished per second").arg(sample.finishedPerSec, 0, 'f', 1));
}

} // namespace workdeck
