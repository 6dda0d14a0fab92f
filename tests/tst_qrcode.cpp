#include "qrcode.h"
#include "qrendpoint.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace PushChat;

// QrCode (libqrencode wrapper) and the server's GET /api/qr.svg, checked by decoding what they
// draw with a real QR reader: zbarimg from Debian's zbar-tools.
class tst_QrCode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decodesToTheInput_data();
    void decodesToTheInput();
    void refusesWhatDoesNotFit_data();
    void refusesWhatDoesNotFit();
    void largestInputFits();
    void outsideTheSymbolIsLight();
    void svgDrawsEveryModule();
    void endpointDrawsJoinAddresses_data();
    void endpointDrawsJoinAddresses();
    void endpointRefusesOtherText_data();
    void endpointRefusesOtherText();

private:
    QString decodeWithZbar(const QString &imagePath);
    QString writePbm(const QrCode &code, const QString &name);

    QString m_zbarimg;
    QTemporaryDir m_dir;
};

void tst_QrCode::initTestCase()
{
    m_zbarimg = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
    if (m_zbarimg.isEmpty())
        QFAIL("zbarimg not found: install Debian's zbar-tools (scripts/deps.sh test)");
    QVERIFY(m_dir.isValid());
}

// A plain PBM (P1) at 4 pixels a module with the standard 4-module quiet zone: an image any
// reader takes, written without a graphics library.
QString tst_QrCode::writePbm(const QrCode &code, const QString &name)
{
    constexpr int Scale = 4;
    constexpr int QuietZone = 4;
    const int pixels = (code.size() + 2 * QuietZone) * Scale;
    QByteArray pbm = "P1\n" + QByteArray::number(pixels) + ' ' + QByteArray::number(pixels) + '\n';
    for (int row = 0; row < pixels; ++row) {
        for (int column = 0; column < pixels; ++column) {
            const bool dark = code.isDark(column / Scale - QuietZone, row / Scale - QuietZone);
            pbm += dark ? '1' : '0';
        }
        pbm += '\n';
    }
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pbm) != pbm.size())
        return {};
    return path;
}

QString tst_QrCode::decodeWithZbar(const QString &imagePath)
{
    QProcess zbar;
    zbar.start(m_zbarimg, {QStringLiteral("--raw"), QStringLiteral("-q"), imagePath});
    if (!zbar.waitForFinished(30000) || zbar.exitStatus() != QProcess::NormalExit ||
        zbar.exitCode() != 0) {
        qWarning() << "zbarimg failed:" << zbar.exitCode() << zbar.readAllStandardError();
        return {};
    }
    QString decoded = QString::fromUtf8(zbar.readAllStandardOutput());
    // --raw still ends each symbol with a newline.
    if (decoded.endsWith(u'\n'))
        decoded.chop(1);
    return decoded;
}

void tst_QrCode::decodesToTheInput_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("join address") << QByteArray("http://127.0.0.1:8765/");
    QTest::addRow("join address with a mode")
        << QByteArray("http://127.0.0.1:40123/?mode=websocket");
    QTest::addRow("IPv6 host") << QByteArray("http://[::1]:8765/");
    QTest::addRow("https") << QByteArray("https://chat.example.org/room?mode=longpoll");
    QTest::addRow("long query, a large version")
        << QByteArray("http://127.0.0.1:8765/?q=" + QByteArray(900, 'x'));
}

void tst_QrCode::decodesToTheInput()
{
    QFETCH(QByteArray, text);
    const std::optional<QrCode> code = QrCode::encode(text);
    QVERIFY(code);
    // 17 + 4 × version modules a side, version 1 to 40.
    QVERIFY(code->size() >= 21 && code->size() <= 177);
    QCOMPARE((code->size() - 17) % 4, 0);
    const QString image = writePbm(*code, QStringLiteral("%1.pbm").arg(QTest::currentDataTag()));
    QVERIFY(!image.isEmpty());
    QCOMPARE(decodeWithZbar(image), QString::fromLatin1(text));
}

void tst_QrCode::refusesWhatDoesNotFit_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("one byte over version 40-M") << QByteArray(2332, 'a');
    QTest::addRow("far over") << QByteArray(100000, 'a');
}

void tst_QrCode::refusesWhatDoesNotFit()
{
    QFETCH(QByteArray, text);
    QVERIFY(!QrCode::encode(text));
}

void tst_QrCode::largestInputFits()
{
    const std::optional<QrCode> code = QrCode::encode(QByteArray(2331, 'a'));
    QVERIFY(code);
    QCOMPARE(code->size(), 177);
}

void tst_QrCode::outsideTheSymbolIsLight()
{
    const std::optional<QrCode> code = QrCode::encode("http://127.0.0.1:8765/");
    QVERIFY(code);
    const int size = code->size();
    // The finder pattern's corner module is dark; just outside the symbol is quiet zone.
    QVERIFY(code->isDark(0, 0));
    QVERIFY(code->isDark(size - 1, 0));
    QVERIFY(code->isDark(0, size - 1));
    for (const auto &[x, y] : {std::pair{-1, 0}, {0, -1}, {size, 0}, {0, size}, {size, size}})
        QVERIFY2(!code->isDark(x, y), qPrintable(QStringLiteral("%1,%2").arg(x).arg(y)));
}

