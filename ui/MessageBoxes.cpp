#include "MessageBoxes.h"

#include <QMessageBox>
#include <QPushButton>

#include <deque>

namespace workdeck {

namespace {

constexpr int ShownLines = 12;

struct TestState {
    bool on = false;
    std::deque<bool> answers;
    QStringList shown;
};

TestState& testState()
{
    static TestState state;
    return state;
}

bool record(const QString& title, const QString& text, const QString& details)
{
    TestState& state = testState();
    if (!state.on)
        return false;
    state.shown.append(title + u'\n' + text + u'\n' + details);
    return true;
}

} // namespace

bool MessageBoxes::confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
                           const QString& details)
{
    if (record(title, text, details)) {
        TestState& state = testState();
        if (state.answers.empty())
            return false;
        const bool answer = state.answers.front();
        state.answers.pop_front();
        return answer;
    }
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box.setDetailedText(details);
    QPushButton* go = box.addButton(action, QMessageBox::AcceptRole);
    box.setDefaultButton(qobject_cast<QPushButton*>(box.button(QMessageBox::Cancel)));
    box.exec();
    return box.clickedButton() == go;
}

void MessageBoxes::error(QWidget* parent, const QString& title, const QString& text, const QString& details)
{
    if (record(title, text, details))
        return;
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Close, parent);
    // The first lines show at once; all of them behind "Show Details…" when there are more.
    const QStringList lines = details.split(u'\n', Qt::SkipEmptyParts);
    box.setInformativeText(lines.mid(0, ShownLines).join(u'\n'));
    if (lines.size() > ShownLines)
        box.setDetailedText(details);
    box.exec();
}

void MessageBoxes::setTestMode(bool on)
{
    testState().on = on;
}

void MessageBoxes::setNextAnswer(bool answer)
{
    testState().answers.push_back(answer);
}

QStringList MessageBoxes::shown()
{
    return testState().shown;
}

void MessageBoxes::clearShown()
{
    testState().shown.clear();
}

} // namespace workdeck
