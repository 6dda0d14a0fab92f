#include "jsoncodec.h"
#include "protocollimits.h"
#include "serverconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace PushChat;

// Every wire object of docs/PROTOCOL.md: its encoder writes the bytes the server has always
// sent (clients and tests depend on them), and its decoder reads them back to the same value.
class tst_JsonCodec : public QObject
{
    Q_OBJECT

private slots:
    void messageRoundTrips_data();
    void messageRoundTrips();
    void pageRoundTrips();
    void errorRoundTrips_data();
    void errorRoundTrips();
    void webSocketErrorRoundTrips_data();
    void webSocketErrorRoundTrips();
    void sendCommandRoundTrips_data();
    void sendCommandRoundTrips();
    void postRoundTrips();
    void limitsRoundTrip_data();
    void limitsRoundTrip();
    void serverPublishesTheDefaultLimits();
    void roomInfoRoundTrips();
    void statsRoundTrip();
    void createdRoundTrips();
    void helloRoundTrips_data();
    void helloRoundTrips();
    void ackRoundTrips_data();
    void ackRoundTrips();
    void decodersRefuseMalformedInput();
    void clientJsonStringsAreStrict_data();
    void clientJsonStringsAreStrict();
    void utf8LengthCountsAsTheServer_data();
    void utf8LengthCountsAsTheServer();
    void nickLengthCountsAsTheServer_data();
    void nickLengthCountsAsTheServer();
};

namespace {

QJsonObject object(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning() << "not a JSON object:" << json;
    return document.object();
}

ChatMessage message(qint64 seq, const QString &nick, const QString &text,
                    MessageKind kind = MessageKind::Chat)
{
    return {seq, 1764100000000 + seq, nick, text, kind};
}

} // namespace

void tst_JsonCodec::messageRoundTrips_data()
{
    QTest::addColumn<ChatMessage>("message");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("chat") << message(17, "alice", "hi")
                          << QByteArray(R"({"seq":17,"ts":1764100000017,"nick":"alice",)"
                                        R"("text":"hi","kind":"chat"})");
    QTest::addRow("escapes and UTF-8")
        << message(2, "bö", "a\"b\\c\nd\x01 ✓")
        << QByteArray(R"({"seq":2,"ts":1764100000002,"nick":"bö",)"
                      R"("text":"a\"b\\c\nd\u0001 ✓","kind":"chat"})");
    QTest::addRow("join") << message(3, "carol", {}, MessageKind::Join)
                          << QByteArray(R"({"seq":3,"ts":1764100000003,"nick":"carol",)"
                                        R"("text":"","kind":"join"})");
    QTest::addRow("leave") << message(4, "carol", {}, MessageKind::Leave)
                           << QByteArray(R"({"seq":4,"ts":1764100000004,"nick":"carol",)"
                                         R"("text":"","kind":"leave"})");
}

void tst_JsonCodec::messageRoundTrips()
{
    QFETCH(ChatMessage, message);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonCodec::encodeMessage(message), json);
    QCOMPARE(JsonCodec::decodeMessage(object(json)), message);

    // The WebSocket frame carries the same members after its type.
    const QByteArray frame = JsonCodec::webSocketMessage(json);
    QCOMPARE(frame, R"({"type":"message",)" + json.mid(1));
    QCOMPARE(object(frame).value(u"type").toString(), QStringLiteral("message"));
    QCOMPARE(JsonCodec::decodeMessage(object(frame)), message);
}

void tst_JsonCodec::pageRoundTrips()
{
    const ChatMessage first = message(5, "a", "x");
    const ChatMessage second = message(6, "b", "y");
    const QByteArray list =
        JsonCodec::encodeMessage(first) + ',' + JsonCodec::encodeMessage(second);
    for (const bool reset : {false, true}) {
        for (const bool more : {false, true}) {
            const QByteArray json = JsonCodec::encodePage(list, 6, true, 1764100000456, reset, more,
                                                          u"00ff00ff00ff00ff");
            QCOMPARE(json, R"({"messages":[)" + list +
                               R"(],"last_seq":6,"epoch":"00ff00ff00ff00ff","gap":true,)" +
                               (reset ? R"("reset":true,)" : "") + (more ? R"("more":true,)" : "") +
                               R"("now":1764100000456})");
            const std::optional<MessagePage> page = JsonCodec::decodePage(json);
            QVERIFY(page);
            QCOMPARE(page->messages, (QList<ChatMessage>{first, second}));
            QCOMPARE(page->lastSeq, 6);
            QVERIFY(page->gap);
            QCOMPARE(page->reset, reset);
            QCOMPARE(page->more, more);
            QCOMPARE(page->epoch, QStringLiteral("00ff00ff00ff00ff"));
            QCOMPARE(page->now, 1764100000456);
        }
    }
    // A page without an epoch (a server from before histories had one) decodes to an empty one.
    const auto withoutEpoch = JsonCodec::decodePage(JsonCodec::encodePage(list, 6, false, 1));
    QVERIFY(withoutEpoch);
    QVERIFY(withoutEpoch->epoch.isEmpty());
}

