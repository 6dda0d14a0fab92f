#pragma once

#include "sessionrequest.h"
#include "startsettings.h"

#include <QList>
#include <QWidget>

#include <utility>

class QComboBox;
class QGroupBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace PushChat {

/// The first screen: host a room or join one. Emits a checked request; knows nothing else.
class StartPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartPage)

public:
    explicit StartPage(QWidget *parent = nullptr);

    void setValues(const StartSettings &settings);
    SessionRequest hostRequest() const;
    SessionRequest joinRequest() const;
    /// Shows why the last request could not start (empty hides it).
    void showProblem(const QString &problem);
    void focusPort();

signals:
    void requested(const PushChat::SessionRequest &request);

private:
    void configureFields();
    QGroupBox *buildHostBox();
    QGroupBox *buildJoinBox();
    QGroupBox *buildBox(const QString &title, const QString &intro,
                        const QList<std::pair<QString, QWidget *>> &fields, QPushButton *button);
    QLayout *buildModeRow();
    void layOut(QLayout *boxes, QLayout *modeRow);
    void connectFields();
    void setTabOrders();
    void submit(const SessionRequest &request);

    QLineEdit *m_roomEdit;
    QSpinBox *m_portSpin;
    QLineEdit *m_hostKeyEdit;
    QLineEdit *m_hostNickEdit;
    QLineEdit *m_certificateEdit;
    QLineEdit *m_keyFileEdit;
    QPushButton *m_hostButton;
    QLineEdit *m_addressEdit;
    QLineEdit *m_joinNickEdit;
    QLineEdit *m_joinKeyEdit;
    QLineEdit *m_fingerprintEdit;
    QPushButton *m_joinButton;
    QComboBox *m_modeCombo;
    QLabel *m_problemLabel;
};

} // namespace PushChat
