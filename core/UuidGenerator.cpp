#include "UuidGenerator.h"

#include <array>

namespace workdeck {

namespace {
QRandomGenerator seeded()
{
    std::array<quint32, 16> seed{};
    QRandomGenerator::system()->fillRange(seed.data(), seed.size());
    return QRandomGenerator(seed.data(), static_cast<qsizetype>(seed.size()));
}
} // namespace

UuidGenerator::UuidGenerator()
    : m_random(seeded())
{
}

QUuid UuidGenerator::next()
{
    const quint64 high = m_random.generate64();
    const quint64 low = m_random.generate64();
    // RFC 4122: version 4 in the top bits of the third group, variant 10 in the fourth.
    const auto byte = [low](int i) { return static_cast<uchar>(low >> (56 - 8 * i)); };
    return QUuid(static_cast<uint>(high >> 32), static_cast<ushort>(high >> 16),
                 static_cast<ushort>((high & 0x0FFF) | 0x4000), static_cast<uchar>((byte(0) & 0x3F) | 0x80),
                 byte(1), byte(2), byte(3), byte(4), byte(5), byte(6), byte(7));
}

} // namespace workdeck