void tst_JsonCodec::errorRoundTrips_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("plain") << QStringLiteral("missing field \"text\"")
                           << QByteArray(R"({"error":"missing field \"text\""})");
    QTest::addRow("server full") << QStringLiteral("server full: 20000 connections")
                                 << QByteArray(R"({"error":"server full: 20000 connections"})");
}

void tst_JsonCodec::errorRoundTrips()
{
    QFETCH(QString, message);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonCodec::encodeError(message), json);
    QCOMPARE(JsonCodec::decodeError(json), message);
}

void tst_JsonCodec::webSocketErrorRoundTrips_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("no id") << QByteArray()
                           << QByteArray(R"({"type":"error","code":429,"error":"slow down"})");
    QTest::addRow("number id") << QByteArray("7")
                               << QByteArray(
                                      R"({"type":"error","code":429,"error":"slow down","id":7})");
    QTest::addRow("string id")
        << QByteArray(R"("a")")
        << QByteArray(R"({"type":"error","code":429,"error":"slow down","id":"a"})");
}

void tst_JsonCodec::webSocketErrorRoundTrips()
{
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, json);
    const QString message = QStringLiteral("slow down");
    QCOMPARE(JsonCodec::webSocketError(429, message, id), json);
    QCOMPARE(JsonCodec::decodeWebSocketError(object(json)),
             (JsonCodec::WebSocketError{429, message, id}));
}

void tst_JsonCodec::sendCommandRoundTrips_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("plain") << QStringLiteral("hi")
                           << QByteArray(R"({"type":"send","text":"hi","client_id":"k-3","id":3})");
    QTest::addRow("escapes") << QStringLiteral("\"quoted\"\tä")
                             << QByteArray(R"({"type":"send","text":"\"quoted\"\tä",)"
                                           R"("client_id":"k-3","id":3})");
}

void tst_JsonCodec::sendCommandRoundTrips()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonCodec::encodeSendCommand(text, u"k-3", 3), json);
    using Kind = JsonCodec::CommandValue::Kind;
    const JsonCodec::ClientCommand expected{
        {Kind::String, QStringLiteral("send")}, {Kind::String, text}, {Kind::String, "k-3"}, "3"};
    QCOMPARE(JsonCodec::decodeClientCommand(json), expected);
    QCOMPARE(JsonCodec::decodeClientCommandWithQt(json), expected);
}

void tst_JsonCodec::postRoundTrips()
{
    const QByteArray json = JsonCodec::encodePost(u"alice", u"hello \"you\"", u"k-1");
    QCOMPARE(json, QByteArray(R"({"nick":"alice","text":"hello \"you\"","client_id":"k-1"})"));
    using Kind = JsonCodec::CommandValue::Kind;
    const JsonCodec::PostedMessage expected{{Kind::String, QStringLiteral("alice")},
                                            {Kind::String, QStringLiteral("hello \"you\"")},
                                            {Kind::String, QStringLiteral("k-1")}};
    QCOMPARE(JsonCodec::decodePostedMessage(json), expected);
    QCOMPARE(JsonCodec::decodePostedMessageWithQt(json), expected);
}

void tst_JsonCodec::limitsRoundTrip_data()
{
    QTest::addColumn<ProtocolLimits>("limits");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("defaults") << ProtocolLimits{}
                              << QByteArray(R"({"max_text_bytes":4096,"max_nick_chars":32,)"
                                            R"("max_body_bytes":65536,)"
                                            R"("max_websocket_message_bytes":65536,)"
                                            R"("history":10000,"max_wait_seconds":60,)"
                                            R"("rate_per_second":20,"online_timeout_ms":30000})");
    QTest::addRow("fractional rate, no limit")
        << ProtocolLimits{10, 8, 1024, 2048, 5, 30, 2.5, 1000}
        << QByteArray(R"({"max_text_bytes":10,"max_nick_chars":8,"max_body_bytes":1024,)"
                      R"("max_websocket_message_bytes":2048,"history":5,"max_wait_seconds":30,)"
                      R"("rate_per_second":2.5,"online_timeout_ms":1000})");
}

