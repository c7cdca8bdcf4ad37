#include "UsersPage.h"

#include "MessageBoxes.h"
#include "UserForm.h"
#include "UserListModel.h"
#include "Workspace.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace workdeck {

namespace {

constexpr int SearchDelayMs = 250;

QToolButton* buttonFor(QAction* action, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    return button;
}

} // namespace

UsersPage::UsersPage(Workspace& workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_model(new UserListModel(workspace.users(), this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_caption(new QLabel(this))
    , m_searchDelay(new QTimer(this))
{
    m_search->setObjectName(QStringLiteral("userSearch"));
    m_search->setPlaceholderText(tr("Search names and e-mail addresses"));
    m_search->setClearButtonEnabled(true);
    m_caption->setObjectName(QStringLiteral("usersCaption"));
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(SearchDelayMs);

    m_add = new QAction(tr("&Add User…"), this);
    m_add->setObjectName(QStringLiteral("addUserHere"));
    m_edit = new QAction(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editUser"));
    m_edit->setShortcut(Qt::Key_F2);
    m_delete = new QAction(tr("&Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteUser"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_showTasks = new QAction(tr("Show &Tasks"), this);
    m_showTasks->setObjectName(QStringLiteral("showUserTasks"));
    m_showTasks->setToolTip(tr("Show this user's tasks on the Tasks page (double-click a user)"));
    for (QAction* action : {m_edit, m_delete, m_showTasks}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QWidget::addAction(action);
    }

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(buttonFor(m_add, this));
    bar->addWidget(buttonFor(m_edit, this));
    bar->addWidget(buttonFor(m_delete, this));
    bar->addWidget(buttonFor(m_showTasks, this));

    m_view->setObjectName(QStringLiteral("usersView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_showTasks, m_edit, m_delete});
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView* header = m_view->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(UserListModel::Email, QHeaderView::Stretch);
    // Widths from the font, not from every row (resizeColumnsToContents reads them all).
    const QFontMetrics metrics = m_view->fontMetrics();
    const int em = metrics.horizontalAdvance(QLatin1Char('M'));
    m_view->setColumnWidth(UserListModel::Name, em * 14);
    m_view->setColumnWidth(UserListModel::Added,
                           metrics.horizontalAdvance(QLocale().toString(
                               QDateTime(QDate(2000, 12, 28), QTime(23, 59, 59)), QLocale::ShortFormat)) +
                               24);
    for (int column = UserListModel::Active; column <= UserListModel::Cancelled; ++column)
        m_view->setColumnWidth(
            column,
            std::max(em * 5,
                     metrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + 24));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_caption);

    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, [this] { m_model->setSearch(m_search->text()); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDelay->stop();
        m_model->setSearch(m_search->text());
    });
    connect(m_add, &QAction::triggered, this, [this] { openForm(false); });
    connect(m_edit, &QAction::triggered, this, [this] { openForm(true); });
    connect(m_delete, &QAction::triggered, this, &UsersPage::removeCurrent);
    connect(m_showTasks, &QAction::triggered, this, [this] {
        if (const int row = currentRow(); row >= 0)
            emit showTasksOf(m_model->user(row).email);
    });
    connect(m_view, &QTableView::doubleClicked, m_showTasks, &QAction::trigger);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersPage::updateCaption);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &UsersPage::updateCaption);
    const auto selectionChanged = [this] {
        const bool one = currentRow() >= 0;
        m_edit->setEnabled(one);
        m_delete->setEnabled(one);
        m_showTasks->setEnabled(one);
    };
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, selectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, selectionChanged);
    reload();
    selectionChanged();
}

void UsersPage::reload()
{
    m_model->reload();
}

int UsersPage::currentRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void UsersPage::updateCaption()
{
    if (!m_model->problem().isEmpty())
        m_caption->setText(tr("The users cannot be read: %1").arg(m_model->problem()));
    else if (m_model->rowCount() == 0)
        m_caption->setText(m_model->search().trimmed().isEmpty() ? tr("No users yet. Add one with Add User.")
                                                                 : tr("Nobody matches."));
    else
        m_caption->setText(tr("Double-click a user to see their tasks."));
}

UserForm* UsersPage::openForm(bool edit)
{
    const int row = currentRow();
    if (edit && row < 0)
        return nullptr;
    auto* form = new UserForm(m_workspace.users(), this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    if (edit)
        form->setExisting(m_model->user(row));
    connect(form, &UserForm::userAdded, this, [this](const User& user) {
        reload();
        emit message(tr("%1 added.").arg(user.email));
    });
    connect(form, &UserForm::userUpdated, this, [this](const User& user) {
        reload();
        emit message(tr("%1 saved.").arg(user.email));
    });
    form->open();
    return form;
}

void UsersPage::removeCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const User user = m_model->user(row);
    if (!MessageBoxes::confirm(
            this, tr("Delete User"), tr("Delete %1 <%2>?").arg(user.name, user.email), tr("Delete"),
            tr("Their finished tasks stay in the history and keep showing who submitted them.")))
        return;
    if (auto removed = m_workspace.users().remove(user.id); !removed) {
        MessageBoxes::error(this, tr("Delete User"), tr("%1 was not deleted.").arg(user.email),
                            removed.error().message);
        return;
    }
    reload();
    emit message(tr("%1 deleted.").arg(user.email));
}

} // namespace workdeck
