#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace PushChat {

/// The identity of one history: a random 64-bit value chosen when the history is created (a new
/// store file, "clear history", or each run of a server without a store). A client sends it back
/// with its cursor; a cursor from another history gets `reset`, even when its seq happens to be
/// within the new one's range.
class HistoryEpoch
{
public:
    HistoryEpoch() = default;

    /// A fresh identity from the system's random source; never the null epoch.
    static HistoryEpoch generate();
    /// The 16 lower-case hex digits of toString(); nullopt for anything else, "0…0" included.
    static std::optional<HistoryEpoch> fromString(QStringView text);
    /// The identity as stored in SQLite's signed 64-bit integer; fromStorage(toStorage()) is
    /// the identity.
    static HistoryEpoch fromStorage(qint64 stored);

    /// Null: no history identity (a client that sent none).
    bool isNull() const { return m_value == 0; }
    quint64 value() const { return m_value; }
    qint64 toStorage() const { return qint64(m_value); }
    /// 16 hex digits: JSON numbers lose precision past 2^53 in JavaScript, a string does not.
    QString toString() const;

    friend bool operator==(HistoryEpoch, HistoryEpoch) = default;

private:
    explicit HistoryEpoch(quint64 value)
        : m_value(value)
    {}

    quint64 m_value = 0;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::HistoryEpoch)
