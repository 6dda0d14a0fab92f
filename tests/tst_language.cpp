// The two languages: the choice of language, a window switched live (texts set once and
// texts drawn from data), and the three programs' --help in Chinese and without a display.

#include "chatclient.h"
#include "chatpage.h"
#include "comparemodel.h"
#include "compareview.h"
#include "howitworksdialog.h"
#include "inspectormodel.h"
#include "language.h"
#include "mainwindow.h"
#include "messagelistmodel.h"
#include "sessioncontroller.h"
#include "startpage.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QPainter>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace PushChat;

namespace {
constexpr int Timeout = 30000;

template<typename T> T *child(const QObject &parent, const char *name)
{
    T *found = parent.findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no child %s", name);
    return found;
}

QString rowText(const MessageListModel *model, MessageListModel::RowType type)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>() == type)
            return index.data().toString();
    }
    return {};
}

// Han characters whose Simplified Chinese and Japanese forms differ, as `font` draws them.
QImage drawnHan(QFont font)
{
    font.setPixelSize(48);
    QImage image(200, 80, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setFont(font);
    painter.drawText(10, 60, QStringLiteral("骨直关"));
    return image;
}

// Runs a program to its end; its standard output, or empty if it failed.
QByteArray run(const QString &program, const QStringList &arguments,
               const QProcessEnvironment &environment, int *exitCode)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(Timeout))
        return {};
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return process.readAllStandardOutput();
}
} // namespace

class tst_Language : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void normalized_data();
    void normalized();
    void fromArguments();
    void windowSwitchesLive();
    void helpInChinese_data();
    void helpInChinese();
    void helpWithoutDisplay();

private:
    QTemporaryDir m_settingsDir;
};

void tst_Language::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_language"));
}

void tst_Language::cleanup()
{
    Language::install(QStringLiteral("en"));
}

void tst_Language::normalized_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << "en"
                        << "en";
    QTest::newRow("en_GB.UTF-8") << "en_GB.UTF-8"
                                 << "en";
    QTest::newRow("C") << "C"
                       << "en";
    QTest::newRow("zh_CN") << "zh_CN"
                           << "zh_CN";
    QTest::newRow("zh_CN.UTF-8") << "zh_CN.UTF-8"
                                 << "zh_CN";
    QTest::newRow("zh-CN") << "zh-CN"
                           << "zh_CN";
    QTest::newRow("zh") << "zh"
                        << "zh_CN";
    QTest::newRow("zh-Hans-CN") << "zh-Hans-CN"
                                << "zh_CN";
    QTest::newRow("traditional") << "zh_TW"
                                 << "";
    QTest::newRow("other") << "de_DE"
                           << "";
    QTest::newRow("empty") << ""
                           << "";
}

void tst_Language::normalized()
{
    QFETCH(QString, name);
    QFETCH(QString, language);
    QCOMPARE(Language::normalized(name), language);
}

void tst_Language::fromArguments()
{
    QCOMPARE(Language::fromArguments({"pushchat", "--lang", "zh_CN", "--host"}), u"zh_CN");
    QCOMPARE(Language::fromArguments({"pushchat", "--host", "--lang=en"}), u"en");
    QCOMPARE(Language::fromArguments({"pushchat", "--host"}), QString());
    // After "--" nothing is an option.
    QCOMPARE(Language::fromArguments({"pushchat", "--", "--lang", "zh_CN"}), QString());
    QVERIFY(!Language::install(QStringLiteral("xx")));
}

