#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QToolButton;

namespace PushChat {

class QrCodeWidget;

/// How others join a hosted room, for a class to read off the wall: the address of the
/// network with the default route in large type and its QR code for phones; the other
/// addresses (loopback last) behind "More addresses", where picking one shows it instead.
/// Vertical in the room panel, horizontal (the code on the left) across a presentation.
class JoinBanner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JoinBanner)

public:
    explicit JoinBanner(Qt::Orientation orientation, QWidget *parent = nullptr);

    /// The room's join addresses, best first (JoinUrls::forPort), and its loopback address;
    /// `keyed`: the room needs a key, which the banner says (it never shows the key).
    /// `certificateFingerprint`: a TLS room's, for guests to compare with what they are shown.
    void setAddresses(const QStringList &urls, const QString &loopback, bool keyed,
                      const QString &certificateFingerprint = {});
    /// The address shown in large type and in the QR code.
    QString address() const { return m_current; }
    QStringList addresses() const { return m_urls; }
    QrCodeWidget *qrCode() const { return m_qr; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showAddress(const QString &url);
    void copyAddress();

    QStringList m_urls;
    bool m_offline = false; ///< no address but loopback
    bool m_keyed = false;
    QString m_fingerprint;
    QString m_current;
    QrCodeWidget *m_qr;
    QLabel *m_caption;
    QWidget *m_address;
    QLabel *m_hint;
    QToolButton *m_moreButton;
    QListWidget *m_list;
    QPushButton *m_copyButton;
};

} // namespace PushChat
