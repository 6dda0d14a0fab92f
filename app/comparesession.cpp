#include "comparesession.h"

#include "applog.h"
#include "chatclient.h"
#include "deliverylog.h"
#include "trafficgenerator.h"

namespace PushChat {

CompareSession::CompareSession(QObject *parent)
    : QObject(parent)
    , m_generator(new TrafficGenerator(this))
{
    for (const Transport technique : Techniques) {
        auto *log = new DeliveryLog(this);
        connect(log, &DeliveryLog::delivered, this, &CompareSession::delivered);
        m_logs[size_t(technique)] = log;
    }
}

CompareSession::~CompareSession()
{
    stop();
}

void CompareSession::start(const QUrl &url, const QString &key, int pollIntervalMs,
                           qint64 baselineSeq, const ClientTls &tls)
{
    stop();
    m_pollIntervalMs = pollIntervalMs;
    for (const Transport technique : Techniques) {
        auto *observer = new ChatClient(this);
        observer->setServerUrl(url);
        observer->setTlsTrust(tls.caCertificates, tls.pinnedSha256);
        observer->setKey(key);
        observer->setMode(technique);
        observer->setPollInterval(pollIntervalMs);
        // Choosing its mode logged a switch; an observer never switches, so start clean.
        observer->resetMetrics();
        connect(observer, &ChatClient::metricsChanged, this,
                [this, technique] { emit metricsChanged(technique); });
        m_observers[size_t(technique)] = observer;
        m_logs[size_t(technique)]->clear();
        m_logs[size_t(technique)]->attach(observer, baselineSeq);
    }
    m_generator->setServer(url, key, tls);
    // All three start in the same moment, so their counters cover the same time.
    for (ChatClient *observer : m_observers)
        observer->connectToServer();
    m_running = true;
    qCInfo(lcAppSession) << "comparing on" << url.toString() << "after seq" << baselineSeq;
    emit started();
}

void CompareSession::stop()
{
    if (!m_running)
        return;
    m_generator->shutdown();
    for (ChatClient *&observer : m_observers) {
        observer->disconnectFromServer();
        observer->deleteLater();
        observer = nullptr;
    }
    for (DeliveryLog *log : m_logs)
        log->attach(nullptr);
    m_running = false;
    emit stopped();
}

void CompareSession::setPollInterval(int ms)
{
    m_pollIntervalMs = ms;
    if (ChatClient *polling = observer(Transport::Polling))
        polling->setPollInterval(ms);
}

TransportMetrics CompareSession::metrics(Transport technique) const
{
    if (const ChatClient *client = observer(technique))
        return client->metrics(technique);
    TransportMetrics none;
    none.transport = technique;
    return none;
}

} // namespace PushChat
