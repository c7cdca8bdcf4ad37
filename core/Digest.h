#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringList>
#include <QStringView>

#include <memory>
#include <optional>

class QCryptographicHash;
struct evp_md_ctx_st;

namespace workdeck {

/// A streaming hash over one of the algorithms the checksum kind offers.
/// OpenSSL does the work where it can because it uses the CPU's SHA extensions (about 7x
/// QCryptographicHash for SHA-256 here); BLAKE2b-256 goes through QCryptographicHash because
/// OpenSSL 3.0 has no 32-byte BLAKE2b digest.
class Digest {
public:
    enum class Algorithm { Sha256, Md5, Sha1, Sha512, Sha3_256, Blake2b_256 };
    static constexpr Algorithm DefaultAlgorithm = Algorithm::Sha256;

    /// The algorithm with the given lowercase name (`sha256`, `sha3-256`, ...), if there is one.
    static std::optional<Algorithm> algorithmFromName(QStringView name);
    static QString algorithmName(Algorithm algorithm);
    /// Every accepted name, the default first.
    static QStringList algorithmNames();
    /// Length of the binary digest in bytes (the hex form is twice as long).
    static int digestLength(Algorithm algorithm);

    /// Throws std::runtime_error if OpenSSL refuses the algorithm (a FIPS-only build refusing MD5).
    explicit Digest(Algorithm algorithm = DefaultAlgorithm);
    ~Digest();
    Digest(Digest&& other) noexcept;
    Digest& operator=(Digest&& other) noexcept;
    Digest(const Digest&) = delete;
    Digest& operator=(const Digest&) = delete;

    Algorithm algorithm() const { return m_algorithm; }
    /// Feeds more input. Must not be called after hexResult().
    void addData(QByteArrayView data);
    /// Finishes the hash and returns it as lowercase hex; later calls return the same value.
    QByteArray hexResult();

private:
    struct EvpContextDeleter {
        void operator()(evp_md_ctx_st* context) const noexcept;
    };

    Algorithm m_algorithm;
    std::unique_ptr<evp_md_ctx_st, EvpContextDeleter> m_evp;
    std::unique_ptr<QCryptographicHash> m_qt;
    QByteArray m_hex;
};

} // namespace workdeck
