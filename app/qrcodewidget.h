#pragma once

#include "qrcode.h"

#include <QWidget>

#include <optional>

namespace PushChat {

/// A QR code painted with QPainter from libqrencode's modules (common/qrcode.h): black on
/// white, whole pixels per module and the standard quiet zone, so a phone reads it from a
/// projected screen. Square, as large as its space allows.
class QrCodeWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QrCodeWidget)

public:
    explicit QrCodeWidget(QWidget *parent = nullptr);

    /// Shows the code of `text` (nothing for an empty or overlong text).
    void setText(const QString &text);
    QString text() const { return m_text; }
    /// The symbol's rectangle (quiet zone included) in widget coordinates; empty without one.
    QRect symbolRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int modulesPerSide() const;

    QString m_text;
    std::optional<QrCode> m_code;
};

} // namespace PushChat
