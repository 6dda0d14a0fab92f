#pragma once

#include <QCoreApplication>
#include <QString>

namespace PushChat {

/// The polling interval slider's scale: logarithmic from 100 ms to 10 s, so 100 ms, 1 s and
/// 10 s sit at the left, middle and right.
class PollInterval final
{
    Q_DECLARE_TR_FUNCTIONS(PollInterval)

public:
    static constexpr int MinMs = 100;
    static constexpr int MaxMs = 10000;
    static constexpr int SliderMax = 100;

    static int toMs(int sliderValue);
    static int toSlider(int ms);
    /// "250 ms", "1.5 s"
    static QString text(int ms);
};

} // namespace PushChat
