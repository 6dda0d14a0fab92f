// The compare view end to end: a window hosting a room on loopback port 0 (the server on its
// own thread, in-process), three observers, the bot, the counters, the CSV and PNG export,
// and the timeline telling a switch from a failure.

#include "chatclient.h"
#include "chatpage.h"
#include "comparecounters.h"
#include "comparemodel.h"
#include "comparesession.h"
#include "compareview.h"
#include "csvexport.h"
#include "eventlog.h"
#include "httptestclient.h"
#include "mainwindow.h"
#include "sessioncontroller.h"
#include "timelinewidget.h"
#include "trafficgenerator.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace PushChat;

namespace {
constexpr int Timeout = 30000;

bool connected(const ChatClient *client)
{
    return client && client->state() == ChatClient::State::Connected;
}

bool inRoom(const MainWindow &window)
{
    return window.session()->phase() == SessionController::Phase::InRoom &&
           connected(window.session()->client());
}

bool observersConnected(const CompareSession *session)
{
    for (const Transport technique : CompareSession::Techniques) {
        if (!connected(session->observer(technique)))
            return false;
    }
    return true;
}

bool deliveredEverywhere(const CompareModel *model, qint64 seq)
{
    for (const Transport technique : CompareSession::Techniques) {
        if (!model->delay(seq, technique))
            return false;
    }
    return true;
}

qint64 lastSeq(const CompareModel *model)
{
    const int rows = model->rowCount();
    if (rows == 0)
        return 0;
    return model->index(rows - 1, CompareModel::MessageColumn)
        .data()
        .toString()
        .section(u' ', 0, 0)
        .mid(1)
        .toLongLong();
}

// Parses RFC 4180 CSV as CsvExport writes it (quoted fields may hold commas and quotes).
QList<QStringList> parseCsv(const QByteArray &csv)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    const QString text = QString::fromUtf8(csv);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << std::exchange(field, {});
        } else if (c == u'\r') {
            continue;
        } else if (c == u'\n') {
            row << std::exchange(field, {});
            rows << std::exchange(row, {});
        } else {
            field += c;
        }
    }
    return rows;
}
} // namespace

class tst_CompareView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void oneMessageInAllThreeColumnsPollingSlowest();
    void countersDifferAsExpected();
    void botBurstFromTheHostIsNotRateLimited();
    void hostsAndComparesOverTls();
    void csvHasTheDocumentedColumns();
    void pngOfTheCurrentView();
    void switchedPollIsNoFailure();
    void commandLineOpensCompareWithBot();
    void joinedGuestCompares();
    void csvQuotesFields();

private:
    void hostAndCompare();

    QTemporaryDir m_settingsDir;
    MainWindow *m_window = nullptr;
};

void tst_CompareView::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_compareview"));
}

void tst_CompareView::init()
{
    // Hosted rooms keep their history on disk: each test starts without the last one's.
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    m_window = new MainWindow;
    m_window->resize(1280, 720);
    m_window->show();
}

void tst_CompareView::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

// Hosts a room on a free port (polling every second) and opens the compare view with its
// action, as the button and the menu do.
void tst_CompareView::hostAndCompare()
{
    m_window->applyOptions(
        AppOptions::parse({"pushchat", "--host", "--port", "0", "--room", "Compare", "--nick",
                           "teacher", "--interval", "1000"}));
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(*m_window), Timeout);
    QAction *compare = m_window->compareAction();
    QVERIFY(compare->isEnabled());
    compare->trigger();
    QVERIFY(m_window->isComparing());
    QCOMPARE(m_window->findChild<QStackedWidget *>()->currentWidget(), m_window->compareView());
    const CompareSession *session = m_window->compareView()->session();
    QCOMPARE(session->observer(Transport::Polling)->pollInterval(), 1000);
    QTRY_VERIFY_WITH_TIMEOUT(observersConnected(session), Timeout);
}

