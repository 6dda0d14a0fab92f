#include "jsoncodec.h"
#include "presence.h"
#include "ratelimiter.h"
#include "room.h"
#include "websocketframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace PushChat;

class tst_Room : public QObject
{
    Q_OBJECT

private slots:
    void sequenceAndSlices();
    void evictionAndGap();
    void cursorAheadIsReset();
    void slicesStopAtThePageBound();
    void restoreKeepsSequence();
    void encodedMessageRoundTrips_data();
    void encodedMessageRoundTrips();
    void quoteEscapesExactly_data();
    void quoteEscapesExactly();
    void encodeValueMatchesQJsonDocument_data();
    void encodeValueMatchesQJsonDocument();
    void appendIntegerWritesAsQByteArrayNumber_data();
    void appendIntegerWritesAsQByteArrayNumber();
    void clientCommandReadsAsQJsonDocumentDoes_data();
    void clientCommandReadsAsQJsonDocumentDoes();
    void clientCommandMembers();
    void postedMessageReadsAsQJsonDocumentDoes_data();
    void postedMessageReadsAsQJsonDocumentDoes();
    void postedMessageMembers();
    void webSocketFrameHeaders_data();
    void webSocketFrameHeaders();
    void presenceTimeoutAndWebSocketGrace();
    void rateLimiterBucket();
};

void tst_Room::sequenceAndSlices()
{
    Room room(100);
    QCOMPARE(room.lastSeq(), 0);
    QCOMPARE(room.after(0).entries.size(), 0);
    QCOMPARE(room.after(0).array(), QByteArray("[]"));
    QCOMPARE(room.after(0).page(0, 5), JsonCodec::encodePage({}, 0, false, 5));
    const Room::Entry &join = room.append(MessageKind::Join, "a", {}, 10);
    const Room::Entry &entry = room.append(MessageKind::Chat, "a", "hi", 11);
    QCOMPARE(entry.seq, 2);
    QCOMPARE(entry.ts, 11);
    QCOMPARE(room.lastSeq(), 2);
    const Room::Slice slice = room.after(1);
    QCOMPARE(slice.entries.size(), 1);
    QCOMPARE(slice.entries.first(), &entry);
    QCOMPARE(slice.array(), '[' + entry.json() + ']');
    QCOMPARE(slice.page(2, 12), JsonCodec::encodePage(entry.json(), 2, false, 12));
    QVERIFY(!slice.gap);
    QVERIFY(!slice.reset);
    QCOMPARE(room.after(0).array(), '[' + join.json() + ',' + entry.json() + ']');
    QCOMPARE(room.after(2).entries.size(), 0);
}

void tst_Room::evictionAndGap()
{
    Room room(3);
    for (int i = 0; i < 10; ++i)
        room.append(MessageKind::Chat, "a", QString::number(i), i);
    QCOMPARE(room.retainedCount(), 3);
    QCOMPARE(room.firstRetainedSeq(), 8);
    QVERIFY(room.after(0).gap);
    QVERIFY(room.after(6).gap);
    QVERIFY(!room.after(7).gap);
    QVERIFY(!room.after(10).gap);
    QCOMPARE(room.after(0).entries.size(), 3);
    const auto page = JsonCodec::decodePage(room.after(0).page(room.lastSeq(), 0));
    QVERIFY(page);
    QVERIFY(page->gap);
    QCOMPARE(page->messages.first().text, QString("7"));
    QCOMPARE(page->lastSeq, 10);
    QCOMPARE(room.after(2).entries.first()->seq, 8);
}

void tst_Room::cursorAheadIsReset()
{
    Room room;
    room.append(MessageKind::Chat, "a", "x", 1);
    const Room::Slice slice = room.after(50);
    QVERIFY(slice.reset);
    QCOMPARE(slice.entries.size(), 1);
    const auto page = JsonCodec::decodePage(slice.page(room.lastSeq(), 3));
    QVERIFY(page);
    QVERIFY(page->reset);
    QCOMPARE(page->messages.size(), 1);
}

