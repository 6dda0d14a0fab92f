// pushchat: the desktop app. Everything but startup lives in the pushchat_app library.

#include "appoptions.h"
#include "language.h"
#include "languagefont.h"
#include "mainwindow.h"
#include "systemlimits.h"

#include <QApplication>
#include <QIcon>
#include <QLoggingCategory>
#include <QSettings>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <optional>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

namespace {

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("pushchat"));
    QCoreApplication::setOrganizationName(QStringLiteral("PushChat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));
}

// --lang, else the language chosen in View > Language, else the system's.
QString startLanguage(const QStringList &arguments)
{
    QString fromCommandLine =
        PushChat::Language::normalized(PushChat::Language::fromArguments(arguments));
    if (!fromCommandLine.isEmpty())
        return fromCommandLine;
    const QString chosen = PushChat::Language::normalized(
        QSettings().value(PushChat::MainWindow::LanguageSetting).toString());
    return chosen.isEmpty() ? PushChat::Language::systemDefault() : chosen;
}

// The command line is read without a display: `pushchat --help` works on a server or a build
// machine (help2man makes the manual page from it). Returns the exit code when done.
std::optional<int> answerWithoutWindow(int argc, char *argv[], PushChat::AppOptions &options)
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    PushChat::Language::install(startLanguage(QCoreApplication::arguments()));
    options = PushChat::AppOptions::parse(QCoreApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "pushchat: %s\n\n%s", qPrintable(options.error),
                     qPrintable(options.helpText));
        return 2;
    }
    if (options.showHelp) {
        std::fputs(qPrintable(options.helpText), stdout);
        return 0;
    }
    if (options.showVersion) {
        std::printf("pushchat %s\n", PUSHCHAT_VERSION);
        return 0;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char *argv[])
{
    // For the room this app may host: process-wide settings (see common/systemlimits.h).
    PushChat::raiseOpenFileLimit();
    PushChat::keepFreedMemoryForReuse();
    // Debug output of the libraries only when asked for (QT_LOGGING_RULES).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pushchat.*.debug=false"));
    PushChat::AppOptions options;
    if (const auto exitCode = answerWithoutWindow(argc, argv, options))
        return *exitCode;

    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("PushChat"));
    QApplication::setDesktopFileName(QStringLiteral("pushchat"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/pushchat/icons/pushchat.png")));
    PushChat::Language::install(startLanguage(QApplication::arguments()));
    PushChat::applyLanguageFont(PushChat::Language::current());

    PushChat::MainWindow window;
    // Ctrl+C in the terminal (or SIGTERM) closes the window like its close button: the room
    // is left and the server thread stopped before the process ends.
    if (::pipe(signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &window);
        QObject::connect(notifier, &QSocketNotifier::activated, &window, [&window] {
            char byte;
            [[maybe_unused]] const auto read = ::read(signalPipe[0], &byte, 1);
            window.close();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    window.show();
    window.applyOptions(options);
    return app.exec();
}
