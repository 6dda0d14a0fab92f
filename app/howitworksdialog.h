#pragma once

#include "protocol.h"

#include <QDialog>
#include <QList>

class QHBoxLayout;
class QPushButton;

namespace PushChat {

/// "How it works": for each technique shown, what the client does, what the server does,
/// what it costs and when it is the right choice (docs/HOW-IT-WORKS.md, the same texts as the
/// browser page). One technique beside the chat's mode toggle, all three side by side from the
/// compare view. Non-modal, so the chat goes on while it is open; follows a language switch.
class HowItWorksDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HowItWorksDialog)

public:
    enum class Part { Client, Server, Cost, Choice };
    static constexpr Part Parts[] = {Part::Client, Part::Server, Part::Cost, Part::Choice};

    explicit HowItWorksDialog(QWidget *parent = nullptr);

    void setTechniques(const QList<Transport> &techniques);
    QList<Transport> techniques() const { return m_techniques; }

    /// "Polling: how it works"
    static QString title(Transport technique);
    /// "The client", "The server", "What it costs", "When to choose it"
    static QString partTitle(Part part);
    static QString text(Transport technique, Part part);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    QList<Transport> m_techniques;
    QWidget *m_columns = nullptr;
    QHBoxLayout *m_columnsLayout;
    QPushButton *m_closeButton;
};

} // namespace PushChat
