#pragma once

#include "protocol.h"
#include "servercostmodel.h"

#include <QWidget>

#include <array>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace PushChat {

class SessionController;
class SimulatedAudience;

/// What the hosted server spends, one row per technique (and monitoring, and other): requests
/// and frames a second, bytes a second, open connections and the server thread's CPU, from the
/// server's own counters read in-process; and for each technique "simulate N extra clients"
/// (SimulatedAudience, on a thread of its own), so a class sees cost grow with the audience.
/// Visible only while hosting; folded to its one-line summary until opened, so the compare
/// view keeps its height for the line-up and the timeline on a 720-pixel projector.
class ServerCostPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerCostPanel)

public:
    explicit ServerCostPanel(SessionController *session, QWidget *parent = nullptr);
    ~ServerCostPanel() override;

    SimulatedAudience *audience() const { return m_audience; }
    const ServerCostModel &model() const { return m_model; }
    QTableWidget *table() const { return m_table; }
    QSpinBox *audienceSpin(Transport technique) const { return m_spins[size_t(technique)]; }
    QPushButton *audienceButton(Transport technique) const { return m_buttons[size_t(technique)]; }
    /// Shows the table (true) or only the summary line.
    void setExpanded(bool expanded);
    bool isExpanded() const;
    /// Presentation mode folds the panel to its summary line; leaving it restores the
    /// remembered state.
    void setPresenting(bool on);
    /// Starts (or stops, with 0) `count` simulated clients of `technique`.
    void simulate(Transport technique, int count);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void retranslateHeaders();
    QWidget *buildAudienceCell(Transport technique);
    void onEntered();
    void onLeft();
    void showStats();
    void showAudience();

    SessionController *m_session;
    SimulatedAudience *m_audience;
    ServerCostModel m_model;
    QToolButton *m_toggle;
    QTableWidget *m_table;
    QLabel *m_cpuSummary;
    std::array<QSpinBox *, 3> m_spins{};
    std::array<QPushButton *, 3> m_buttons{};
};

} // namespace PushChat
