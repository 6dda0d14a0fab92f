// Readable on a projector: presentation mode on a 1280×720 screen, the zoom and its memory,
// the window fitting 1280×720 at 150 % text, and the join banner's QR code read back by a real
// QR reader (zbarimg from Debian's zbar-tools).

#include "appoptions.h"
#include "chatclient.h"
#include "chatpage.h"
#include "comparecounters.h"
#include "comparesession.h"
#include "compareview.h"
#include "contrast.h"
#include "defaultroute.h"
#include "joinbanner.h"
#include "languagefont.h"
#include "mainwindow.h"
#include "modetoggle.h"
#include "presentation.h"
#include "presentationbar.h"
#include "qrcodewidget.h"
#include "servercostpanel.h"
#include "sessioncontroller.h"
#include "timelinewidget.h"
#include "zoom.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <cmath>

using namespace PushChat;

namespace {
constexpr int Timeout = 30000;
constexpr QSize Projector(1280, 720);

bool inRoom(const MainWindow &window)
{
    return window.session()->phase() == SessionController::Phase::InRoom;
}

void hostOnAnyPort(MainWindow &window)
{
    SessionRequest request;
    request.kind = SessionRequest::Kind::Host;
    request.roomName = QStringLiteral("Class 4B");
    request.nick = QStringLiteral("teacher");
    request.port = 0;
    window.start(request);
}

int pixelSize(const QWidget *widget)
{
    return QFontInfo(widget->font()).pixelSize();
}

// The window's smallest size in the layout it has now (menus, status bar and the current page).
QSize minimumOf(MainWindow &window)
{
    window.layout()->activate();
    return window.minimumSizeHint().expandedTo(window.minimumSize());
}
} // namespace

class tst_Presentation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultRouteFromProcNetRoute_data();
    void defaultRouteFromProcNetRoute();
    void zoomSteps();
    void zoomIsRememberedAcrossWindows();
    void presentationModeFillsTheScreenWithLargeType();
    void windowFitsAProjectorAt150Percent();
    void compareViewWithServerCostFitsWhole();
    void qrCodeDecodesToTheShownAddress();
    void presentFromTheCommandLine();

private:
    QString decodeWithZbar(const QString &imagePath);

    QTemporaryDir m_dir;
};

void tst_Presentation::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_presentation"));
    // main() gave the offscreen platform one 1280×720 screen.
    const QScreen *screen = QGuiApplication::primaryScreen();
    QCOMPARE(screen->geometry().size() * screen->devicePixelRatio(), Projector);
}

void tst_Presentation::defaultRouteFromProcNetRoute_data()
{
    const QByteArray header =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU"
        "\tWindow\tIRTT                                                       "
        "\n";
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<QString>("interface");
    QTest::addRow("one default route")
        << header + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                    "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        << QStringLiteral("eth0");
    QTest::addRow("lowest metric wins")
        << header + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
                    "wlp2s0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                    "enp3s0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
        << QStringLiteral("enp3s0");
    QTest::addRow("only a subnet route")
        << header + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        << QString();
    QTest::addRow("default route not up")
        << header + "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"
        << QString();
    QTest::addRow("header only") << header << QString();
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("not the route table")
        << QByteArray("eth0 00000000 010200C0 0003\n") << QString();
}

void tst_Presentation::defaultRouteFromProcNetRoute()
{
    QFETCH(QByteArray, table);
    QFETCH(QString, interface);
    QCOMPARE(DefaultRoute::interfaceIn(table), interface);
}

void tst_Presentation::zoomSteps()
{
    QCOMPARE(Zoom::step(100, 1), 110);
    QCOMPARE(Zoom::step(100, -1), 90);
    QCOMPARE(Zoom::step(300, 1), 300);
    QCOMPARE(Zoom::step(50, -1), 50);
    QCOMPARE(Zoom::snapped(148), 150);
    QFont pointFont;
    pointFont.setPointSizeF(10);
    QCOMPARE(Zoom::scaled(pointFont, 150).pointSizeF(), 15.0);
    QFont pixelFont;
    pixelFont.setPixelSize(20);
    QCOMPARE(Zoom::scaled(pixelFont, 150).pixelSize(), 30);
}

