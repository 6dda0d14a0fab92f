#pragma once

#include <QString>
#include <QStringList>

namespace PushChat {

/// The language of the user interface: English (the source language) or Simplified Chinese.
/// The translations are compiled into the programs (resources/translations/*.ts); Qt's own
/// strings (QCommandLineParser, dialogs) come from Debian's qt6-translations-l10n if installed.
class Language final
{
public:
    Language() = delete;

    /// "en", "zh_CN".
    static QStringList available();
    /// The language's name in itself: "English", "简体中文".
    static QString nativeName(const QString &language);
    /// The available language `name` means ("zh", "zh-CN", "zh_CN.UTF-8" → "zh_CN"), or empty.
    static QString normalized(const QString &name);
    /// The first of the system's preferred languages that is available, else "en".
    static QString systemDefault();
    /// The value of `--lang X` or `--lang=X` among the arguments, as written (empty if none).
    /// Read before the command line is parsed, so the help text is already translated.
    static QString fromArguments(const QStringList &arguments);

    /// Loads `language` (normalized) and makes it current; every widget gets
    /// QEvent::LanguageChange, and QLocale() formats numbers and units in it. Needs a
    /// QCoreApplication. False if it is not available.
    static bool install(const QString &language);
    /// The language installed last ("en" before any).
    static QString current();
};

} // namespace PushChat