void tst_CompareView::oneMessageInAllThreeColumnsPollingSlowest()
{
    hostAndCompare();
    if (QTest::currentTestFailed())
        return;
    CompareView *view = m_window->compareView();
    const CompareModel *model = view->model();
    TrafficGenerator *bot = view->session()->generator();

    // The first message brings the bot in and shows up on all three.
    bot->burst(1);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, Timeout);
    const qint64 first = lastSeq(model);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredEverywhere(model, first), Timeout);

    // The second one goes out right after an empty poll: polling sees it only with the next
    // poll, a second later; long polling and WebSocket have it at once.
    EventLog *pollLog = view->session()->observer(Transport::Polling)->eventLog();
    bool sent = false;
    connect(pollLog, &EventLog::eventAdded, this, [&](const ClientEvent &event) {
        if (!sent && event.type == ClientEvent::Type::ResponseEmpty) {
            sent = true;
            bot->burst(1);
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(sent, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, Timeout);
    const qint64 second = lastSeq(model);
    QVERIFY(second > first);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredEverywhere(model, second), Timeout);

    const qint64 polling = *model->delay(second, Transport::Polling);
    const qint64 longPoll = *model->delay(second, Transport::LongPoll);
    const qint64 webSocket = *model->delay(second, Transport::WebSocket);
    qInfo() << "delays: polling" << polling << "long polling" << longPoll << "WebSocket"
            << webSocket;
    QVERIFY(polling > longPoll);
    QVERIFY(polling > webSocket);
    QVERIFY(model->fastest(second) != Transport::Polling);

    // Every cell of the row says "+N ms", the fastest marked.
    const int row = model->rowCount() - 1;
    for (const Transport technique : CompareSession::Techniques) {
        const QModelIndex cell = model->index(row, CompareModel::column(technique));
        QVERIFY2(cell.data().toString().startsWith(u'+'), qPrintable(cell.data().toString()));
        QVERIFY(cell.data().toString().contains(u"ms"));
        QCOMPARE(cell.data(CompareModel::FastestRole).toBool(),
                 model->fastest(second) == technique);
    }
    QVERIFY(model->index(row, CompareModel::MessageColumn)
                .data()
                .toString()
                .contains(TrafficGenerator::botNick()));
}

void tst_CompareView::botBurstFromTheHostIsNotRateLimited()
{
    hostAndCompare();
    if (QTest::currentTestFailed())
        return;
    // Sixty nicks posting from this machine at once: three times what one client address may
    // send in a second, and each a join as well. The hosting app exempts its own machine, so
    // none is refused (the bots would retry a refusal: their rows alone would not show it).
    const quint16 port = m_window->session()->port();
    for (int i = 0; i < 60; ++i) {
        const QByteArray body = R"({"nick":"helper)" + QByteArray::number(i) + R"(","text":"x"})";
        QCOMPARE(TestHttp::postJson(port, "/api/messages", body).status, 201);
    }
    // And the compare view's own bots, seven of them on one address, deliver a burst.
    CompareView *view = m_window->compareView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 60, Timeout);
    view->session()->generator()->burst(120);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 180, Timeout);
}

void tst_CompareView::hostsAndComparesOverTls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SessionRequest request;
    request.kind = SessionRequest::Kind::Host;
    request.roomName = QStringLiteral("Secure");
    request.nick = QStringLiteral("teacher");
    request.tlsCertificateFile = dir.filePath(QStringLiteral("cert.pem"));
    request.tlsKeyFile = dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-days", "1", "-subj", "/CN=PushChat test", "-keyout",
                   request.tlsKeyFile, "-out", request.tlsCertificateFile});
    QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
    QVERIFY(!request.problem());

    SessionController *session = m_window->session();
    session->start(request);
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(*m_window), Timeout);
    QCOMPARE(session->client()->serverUrl().scheme(), QString("https"));
    QVERIFY(session->tlsFingerprint().startsWith(u"SHA256:"));
    QVERIFY(!session->joinUrls().isEmpty());
    QVERIFY(session->joinUrls().first().startsWith(u"https://"));
    // The compare view's observers and bots trust the same certificate.
    m_window->compareAction()->trigger();
    CompareView *view = m_window->compareView();
    QTRY_VERIFY_WITH_TIMEOUT(observersConnected(view->session()), Timeout);
    view->session()->generator()->burst(1);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredEverywhere(view->model(), lastSeq(view->model())), Timeout);

    // Half a TLS setup is refused before anything starts.
    request.tlsKeyFile.clear();
    QVERIFY(request.problem().has_value());
    // A joiner's fingerprint must look like one.
    SessionRequest join;
    join.kind = SessionRequest::Kind::Join;
    join.nick = QStringLiteral("pupil");
    join.address = QStringLiteral("https://127.0.0.1:8765");
    join.fingerprint = QStringLiteral("not a fingerprint");
    QVERIFY(join.problem().has_value());
    join.fingerprint = session->tlsFingerprint();
    QVERIFY(!join.problem());
}