void tst_Room::restoreKeepsSequence()
{
    Room room(5);
    for (int i = 0; i < 8; ++i)
        room.append(MessageKind::Chat, "a", QString::number(i), i,
                    Room::clientKey("a", QString::number(i)));
    QVERIFY(!room.findByClientKey(Room::clientKey("a", "2"))); // evicted with its message
    QCOMPARE(room.findByClientKey(Room::clientKey("a", "7"))->seq, 8);
    Room restored(5);
    restored.restore(room.retainedMessages(), room.lastSeq(), room.retainedClientKeys());
    QCOMPARE(restored.findByClientKey(Room::clientKey("a", "6"))->seq, 7);
    QCOMPARE(restored.retainedMessages(), room.retainedMessages());
    QCOMPARE(restored.retainedMessages().first(),
             (ChatMessage{4, 3, QStringLiteral("a"), QStringLiteral("3"), MessageKind::Chat}));
    QCOMPARE(restored.lastSeq(), 8);
    QCOMPARE(restored.firstRetainedSeq(), 4);
    QCOMPARE(restored.append(MessageKind::Chat, "b", "next", 9).seq, 9);
}

void tst_Room::encodedMessageRoundTrips_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("hello");
    QTest::newRow("quotes and backslash") << QStringLiteral("say \"hi\" \\ bye");
    QTest::newRow("control characters") << QStringLiteral("a\nb\tc\rd\x01\x1f");
    QTest::newRow("markup stays text") << QStringLiteral("<script>alert(1)</script>");
    QTest::newRow("CJK and emoji") << QStringLiteral("你好 🎉");
    QTest::newRow("line separator") << QString(QChar(0x2028));
    QTest::newRow("long CJK") << QString(300, QChar(0x4f60));
    QTest::newRow("long escapes") << QString(300, QChar(0x01));
}

void tst_Room::encodedMessageRoundTrips()
{
    QFETCH(QString, text);
    const ChatMessage message{42, 1764100000123, QStringLiteral("ä\"b"), text, MessageKind::Chat};
    const QByteArray json = JsonCodec::encodeMessage(message);
    Room room;
    room.restore({}, message.seq - 1);
    const Room::Entry &stored = room.append(message.kind, message.nick, text, message.ts);
    QCOMPARE(stored.json(), json);
    QCOMPARE(WebSocketFrame::payloadOf(stored.webSocketFrame), JsonCodec::webSocketMessage(json));
    // The history keeps the frame as long as the message: little slack may come with it.
    QVERIFY2(stored.webSocketFrame.capacity() - stored.webSocketFrame.size() <= 16,
             qPrintable(QString::number(stored.webSocketFrame.capacity())));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const auto decoded = JsonCodec::decodeMessage(document.object());
    QVERIFY(decoded);
    QCOMPARE(*decoded, message);

    const QJsonObject frame = QJsonDocument::fromJson(JsonCodec::webSocketMessage(json)).object();
    QCOMPARE(frame.value(u"type").toString(), QString("message"));
    QCOMPARE(frame.value(u"text").toString(), text);

    const QByteArray page = JsonCodec::encodePage(json + ',' + json, 42, true, 7);
    const auto decodedPage = JsonCodec::decodePage(page);
    QVERIFY(decodedPage);
    QCOMPARE(decodedPage->messages.size(), 2);
    QCOMPARE(decodedPage->lastSeq, 42);
    QVERIFY(decodedPage->gap);
    QCOMPARE(decodedPage->now, 7);
}

void tst_Room::quoteEscapesExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QString() << QByteArray(R"("")");
    QTest::newRow("nothing to escape") << QStringLiteral("hello") << QByteArray(R"("hello")");
    QTest::newRow("escapes first and last") << QStringLiteral("\"a\\") << QByteArray(R"("\"a\\")");
    QTest::newRow("only escapes") << QStringLiteral("\n\r\t") << QByteArray(R"("\n\r\t")");
    QTest::newRow("other controls")
        << QString::fromLatin1("\x00x\x08\x1f", 4) << QByteArray(R"("\u0000x\u0008\u001f")");
    QTest::newRow("DEL and non-ASCII are kept")
        << QStringLiteral("\x7fä你") << QByteArray("\"\x7f\xc3\xa4\xe4\xbd\xa0\"");
}

