#include "messagelistmodel.h"

#include "chatclient.h"
#include "nickcolors.h"

#include <QDateTime>

namespace PushChat {

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageListModel::flush);
}

void MessageListModel::attach(ChatClient *client)
{
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    clear();
    m_client = client;
    if (!client)
        return;
    m_ownNick = client->nick();
    connect(client, &ChatClient::messageReceived, this, &MessageListModel::appendMessage);
    connect(client, &ChatClient::gapDetected, this, &MessageListModel::appendGap);
    connect(client, &ChatClient::historyReset, this, [this] {
        m_lastSeq = 0;
        appendNotice({staticMetaObject.className(),
                      QT_TR_NOOP("The room's history begins again here (the room was restarted "
                                 "without it, or its history was cleared)."),
                      {}});
    });
    for (const ChatMessage &message : client->messages())
        appendMessage(message);
}

void MessageListModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_lastSeq = 0;
    endResetModel();
}

void MessageListModel::queue(Row row)
{
    m_pending.append(std::move(row));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MessageListModel::appendMessage(const ChatMessage &message)
{
    // The client already hands each seq over once and in order; this guard keeps the view
    // right even if a message were ever offered twice.
    if (message.seq <= m_lastSeq)
        return;
    m_lastSeq = message.seq;
    Row row;
    row.message = message;
    switch (message.kind) {
    case MessageKind::Chat:
        row.type = RowType::Chat;
        break;
    case MessageKind::Join:
        row.type = RowType::Join;
        break;
    case MessageKind::Leave:
        row.type = RowType::Leave;
        break;
    }
    row.own =
        message.kind == MessageKind::Chat && !m_ownNick.isEmpty() && message.nick == m_ownNick;
    queue(std::move(row));
}

void MessageListModel::appendGap(qint64 afterSeq)
{
    Row row;
    row.type = RowType::Gap;
    row.message.seq = afterSeq;
    row.message.ts = QDateTime::currentMSecsSinceEpoch();
    queue(std::move(row));
}

void MessageListModel::appendNotice(const TranslatableText &text)
{
    Row row;
    row.type = RowType::Notice;
    row.message.ts = QDateTime::currentMSecsSinceEpoch();
    row.notice = text;
    queue(std::move(row));
}

void MessageListModel::retranslate()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1));
}

void MessageListModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    m_rows.append(m_pending);
    m_pending.clear();
    endInsertRows();
    emit rowsAppended();
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const ChatMessage &m = row.message;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (row.type) {
        case RowType::Chat:
            return QStringLiteral("%1: %2").arg(m.nick, m.text);
        case RowType::Join:
            return tr("%1 joined").arg(m.nick);
        case RowType::Leave:
            return tr("%1 left").arg(m.nick);
        case RowType::Gap:
            return tr("Some messages were missed here: the room no longer had them.");
        case RowType::Notice:
            return row.notice.toString();
        }
        return {};
    case Qt::ToolTipRole:
        // Never the text itself: tool tips interpret rich text.
        if (row.type == RowType::Gap || row.type == RowType::Notice)
            return {};
        return tr("Message %1, stored by the server at %2")
            .arg(m.seq)
            .arg(QDateTime::fromMSecsSinceEpoch(m.ts).toString(QStringLiteral("HH:mm:ss.zzz")));
    case RowTypeRole:
        return QVariant::fromValue(row.type);
    case NickRole:
        return m.nick;
    case TextRole:
        // A line of the app's own has no writer: its text is what it says now.
        if (row.type == RowType::Gap || row.type == RowType::Notice)
            return data(index, Qt::DisplayRole);
        return m.text;
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(m.ts);
    case SeqRole:
        return m.seq;
    case OwnRole:
        return row.own;
    case ColorRole:
        return NickColors::forNick(m.nick);
    case ExpandedRole:
        return row.expanded;
    default:
        return {};
    }
}

bool MessageListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != ExpandedRole || !index.isValid() || index.row() >= m_rows.size())
        return false;
    Row &row = m_rows[index.row()];
    if (row.expanded == value.toBool())
        return true;
    row.expanded = value.toBool();
    emit dataChanged(index, index, {ExpandedRole});
    return true;
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(RowTypeRole, "rowType");
    names.insert(NickRole, "nick");
    names.insert(TextRole, "text");
    names.insert(TimeRole, "time");
    names.insert(SeqRole, "seq");
    names.insert(OwnRole, "own");
    names.insert(ColorRole, "color");
    names.insert(ExpandedRole, "expanded");
    return names;
}

QList<qint64> MessageListModel::seqs() const
{
    QList<qint64> result;
    for (const Row &row : m_rows) {
        if (row.type == RowType::Chat || row.type == RowType::Join || row.type == RowType::Leave)
            result << row.message.seq;
    }
    for (const Row &row : m_pending) {
        if (row.type == RowType::Chat || row.type == RowType::Join || row.type == RowType::Leave)
            result << row.message.seq;
    }
    return result;
}

} // namespace PushChat
