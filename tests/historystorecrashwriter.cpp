// Appends to a history file through HistoryJournal, as a server would, until it is killed:
// tst_historystore kills it with SIGKILL and checks that every message it reported durable is
// there. Prints "open EPOCH LAST_SEQ", then "durable SEQ" each time the store confirms.
// With a second argument, files may grow to that many bytes only (RLIMIT_FSIZE): a full disk,
// which the store must report ("failed ERROR", exit 1) without storing a hole.

#include "historyjournal.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

using namespace PushChat;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: historystore-crashwriter HISTORY_FILE [MAX_FILE_BYTES]\n");
        return 2;
    }
    if (argc == 3) {
        // Past the limit write() fails with EFBIG instead of the process getting SIGXFSZ.
        std::signal(SIGXFSZ, SIG_IGN);
        const rlim_t bytes = std::strtoull(argv[2], nullptr, 10);
        const rlimit limit{bytes, bytes};
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
            std::perror("historystore-crashwriter: setrlimit");
            return 2;
        }
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
    QObject::connect(&journal, &HistoryJournal::failed, &app,
                     [&](const QString &error, const StoredMessages &lost) {
                         std::printf("failed %lld %s\n", static_cast<long long>(lost.size()),
                                     qPrintable(error));
                         std::fflush(stdout);
                         // Refused from now on: nothing may follow a hole.
                         if (journal.submit(ChatMessage{}) != 0)
                             std::printf("accepted after failure\n");
                         QCoreApplication::exit(1);
                     });
    submitter.start();
    return app.exec();
}
