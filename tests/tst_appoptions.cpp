// The command line of `pushchat`, and how it meets the remembered start screen values.

#include "appoptions.h"
#include "startsettings.h"

#include <QScopeGuard>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace PushChat;

class tst_AppOptions : public QObject
{
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void settingsRoundTripAndOptionsWin();
    void firstRunHostsUnderTheLoginName();
};

void tst_AppOptions::parses_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("join");
    QTest::addColumn<int>("mode");

    QTest::newRow("nothing: start screen")
        << QStringList{} << int(AppOptions::Start::StartScreen) << -1 << QString() << -1;
    QTest::newRow("host on a port") << QStringList{"--host", "--port", "9000"}
                                    << int(AppOptions::Start::Host) << 9000 << QString() << -1;
    QTest::newRow("join in ws") << QStringList{"--join", "http://10.0.0.2:8765", "--mode", "ws"}
                                << int(AppOptions::Start::Join) << -1
                                << QStringLiteral("http://10.0.0.2:8765")
                                << int(Transport::WebSocket);
    QTest::newRow("poll") << QStringList{"--mode", "poll"} << int(AppOptions::Start::StartScreen)
                          << -1 << QString() << int(Transport::Polling);
    QTest::newRow("longpoll, port 0")
        << QStringList{"--host", "--mode=longpoll", "--port=0"} << int(AppOptions::Start::Host) << 0
        << QString() << int(Transport::LongPoll);
}

void tst_AppOptions::parses()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, start);
    QFETCH(int, port);
    QFETCH(QString, join);
    QFETCH(int, mode);
    const AppOptions options = AppOptions::parse(QStringList{"pushchat"} + arguments);
    QVERIFY2(options.error.isEmpty(), qPrintable(options.error));
    QCOMPARE(int(options.start), start);
    QCOMPARE(options.port ? int(*options.port) : -1, port);
    QCOMPARE(options.joinAddress, join);
    QCOMPARE(options.mode ? int(*options.mode) : -1, mode);
}

void tst_AppOptions::rejects_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("both host and join") << QStringList{"--host", "--join", "x:1"};
    QTest::newRow("bad port") << QStringList{"--port", "70000"};
    QTest::newRow("port not a number") << QStringList{"--port", "http"};
    QTest::newRow("unknown mode") << QStringList{"--mode", "carrier-pigeon"};
    QTest::newRow("unknown option") << QStringList{"--hots"};
    QTest::newRow("stray argument") << QStringList{"room"};
    QTest::newRow("bot too fast") << QStringList{"--bot", "51"};
    QTest::newRow("bot too slow") << QStringList{"--bot", "0.1"};
    QTest::newRow("bot not a number") << QStringList{"--bot", "fast"};
}

void tst_AppOptions::rejects()
{
    QFETCH(QStringList, arguments);
    const AppOptions options = AppOptions::parse(QStringList{"pushchat"} + arguments);
    QVERIFY(!options.error.isEmpty());
    QVERIFY(options.helpText.contains(u"--join"));
}

void tst_AppOptions::settingsRoundTripAndOptionsWin()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("pushchat.ini")), QSettings::IniFormat);

    StartSettings saved;
    SessionRequest host;
    host.kind = SessionRequest::Kind::Host;
    host.roomName = QStringLiteral("Class 4B");
    host.port = 9100;
    host.key = QStringLiteral("s3cret");
    host.nick = QStringLiteral(" alice ");
    host.mode = Transport::LongPoll;
    saved.remember(host);
    SessionRequest join;
    join.kind = SessionRequest::Kind::Join;
    join.address = QStringLiteral("10.0.0.7:8765");
    join.nick = QStringLiteral("alice");
    join.mode = Transport::LongPoll;
    saved.remember(join);
    saved.save(settings);

    StartSettings loaded = StartSettings::load(settings);
    QCOMPARE(loaded.roomName, QStringLiteral("Class 4B"));
    QCOMPARE(loaded.port, quint16(9100));
    QCOMPARE(loaded.hostKey, QStringLiteral("s3cret"));
    QCOMPARE(loaded.nick, QStringLiteral("alice"));
    QCOMPARE(loaded.joinAddress, QStringLiteral("10.0.0.7:8765"));
    QCOMPARE(loaded.mode, Transport::LongPoll);

    loaded.apply(AppOptions::parse(
        {"pushchat", "--host", "--port", "0", "--nick", "bob", "--room", "Lab", "--mode", "ws"}));
    const SessionRequest request = loaded.hostRequest();
    QCOMPARE(request.port, quint16(0));
    QCOMPARE(request.nick, QStringLiteral("bob"));
    QCOMPARE(request.roomName, QStringLiteral("Lab"));
    QCOMPARE(request.mode, Transport::WebSocket);
    QCOMPARE(request.key, QStringLiteral("s3cret"));
}

void tst_AppOptions::firstRunHostsUnderTheLoginName()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("pushchat.ini")), QSettings::IniFormat);
    const char *const variables[] = {"USER", "LOGNAME", "USERNAME"};
    QList<std::optional<QByteArray>> saved;
    for (const char *variable : variables)
        saved.append(qEnvironmentVariableIsSet(variable) ? std::optional(qgetenv(variable))
                                                         : std::nullopt);
    const auto restore = qScopeGuard([&] {
        for (int i = 0; i < 3; ++i)
            saved[i] ? qputenv(variables[i], *saved[i]) : qunsetenv(variables[i]);
    });

    // Nothing remembered: `--host` hosts at once, under the login name made a valid nick.
    qputenv("USER", "ann\tlee");
    QCOMPARE(StartSettings::defaultNick(), QStringLiteral("annlee"));
    StartSettings first = StartSettings::load(settings);
    QCOMPARE(first.nick, QStringLiteral("annlee"));
    first.apply(AppOptions::parse({"pushchat", "--host"}));
    QCOMPARE(first.hostRequest().problem(), std::nullopt);

    // Without USER the account's name still gives one (from the password database).
    qunsetenv("USER");
    qunsetenv("LOGNAME");
    qunsetenv("USERNAME");
    QVERIFY(!StartSettings::defaultNick().isEmpty());
    QCOMPARE(SessionRequest::nickProblem(StartSettings::defaultNick()), std::nullopt);

    // A nick the user chose wins over the login name.
    qputenv("USER", "ann");
    SessionRequest chosen = first.hostRequest();
    chosen.nick = QStringLiteral("Ms Lee");
    first.remember(chosen);
    first.save(settings);
    QCOMPARE(StartSettings::load(settings).nick, QStringLiteral("Ms Lee"));
}

QTEST_APPLESS_MAIN(tst_AppOptions)
#include "tst_appoptions.moc"