void tst_JsonCodec::limitsRoundTrip()
{
    QFETCH(ProtocolLimits, limits);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonCodec::encodeLimits(limits), json);
    QCOMPARE(JsonCodec::decodeLimits(object(json)), limits);
}

void tst_JsonCodec::serverPublishesTheDefaultLimits()
{
    // The server's defaults and the ones clients assume before they know a room are one set.
    QCOMPARE(ServerConfig{}.protocolLimits(), ProtocolLimits{});
    ServerConfig config;
    config.maxTextBytes = 10;
    config.http.maxBodyBytes = 100;
    QCOMPARE(config.protocolLimits().maxTextBytes, 10);
    QCOMPARE(config.protocolLimits().maxBodyBytes, 100);
}

void tst_JsonCodec::roomInfoRoundTrips()
{
    RoomInfo room;
    room.name = QStringLiteral("Lobby \"1\"");
    room.protocol = ProtocolVersion;
    room.lastSeq = 42;
    room.epoch = QStringLiteral("fedcba9876543210");
    room.keyRequired = true;
    room.online = {{QStringLiteral("alice"), Transport::WebSocket},
                   {QStringLiteral("bob"), Transport::LongPoll}};
    room.now = 1764100000123;
    using Action = Fault::Action;
    room.faults = {
        {7, 1764100000001, {Action::Latency, 800, std::nullopt}},
        {8, 1764100000002, {Action::ProxyTimeout, 0, std::nullopt}},
        {9, 1764100000003, {Action::Block, 0, Transport::WebSocket}},
        {10, 1764100000004, {Action::Block, 0, std::nullopt}},
        {11, 1764100000005, {Action::Drop, 0, std::nullopt}},
        {12, 1764100000006, {Action::Restart, 0, std::nullopt}},
    };
    const QByteArray json = JsonCodec::encodeRoomInfo(room);
    QCOMPARE(json, R"({"name":"Lobby \"1\"","protocol":1,"last_seq":42,)"
                   R"("epoch":"fedcba9876543210","key_required":true,)"
                   R"("online":[{"nick":"alice","transport":"websocket"},)"
                   R"({"nick":"bob","transport":"longpoll"}],"limits":)" +
                       JsonCodec::encodeLimits(room.limits) +
                       R"(,"faults":[{"id":7,"ts":1764100000001,"action":"latency","value":800},)"
                       R"({"id":8,"ts":1764100000002,"action":"proxy-timeout","value":0},)"
                       R"({"id":9,"ts":1764100000003,"action":"block","technique":"websocket"},)"
                       R"({"id":10,"ts":1764100000004,"action":"block"},)"
                       R"({"id":11,"ts":1764100000005,"action":"drop"},)"
                       R"({"id":12,"ts":1764100000006,"action":"restart"}],)"
                       R"("now":1764100000123})");
    QCOMPARE(JsonCodec::decodeRoomInfo(json), room);
    QCOMPARE(room.maxTextBytes(), 4096);

    room.online.clear();
    room.faults.clear();
    room.keyRequired = false;
    const QByteArray empty = JsonCodec::encodeRoomInfo(room);
    QVERIFY(empty.contains(R"("key_required":false,"online":[],"limits":{)"));
    QVERIFY(empty.contains(R"("faults":[],"now":)"));
    QCOMPARE(JsonCodec::decodeRoomInfo(empty), room);
}

void tst_JsonCodec::statsRoundTrip()
{
    StatsReport report;
    qint64 value = 1;
    for (TransportCounters &counters : report.stats.buckets) {
        for (qint64 *counter :
             {&counters.requests, &counters.responses, &counters.emptyResponses, &counters.framesIn,
              &counters.framesOut, &counters.bytesIn, &counters.bytesOut, &counters.openConnections,
              &counters.parked, &counters.cpuNs})
            *counter = value++;
    }
    report.uptimeMs = 1000;
    report.messages = 50;
    report.retained = 40;
    report.now = 1764100000000;
    report.serverCpuNs = 123456789;
    const QByteArray json = JsonCodec::encodeStats(report);
    QCOMPARE(
        json,
        QByteArray(
            R"({"polling":{"requests":1,"responses":2,"empty_responses":3,"frames_in":4,)"
            R"("frames_out":5,"bytes_in":6,"bytes_out":7,"open_connections":8,)"
            R"("parked":9,"cpu_ns":10},)"
            R"("longpoll":{"requests":11,"responses":12,"empty_responses":13,"frames_in":14,)"
            R"("frames_out":15,"bytes_in":16,"bytes_out":17,"open_connections":18,)"
            R"("parked":19,"cpu_ns":20},)"
            R"("websocket":{"requests":21,"responses":22,"empty_responses":23,"frames_in":24,)"
            R"("frames_out":25,"bytes_in":26,"bytes_out":27,"open_connections":28,)"
            R"("parked":29,"cpu_ns":30},)"
            R"("other":{"requests":31,"responses":32,"empty_responses":33,"frames_in":34,)"
            R"("frames_out":35,"bytes_in":36,"bytes_out":37,"open_connections":38,)"
            R"("parked":39,"cpu_ns":40},)"
            R"("monitoring":{"requests":41,"responses":42,"empty_responses":43,"frames_in":44,)"
            R"("frames_out":45,"bytes_in":46,"bytes_out":47,"open_connections":48,)"
            R"("parked":49,"cpu_ns":50},)"
            R"("uptime_ms":1000,"messages":50,"retained":40,"now":1764100000000,)"
            R"("server_cpu_ns":123456789})"));
    QCOMPARE(JsonCodec::decodeStats(json), report);
}

