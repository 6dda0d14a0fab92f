#include "faultscript.h"

#include "faultsettings.h"
#include "serverclock.h"
#include "serverhost.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace PushChat {

namespace FaultScript {

namespace {

/// "5s", "2.5s", "800ms" → milliseconds, or -1.
qint64 parseTime(const QString &word)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+(?:\\.\\d+)?)(ms|s)$"));
    const QRegularExpressionMatch match = pattern.match(word);
    if (!match.hasMatch())
        return -1;
    const double number = match.captured(1).toDouble();
    return qint64(match.captured(2) == u"ms" ? number : number * 1000.0);
}

} // namespace

Parsed parse(const QString &text)
{
    Parsed parsed;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (const qsizetype hash = line.indexOf(u'#'); hash >= 0)
            line.truncate(hash);
        const QStringList words = line.simplified().split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        auto fail = [&](const QString &why) {
            parsed.steps.clear();
            parsed.error =
                QCoreApplication::translate("FaultScript", "line %1: %2").arg(i + 1).arg(why);
            return parsed;
        };
        FaultStep step;
        step.atMs = parseTime(words.at(0));
        if (step.atMs < 0)
            return fail(QCoreApplication::translate("FaultScript",
                                                    "\"%1\" is not a time such as 5s or 800ms")
                            .arg(words.at(0)));
        const QString name = words.value(1).toLower();
        const std::optional<Fault::Action> action = faultActionFromName(name);
        if (!action)
            return fail(QCoreApplication::translate(
                            "FaultScript",
                            "unknown fault \"%1\"; use drop, latency, proxy-timeout, block or "
                            "restart")
                            .arg(name));
        step.action = *action;
        const bool takesArgument = *action == Fault::Action::Latency ||
                                   *action == Fault::Action::ProxyTimeout ||
                                   *action == Fault::Action::Block;
        if (words.size() != (takesArgument ? 3 : 2))
            return fail(
                takesArgument
                    ? QCoreApplication::translate("FaultScript", "\"%1\" needs one argument")
                          .arg(name)
                    : QCoreApplication::translate("FaultScript", "\"%1\" takes no argument")
                          .arg(name));
        const QString argument = words.value(2).toLower();
        bool ok = false;
        switch (*action) {
        case Fault::Action::Drop:
        case Fault::Action::Restart:
            break;
        case Fault::Action::Latency:
            step.value = argument.toInt(&ok);
            if (!ok || step.value < 0 || step.value > FaultSettings::MaxAddedLatencyMs)
                return fail(QCoreApplication::translate("FaultScript", "latency must be 0…%1 ms")
                                .arg(FaultSettings::MaxAddedLatencyMs));
            break;
        case Fault::Action::ProxyTimeout:
            step.value = argument.toInt(&ok);
            if (!ok || step.value < 0 || step.value > FaultSettings::MaxProxyTimeoutSeconds)
                return fail(QCoreApplication::translate("FaultScript",
                                                        "proxy-timeout must be 0 (off) or 1…%1 s")
                                .arg(FaultSettings::MaxProxyTimeoutSeconds));
            break;
        case Fault::Action::Block:
            if (argument != u"none") {
                step.technique = transportFromName(argument);
                if (!step.technique)
                    return fail(QCoreApplication::translate(
                        "FaultScript", "block takes websocket, longpoll, polling or none"));
            }
            break;
        }
        parsed.steps.append(step);
    }
    std::stable_sort(parsed.steps.begin(), parsed.steps.end(),
                     [](const FaultStep &a, const FaultStep &b) { return a.atMs < b.atMs; });
    return parsed;
}

Parsed load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {{},
                QCoreApplication::translate("FaultScript", "cannot read %1: %2")
                    .arg(path, file.errorString())};
    return parse(QString::fromUtf8(file.readAll()));
}

} // namespace FaultScript

FaultScriptRunner::FaultScriptRunner(ServerHost *host, const QList<FaultStep> &steps,
                                     QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_steps(steps)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FaultScriptRunner::runDueSteps);
}

void FaultScriptRunner::start()
{
    m_next = 0;
    m_startedMs = monotonicMs();
    runDueSteps();
}

void FaultScriptRunner::runDueSteps()
{
    const qint64 elapsed = monotonicMs() - m_startedMs;
    while (m_next < m_steps.size() && m_steps.at(m_next).atMs <= elapsed) {
        const FaultStep step = m_steps.at(m_next++);
        m_host->injectFault(step);
        emit stepApplied(step);
    }
    if (m_next < m_steps.size())
        m_timer.start(int(m_steps.at(m_next).atMs - elapsed));
    else
        emit finished();
}

} // namespace PushChat