void tst_Room::quoteEscapesExactly()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QCOMPARE(JsonCodec::quote(text), json);
    const QJsonArray parsed = QJsonDocument::fromJson("[" + json + "]").array();
    QCOMPARE(parsed.first().toString(), text);
}

void tst_Room::encodeValueMatchesQJsonDocument_data()
{
    QTest::addColumn<QByteArray>("json");
    for (const char *json : {"7", "-12", "0", "-0", "1e3", "9007199254740991", "9007199254740993",
                             "1.5", "-0.25", "1e300", "\"id-1\"", "\"a\\\"b\\n\"", "true", "false",
                             "null", "[1,\"x\"]", "{\"k\":[true]}"})
        QTest::newRow(json) << QByteArray(json);
}

void tst_Room::encodeValueMatchesQJsonDocument()
{
    // An "id" a client sends is echoed in its ack exactly as Qt would serialise it.
    QFETCH(QByteArray, json);
    const QJsonValue value = QJsonDocument::fromJson("[" + json + "]").array().first();
    const QByteArray expected = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    QCOMPARE(JsonCodec::encodeValue(value), expected.mid(1, expected.size() - 2));
}

void tst_Room::appendIntegerWritesAsQByteArrayNumber_data()
{
    QTest::addColumn<qint64>("value");
    for (const qint64 value :
         {qint64(0), qint64(7), qint64(-7), qint64(10), qint64(-10), qint64(1764100000123),
          qint64(9007199254740993), std::numeric_limits<qint64>::max(),
          std::numeric_limits<qint64>::min()})
        QTest::newRow(QByteArray::number(value).constData()) << value;
}

void tst_Room::appendIntegerWritesAsQByteArrayNumber()
{
    QFETCH(qint64, value);
    QByteArray out = "x";
    JsonCodec::appendInteger(out, value);
    QCOMPARE(out, "x" + QByteArray::number(value));
}

