#pragma once

#include "chatmessage.h"
#include "translatabletext.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QTimer>

namespace PushChat {

class ChatClient;

/// The chat history as rows for a list view: messages, join/leave lines, notices where the
/// server reported a gap and for messages that could not be sent. Rows arriving in a burst
/// (say, 10,000 messages of history on joining) are inserted in one go.
class MessageListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageListModel)

public:
    enum class RowType { Chat, Join, Leave, Gap, Notice };
    Q_ENUM(RowType)

    enum Role {
        RowTypeRole = Qt::UserRole + 1,
        NickRole,
        TextRole, ///< the text exactly as written; never to be shown as rich text
        TimeRole, ///< QDateTime, local
        SeqRole,
        OwnRole, ///< bool: written by this client's nick
        ColorRole,
        /// bool: a long message shown in full rather than folded; settable with setData()
        ExpandedRole,
    };

    explicit MessageListModel(QObject *parent = nullptr);

    /// Follows this client from now on; clears the rows.
    void attach(ChatClient *client);
    void clear();
    /// Own messages are recognised by nick.
    void setOwnNick(const QString &nick) { m_ownNick = nick; }

    void appendMessage(const ChatMessage &message);
    void appendGap(qint64 afterSeq);
    /// A line of the app's own (a message refused, the room restarted), translated when shown.
    void appendNotice(const TranslatableText &text);
    /// Tells the views that every row's text may read differently (the language changed).
    void retranslate();
    /// Inserts what arrived since the last flush (called on a zero timer by itself).
    void flush();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// Takes ExpandedRole only.
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    QHash<int, QByteArray> roleNames() const override;

    /// Sequence numbers of the chat, join and leave rows in order (for tests and checks).
    QList<qint64> seqs() const;

signals:
    /// Rows were appended (after a flush); the view may scroll to the end.
    void rowsAppended();

private:
    struct Row
    {
        RowType type = RowType::Chat;
        ChatMessage message;
        TranslatableText notice; ///< RowType::Notice
        bool own = false;
        bool expanded = false;
    };
    void queue(Row row);

    QList<Row> m_rows;
    QList<Row> m_pending;
    QString m_ownNick;
    qint64 m_lastSeq = 0;
    QPointer<ChatClient> m_client;
    QTimer m_flushTimer;
};

} // namespace PushChat