void tst_Language::windowSwitchesLive()
{
    QVERIFY(Language::install(QStringLiteral("en")));
    MainWindow window;
    window.show();
    child<QLineEdit>(window, "hostRoomEdit")->setText(QStringLiteral("Class 4B"));
    child<QSpinBox>(window, "hostPortSpin")->setValue(0);
    child<QLineEdit>(window, "hostNickEdit")->setText(QStringLiteral("alice"));
    QTest::mouseClick(child<QPushButton>(window, "hostButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->client() && window.session()->client()->state() ==
                                                               ChatClient::State::Connected,
                             Timeout);
    const MessageListModel *messages = window.session()->messages();
    QTRY_COMPARE_WITH_TIMEOUT(rowText(messages, MessageListModel::RowType::Join), u"alice joined",
                              Timeout);
    window.session()->messages()->appendNotice(
        {MessageListModel::staticMetaObject.className(),
         "The room's history begins again here (the room was restarted without it, or its "
         "history was cleared).",
         {}});
    QTRY_VERIFY(!rowText(messages, MessageListModel::RowType::Notice).isEmpty());
    window.chatPage()->showHowItWorks();
    QVERIFY(window.chatPage()->howItWorks()->isVisible());
    const InspectorModel *inspector = window.chatPage()->inspectorModel();
    auto *sendButton = child<QPushButton>(window, "sendButton");
    QCOMPARE(sendButton->text(), u"Send");

    // View > Language > 简体中文
    auto *chinese = child<QAction>(window, "language_zh_CN");
    QCOMPARE(chinese->text(), u"简体中文");
    chinese->trigger();
    QCOMPARE(Language::current(), u"zh_CN");
    QCOMPARE(QSettings().value(QLatin1String(MainWindow::LanguageSetting)).toString(), u"zh_CN");
    // Widgets whose text was set once…
    QTRY_COMPARE(sendButton->text(), u"发送");
    QCOMPARE(child<QToolButton>(window, "modePolling")->text(), u"轮询");
    QCOMPARE(child<QToolButton>(window, "modeLongPoll")->text(), u"长轮询");
    // A button's new text must not take its shortcut away.
    QCOMPARE(child<QToolButton>(window, "modeWebSocket")->shortcut(),
             QKeySequence(Qt::CTRL | Qt::Key_3));
    QCOMPARE(child<QPushButton>(window, "hostButton")->text(), u"主持房间(&H)");
    QCOMPARE(child<QLineEdit>(window, "messageInput")->placeholderText(), u"输入消息，按回车发送");
    QCOMPARE(child<QPushButton>(window, "leaveButton")->text(), u"停止主持(&S)");
    QCOMPARE(child<QPushButton>(window, "copyAddressButton")->text(), u"复制地址(&C)");
    QCOMPARE(child<QToolButton>(window, "leavePresentationButton")->text(), u"退出演示（Esc）");
    QCOMPARE(child<QAction>(window, "zoomInAction")->text(), u"放大(&I)");
    QCOMPARE(child<QPushButton>(window, "dropButton")->text(), u"立即断开所有连接(&D)");
    QCOMPARE(child<QAction>(window, "faultsAction")->text(), u"故障(&F)（主持时）");
    QCOMPARE(child<QToolButton>(window, "serverCostToggle")->text(), u"服务器开销(&S)");
    QCOMPARE(window.menuBar()->actions().constFirst()->text(), u"文件(&F)");
    QCOMPARE(window.compareAction()->iconText(), u"对比");
    QVERIFY2(window.windowTitle().contains(u"已连接"), qPrintable(window.windowTitle()));
    // Chinese in its Simplified forms, not the Japanese ones fontconfig falls back to where
    // the system's locale is not Chinese.
    const QString simplified = QStringLiteral("Noto Sans CJK SC");
    if (QFontDatabase::hasFamily(simplified)) {
        QFont reference = QApplication::font();
        reference.setFamilies({simplified});
        QCOMPARE(drawnHan(child<QPushButton>(window, "sendButton")->font()), drawnHan(reference));
    } else {
        qWarning("fonts-noto-cjk is not installed: the Chinese forms are not checked");
    }
    // …tables, and lines already in the chat, worded when shown.
    QCOMPARE(inspector->headerData(int(InspectorModel::Measure::Requests), Qt::Vertical).toString(),
             u"HTTP 请求");
    QCOMPARE(rowText(messages, MessageListModel::RowType::Join), u"alice 加入了");
    QCOMPARE(rowText(messages, MessageListModel::RowType::Notice),
             u"房间的历史记录从这里重新开始（房间重启时没有保留历史，或者历史记录被清除了）。");
    const Transport mode = window.session()->client()->mode();
    const auto *howTitle = window.chatPage()->howItWorks()->findChild<QLabel *>(
        QStringLiteral("howTitle_%1").arg(transportName(mode)));
    QVERIFY(howTitle);
    QCOMPARE(howTitle->text(), HowItWorksDialog::title(mode));
    QVERIFY2(howTitle->text().endsWith(u"的工作原理"), qPrintable(howTitle->text()));
    QCOMPARE(window.compareView()->model()->headerData(0, Qt::Horizontal).toString(), u"消息");
    // Sizes in the counters ("1 conn., 500 bytes") name their unit in the language too.
    QCOMPARE(QLocale().formattedDataSize(500), u"500 字节");

    // And back, without leaving the room.
    child<QAction>(window, "language_en")->trigger();
    QTRY_COMPARE(sendButton->text(), u"Send");
    QCOMPARE(child<QToolButton>(window, "modeLongPoll")->text(), u"Long polling");
    QCOMPARE(QLocale().formattedDataSize(500), u"500 bytes");
    QCOMPARE(rowText(messages, MessageListModel::RowType::Join), u"alice joined");
    QCOMPARE(rowText(messages, MessageListModel::RowType::Notice),
             u"The room's history begins again here (the room was restarted without it, or its "
             u"history was cleared).");
    QVERIFY(!QApplication::font().families().contains(simplified) ||
            QFontInfo(QApplication::font()).family() == simplified);
    QVERIFY(window.session()->client()->state() == ChatClient::State::Connected);
}

void tst_Language::helpInChinese_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("expected");
    QTest::newRow("pushchat") << PUSHCHAT_APP_PATH << "跳过开始界面，立即主持一个房间。";
    QTest::newRow("pushchat-cli") << PUSHCHAT_CLI_PATH << "服务器，例如 http://127.0.0.1:8765。";
    QTest::newRow("pushchat-server") << PUSHCHAT_SERVER_PATH << "监听的地址（默认：全部）。";
}