void tst_Presentation::zoomIsRememberedAcrossWindows()
{
    const double desktop = QApplication::font().pointSizeF();
    {
        MainWindow first;
        QCOMPARE(first.zoomPercent(), 100);
        auto *zoomIn = first.findChild<QAction *>(QStringLiteral("zoomInAction"));
        QVERIFY(zoomIn);
        QCOMPARE(zoomIn->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Equal));
        zoomIn->trigger();
        zoomIn->trigger();
        QCOMPARE(first.zoomPercent(), 125);
        QCOMPARE(first.font().pointSizeF(), desktop * 1.25);
        // Every page follows the window's font.
        QCOMPARE(first.chatPage()->input()->font().pointSizeF(), desktop * 1.25);
        QCOMPARE(first.compareView()->font().pointSizeF(), desktop * 1.25);
    }
    {
        MainWindow second;
        QCOMPARE(second.zoomPercent(), 125);
        QCOMPARE(second.font().pointSizeF(), desktop * 1.25);
        second.findChild<QAction *>(QStringLiteral("zoomOutAction"))->trigger();
        QCOMPARE(second.zoomPercent(), 110);
        second.findChild<QAction *>(QStringLiteral("zoomResetAction"))->trigger();
        QCOMPARE(second.zoomPercent(), 100);
        QCOMPARE(second.font().pointSizeF(), desktop);
    }
    MainWindow third;
    QCOMPARE(third.zoomPercent(), 100);
}

