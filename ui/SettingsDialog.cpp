#include "SettingsDialog.h"

#include "FormStyle.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace workdeck {

namespace {

// Values outside the spin box's range (never from AppSettings::load()) end at its nearest limit
// rather than wrapping around in the conversion to int.
void setClamped(QSpinBox* spin, qint64 value)
{
    spin->setValue(static_cast<int>(std::clamp<qint64>(value, spin->minimum(), spin->maximum())));
}

} // namespace

SettingsDialog::SettingsDialog(const AppSettings& settings, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Settings"));

    m_form = new QFormLayout;
    m_workers =
        addField(m_form, QStringLiteral("workers"), tr("&Workers:"), 1, AppSettings::MaxWorkers,
                 tr("How many tasks run at the same time. The default is one per processor core (%1 here).")
                     .arg(AppSettings::defaults().workers));
    // The spin boxes hold int; every limit of these settings is far below INT_MAX.
    constexpr int maxBackoff = static_cast<int>(AppSettings::MaxBackoffMs);
    constexpr int maxTimeout = static_cast<int>(TaskSpec::MaxTimeoutMs);
    m_backoffBase = addField(m_form, QStringLiteral("backoff_base_ms"), tr("Retry backoff &base:"), 0,
                             maxBackoff, QString());
    m_backoffCap =
        addField(m_form, QStringLiteral("backoff_cap_ms"), tr("Retry backoff &cap:"), 0, maxBackoff,
                 tr("Before retry <i>n</i>, a failed task waits a random time of up to "
                    "min(cap,&nbsp;base&nbsp;×&nbsp;2<sup><i>n</i>−1</sup>). A base of 0 retries at once."));
    m_defaultTimeout = addField(m_form, QStringLiteral("default_timeout_ms"), tr("Default task &timeout:"), 1,
                                maxTimeout, tr("For new tasks that do not set a timeout of their own."));

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("ok"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    QPushButton* restore = buttons->button(QDialogButtonBox::RestoreDefaults);
    restore->setObjectName(QStringLiteral("restoreDefaults"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(restore, &QPushButton::clicked, this, [this] { setValues(AppSettings::defaults()); });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addStretch();
    layout->addSpacing(style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing, nullptr, this));
    layout->addWidget(buttons);
    // Extra height would only add empty space; extra width lets the help text wrap less.
    layout->setSizeConstraint(QLayout::SetMinAndMaxSize);

    // One width for all spin boxes, the widest one's, so they line up as a column.
    int width = 0;
    for (const Field& field : std::as_const(m_fields))
        width = std::max(width, field.spin->sizeHint().width());
    for (const Field& field : std::as_const(m_fields))
        field.spin->setMinimumWidth(width);
    // Wide enough that each help text takes at most two lines.
    for (QLabel* help : std::as_const(m_helps))
        help->setMinimumWidth(fontMetrics().averageCharWidth() * 60);

    styleLabels();
    setValues(settings);
    for (const Field& field : std::as_const(m_fields))
        connect(field.spin, &QSpinBox::valueChanged, this, &SettingsDialog::showProblems);
}

QSpinBox* SettingsDialog::addField(QFormLayout* form, const QString& key, const QString& label, int min,
                                   int max, const QString& help)
{
    auto* spin = new QSpinBox(this);
    spin->setObjectName(key);
    spin->setRange(min, max);
    spin->setAccelerated(true);
    spin->setGroupSeparatorShown(true);
    // The fields keep their natural width; stretched to the dialog's they would look like text.
    spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    if (key != u"workers") {
        spin->setSuffix(tr(" ms"));
        // Arrow keys step by a second: one millisecond at a time would never get anywhere.
        spin->setSingleStep(1000);
    }
    form->addRow(label, spin); // the '&' in the label makes it the spin box's buddy

    auto* message = new QLabel(this);
    message->setObjectName(key + u"Message");
    message->setWordWrap(true);
    message->setTextFormat(Qt::PlainText);
    form->addRow(static_cast<QWidget*>(nullptr), message);
    form->setRowVisible(message, false);
    m_fields.append(Field{spin, message});

    if (!help.isEmpty()) {
        auto* text = new QLabel(help, this);
        text->setObjectName(key + u"Help");
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        form->addRow(static_cast<QWidget*>(nullptr), text);
        m_helps.append(text);
    }
    return spin;
}

AppSettings SettingsDialog::settings() const
{
    return AppSettings{
        .workers = m_workers->value(),
        .backoffBaseMs = m_backoffBase->value(),
        .backoffCapMs = m_backoffCap->value(),
        .defaultTimeoutMs = m_defaultTimeout->value(),
    };
}

void SettingsDialog::setValues(const AppSettings& settings)
{
    // One check after all four values, not one per value with a half-changed pair in between.
    for (const Field& field : std::as_const(m_fields))
        field.spin->blockSignals(true);
    setClamped(m_workers, settings.workers);
    setClamped(m_backoffBase, settings.backoffBaseMs);
    setClamped(m_backoffCap, settings.backoffCapMs);
    setClamped(m_defaultTimeout, settings.defaultTimeoutMs);
    for (const Field& field : std::as_const(m_fields))
        field.spin->blockSignals(false);
    showProblems();
}

void SettingsDialog::showProblems()
{
    const QList<FieldProblem> problems = settings().problems();
    for (const Field& field : std::as_const(m_fields)) {
        QString text;
        for (const FieldProblem& problem : problems) {
            if (problem.field == field.spin->objectName())
                text = problem.message;
        }
        // Core's messages continue "field: …"; on their own below the field they are sentences.
        if (!text.isEmpty())
            text = text.front().toUpper() + QStringView(text).sliced(1) + u'.';
        field.message->setText(text);
        field.spin->setAccessibleDescription(text);
        m_form->setRowVisible(field.message, !text.isEmpty());
    }
    m_ok->setEnabled(problems.isEmpty());
}

void SettingsDialog::accept()
{
    // A disabled OK button stops clicks and Enter, not a caller or a shortcut calling accept().
    if (!settings().problems().isEmpty())
        return;
    QDialog::accept();
}

void SettingsDialog::changeEvent(QEvent* event)
{
    // The labels' colours depend on whether the theme is light or dark.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        styleLabels();
    QDialog::changeEvent(event);
}

void SettingsDialog::styleLabels()
{
    for (const Field& field : std::as_const(m_fields))
        FormStyle::styleMessage(field.message, *this, false);
    for (QLabel* help : std::as_const(m_helps))
        FormStyle::styleHelp(help, *this);
}

} // namespace workdeck
