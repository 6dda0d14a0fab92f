#pragma once

#include "fault.h"

#include <QHash>
#include <QTime>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace PushChat {

class SessionController;

/// The host's Faults panel: each fault switched live, without leaving the room (docs/APP.md,
/// "Faults on demand"). Every change goes to SessionController::injectFault(); the room
/// announces it to every client, which marks it on the timelines.
class FaultsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultsPanel)

public:
    explicit FaultsPanel(SessionController *session, QWidget *parent = nullptr);

    /// Shows the hosted server's current faults (after a script changed them, or a new room).
    void showCurrentFaults();

    QPushButton *dropButton() const { return m_dropButton; }
    QSpinBox *latencySpin() const { return m_latencySpin; }
    QSpinBox *proxyTimeoutSpin() const { return m_proxyTimeoutSpin; }
    QComboBox *blockCombo() const { return m_blockCombo; }
    QPushButton *restartButton() const { return m_restartButton; }
    QSpinBox *heartbeatSpin() const { return m_heartbeatSpin; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showLastFault();
    void onBlockChosen(int index);

    SessionController *m_session;
    QPushButton *m_dropButton;
    QSpinBox *m_latencySpin;
    QSpinBox *m_proxyTimeoutSpin;
    QComboBox *m_blockCombo;
    QPushButton *m_restartButton;
    QSpinBox *m_heartbeatSpin;
    QLabel *m_lastFault;
    QHash<const QWidget *, QLabel *> m_fieldLabels; ///< the form's label of each field
    std::optional<Fault> m_lastFaultDone;           ///< worded when shown: it follows the language
    QTime m_lastFaultTime;
    bool m_updating = false; ///< while showing the server's state: no fault is injected
};

} // namespace PushChat