void tst_Presentation::presentationModeFillsTheScreenWithLargeType()
{
    MainWindow window;
    window.show();
    hostOnAnyPort(window);
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(window), Timeout);
    const int desktopPixels = pixelSize(window.chatPage()->input());

    window.presentAction()->trigger();
    QVERIFY(window.isPresenting());
    QTRY_VERIFY(window.windowState().testFlag(Qt::WindowFullScreen));
    QTRY_COMPARE(window.geometry().size(), Projector);
    // Body text at least 3 % of the screen's height: 22 px at 720 lines.
    const QRect screen = window.screen()->geometry();
    const int least = int(std::ceil(screen.height() * 0.03));
    QCOMPARE(least, 22);
    QCOMPARE(Presentation::bodyPixelSize(screen.size(), 100), least);
    QVERIFY2(pixelSize(window.chatPage()->input()) >= least,
             qPrintable(QString::number(pixelSize(window.chatPage()->input()))));
    QVERIFY(pixelSize(window.chatPage()->messageView()) >= least);
    QVERIFY(pixelSize(window.chatPage()->inputByteCounter()) >= least);
    QVERIFY(pixelSize(window.chatPage()->modeToggle()->button(Transport::Polling)) >= least);
    const auto *inspector = window.findChild<QTableView *>(QStringLiteral("inspectorTable"));
    QVERIFY(inspector->horizontalHeader()->height() >=
            QFontMetrics(inspector->horizontalHeader()->font()).height());
    QVERIFY(pixelSize(window.compareView()) >= least);
    // The essentials: no menu bar, no start or host controls; the join banner on top.
    QVERIFY(!window.menuBar()->isVisible());
    QVERIFY(!window.findChild<QWidget *>(QStringLiteral("leaveButton"))->isVisible());
    JoinBanner *banner = window.presentationBar()->joinBanner();
    QVERIFY(banner->isVisible());
    QVERIFY(!banner->address().isEmpty());
    QCOMPARE(banner->address(), banner->addresses().constFirst());
    // Every text on the page readable: WCAG AA against its background.
    const auto labels = window.findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        if (!label->isVisible())
            continue;
        const QPalette palette = label->palette();
        const double ratio = contrastRatio(palette.color(label->foregroundRole()),
                                           palette.color(label->backgroundRole()));
        QVERIFY2(ratio >= 4.5, qPrintable(label->text()));
    }
    QVERIFY(minimumOf(window).width() <= Projector.width());
    QVERIFY2(minimumOf(window).height() <= Projector.height(),
             qPrintable(QString::number(minimumOf(window).height())));
    // The compare view in presentation mode fits the projector too.
    window.showCompare(true);
    QVERIFY(window.isComparing());
    const CompareView *view = window.compareView();
    QVERIFY(pixelSize(view->table()->horizontalHeader()) >= least);
    QVERIFY(pixelSize(view->counters()) >= least);
    QVERIFY(pixelSize(view->timeline()) >= least);
    QVERIFY(!view->timeline()->captionsShown());
    // Nothing cut off: every counter's name and figure fits its column.
    // Once the WebSocket observer's handshake shows, the longest figure is there.
    const auto setupShown = [view] {
        for (const CompareCounters::Figure &figure : view->counters()->figures()) {
            if (figure.name == QStringLiteral("Connection setup"))
                return figure.values[size_t(Transport::WebSocket)] > 0;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(setupShown(), Timeout);
    const QFontMetrics counterFont(view->counters()->font());
    const auto columns = view->counters()->columns();
    QCOMPARE(columns.size(), 4);
    for (const CompareCounters::Figure &figure : view->counters()->figures()) {
        QVERIFY2(counterFont.horizontalAdvance(figure.name) <= columns[0].second - 8,
                 qPrintable(figure.name));
        for (int t = 0; t < 3; ++t)
            QVERIFY2(counterFont.horizontalAdvance(figure.texts[size_t(t)]) <=
                         columns[t + 1].second - 12,
                     qPrintable(QStringLiteral("%1: %2 px in %3")
                                    .arg(figure.texts[size_t(t)])
                                    .arg(counterFont.horizontalAdvance(figure.texts[size_t(t)]))
                                    .arg(columns[t + 1].second - 12)));
    }
    QVERIFY2(minimumOf(window).height() <= Projector.height(),
             qPrintable(QString::number(minimumOf(window).height())));
    window.showCompare(false);

    // Esc leaves it: back to the desktop's type and the menus.
    QTest::keyClick(window.chatPage()->input(), Qt::Key_Escape);
    QVERIFY(!window.isPresenting());
    QTRY_VERIFY(!window.windowState().testFlag(Qt::WindowFullScreen));
    QVERIFY(window.menuBar()->isVisible());
    QCOMPARE(pixelSize(window.chatPage()->input()), desktopPixels);
    // F11 goes in and out again.
    QCOMPARE(window.presentAction()->shortcut(), QKeySequence(Qt::Key_F11));
}

void tst_Presentation::windowFitsAProjectorAt150Percent()
{
    // 150 % text by the app's own zoom; or, in the run with QT_SCALE_FACTOR=1.5 (ctest's
    // tst_presentation_scale150), by the desktop's scaling, which enlarges margins and scroll
    // bars too: the same 1280×720 screen is then 853×480 to the window.
    const bool desktopScaled = !qEnvironmentVariableIsEmpty("QT_SCALE_FACTOR");
    MainWindow window;
    window.setZoomPercent(desktopScaled ? 100 : 150);
    window.show();
    const QSize screen = window.screen()->availableGeometry().size();
    QCOMPARE(screen, desktopScaled ? QSize(853, 480) : Projector);
    const auto fits = [&window, screen](const char *what) {
        const QSize least = minimumOf(window);
        return least.width() <= screen.width() && least.height() <= screen.height()
                   ? QString()
                   : QStringLiteral("%1 needs %2×%3")
                         .arg(QLatin1String(what))
                         .arg(least.width())
                         .arg(least.height());
    };
    // The start screen, the chat page (hosting, with every panel) and the compare view.
    QCOMPARE(fits("start screen"), QString());
    hostOnAnyPort(window);
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(window), Timeout);
    QCOMPARE(fits("chat page"), QString());
    // The Faults panel, whole: beside the page where there is room, over it where not.
    const auto *faults = window.findChild<QDockWidget *>(QStringLiteral("faultsDock"));
    QVERIFY(faults);
    QTRY_VERIFY(faults->isVisible());
    const auto *dropButton = faults->findChild<QPushButton *>(QStringLiteral("dropButton"));
    QTRY_VERIFY2(dropButton->width() >= dropButton->minimumSizeHint().width(),
                 qPrintable(QString::number(dropButton->width())));
    QVERIFY2(window.screen()->availableGeometry().contains(faults->frameGeometry()),
             qPrintable(QStringLiteral("%1,%2 %3×%4")
                            .arg(faults->frameGeometry().x())
                            .arg(faults->frameGeometry().y())
                            .arg(faults->frameGeometry().width())
                            .arg(faults->frameGeometry().height())));
    // On the whole screen the chat column keeps room for a sentence, not a word.
    window.resize(screen);
    QTRY_COMPARE(window.size(), screen);
    const auto *columns = window.findChild<QSplitter *>(QStringLiteral("chatColumns"));
    QVERIFY(columns);
    const int chatWidth = columns->widget(1)->width();
    const int averageChar = latinCharWidth(window.chatPage()->input()->fontMetrics());
    QVERIFY2(chatWidth >= 30 * averageChar,
             qPrintable(QStringLiteral("chat column %1 px").arg(chatWidth)));
    window.showCompare(true);
    QCOMPARE(fits("compare view"), QString());
    window.setZoomPercent(100);
    // At the default size on the projector there is room for it beside the page.
    if (!desktopScaled)
        QTRY_VERIFY(!faults->isFloating());
}

