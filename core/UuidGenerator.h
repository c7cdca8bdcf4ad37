#pragma once

#include <QRandomGenerator>
#include <QUuid>

namespace workdeck {

/// Random (version 4) UUIDs in bulk. QUuid::createUuid() asks the system generator for every
/// one, which costs more than storing the task it names; this draws from a Mersenne Twister
/// seeded once from the system generator, which is as unique and needs no secrecy here.
class UuidGenerator {
public:
    UuidGenerator();
    QUuid next();

private:
    QRandomGenerator m_random;
};

} // namespace workdeck
