// Appends to a history file through HistoryJournal, as a server would, until it is killed:
// tst_historystore kills it with SIGKILL and checks that every message it reported durable is
// there. Prints "open EPOCH LAST_SEQ", then "durable SEQ" each time the store confirms.

#include "historyjournal.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>

#include <cstdio>

using namespace PushChat;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: historystore-crashwriter HISTORY_FILE\n");
        return 2;
    }
    HistoryJournal journal;
    const std::optional<StoredHistory> history =
        journal.open(QString::fromLocal8Bit(argv[1]), 1000000);
    if (!history) {
        std::fprintf(stderr, "historystore-crashwriter: %s\n", qPrintable(journal.errorString()));
        return 1;
    }
    std::printf("open %s %lld\n", qPrintable(history->epoch.toString()),
                static_cast<long long>(history->room.lastSeq));
    std::fflush(stdout);

    // A batch of 1 to 16 messages every pass of the event loop, with at most a few hundred
    // waiting: the writer thread commits what piled up meanwhile, and the kill can come at any
    // point of a commit.
    int batchSize = 1;
    QTimer submitter;
    submitter.setInterval(0);
    QObject::connect(&submitter, &QTimer::timeout, &app, [&] {
        if (journal.submittedSeq() - journal.durableSeq() > 200)
            return;
        for (int i = 0; i < batchSize; ++i) {
            ChatMessage message;
            message.ts = QDateTime::currentMSecsSinceEpoch();
            message.nick = QStringLiteral("crash");
            message.text = QStringLiteral("message %1 of a batch of %2").arg(i).arg(batchSize);
            const qint64 next = journal.submittedSeq() + 1;
            journal.submit(message, QStringLiteral("crash\nid-%1").arg(next));
        }
        batchSize = batchSize % 16 + 1;
    });
    QObject::connect(&journal, &HistoryJournal::durable, &app, [](const StoredMessages &stored) {
        std::printf("durable %lld\n", static_cast<long long>(stored.back().message.seq));
        std::fflush(stdout);
    });
    QObject::connect(&journal, &HistoryJournal::failed, &app, [](const QString &error) {
        std::fprintf(stderr, "historystore-crashwriter: %s\n", qPrintable(error));
        QCoreApplication::exit(1);
    });
    submitter.start();
    return app.exec();
}