void tst_Presentation::compareViewWithServerCostFitsWhole()
{
    // The teacher left the server cost open; the Faults panel is docked beside the page.
    QSettings().setValue(QStringLiteral("serverCost/expanded"), true);
    MainWindow window;
    window.show();
    window.resize(Projector);
    hostOnAnyPort(window);
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(window), Timeout);
    window.showCompare(true);
    QVERIFY(window.serverCostPanel()->isExpanded());
    QTRY_VERIFY(window.findChild<QDockWidget *>(QStringLiteral("faultsDock"))->isVisible());
    QVERIFY(!window.findChild<QDockWidget *>(QStringLiteral("faultsDock"))->isFloating());
    // The counters, the line-up and the whole timeline, legend included, without scrolling:
    // once laid out (the timeline at least as tall as it asks to be), nothing is left to scroll.
    const auto *scroll = window.compareView()->findChild<QScrollArea *>();
    QVERIFY(scroll);
    const TimelineWidget *timeline = window.compareView()->timeline();
    QTRY_VERIFY(window.serverCostPanel()->table()->isVisible() && timeline->isVisible() &&
                timeline->height() >= timeline->minimumSizeHint().height());
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);
    QSettings().remove(QStringLiteral("serverCost/expanded"));
}

QString tst_Presentation::decodeWithZbar(const QString &imagePath)
{
    const QString zbarimg = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
    if (zbarimg.isEmpty()) {
        qWarning("zbarimg not found: install Debian's zbar-tools (scripts/deps.sh test)");
        return {};
    }
    QProcess zbar;
    zbar.start(zbarimg, {QStringLiteral("--raw"), QStringLiteral("-q"), imagePath});
    if (!zbar.waitForFinished(Timeout) || zbar.exitStatus() != QProcess::NormalExit ||
        zbar.exitCode() != 0)
        return {};
    return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
}

