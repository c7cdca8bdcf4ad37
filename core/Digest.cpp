#include "Digest.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace workdeck {

namespace {

struct AlgorithmInfo {
    Digest::Algorithm algorithm;
    QStringView name;
    int length;
};

// The default first: algorithmNames() lists them in this order in error messages.
constexpr std::array<AlgorithmInfo, 6> algorithms{{
    {Digest::Algorithm::Sha256, u"sha256", 32},
    {Digest::Algorithm::Md5, u"md5", 16},
    {Digest::Algorithm::Sha1, u"sha1", 20},
    {Digest::Algorithm::Sha512, u"sha512", 64},
    {Digest::Algorithm::Sha3_256, u"sha3-256", 32},
    {Digest::Algorithm::Blake2b_256, u"blake2b-256", 32},
}};

const AlgorithmInfo& infoOf(Digest::Algorithm algorithm)
{
    for (const auto& info : algorithms) {
        if (info.algorithm == algorithm)
            return info;
    }
    throw std::invalid_argument("unknown digest algorithm");
}

// nullptr for the algorithms OpenSSL cannot do at the length we need.
const EVP_MD* evpMethod(Digest::Algorithm algorithm)
{
    switch (algorithm) {
    case Digest::Algorithm::Sha256:
        return EVP_sha256();
    case Digest::Algorithm::Md5:
        return EVP_md5();
    case Digest::Algorithm::Sha1:
        return EVP_sha1();
    case Digest::Algorithm::Sha512:
        return EVP_sha512();
    case Digest::Algorithm::Sha3_256:
        return EVP_sha3_256();
    case Digest::Algorithm::Blake2b_256:
        break;
    }
    return nullptr;
}

[[noreturn]] void throwOpenSslFailure(const char* what, Digest::Algorithm algorithm)
{
    const QString message = QLatin1StringView(what) + u" failed for " + Digest::algorithmName(algorithm) +
                            u": this OpenSSL does not offer it; choose another algorithm";
    throw std::runtime_error(message.toStdString());
}

} // namespace

std::optional<Digest::Algorithm> Digest::algorithmFromName(QStringView name)
{
    for (const auto& info : algorithms) {
        if (info.name == name)
            return info.algorithm;
    }
    return std::nullopt;
}

QString Digest::algorithmName(Algorithm algorithm)
{
    return infoOf(algorithm).name.toString();
}

QStringList Digest::algorithmNames()
{
    QStringList names;
    names.reserve(qsizetype(algorithms.size()));
    for (const auto& info : algorithms)
        names.append(info.name.toString());
    return names;
}

int Digest::digestLength(Algorithm algorithm)
{
    return infoOf(algorithm).length;
}

void Digest::EvpContextDeleter::operator()(evp_md_ctx_st* context) const noexcept
{
    EVP_MD_CTX_free(context);
}

Digest::Digest(Algorithm algorithm)
    : m_algorithm(algorithm)
{
    if (const EVP_MD* method = evpMethod(algorithm)) {
        m_evp.reset(EVP_MD_CTX_new());
        if (!m_evp)
            throw std::bad_alloc();
        if (EVP_DigestInit_ex(m_evp.get(), method, nullptr) != 1)
            throwOpenSslFailure("EVP_DigestInit_ex", algorithm);
    } else {
        m_qt = std::make_unique<QCryptographicHash>(QCryptographicHash::Blake2b_256);
    }
}

Digest::~Digest() = default;
Digest::Digest(Digest&& other) noexcept = default;
Digest& Digest::operator=(Digest&& other) noexcept = default;

void Digest::addData(QByteArrayView data)
{
    Q_ASSERT_X(m_hex.isEmpty(), "Digest::addData", "called after hexResult()");
    if (m_evp) {
        if (EVP_DigestUpdate(m_evp.get(), data.data(), size_t(data.size())) != 1)
            throwOpenSslFailure("EVP_DigestUpdate", m_algorithm);
    } else if (m_qt) {
        m_qt->addData(data);
    }
}

QByteArray Digest::hexResult()
{
    if (!m_hex.isEmpty())
        return m_hex;
    if (m_evp) {
        std::array<unsigned char, EVP_MAX_MD_SIZE> raw{};
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(m_evp.get(), raw.data(), &length) != 1)
            throwOpenSslFailure("EVP_DigestFinal_ex", m_algorithm);
        m_hex = QByteArray::fromRawData(reinterpret_cast<const char*>(raw.data()), qsizetype(length)).toHex();
        // The context holds nothing more of use; free it now rather than with the object.
        m_evp.reset();
    } else if (m_qt) {
        m_hex = m_qt->resultView().toByteArray().toHex();
        m_qt.reset();
    }
    return m_hex;
}

} // namespace workdeck
