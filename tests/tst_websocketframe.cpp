#include "websocketframe.h"
#include "websockettestclient.h"

#include <QTest>

using namespace PushChat::WebSocketFrame;
using Status = ParsedFrame::Status;

using TestWebSocket::clientFrame;

class tst_WebSocketFrame : public QObject
{
    Q_OBJECT

private slots:
    void parsesMaskedFrames_data();
    void parsesMaskedFrames();
    void everyPrefixIsIncomplete();
    void followingBytesAreLeftAlone();
    void rejectsMalformedFrames_data();
    void rejectsMalformedFrames();
    void tooBigIsRefusedFromTheHeader();
    void serverFramesUseShortestLength_data();
    void serverFramesUseShortestLength();
    void closeFrameCutsReasonAtCharacter();
    void closeCodes_data();
    void closeCodes();
    void utf8Validation_data();
    void utf8Validation();
};

void tst_WebSocketFrame::parsesMaskedFrames_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");

    const QByteArray json = R"({"type":"send","text":"hi"})";
    QTest::newRow("text") << clientFrame(0x81, json) << true << int(Text) << json;
    QTest::newRow("empty text") << clientFrame(0x81, {}) << true << int(Text) << QByteArray();
    QTest::newRow("binary with zero bytes") << clientFrame(0x82, QByteArray("\x00\xff\x00", 3))
                                            << true << int(Binary) << QByteArray("\x00\xff\x00", 3);
    QTest::newRow("125 bytes, 7-bit length")
        << clientFrame(0x81, QByteArray(125, 'a')) << true << int(Text) << QByteArray(125, 'a');
    QTest::newRow("126 bytes, 16-bit length")
        << clientFrame(0x81, QByteArray(126, 'b')) << true << int(Text) << QByteArray(126, 'b');
    QTest::newRow("65535 bytes") << clientFrame(0x82, QByteArray(65535, 'c')) << true << int(Binary)
                                 << QByteArray(65535, 'c');
    QTest::newRow("65536 bytes, 64-bit length") << clientFrame(0x82, QByteArray(65536, 'd')) << true
                                                << int(Binary) << QByteArray(65536, 'd');
    QTest::newRow("first fragment")
        << clientFrame(0x01, "hel") << false << int(Text) << QByteArray("hel");
    QTest::newRow("last continuation")
        << clientFrame(0x80, "lo") << true << int(Continuation) << QByteArray("lo");
    QTest::newRow("ping") << clientFrame(0x89, "are you there") << true << int(Ping)
                          << QByteArray("are you there");
    QTest::newRow("pong, zero mask")
        << clientFrame(0x8a, "x", QByteArray(4, '\0')) << true << int(Pong) << QByteArray("x");
    QTest::newRow("close 1000") << clientFrame(0x88, QByteArray("\x03\xe8", 2)) << true
                                << int(Close) << QByteArray("\x03\xe8", 2);
}

void tst_WebSocketFrame::parsesMaskedFrames()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, fin);
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);

    const ParsedFrame frame = parseClientFrame(wire, 1 << 20);
    QCOMPARE(frame.status, Status::Complete);
    QCOMPARE(frame.fin, fin);
    QCOMPARE(int(frame.opcode), opcode);
    QCOMPARE(frame.payload, payload);
    QCOMPARE(frame.consumed, wire.size());
}

void tst_WebSocketFrame::everyPrefixIsIncomplete()
{
    for (const qsizetype size : {0, 5, 125, 126, 300, 65536}) {
        const QByteArray wire = clientFrame(0x81, QByteArray(size, 'z'));
        for (qsizetype cut = 0; cut < wire.size(); cut += (cut < 20 ? 1 : 97)) {
            const ParsedFrame frame = parseClientFrame(QByteArrayView(wire).first(cut), 1 << 20);
            QVERIFY2(frame.status == Status::Incomplete,
                     qPrintable(QStringLiteral("size %1 cut at %2").arg(size).arg(cut)));
            QCOMPARE(frame.consumed, 0);
        }
    }
}

void tst_WebSocketFrame::followingBytesAreLeftAlone()
{
    const QByteArray first = clientFrame(0x81, "one");
    const QByteArray wire = first + clientFrame(0x81, "two") + "\x81";
    const ParsedFrame frame = parseClientFrame(wire, 1024);
    QCOMPARE(frame.status, Status::Complete);
    QCOMPARE(frame.payload, QByteArray("one"));
    QCOMPARE(frame.consumed, first.size());
    const ParsedFrame second = parseClientFrame(QByteArrayView(wire).sliced(first.size()), 1024);
    QCOMPARE(second.payload, QByteArray("two"));
}

