#include "staticfiles.h"

#include <QTest>

using namespace PushChat;

class tst_StaticFiles : public QObject
{
    Q_OBJECT

private slots:
    void servesEmbeddedFiles_data();
    void servesEmbeddedFiles();
    void refusesEverythingElse_data();
    void refusesEverythingElse();
    void conditionalGet_data();
    void conditionalGet();
    void pageHasPolicy();
    void contentTypes_data();
    void contentTypes();
};

void tst_StaticFiles::servesEmbeddedFiles_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("contains");
    QTest::addRow("root") << QByteArray("/") << QByteArray("text/html; charset=utf-8")
                          << QByteArray("<!doctype html>");
    QTest::addRow("index.html") << QByteArray("/index.html")
                                << QByteArray("text/html; charset=utf-8")
                                << QByteArray("/static/app.js");
    QTest::addRow("script") << QByteArray("/static/app.js")
                            << QByteArray("text/javascript; charset=utf-8")
                            << QByteArray("import ");
    // Messages are shown as text, never parsed as HTML.
    QTest::addRow("chat log module")
        << QByteArray("/static/chatlog.js") << QByteArray("text/javascript; charset=utf-8")
        << QByteArray("textContent");
    QTest::addRow("translations") << QByteArray("/static/i18n.js")
                                  << QByteArray("text/javascript; charset=utf-8")
                                  << QByteArray("zh");
    QTest::addRow("style") << QByteArray("/static/app.css") << QByteArray("text/css; charset=utf-8")
                           << QByteArray("prefers-color-scheme");
    QTest::addRow("icon") << QByteArray("/static/icon.svg") << QByteArray("image/svg+xml")
                          << QByteArray("<svg");
}

void tst_StaticFiles::servesEmbeddedFiles()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, contains);
    const StaticResponse response = StaticFiles::serve(path);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.contentType, contentType);
    QVERIFY(response.body.contains(contains));
    QVERIFY(response.etag.startsWith('"') && response.etag.endsWith('"'));
    QVERIFY(response.etag.size() > 10);
    QCOMPARE(response.cacheControl, QByteArray("no-cache"));
    QVERIFY(response.extraHeaders.contains("X-Content-Type-Options: nosniff\r\n"));
}

void tst_StaticFiles::refusesEverythingElse_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addRow("unknown file") << QByteArray("/static/nope.js");
    QTest::addRow("static dir") << QByteArray("/static/");
    QTest::addRow("no slash") << QByteArray("/static");
    QTest::addRow("dot dot") << QByteArray("/static/../static/app.js");
    QTest::addRow("dot dot out") << QByteArray("/static/../../etc/passwd");
    QTest::addRow("encoded dot dot") << QByteArray("/static/%2e%2e/app.js");
    QTest::addRow("encoded name") << QByteArray("/static/app%2ejs");
    QTest::addRow("double slash") << QByteArray("/static//app.js");
    QTest::addRow("dot segment") << QByteArray("/static/./app.js");
    QTest::addRow("qt resource") << QByteArray("/static/:/web/app.js");
    QTest::addRow("absolute") << QByteArray("/static//etc/passwd");
    QTest::addRow("backslash") << QByteArray("/static/..\\app.js");
    QTest::addRow("trailing slash") << QByteArray("/static/app.js/");
    QTest::addRow("outside static") << QByteArray("/app.js");
    QTest::addRow("case") << QByteArray("/static/APP.JS");
    QTest::addRow("empty") << QByteArray("");
}

void tst_StaticFiles::refusesEverythingElse()
{
    QFETCH(QByteArray, path);
    const StaticResponse response = StaticFiles::serve(path);
    QCOMPARE(response.status, 404);
    QVERIFY(response.etag.isEmpty());
    QVERIFY(!response.body.contains("function"));
}

void tst_StaticFiles::conditionalGet_data()
{
    const QByteArray etag = StaticFiles::serve("/static/app.js").etag;
    QTest::addColumn<QByteArray>("ifNoneMatch");
    QTest::addColumn<int>("status");
    QTest::addRow("absent") << QByteArray() << 200;
    QTest::addRow("empty") << QByteArray("") << 200;
    QTest::addRow("same") << etag << 304;
    QTest::addRow("weak") << QByteArray("W/" + etag) << 304;
    QTest::addRow("in a list") << QByteArray("\"abc\", " + etag + " ,\"def\"") << 304;
    QTest::addRow("star") << QByteArray("*") << 304;
    QTest::addRow("other") << QByteArray("\"0123456789abcdef0123\"") << 200;
    QTest::addRow("unquoted") << etag.mid(1, etag.size() - 2) << 200;
    QTest::addRow("prefix") << etag.left(etag.size() - 2) + '"' << 200;
}

void tst_StaticFiles::conditionalGet()
{
    QFETCH(QByteArray, ifNoneMatch);
    QFETCH(int, status);
    const StaticResponse full = StaticFiles::serve("/static/app.js");
    const StaticResponse response = StaticFiles::serve("/static/app.js", ifNoneMatch);
    QCOMPARE(response.status, status);
    QCOMPARE(response.etag, full.etag);
    QCOMPARE(response.cacheControl, full.cacheControl);
    if (status == 304)
        QVERIFY(response.body.isEmpty());
    else
        QCOMPARE(response.body, full.body);
}

void tst_StaticFiles::pageHasPolicy()
{
    QVERIFY(StaticFiles::serve("/").extraHeaders.contains("Content-Security-Policy: "));
    QVERIFY(StaticFiles::serve("/").extraHeaders.contains("script-src 'self'"));
    QCOMPARE(StaticFiles::serve("/").etag, StaticFiles::serve("/index.html").etag);
    QVERIFY(StaticFiles::serve("/").etag != StaticFiles::serve("/static/app.js").etag);
}

void tst_StaticFiles::contentTypes_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("type");
    QTest::addRow("html") << QByteArray("a.html") << QByteArray("text/html; charset=utf-8");
    QTest::addRow("css") << QByteArray("a.css") << QByteArray("text/css; charset=utf-8");
    QTest::addRow("js") << QByteArray("a.js") << QByteArray("text/javascript; charset=utf-8");
    QTest::addRow("svg") << QByteArray("a.svg") << QByteArray("image/svg+xml");
    QTest::addRow("png") << QByteArray("a.png") << QByteArray("image/png");
    QTest::addRow("unknown") << QByteArray("a.bin") << QByteArray("application/octet-stream");
    QTest::addRow("no extension") << QByteArray("js") << QByteArray("application/octet-stream");
}

void tst_StaticFiles::contentTypes()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, type);
    QCOMPARE(StaticFiles::contentTypeFor(name), type);
}

QTEST_APPLESS_MAIN(tst_StaticFiles)
#include "tst_staticfiles.moc"
