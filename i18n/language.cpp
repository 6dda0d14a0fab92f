#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace PushChat {

namespace {
const QString English = QStringLiteral("en");
const QString Chinese = QStringLiteral("zh_CN");

struct Installed
{
    QString language = English;
    // Ours, and Qt's own (buttons, the command line's "Usage:"), in that order of lookup.
    std::unique_ptr<QTranslator> ours;
    std::unique_ptr<QTranslator> qt;
};

Installed &installed()
{
    static Installed state;
    return state;
}

void remove(std::unique_ptr<QTranslator> &translator)
{
    if (translator) {
        QCoreApplication::removeTranslator(translator.get());
        translator.reset();
    }
}
} // namespace

QStringList Language::available()
{
    return {English, Chinese};
}

QString Language::nativeName(const QString &language)
{
    if (language == Chinese)
        return QStringLiteral("简体中文");
    if (language == English)
        return QStringLiteral("English");
    return language;
}

QString Language::normalized(const QString &name)
{
    QString n = name.trimmed();
    if (const qsizetype dot = n.indexOf(QLatin1Char('.')); dot >= 0)
        n.truncate(dot); // zh_CN.UTF-8
    n.replace(QLatin1Char('-'), QLatin1Char('_'));
    if (n.compare(English, Qt::CaseInsensitive) == 0 ||
        n.startsWith(QStringLiteral("en_"), Qt::CaseInsensitive) ||
        n.compare(QStringLiteral("C"), Qt::CaseSensitive) == 0 ||
        n.compare(QStringLiteral("POSIX"), Qt::CaseSensitive) == 0)
        return English;
    // Simplified Chinese: zh, zh_CN, zh_SG, zh_Hans(_…); not zh_TW / zh_HK / zh_Hant.
    if (n.compare(QStringLiteral("zh"), Qt::CaseInsensitive) == 0 ||
        n.compare(Chinese, Qt::CaseInsensitive) == 0 ||
        n.compare(QStringLiteral("zh_SG"), Qt::CaseInsensitive) == 0 ||
        n.startsWith(QStringLiteral("zh_Hans"), Qt::CaseInsensitive))
        return Chinese;
    return {};
}

QString Language::systemDefault()
{
    // LANGUAGE, LC_ALL, LC_MESSAGES and LANG, as the system locale reads them.
    for (const QString &name : QLocale::system().uiLanguages()) {
        QString language = normalized(name);
        if (!language.isEmpty())
            return language;
    }
    return English;
}

QString Language::fromArguments(const QStringList &arguments)
{
    const QString option = QStringLiteral("--lang");
    const QString withValue = QStringLiteral("--lang=");
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QStringLiteral("--"))
            break;
        if (argument.startsWith(withValue))
            return argument.mid(withValue.size());
        if (argument == option && i + 1 < arguments.size())
            return arguments.at(i + 1);
    }
    return {};
}

bool Language::install(const QString &language)
{
    const QString wanted = normalized(language);
    if (wanted.isEmpty())
        return false;
    Installed &state = installed();
    remove(state.ours);
    remove(state.qt);
    state.language = wanted;
    // Numbers, dates and units ("500 字节") in the chosen language too; the system's own
    // locale when it speaks that language, so its region's conventions stay.
    QLocale::setDefault(normalized(QLocale::system().name()) == wanted ? QLocale::system()
                                                                       : QLocale(wanted));
    // English is the source language; its file holds the plural forms only.
    auto ours = std::make_unique<QTranslator>();
    if (ours->load(QStringLiteral(":/i18n/pushchat_%1.qm").arg(wanted))) {
        QCoreApplication::installTranslator(ours.get());
        state.ours = std::move(ours);
    }
    auto qt = std::make_unique<QTranslator>();
    if (wanted != English && qt->load(QStringLiteral("qtbase_%1").arg(wanted),
                                      QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        state.qt = std::move(qt);
    }
    if (!state.ours && !state.qt) // nothing changed the texts: tell the widgets anyway
        QCoreApplication::postEvent(QCoreApplication::instance(),
                                    new QEvent(QEvent::LanguageChange));
    return true;
}

QString Language::current()
{
    return installed().language;
}

} // namespace PushChat