void tst_Presentation::qrCodeDecodesToTheShownAddress()
{
    // A documentation address (RFC 5737) and loopback; no traffic is sent to either.
    JoinBanner banner(Qt::Horizontal);
    banner.setAddresses(QStringList{QStringLiteral("http://192.0.2.17:8765")},
                        QStringLiteral("http://127.0.0.1:8765"), false);
    banner.resize(900, 220);
    banner.show();
    QVERIFY(QTest::qWaitForWindowExposed(&banner));
    const QStringList shown = {banner.address()};
    QCOMPARE(banner.address(), QStringLiteral("http://192.0.2.17:8765"));
    QCOMPARE(banner.addresses().constLast(), QStringLiteral("http://127.0.0.1:8765"));

    // A TLS room shows its certificate's fingerprint, for guests to compare when they pin it.
    auto *hint = banner.findChild<QLabel *>(QStringLiteral("joinHint"));
    QVERIFY(hint);
    QVERIFY(!hint->text().contains(u"SHA256:"));
    const QString fingerprint = QStringLiteral("SHA256:AB:CD:EF");
    banner.setAddresses(QStringList{QStringLiteral("http://192.0.2.17:8765")},
                        QStringLiteral("http://127.0.0.1:8765"), false, fingerprint);
    QVERIFY(hint->text().contains(fingerprint));

    const QString first = m_dir.filePath(QStringLiteral("banner-qr.png"));
    QVERIFY(banner.qrCode()->grab().save(first, "PNG"));
    QCOMPARE(decodeWithZbar(first), banner.address());

    // Picking another address under "More addresses" shows it, and its code, instead.
    auto *list = banner.findChild<QListWidget *>(QStringLiteral("joinAddressList"));
    QVERIFY(list);
    list->setCurrentRow(list->count() - 1);
    QCOMPARE(banner.address(), QStringLiteral("http://127.0.0.1:8765"));
    const QString loopback = m_dir.filePath(QStringLiteral("banner-qr-loopback.png"));
    QVERIFY(banner.qrCode()->grab().save(loopback, "PNG"));
    QCOMPARE(decodeWithZbar(loopback), banner.address());
}

void tst_Presentation::presentFromTheCommandLine()
{
    const AppOptions options = AppOptions::parse(
        {QStringLiteral("pushchat"), QStringLiteral("--host"), QStringLiteral("--port"),
         QStringLiteral("0"), QStringLiteral("--present")});
    QVERIFY2(options.error.isEmpty(), qPrintable(options.error));
    QVERIFY(options.present);
    QSettings().setValue(QStringLiteral("serverCost/expanded"), true); // left open last time
    MainWindow window;
    window.show();
    window.applyOptions(options);
    QVERIFY(window.isPresenting());
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(window), Timeout);
    QTRY_VERIFY(window.windowState().testFlag(Qt::WindowFullScreen));
    // The essentials only, though the room opened after presentation mode did: no Faults
    // panel over the page, the server cost folded to its summary line even if it was left
    // open.
    QVERIFY(!window.findChild<QDockWidget *>(QStringLiteral("faultsDock"))->isVisible());
    QVERIFY(!window.serverCostPanel()->isExpanded());
    // The banner shows this machine's join address first and its code reads back as it.
    JoinBanner *banner = window.presentationBar()->joinBanner();
    QTRY_VERIFY(banner->isVisible());
    QCOMPARE(banner->addresses().constLast(),
             QStringLiteral("http://127.0.0.1:%1").arg(window.session()->port()));
    const QString image = m_dir.filePath(QStringLiteral("presented-qr.png"));
    QVERIFY(banner->qrCode()->grab().save(image, "PNG"));
    QCOMPARE(decodeWithZbar(image), banner->address());
    // Leaving the room leaves presentation mode: the start screen needs its menus.
    window.session()->leave();
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->phase() == SessionController::Phase::Idle &&
                                 !window.isPresenting(),
                             Timeout);
    QVERIFY(window.menuBar()->isVisible());
    QVERIFY(window.serverCostPanel()->isExpanded()); // as the teacher left it
    QSettings().remove(QStringLiteral("serverCost/expanded"));
}

// The offscreen platform with one 1280×720 screen at 96 dpi, before QApplication exists.
int main(int argc, char *argv[])
{
    // A home of this process's own: ctest runs this program's variants side by side, and a
    // hosted room's stored history (under ~/.qttest in test mode) admits one server at a time.
    QTemporaryDir home;
    qputenv("HOME", home.path().toLocal8Bit());
    QTemporaryDir configDir;
    const QString config = configDir.filePath(QStringLiteral("screens.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(R"({"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1280,
                       "height": 720, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})") < 0)
        return 1;
    file.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    QApplication app(argc, argv);
    tst_Presentation test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_presentation.moc"