void tst_Room::clientCommandReadsAsQJsonDocumentDoes_data()
{
    QTest::addColumn<bool>("flat");
    QTest::addColumn<QByteArray>("json");
    const struct
    {
        bool flat; ///< read in one pass, not by QJsonDocument
        const char *json;
    } inputs[] = {
        {true, R"({"type":"send","id":1,"text":"bench 1a2b 7 123456789"})"},
        {true, R"({"type":"send","text":"hi","client_id":"c-1"})"},
        {true, R"( { "type" : "send" ,
              "text" : "ä 你好 🎉" , "id" : -42 } )"},
        {true, R"({})"},
        {false, R"({"type":"send","text":"a\"b","id":1})"},
        {false, R"({"type":"send","text":"a\nb"})"},
        {false, R"({"type":"send","text":"a\u0000b"})"},
        {false, "{\"type\":\"send\",\"text\":\"raw\ttab\"}"},
        {true, R"({"type":"send","text":12})"},
        {false, R"({"type":"send","text":null})"},
        {false, R"({"type":"send","text":["x"]})"},
        {false, R"({"type":"send","text":{"x":1}})"},
        {true, R"({"type":"send","text":"x","client_id":7})"},
        {false, R"({"type":"send","text":"x","client_id":false})"},
        {true, R"({"type":7,"text":"x"})"},
        {true, R"({"type":"send","text":"x","id":"abc"})"},
        {false, R"({"type":"send","text":"x","id":1.5})"},
        {false, R"({"type":"send","text":"x","id":1e3})"},
        {false, R"({"type":"send","text":"x","id":-0})"},
        {true, R"({"type":"send","text":"x","id":0})"},
        {false, R"({"type":"send","text":"x","id":007})"},
        {true, R"({"type":"send","text":"x","id":999999999999999})"},
        {false, R"({"type":"send","text":"x","id":9007199254740993})"},
        {false, R"({"type":"send","text":"x","id":true})"},
        {false, R"({"type":"send","text":"x","id":{"n":1}})"},
        {false, R"({"type":"send","text":"first","text":"second"})"},
        {false, R"({"type":"send","id":1,"id":2,"text":"x"})"},
        {true, R"({"type":"send","extra":1,"extra":2,"text":"x"})"},
        {false, R"({"type":"send","te\u0078t":"x"})"},
        {false, R"({"type":"send","text":"x",})"},
        {false, R"({"type":"send","text":"x"} trailing)"},
        {false, R"({"type":"send","text":"x"}})"},
        {false, R"({"type":"send","text":"x")"},
        {false, R"({"type":"send","text":"x)"},
        {false, R"({"type":"send" "text":"x"})"},
        {false, R"({"type":"send","text"})"},
        {false, R"({"type":"send","text":})"},
        {false, R"({"type":"send","id":-,"text":"x"})"},
        {false, R"({"type":"send","id":1.,"text":"x"})"},
        {false, R"(["send"])"},
        {false, R"("send")"},
        {false, R"(42)"},
        {false, ""},
        {false, "   "},
        {false, "{"},
        {true, "{\"type\":\"send\",\"text\":\"x\"}\n"},
        {true, "{\"type\":\"send\",\"text\":\"\x7f\"}"},
    };
    for (const auto &input : inputs)
        QTest::newRow(input.json) << input.flat << QByteArray(input.json);
}

void tst_Room::clientCommandReadsAsQJsonDocumentDoes()
{
    QFETCH(bool, flat);
    QFETCH(QByteArray, json);
    const auto reference = JsonCodec::decodeClientCommandWithQt(json);
    QCOMPARE(JsonCodec::decodeClientCommand(json), reference);
    const auto onePass = JsonCodec::decodeFlatClientCommand(json);
    QCOMPARE(onePass.has_value(), flat);
    if (flat)
        QCOMPARE(onePass, reference);
}

void tst_Room::clientCommandMembers()
{
    using Kind = JsonCodec::CommandValue::Kind;
    const auto command = JsonCodec::decodeClientCommand(
        R"({"type":"send","id":-42,"text":"ä 你好","client_id":"c-1","other":"x"})");
    QVERIFY(command);
    QCOMPARE(command->type, (JsonCodec::CommandValue{Kind::String, "send"}));
    QCOMPARE(command->text, (JsonCodec::CommandValue{Kind::String, QStringLiteral("ä 你好")}));
    QCOMPARE(command->clientId, (JsonCodec::CommandValue{Kind::String, "c-1"}));
    QCOMPARE(command->id, QByteArray("-42"));

    const auto bare = JsonCodec::decodeClientCommand(R"({"text":5})");
    QVERIFY(bare);
    QCOMPARE(bare->type.kind, Kind::Absent);
    QCOMPARE(bare->text.kind, Kind::Other);
    QVERIFY(bare->id.isNull());
    QCOMPARE(JsonCodec::decodeClientCommand(R"({"id":1e3})")->id, QByteArray("1000"));
    QCOMPARE(JsonCodec::decodeClientCommand(R"({"id":"a"})")->id, QByteArray(R"("a")"));
    QVERIFY(!JsonCodec::decodeClientCommand("[1]"));
    QVERIFY(!JsonCodec::decodeClientCommand(R"({"type":"send",})"));
}