void tst_JsonCodec::createdRoundTrips()
{
    const JsonCodec::Created created{9, 1764100000999};
    const QByteArray json = JsonCodec::encodeCreated(created);
    QCOMPARE(json, QByteArray(R"({"seq":9,"ts":1764100000999})"));
    QCOMPARE(JsonCodec::decodeCreated(json), created);
}

void tst_JsonCodec::helloRoundTrips_data()
{
    QTest::addColumn<bool>("flags");
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("member") << false
                            << QByteArray(R"({"type":"hello","room":"PushChat","protocol":1,)"
                                          R"("last_seq":12,"epoch":"0123456789abcdef",)"
                                          R"("gap":false,"reset":false,)"
                                          R"("observer":false,"now":1764100000001})");
    QTest::addRow("observer after a gap and reset")
        << true
        << QByteArray(
               R"({"type":"hello","room":"PushChat","protocol":1,"last_seq":12,)"
               R"("epoch":"0123456789abcdef","gap":true,"reset":true,"observer":true,"now":1764100000001})");
}

void tst_JsonCodec::helloRoundTrips()
{
    QFETCH(bool, flags);
    QFETCH(QByteArray, json);
    const JsonCodec::Hello hello{
        QStringLiteral("PushChat"),        ProtocolVersion, 12, flags, flags, flags, 1764100000001,
        QStringLiteral("0123456789abcdef")};
    QCOMPARE(JsonCodec::encodeHello(hello), json);
    QCOMPARE(JsonCodec::decodeHello(object(json)), hello);
}

void tst_JsonCodec::ackRoundTrips_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addRow("number") << QByteArray("7");
    QTest::addRow("string") << QByteArray(R"("m-7")");
    QTest::addRow("null") << QByteArray("null");
}

void tst_JsonCodec::ackRoundTrips()
{
    QFETCH(QByteArray, id);
    const JsonCodec::Ack ack{id, {8, 1764100000008}};
    const QByteArray json = JsonCodec::encodeAck(ack);
    QCOMPARE(json, R"({"type":"ack","id":)" + id + R"(,"seq":8,"ts":1764100000008})");
    QCOMPARE(JsonCodec::decodeAck(object(json)), ack);
}