// The SVG's path, read back rectangle by rectangle, covers exactly the dark modules.
void tst_QrCode::svgDrawsEveryModule()
{
    const std::optional<QrCode> code = QrCode::encode("http://192.168.1.20:8765/?mode=websocket");
    QVERIFY(code);
    constexpr int QuietZone = 4;
    const QByteArray svg = code->toSvg(QuietZone);
    const int side = code->size() + 2 * QuietZone;
    QVERIFY(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    QVERIFY(svg.contains(QStringLiteral("viewBox=\"0 0 %1 %1\"").arg(side).toLatin1()));

    const QRegularExpression pathData(QStringLiteral("<path fill=\"#000\" d=\"([^\"]*)\"/>"));
    const QRegularExpressionMatch match = pathData.match(QString::fromLatin1(svg));
    QVERIFY(match.hasMatch());
    QList<bool> drawn(side * side, false);
    const QRegularExpression run(QStringLiteral("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z"));
    qsizetype consumed = 0;
    for (const QRegularExpressionMatch &step : run.globalMatch(match.captured(1))) {
        QCOMPARE(step.capturedStart(), consumed);
        consumed = step.capturedEnd();
        const int x = step.captured(1).toInt();
        const int y = step.captured(2).toInt();
        const int length = step.captured(3).toInt();
        QCOMPARE(step.captured(4).toInt(), length);
        for (int i = 0; i < length; ++i) {
            QVERIFY(x + i < side && y < side);
            QVERIFY2(!drawn[y * side + x + i], "a module drawn twice");
            drawn[y * side + x + i] = true;
        }
    }
    QCOMPARE(consumed, match.captured(1).size());
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x)
            QCOMPARE(drawn[y * side + x], code->isDark(x - QuietZone, y - QuietZone));
    }
}

void tst_QrCode::endpointDrawsJoinAddresses_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("plain") << QByteArray("text=http%3A%2F%2F127.0.0.1%3A8765%2F")
                           << QByteArray("http://127.0.0.1:8765/");
    QTest::addRow("unescaped, with a mode")
        << QByteArray("text=http://127.0.0.1:8765/%3Fmode%3Dlongpoll")
        << QByteArray("http://127.0.0.1:8765/?mode=longpoll");
    QTest::addRow("other parameters ignored") << QByteArray("v=2&text=https%3A%2F%2Fexample.org%2F")
                                              << QByteArray("https://example.org/");
    QTest::addRow("exactly 1 KiB")
        << QByteArray("text=http://127.0.0.1:8765/%3Fq%3D" + QByteArray(1024 - 25, 'x'))
        << QByteArray("http://127.0.0.1:8765/?q=" + QByteArray(1024 - 25, 'x'));
}

void tst_QrCode::endpointDrawsJoinAddresses()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, text);
    QCOMPARE(text.size() <= QrEndpoint::MaxTextBytes, true);
    const QrResponse response = QrEndpoint::serve(query);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.contentType, QByteArray("image/svg+xml"));
    QVERIFY(response.extraHeaders.contains("Cache-Control: no-store\r\n"));
    QVERIFY(response.extraHeaders.contains("X-Content-Type-Options: nosniff\r\n"));
    // The text only shapes the modules: none of it is echoed into the SVG.
    QVERIFY(!response.body.contains("127.0.0.1") && !response.body.contains("example.org"));
    const std::optional<QrCode> expected = QrCode::encode(text);
    QVERIFY(expected);
    QCOMPARE(response.body, expected->toSvg());
    const QString image = writePbm(*expected, QStringLiteral("endpoint.pbm"));
    QCOMPARE(decodeWithZbar(image), QString::fromLatin1(text));
}

void tst_QrCode::endpointRefusesOtherText_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addRow("no query") << QByteArray();
    QTest::addRow("no text") << QByteArray("url=http://127.0.0.1/");
    QTest::addRow("empty text") << QByteArray("text=");
    QTest::addRow("bad escape") << QByteArray("text=http://127.0.0.1/%zz");
    QTest::addRow("not UTF-8") << QByteArray("text=http://127.0.0.1/%ff%fe");
    QTest::addRow("not a URL") << QByteArray("text=hello+world");
    QTest::addRow("javascript") << QByteArray("text=javascript:alert(1)");
    QTest::addRow("ftp") << QByteArray("text=ftp://127.0.0.1/");
    QTest::addRow("no host") << QByteArray("text=http:///path");
    QTest::addRow("one byte over 1 KiB")
        << QByteArray("text=http://127.0.0.1:8765/%3Fq%3D" + QByteArray(1025 - 25, 'x'));
}

void tst_QrCode::endpointRefusesOtherText()
{
    QFETCH(QByteArray, query);
    const QrResponse response = QrEndpoint::serve(query);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.contentType, QByteArray("application/json"));
    QVERIFY(response.extraHeaders.contains("Cache-Control: no-store\r\n"));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(response.body, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QVERIFY2(!json.object().value(u"error").toString().isEmpty(), response.body.constData());
}

QTEST_GUILESS_MAIN(tst_QrCode)
#include "tst_qrcode.moc"