void tst_CompareView::countersDifferAsExpected()
{
    hostAndCompare();
    if (QTest::currentTestFailed())
        return;
    CompareView *view = m_window->compareView();
    CompareSession *session = view->session();
    session->setPollInterval(200); // idle polls come quicker
    session->generator()->burst(3);
    QTRY_VERIFY_WITH_TIMEOUT(session->metrics(Transport::WebSocket).messagesReceived >= 3, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(session->metrics(Transport::Polling).messagesReceived >= 3, Timeout);
    // A few idle polls.
    QTRY_VERIFY_WITH_TIMEOUT(session->metrics(Transport::Polling).emptyResponses >= 10, Timeout);

    const TransportMetrics polling = session->metrics(Transport::Polling);
    const TransportMetrics longPoll = session->metrics(Transport::LongPoll);
    const TransportMetrics webSocket = session->metrics(Transport::WebSocket);
    // Polling asks for nothing again and again; long polling waits; WebSocket does not ask.
    QVERIFY(polling.perMinute(polling.emptyResponses) > 0);
    QVERIFY(polling.httpRequests > longPoll.httpRequests);
    QCOMPARE(webSocket.httpRequests, 0);
    QCOMPARE(webSocket.emptyResponses, 0);
    QVERIFY(webSocket.framesIn >= 3);
    // Setup apart from the steady state: only WebSocket has a handshake, and it is more than
    // all its frame headers since.
    QVERIFY(webSocket.setupBytes > 0);
    QCOMPARE(polling.setupBytes, 0);
    QCOMPARE(longPoll.setupBytes, 0);
    QVERIFY(webSocket.steadyHeaderBytes() < webSocket.setupBytes);
    QVERIFY(webSocket.steadyHeaderBytes() > 0);
    // Headers and payload add up to everything on the wire.
    for (const TransportMetrics &m : {polling, longPoll, webSocket}) {
        QVERIFY(m.payloadBytes() > 0);
        QCOMPARE(m.headerBytes() + m.payloadBytes(), m.bytesSent + m.bytesReceived);
        QVERIFY(m.observedMs > 0);
    }
    // Polling's HTTP heads outweigh what WebSocket spends on frame headers a minute.
    QVERIFY(polling.perMinute(polling.steadyHeaderBytes()) >
            webSocket.perMinute(webSocket.steadyHeaderBytes()));

    // The counters above the columns show the same, one bar chart per figure.
    QTRY_VERIFY_WITH_TIMEOUT(view->counters()->figures().at(2).values[0] > 0, Timeout);
    const QList<CompareCounters::Figure> figures = view->counters()->figures();
    const auto figure = [&](const QString &name) {
        for (const CompareCounters::Figure &f : figures) {
            if (f.name == name)
                return f;
        }
        return CompareCounters::Figure{};
    };
    QVERIFY(figure(QStringLiteral("Empty responses")).values[size_t(Transport::Polling)] > 0);
    QCOMPARE(figure(QStringLiteral("HTTP requests")).values[size_t(Transport::WebSocket)], 0.0);
    QVERIFY(figure(QStringLiteral("Connection setup")).values[size_t(Transport::WebSocket)] > 0);
    QVERIFY(figure(QStringLiteral("Connection setup"))
                .texts[size_t(Transport::Polling)]
                .contains(u"1 conn"));
}

void tst_CompareView::csvHasTheDocumentedColumns()
{
    hostAndCompare();
    if (QTest::currentTestFailed())
        return;
    CompareView *view = m_window->compareView();
    view->session()->generator()->burst(2);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 2 &&
                                 deliveredEverywhere(view->model(), lastSeq(view->model())),
                             Timeout);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("compare.csv"));
    QVERIFY(m_window->exportCsv(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> rows = parseCsv(file.readAll());
    QVERIFY(rows.size() > 7);
    // As documented in docs/APP.md, "Export".
    const QStringList header{"kind",     "technique", "seq",   "sent_ms", "received_ms", "delay_ms",
                             "event_ms", "event",     "count", "bytes",   "detail"};
    QCOMPARE(rows.first(), header);
    QCOMPARE(CsvExport::columns(), header);
    int messages = 0;
    QSet<QString> techniques;
    bool pollRequest = false;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &row = rows.at(i);
        QCOMPARE(row.size(), header.size());
        if (row[0] == u"message") {
            ++messages;
            techniques << row[1];
            bool ok = false;
            QVERIFY(row[2].toLongLong(&ok) > 0 && ok);
            const qint64 sent = row[3].toLongLong(&ok);
            QVERIFY(ok);
            const qint64 received = row[4].toLongLong(&ok);
            QVERIFY(ok);
            QVERIFY(row[5].toLongLong(&ok) >= 0 && ok);
            QVERIFY(qAbs(received - sent) < 60000);
        } else {
            QCOMPARE(row[0], QStringLiteral("event"));
            bool ok = false;
            QVERIFY(row[6].toLongLong(&ok) > 0 && ok);
            QVERIFY(!row[7].isEmpty());
            pollRequest = pollRequest || (row[1] == u"polling" && row[7] == u"request" &&
                                          row[10].startsWith(u"GET /api/messages"));
        }
    }
    QCOMPARE(messages, 2 * 3); // two messages, three techniques each
    QCOMPARE(techniques, (QSet<QString>{QStringLiteral("polling"), QStringLiteral("longpoll"),
                                        QStringLiteral("websocket")}));
    QVERIFY(pollRequest);

    // The inspector's CSV: the chat's own client.
    m_window->showCompare(false);
    QVERIFY(!m_window->isComparing());
    const QList<QStringList> inspector = parseCsv(m_window->currentViewCsv());
    QCOMPARE(inspector.first(), header);
    QVERIFY(std::any_of(inspector.begin() + 1, inspector.end(),
                        [](const QStringList &row) { return row.value(0) == u"message"; }));
}