void tst_Room::postedMessageReadsAsQJsonDocumentDoes_data()
{
    clientCommandReadsAsQJsonDocumentDoes_data(); // the same shapes, read for other members
    QTest::newRow("post") << true << QByteArray(R"({"nick":"ann","text":"hi","client_id":"c1"})");
    QTest::newRow("nick twice") << false << QByteArray(R"({"nick":"a","nick":"b","text":"x"})");
    QTest::newRow("id twice, not read")
        << true << QByteArray(R"({"nick":"a","id":1,"id":2,"text":"x"})");
    QTest::newRow("nick number") << true << QByteArray(R"({"nick":5,"text":"x"})");
    QTest::newRow("nick escape") << false << QByteArray(R"({"nick":"\u0061","text":"x"})");
}

void tst_Room::postedMessageReadsAsQJsonDocumentDoes()
{
    QFETCH(bool, flat);
    QFETCH(QByteArray, json);
    QString referenceError;
    const auto reference = JsonCodec::decodePostedMessageWithQt(json, &referenceError);
    QString error;
    QCOMPARE(JsonCodec::decodePostedMessage(json, &error), reference);
    QCOMPARE(error, referenceError);
    QCOMPARE(error.isEmpty(), reference.has_value());
    const auto onePass = JsonCodec::decodeFlatPostedMessage(json);
    // A post has no "id" or "type" member: a command's repeated "id" does not stop it.
    if (QByteArray(QTest::currentDataTag()) != R"({"type":"send","id":1,"id":2,"text":"x"})")
        QCOMPARE(onePass.has_value(), flat);
    if (onePass)
        QCOMPARE(onePass, reference);
}

void tst_Room::postedMessageMembers()
{
    using Kind = JsonCodec::CommandValue::Kind;
    const auto post = JsonCodec::decodePostedMessage(
        R"({"nick":"ann","text":"ä 你好","client_id":"c-1","type":"x","id":3})");
    QVERIFY(post);
    QCOMPARE(post->nick, (JsonCodec::CommandValue{Kind::String, "ann"}));
    QCOMPARE(post->text, (JsonCodec::CommandValue{Kind::String, QStringLiteral("ä 你好")}));
    QCOMPARE(post->clientId, (JsonCodec::CommandValue{Kind::String, "c-1"}));
    const auto bare = JsonCodec::decodePostedMessage(R"({"text":5})");
    QVERIFY(bare);
    QCOMPARE(bare->nick.kind, Kind::Absent);
    QCOMPARE(bare->text.kind, Kind::Other);
    QString error;
    QVERIFY(!JsonCodec::decodePostedMessage("[1]", &error));
    QCOMPARE(error, QStringLiteral("expected a JSON object"));
    QVERIFY(!JsonCodec::decodePostedMessage(R"({"nick":"a",})", &error));
    QVERIFY(error.startsWith(QStringLiteral("malformed JSON: ")));
}

void tst_Room::webSocketFrameHeaders_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("headerBytes");
    QTest::newRow("empty") << 0 << 2;
    QTest::newRow("125") << 125 << 2;
    QTest::newRow("126") << 126 << 4;
    QTest::newRow("65535") << 65535 << 4;
    QTest::newRow("65536") << 65536 << 10;
}

void tst_Room::webSocketFrameHeaders()
{
    QFETCH(int, size);
    QFETCH(int, headerBytes);
    QByteArray payload(size, 'x');
    if (size > 0)
        payload.back() = 'y';
    const QByteArray frame = WebSocketFrame::text(payload);
    QCOMPARE(frame.size(), size + headerBytes);
    QCOMPARE(WebSocketFrame::payloadOf(frame), payload);
    QCOMPARE(quint8(frame.at(0)), quint8(0x81));
    QCOMPARE(WebSocketFrame::wireSize(size, false), qint64(frame.size()));
    QCOMPARE(WebSocketFrame::wireSize(size, true), qint64(frame.size()) + 4);
}

