#include "UserValidator.h"

#include <QTest>

class TestUserValidator : public QObject {
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestUserValidator)
#include "tst_uservalidator.moc"