void tst_CompareView::pngOfTheCurrentView()
{
    hostAndCompare();
    if (QTest::currentTestFailed())
        return;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("compare.png"));
    QVERIFY(m_window->exportPng(path));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() / image.devicePixelRatio(), m_window->compareView()->size());
}

void tst_CompareView::switchedPollIsNoFailure()
{
    m_window->applyOptions(AppOptions::parse(
        {"pushchat", "--host", "--port", "0", "--nick", "teacher", "--mode", "longpoll"}));
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(*m_window), Timeout);
    ChatClient *client = m_window->session()->client();
    // A long poll parks at the server; switching ends it.
    QTRY_VERIFY_WITH_TIMEOUT(client->metrics(Transport::LongPoll).httpRequests >= 1, Timeout);
    client->setMode(Transport::WebSocket);
    QTRY_VERIFY_WITH_TIMEOUT(connected(client), Timeout);
    TimelineWidget *timeline = m_window->chatPage()->timeline();
    const auto switched = [timeline] {
        for (const Timeline::Bar &bar : timeline->timeline().bars) {
            if (bar.lane == Transport::LongPoll && bar.kind == Timeline::Bar::Kind::Switched)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(switched(), Timeout);
    for (const Timeline::Bar &bar : timeline->timeline().bars)
        QVERIFY(bar.kind != Timeline::Bar::Kind::Aborted);

    // The hook for faults done to every client: a labelled marker across the lanes.
    timeline->addFaultMarker(QDateTime::currentMSecsSinceEpoch(),
                             Fault{Fault::Action::Restart, 0, std::nullopt});
    QVERIFY(std::any_of(timeline->timeline().markers.begin(), timeline->timeline().markers.end(),
                        [](const Timeline::Marker &m) {
                            return m.kind == Timeline::Marker::Kind::Fault &&
                                   m.label() == u"restart";
                        }));
    QImage image(timeline->size(), QImage::Format_ARGB32);
    timeline->render(&image); // painting with every kind of mark does not trip
}

void tst_CompareView::commandLineOpensCompareWithBot()
{
    const AppOptions options =
        AppOptions::parse({"pushchat", "--host", "--port", "0", "--nick", "teacher", "--bot", "5"});
    QVERIFY(options.error.isEmpty());
    QVERIFY(options.compare);
    QVERIFY(AppOptions::parse({"pushchat", "--compare"}).compare);
    QVERIFY(!AppOptions::parse({"pushchat", "--bot", "51"}).error.isEmpty());
    m_window->applyOptions(options);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isComparing(), Timeout);
    QVERIFY(m_window->compareAction()->isChecked());
    const CompareView *view = m_window->compareView();
    QVERIFY(view->session()->generator()->isRunning());
    QCOMPARE(view->session()->generator()->rate(), 5.0);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() >= 3, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredEverywhere(view->model(), lastSeq(view->model())), Timeout);
    // The three lanes of the shared timeline are the three observers.
    QTRY_VERIFY_WITH_TIMEOUT(!view->timeline()->timeline().ticks.isEmpty(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!view->timeline()->timeline().bars.isEmpty(), Timeout);

    // Back to the chat stops the observers and the bot.
    m_window->compareAction()->trigger();
    QVERIFY(!m_window->isComparing());
    QVERIFY(!view->session()->isRunning());
    QVERIFY(!view->session()->generator()->isRunning());

    // Ctrl+K opens it again, even from the chat's input line.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    QTest::keyClick(m_window->chatPage()->input(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(m_window->isComparing());
    QTRY_VERIFY_WITH_TIMEOUT(observersConnected(view->session()), Timeout);
}