void tst_WebSocketFrame::rejectsMalformedFrames_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("closeCode");

    QByteArray unmasked = frame(Text, "hi");
    QTest::newRow("unmasked") << unmasked << int(CloseProtocolError);
    QTest::newRow("RSV1 without an extension")
        << clientFrame(0xc1, "hi") << int(CloseProtocolError);
    QTest::newRow("RSV3") << clientFrame(0x91, "hi") << int(CloseProtocolError);
    QTest::newRow("opcode 3") << clientFrame(0x83, "hi") << int(CloseProtocolError);
    QTest::newRow("opcode 0xB") << clientFrame(0x8b, "hi") << int(CloseProtocolError);
    QTest::newRow("fragmented ping") << clientFrame(0x09, "hi") << int(CloseProtocolError);
    QTest::newRow("126-byte ping")
        << clientFrame(0x89, QByteArray(126, 'p')) << int(CloseProtocolError);
    QByteArray longForm("\x81\xfe\x00\x05", 4); // 5 in the 16-bit form
    QTest::newRow("16-bit length for 5 bytes") << longForm << int(CloseProtocolError);
    QByteArray longerForm("\x81\xff\x00\x00\x00\x00\x00\x00\x01\x00", 10); // 256 in 64 bits
    QTest::newRow("64-bit length for 256 bytes") << longerForm << int(CloseProtocolError);
    QByteArray topBit("\x81\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10);
    QTest::newRow("64-bit length with top bit") << topBit << int(CloseProtocolError);
}

void tst_WebSocketFrame::rejectsMalformedFrames()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, closeCode);
    const ParsedFrame frame = parseClientFrame(wire, 1 << 20);
    QCOMPARE(frame.status, Status::Error);
    QCOMPARE(int(frame.closeCode), closeCode);
    QVERIFY(frame.error && *frame.error);
}

void tst_WebSocketFrame::tooBigIsRefusedFromTheHeader()
{
    // Only the header has arrived: the answer must not wait for 70 KiB of payload.
    const QByteArray header = clientFrame(0x81, QByteArray(70 * 1024, 'x')).first(14);
    const ParsedFrame frame = parseClientFrame(header, 64 * 1024);
    QCOMPARE(frame.status, Status::Error);
    QCOMPARE(int(frame.closeCode), int(CloseTooBig));
    QCOMPARE(parseClientFrame(clientFrame(0x81, QByteArray(1024, 'x')), 1024).status,
             Status::Complete);
}

void tst_WebSocketFrame::serverFramesUseShortestLength_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("headerBytes");
    QTest::newRow("0") << 0 << 2;
    QTest::newRow("125") << 125 << 2;
    QTest::newRow("126") << 126 << 4;
    QTest::newRow("65535") << 65535 << 4;
    QTest::newRow("65536") << 65536 << 10;
}

void tst_WebSocketFrame::serverFramesUseShortestLength()
{
    QFETCH(int, size);
    QFETCH(int, headerBytes);
    const QByteArray bytes = frame(Binary, QByteArray(size, 'q'));
    QCOMPARE(bytes.size(), size + headerBytes);
    QCOMPARE(quint8(bytes.at(0)), quint8(0x82));
    QCOMPARE(wireSize(size, false), qint64(bytes.size()));
    QCOMPARE(wireSize(size, true), qint64(bytes.size()) + 4);
    QCOMPARE(bytes.right(size), QByteArray(size, 'q'));
}

void tst_WebSocketFrame::closeFrameCutsReasonAtCharacter()
{
    const QByteArray plain = close(CloseTooBig, "message too big");
    QCOMPARE(plain, QByteArray("\x88\x11\x03\xf1message too big", 19));
    // 62 two-byte characters are 124 bytes: only 61 fit beside the code.
    const QByteArray reason = QStringLiteral("é").repeated(62).toUtf8();
    const QByteArray cut = close(CloseGoingAway, reason);
    QCOMPARE(cut.size(), 2 + 2 + 122);
    QVERIFY(isValidUtf8(cut.sliced(4)));
    QCOMPARE(close(CloseNormal), QByteArray("\x88\x02\x03\xe8", 4));
}

void tst_WebSocketFrame::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("1000") << 1000 << true;
    QTest::newRow("1001") << 1001 << true;
    QTest::newRow("1003") << 1003 << true;
    QTest::newRow("1004 reserved") << 1004 << false;
    QTest::newRow("1005 never on the wire") << 1005 << false;
    QTest::newRow("1006 never on the wire") << 1006 << false;
    QTest::newRow("1007") << 1007 << true;
    QTest::newRow("1011") << 1011 << true;
    QTest::newRow("1015 never on the wire") << 1015 << false;
    QTest::newRow("999") << 999 << false;
    QTest::newRow("3000") << 3000 << true;
    QTest::newRow("4999") << 4999 << true;
    QTest::newRow("5000") << 5000 << false;
}

void tst_WebSocketFrame::closeCodes()
{
    QFETCH(int, code);
    QFETCH(bool, valid);
    QCOMPARE(isValidReceivedCloseCode(quint16(code)), valid);
}

void tst_WebSocketFrame::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("two, three, four bytes") << QStringLiteral("é中😀").toUtf8() << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong three-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("lone continuation") << QByteArray("a\x80") << false;
    QTest::newRow("cut short") << QByteArray("\xe4\xb8") << false;
    QTest::newRow("0xff") << QByteArray("\xff") << false;
    QTest::newRow("overlong four-byte") << QByteArray("\xf0\x80\x80\xaf") << false;
    QTest::newRow("surrogate pair, CESU-8") << QByteArray("\xed\xa0\xbd\xed\xb8\x80") << false;
    QTest::newRow("noncharacter U+FFFF") << QByteArray("\xef\xbf\xbf") << true;
    QTest::newRow("cut short at the end") << QByteArray("ok\xf0\x9f\x98") << false;
}

void tst_WebSocketFrame::utf8Validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(bytes), valid);
}

QTEST_APPLESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
