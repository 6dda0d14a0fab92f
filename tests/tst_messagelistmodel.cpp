// The chat history model: order, no repeats, own messages, gaps, literal text, 10,000 rows.

#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace PushChat;

namespace {
ChatMessage message(qint64 seq, const QString &nick, const QString &text,
                    MessageKind kind = MessageKind::Chat)
{
    ChatMessage m;
    m.seq = seq;
    m.ts = 1764100000000 + seq;
    m.nick = nick;
    m.text = text;
    m.kind = kind;
    return m;
}
} // namespace

class tst_MessageListModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsInOrderWithoutRepeats();
    void ownMessagesJoinLeaveAndGap();
    void textStaysLiteral();
    void tenThousandMessagesInOneInsert();
    void longMessageFoldsAndUnfolds();
};

void tst_MessageListModel::rowsInOrderWithoutRepeats()
{
    MessageListModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendMessage(message(1, "a", "one"));
    model.appendMessage(message(2, "b", "two"));
    model.appendMessage(message(2, "b", "two"));
    model.appendMessage(message(1, "a", "one"));
    model.appendMessage(message(3, "a", "three"));
    model.flush();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.seqs(), (QList<qint64>{1, 2, 3}));
    QCOMPARE(inserted.size(), 1);
}

void tst_MessageListModel::ownMessagesJoinLeaveAndGap()
{
    MessageListModel model;
    model.setOwnNick("alice");
    model.appendMessage(message(1, "alice", {}, MessageKind::Join));
    model.appendMessage(message(2, "alice", "hi"));
    model.appendMessage(message(3, "bob", "hello"));
    model.appendGap(3);
    model.appendMessage(message(9, "bob", {}, MessageKind::Leave));
    model.flush();
    QCOMPARE(model.rowCount(), 5);
    auto type = [&](int row) {
        return model.index(row)
            .data(MessageListModel::RowTypeRole)
            .value<MessageListModel::RowType>();
    };
    QCOMPARE(type(0), MessageListModel::RowType::Join);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("alice joined"));
    QVERIFY(!model.index(0).data(MessageListModel::OwnRole).toBool());
    QVERIFY(model.index(1).data(MessageListModel::OwnRole).toBool());
    QVERIFY(!model.index(2).data(MessageListModel::OwnRole).toBool());
    QCOMPARE(type(3), MessageListModel::RowType::Gap);
    QCOMPARE(type(4), MessageListModel::RowType::Leave);
    QCOMPARE(model.index(1).data(MessageListModel::ColorRole).value<QColor>(),
             model.index(0).data(MessageListModel::ColorRole).value<QColor>());
}

void tst_MessageListModel::textStaysLiteral()
{
    MessageListModel model;
    const QString markup = QStringLiteral("<b>x</b> <img src=\"http://example.org/a.png\">");
    model.appendMessage(message(1, "<i>eve</i>", markup));
    model.flush();
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(MessageListModel::TextRole).toString(), markup);
    QCOMPARE(index.data(MessageListModel::NickRole).toString(), QStringLiteral("<i>eve</i>"));
    QVERIFY(index.data(Qt::DisplayRole).toString().contains(markup));
    // Tool tips interpret rich text, so they never carry what someone wrote.
    QVERIFY(!index.data(Qt::ToolTipRole).toString().contains(u"<b>"));
    QVERIFY(!index.data(Qt::ToolTipRole).toString().contains(u"eve"));
}

void tst_MessageListModel::tenThousandMessagesInOneInsert()
{
    MessageListModel model;
    QListView view;
    view.setModel(&model);
    view.setItemDelegate(new MessageDelegate(&view));
    view.setLayoutMode(QListView::Batched);
    view.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    view.resize(500, 400);
    view.show();
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 1; i <= 10000; ++i)
        model.appendMessage(message(i, QStringLiteral("nick%1").arg(i % 7),
                                    QStringLiteral("message number %1").arg(i)));
    QTRY_COMPARE(model.rowCount(), 10000);
    QCOMPARE(inserted.size(), 1);
    QElapsedTimer timer;
    timer.start();
    // The batched layout finishes in the background; the end of the history is reachable.
    QTRY_VERIFY_WITH_TIMEOUT((view.scrollToBottom(),
                              view.indexAt(QPoint(10, view.viewport()->height() - 5)).row() > 9900),
                             30000);
    qInfo() << "laid out and scrolled in" << timer.elapsed() << "ms";
}

void tst_MessageListModel::longMessageFoldsAndUnfolds()
{
    MessageListModel model;
    QListView view;
    view.setModel(&model);
    auto *delegate = new MessageDelegate(&view);
    view.setItemDelegate(delegate);
    view.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // The longest message the room takes: 4,096 bytes.
    const QString longText = QStringLiteral("lorem ipsum ").repeated(341) + QStringLiteral("end!");
    QCOMPARE(longText.toUtf8().size(), 4096);
    model.appendMessage(message(1, "alice", longText));
    model.appendMessage(message(2, "bob", "short"));
    model.appendMessage(message(3, "carol", {}, MessageKind::Join));
    model.flush();
    const QModelIndex longRow = model.index(0);
    QVERIFY(!longRow.data(MessageListModel::ExpandedRole).toBool());

    const auto optionFor = [&](const QModelIndex &index) {
        QStyleOptionViewItem option;
        option.initFrom(view.viewport());
        option.font = view.font();
        option.widget = &view;
        option.rect = view.visualRect(index);
        return option;
    };
    // Folded: a few lines and a link, far less than the column; short rows have no link.
    QTRY_VERIFY(view.visualRect(longRow).height() > 0);
    const int foldedHeight = view.visualRect(longRow).height();
    const int lineHeight = QFontMetrics(view.font()).height();
    QVERIFY2(foldedHeight <= (MessageDelegate::FoldedLines + 3) * lineHeight,
             qPrintable(QString::number(foldedHeight)));
    QVERIFY(foldedHeight < view.viewport()->height() / 2);
    QVERIFY(!delegate->foldToggleRect(optionFor(longRow), longRow).isEmpty());
    QVERIFY(delegate->foldToggleRect(optionFor(model.index(1)), model.index(1)).isEmpty());
    QVERIFY(delegate->foldToggleRect(optionFor(model.index(2)), model.index(2)).isEmpty());

    // "Show more" unfolds it in place; "Show less" folds it again.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QRect toggle = delegate->foldToggleRect(optionFor(longRow), longRow);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, toggle.center());
    QVERIFY(longRow.data(MessageListModel::ExpandedRole).toBool());
    QCOMPARE(changed.size(), 1);
    QTRY_VERIFY(view.visualRect(longRow).height() > 3 * foldedHeight);
    QVERIFY(view.visualRect(model.index(1)).top() >= view.visualRect(longRow).bottom());
    const QRect lessToggle = delegate->foldToggleRect(optionFor(longRow), longRow);
    QVERIFY(!lessToggle.isEmpty());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, lessToggle.center());
    QVERIFY(!longRow.data(MessageListModel::ExpandedRole).toBool());
    QTRY_COMPARE(view.visualRect(longRow).height(), foldedHeight);

    // From the keyboard: Space on the selected row.
    view.setCurrentIndex(longRow);
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Space);
    QVERIFY(longRow.data(MessageListModel::ExpandedRole).toBool());

    // Only ExpandedRole can be set.
    QVERIFY(!model.setData(longRow, QStringLiteral("x"), MessageListModel::TextRole));
    QCOMPARE(longRow.data(MessageListModel::TextRole).toString(), longText);
}

QTEST_MAIN(tst_MessageListModel)
#include "tst_messagelistmodel.moc"
