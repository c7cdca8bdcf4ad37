#include "UsersPage.h"

#include "UserListModel.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace workdeck {

UsersPage::UsersPage(UserStore& users, QWidget* parent)
    : QWidget(parent)
    , m_model(new UserListModel(users, this))
    , m_view(new QTableView(this))
{
    m_view->setObjectName(QStringLiteral("usersView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const QFontMetrics metrics = m_view->fontMetrics();
    m_view->setColumnWidth(UserListModel::Name, metrics.horizontalAdvance(QStringLiteral("M")) * 18);
    m_view->setColumnWidth(UserListModel::Email, metrics.horizontalAdvance(QStringLiteral("M")) * 22);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    reload();
}

void UsersPage::reload()
{
    m_model->reload();
}

} // namespace workdeck