void tst_Language::helpInChinese()
{
    QFETCH(QString, program);
    QFETCH(QString, expected);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("LANGUAGE"));
    environment.remove(QStringLiteral("LC_ALL"));
    environment.remove(QStringLiteral("LC_MESSAGES"));
    int exitCode = -1;
    // --lang over the system's English…
    QString out = QString::fromUtf8(
        run(program, {QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("--help")},
            environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains(expected), qPrintable(out));
    QVERIFY(out.contains(u"--lang <language>"));
    // …the system's Chinese by itself…
    environment.insert(QStringLiteral("LANG"), QStringLiteral("zh_CN.UTF-8"));
    out = QString::fromUtf8(run(program, {QStringLiteral("--help")}, environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains(expected), qPrintable(out));
    // …and --lang over the system's Chinese.
    out = QString::fromUtf8(run(program, {QStringLiteral("--lang=en"), QStringLiteral("--help")},
                                environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY2(!out.contains(expected), qPrintable(out));
}

void tst_Language::helpWithoutDisplay()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    int exitCode = -1;
    const QString help = QString::fromUtf8(
        run(QStringLiteral(PUSHCHAT_APP_PATH), {QStringLiteral("--help")}, environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY2(help.contains(u"--host") && help.contains(u"--lang"), qPrintable(help));
    const QString helpAll = QString::fromUtf8(run(
        QStringLiteral(PUSHCHAT_APP_PATH), {QStringLiteral("--help-all")}, environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY2(helpAll.contains(u"--lang"), qPrintable(helpAll));
    const QString version = QString::fromUtf8(run(
        QStringLiteral(PUSHCHAT_APP_PATH), {QStringLiteral("--version")}, environment, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY(version.startsWith(u"pushchat "));
    // A wrong option is explained there too, without opening a window.
    run(QStringLiteral(PUSHCHAT_APP_PATH), {QStringLiteral("--lang"), QStringLiteral("xx")},
        environment, &exitCode);
    QCOMPARE(exitCode, 2);
}

QTEST_MAIN(tst_Language)
#include "tst_language.moc"