void tst_CompareView::joinedGuestCompares()
{
    m_window->applyOptions(
        AppOptions::parse({"pushchat", "--host", "--port", "0", "--nick", "teacher"}));
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(*m_window), Timeout);
    // A message from before: history, not timed.
    ChatClient *teacher = m_window->session()->client();
    QSignalSpy accepted(teacher, &ChatClient::sendAccepted);
    teacher->send(QStringLiteral("from before"));
    QVERIFY(accepted.wait(Timeout));
    MainWindow guest;
    guest.show();
    guest.applyOptions(AppOptions::parse(
        {"pushchat", "--join", QStringLiteral("127.0.0.1:%1").arg(m_window->session()->port()),
         "--nick", "student", "--compare"}));
    QTRY_VERIFY_WITH_TIMEOUT(guest.isComparing(), Timeout);
    const CompareView *view = guest.compareView();
    QTRY_VERIFY_WITH_TIMEOUT(observersConnected(view->session()), Timeout);
    QCOMPARE(view->session()->observer(Transport::WebSocket)->serverUrl().port(),
             int(m_window->session()->port()));
    view->session()->generator()->burst(1);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(deliveredEverywhere(view->model(), lastSeq(view->model())), Timeout);
    QCOMPARE(view->model()->rowCount(), 1);
    QVERIFY(view->model()->index(0, 0).data().toString().contains(TrafficGenerator::botNick()));
}

void tst_CompareView::csvQuotesFields()
{
    ClientEvent event;
    event.timeMs = 1000;
    event.type = ClientEvent::Type::Error;
    event.transport = Transport::LongPoll;
    event.detail = QStringLiteral("said \"no\", twice");
    Delivery delivery;
    delivery.seq = 7;
    delivery.transport = Transport::WebSocket;
    delivery.sentMs = 100;
    delivery.receivedMs = 103;
    delivery.delayMs = 3;
    CsvExport csv;
    csv.addEvents({event});
    csv.addDeliveries({delivery});
    const QList<QStringList> rows = parseCsv(csv.toCsv());
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[1],
             (QStringList{"message", "websocket", "7", "100", "103", "3", "", "", "", "", ""}));
    QCOMPARE(rows[2], (QStringList{"event", "longpoll", "", "", "", "", "1000", "error", "0", "0",
                                   "said \"no\", twice"}));
}

QTEST_MAIN(tst_CompareView)
#include "tst_compareview.moc"
