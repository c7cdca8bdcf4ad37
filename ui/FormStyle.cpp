#include "FormStyle.h"

#include <QFontMetrics>
#include <QLabel>
#include <QPalette>
#include <QWidget>

#include <algorithm>

namespace workdeck {

namespace {

void colourLabel(QLabel* label, const QWidget& dialog, const QColor& colour)
{
    QPalette palette = dialog.palette();
    palette.setColor(QPalette::WindowText, colour);
    label->setPalette(palette);
    label->setFont(FormStyle::smallerFont(dialog));
}

} // namespace

QColor FormStyle::errorColour(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x7b, 0x63)
                                                             : QColor(0xc0, 0x1c, 0x28);
}

QColor FormStyle::mutedColour(const QPalette& palette)
{
    const QColor from = palette.color(QPalette::Window);
    const QColor to = palette.color(QPalette::WindowText);
    constexpr float amount = 0.7f;
    return QColor::fromRgbF(from.redF() + (to.redF() - from.redF()) * amount,
                            from.greenF() + (to.greenF() - from.greenF()) * amount,
                            from.blueF() + (to.blueF() - from.blueF()) * amount);
}

QFont FormStyle::smallerFont(const QWidget& dialog)
{
    QFont font = dialog.font();
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 0.9);
    else
        font.setPixelSize(std::max(1, font.pixelSize() * 9 / 10));
    return font;
}

void FormStyle::styleMessage(QLabel* label, const QWidget& dialog, bool reserveLine)
{
    colourLabel(label, dialog, errorColour(dialog.palette()));
    label->setMinimumHeight(reserveLine ? QFontMetrics(label->font()).height() : 0);
}

void FormStyle::styleHelp(QLabel* label, const QWidget& dialog)
{
    colourLabel(label, dialog, mutedColour(dialog.palette()));
}

} // namespace workdeck
