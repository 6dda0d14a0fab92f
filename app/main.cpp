// pushchat: the desktop app. Everything but startup lives in the pushchat_app library.

#include "appoptions.h"
#include "mainwindow.h"

#include <QApplication>
#include <QIcon>
#include <QLoggingCategory>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Debug output of the libraries only when asked for (QT_LOGGING_RULES).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pushchat.*.debug=false"));
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pushchat"));
    QApplication::setApplicationDisplayName(QStringLiteral("PushChat"));
    QApplication::setOrganizationName(QStringLiteral("PushChat"));
    QApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pushchat"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/pushchat/icons/pushchat.png")));

    const PushChat::AppOptions options = PushChat::AppOptions::parse(QApplication::arguments());
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

    PushChat::MainWindow window;
    window.show();
    window.applyOptions(options);
    return app.exec();
}