void tst_JsonCodec::decodersRefuseMalformedInput()
{
    QString error;
    QVERIFY(!JsonCodec::decodeRoomInfo("[]", &error));
    QCOMPARE(error, QStringLiteral("expected a JSON object"));
    QVERIFY(!JsonCodec::decodeRoomInfo(R"({"name":"r"})", &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!JsonCodec::decodeRoomInfo(
        R"({"name":"r","last_seq":1,"online":[],"limits":{"history":"many"}})"));
    // Limits a server does not publish keep their defaults.
    const auto sparse = JsonCodec::decodeRoomInfo(
        R"({"name":"r","last_seq":1,"online":[],"limits":{"max_text_bytes":10}})");
    QVERIFY(sparse);
    QCOMPARE(sparse->maxTextBytes(), 10);
    QCOMPARE(sparse->limits.maxNickChars, ProtocolLimits{}.maxNickChars);
    // A server from before faults were announced lists none; a newer server's unknown fault
    // is left out, a malformed list refused.
    QVERIFY(sparse->faults.isEmpty());
    const auto newer = JsonCodec::decodeRoomInfo(
        R"({"name":"r","last_seq":1,"online":[],"limits":{},"faults":[)"
        R"({"id":1,"ts":5,"action":"packet-loss","value":10},{"id":2,"ts":6,"action":"drop"},)"
        R"({"id":3,"ts":7,"action":"block","technique":"carrier-pigeon"}]})");
    QVERIFY(newer);
    QCOMPARE(newer->faults, QList<FaultNotice>({{2, 6, {Fault::Action::Drop, 0, std::nullopt}}}));
    QVERIFY(!JsonCodec::decodeRoomInfo(
        R"({"name":"r","last_seq":1,"online":[],"limits":{},"faults":{}})", &error));
    QCOMPARE(error, QStringLiteral("malformed \"faults\""));
    QVERIFY(!JsonCodec::decodeRoomInfo(
        R"({"name":"r","last_seq":1,"online":[],"limits":{},"faults":[{"id":"1","ts":5,"action":"drop"}]})"));

    QVERIFY(!JsonCodec::decodeStats(R"({"polling":{}})", &error));
    QCOMPARE(error, QStringLiteral("no \"longpoll\" counters"));
    QVERIFY(!JsonCodec::decodeCreated(R"({"seq":1})"));
    QVERIFY(!JsonCodec::decodeError(R"({"message":"x"})"));
    QVERIFY(!JsonCodec::decodeError("not json"));
    QVERIFY(!JsonCodec::decodeHello(object(R"({"type":"ack","last_seq":1,"now":2})")));
    QVERIFY(!JsonCodec::decodeHello(object(R"({"type":"hello","now":2})")));
    QVERIFY(!JsonCodec::decodeAck(object(R"({"type":"ack","seq":1,"ts":2})")));
    QVERIFY(!JsonCodec::decodeWebSocketError(object(R"({"type":"error","error":"x"})")));
}

void tst_JsonCodec::utf8LengthCountsAsTheServer_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QString();
    QTest::addRow("ASCII") << QStringLiteral("hello");
    QTest::addRow("two bytes") << QStringLiteral("äöü");
    QTest::addRow("three bytes") << QStringLiteral("你好 ✓");
    QTest::addRow("four bytes") << QStringLiteral("a😀b");
    QTest::addRow("lone high surrogate") << QString(QChar(0xd83d)) + u'x';
    QTest::addRow("lone high surrogate at the end") << u'x' + QString(QChar(0xd83d));
    QTest::addRow("lone low surrogate") << QString(QChar(0xde00));
}

void tst_JsonCodec::utf8LengthCountsAsTheServer()
{
    QFETCH(QString, text);
    QCOMPARE(utf8Length(text), text.toUtf8().size());
}

void tst_JsonCodec::nickLengthCountsAsTheServer_data()
{
    utf8LengthCountsAsTheServer_data();
}

void tst_JsonCodec::nickLengthCountsAsTheServer()
{
    QFETCH(QString, text);
    QCOMPARE(nickLength(text), text.toUcs4().size());
}

void tst_JsonCodec::clientJsonStringsAreStrict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("error");
    QTest::addRow("raw tab") << QByteArray("\"a\tb\"") << false
                             << QStringLiteral("malformed JSON: control character U+0009");
    QTest::addRow("raw newline") << QByteArray("\"a\nb\"") << false
                                 << QStringLiteral("malformed JSON: control character U+000a");
    QTest::addRow("escaped tab") << QByteArray(R"("a\tb")") << true << QString();
    QTest::addRow("lone high surrogate")
        << QByteArray(R"("\ud800")") << false << QStringLiteral("bad UTF-8: a lone surrogate");
    QTest::addRow("lone low surrogate")
        << QByteArray(R"("x\uDC00y")") << false << QStringLiteral("bad UTF-8: a lone surrogate");
    QTest::addRow("high then not low") << QByteArray(R"("\ud800\u0041")") << false
                                       << QStringLiteral("bad UTF-8: a lone surrogate");
    QTest::addRow("pair") << QByteArray(R"("\ud83d\ude00")") << true << QString();
    QTest::addRow("escaped backslash before u") << QByteArray(R"("\\ud800")") << true << QString();
}

void tst_JsonCodec::clientJsonStringsAreStrict()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QString, error);
    const QByteArray post = R"({"nick":"ann","text":)" + text + "}";
    QString why;
    const auto decoded = JsonCodec::decodePostedMessage(post, &why);
    QCOMPARE(decoded.has_value(), valid);
    QVERIFY2(why.startsWith(error), qPrintable(why));
    QCOMPARE(JsonCodec::decodePostedMessageWithQt(post).has_value(), valid);
    const QByteArray command = R"({"type":"send","text":)" + text + "}";
    QCOMPARE(JsonCodec::decodeClientCommand(command).has_value(), valid);
    QCOMPARE(JsonCodec::decodeClientCommandWithQt(command).has_value(), valid);
}

QTEST_APPLESS_MAIN(tst_JsonCodec)
#include "tst_jsoncodec.moc"