void tst_Room::presenceTimeoutAndWebSocketGrace()
{
    Presence presence(1000);
    QVERIFY(presence.touch("a", Transport::Polling, 0));
    QVERIFY(!presence.touch("a", Transport::LongPoll, 500));
    QCOMPARE(presence.members().first().transport, std::optional(Transport::LongPoll));
    QVERIFY(!presence.touch("a", std::nullopt, 600)); // a post that does not say how
    QCOMPARE(presence.members().first().transport, std::optional(Transport::LongPoll));
    QCOMPARE(presence.expiryOf("a"), std::optional<qint64>(1600));
    QCOMPARE(presence.expiryOf("nobody"), std::nullopt);
    QVERIFY(presence.expire(1500).isEmpty());
    QCOMPARE(presence.expire(1600), QStringList{"a"});

    QVERIFY(presence.webSocketOpened("w", 0));
    QVERIFY(presence.expire(100000).isEmpty()); // an open socket never times out
    QCOMPARE(presence.expiryOf("w"), std::nullopt);
    QVERIFY(!presence.touch("w", Transport::Polling, 100000));
    QCOMPARE(presence.members().first().transport, std::optional(Transport::WebSocket));
    presence.webSocketClosed("w", 200000, 300);
    QCOMPARE(presence.expiryOf("w"), std::optional<qint64>(200300));
    QVERIFY(presence.expire(200200).isEmpty());
    QCOMPARE(presence.expire(200300), QStringList{"w"});

    // A sender only seen posting without `via` (curl, the tutorial's form) has no transport
    // until it polls or opens a WebSocket.
    QVERIFY(presence.touch("curl", std::nullopt, 300000));
    QCOMPARE(presence.members().first().transport, std::nullopt);
    QVERIFY(!presence.touch("curl", Transport::Polling, 300100));
    QCOMPARE(presence.members().first().transport, std::optional(Transport::Polling));
}

void tst_Room::rateLimiterBucket()
{
    RateLimiter limiter(2);
    QVERIFY(limiter.allow("a", 0));
    QVERIFY(limiter.allow("a", 0));
    QVERIFY(!limiter.allow("a", 0));
    QVERIFY(limiter.allow("b", 0));
    QVERIFY(limiter.allow("a", 500)); // one token back after half a second
    QVERIFY(!limiter.allow("a", 500));
    RateLimiter off(0);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(off.allow("a", 0));
}

void tst_Room::slicesStopAtThePageBound()
{
    Room room(5000);
    for (int i = 0; i < 2500; ++i)
        room.append(MessageKind::Chat, QStringLiteral("ann"), QString(100, u'x'), i);
    // By count: 1000, 1000, then the rest, each page continuing after the last one's end.
    qint64 cursor = 0;
    QList<qsizetype> sizes;
    for (;;) {
        const Room::Slice slice = room.after(cursor);
        sizes.append(slice.entries.size());
        QCOMPARE(slice.entries.first()->seq, cursor + 1);
        cursor = slice.entries.last()->seq;
        const auto page = JsonCodec::decodePage(slice.page(room.lastSeq(), 0));
        QVERIFY(page);
        QCOMPARE(page->more, slice.more);
        QCOMPARE(page->lastSeq, 2500);
        if (!slice.more)
            break;
    }
    QCOMPARE(sizes, (QList<qsizetype>{1000, 1000, 500}));
    QCOMPARE(cursor, 2500);
    QVERIFY(!room.after(2500).more);

    // By bytes: as many whole frames as fit, but always one, however large.
    const qsizetype frame = room.after(0).entries.first()->webSocketFrame.size();
    const Room::Slice bytes = room.after(0, {}, {1000, frame * 3 + 1});
    QCOMPARE(bytes.entries.size(), 3);
    QVERIFY(bytes.more);
    const Room::Slice one = room.after(10, {}, {1000, 1});
    QCOMPARE(one.entries.size(), 1);
    QCOMPARE(one.entries.first()->seq, 11);
    QVERIFY(one.more);
    // A reset starts from the oldest retained message, paged as well.
    const Room::Slice reset = room.after(9999);
    QVERIFY(reset.reset);
    QCOMPARE(reset.entries.size(), 1000);
    QVERIFY(reset.more);
}

QTEST_APPLESS_MAIN(tst_Room)
#include "tst_room.moc"
