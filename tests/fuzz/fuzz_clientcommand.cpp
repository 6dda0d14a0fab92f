// Fuzz target for the one-pass reader of WebSocket client commands and of JSON posts: each
// must agree with QJsonDocument on every input a text frame or a post body can carry (valid
// UTF-8), whether it reads the input itself or leaves it to Qt. With clang it is a libFuzzer target
// (-DPUSHCHAT_FUZZ=ON); otherwise fuzz_driver.cpp replays the corpus plus mutations in CI.

#include "jsoncodec.h"
#include "websocketframe.h"

#include <cstdint>
#include <cstdlib>

using namespace PushChat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!WebSocketFrame::isValidUtf8(input))
        return 0;
    const auto reference = JsonCodec::decodeClientCommandWithQt(input);
    if (JsonCodec::decodeClientCommand(input) != reference)
        std::abort();
    const auto onePass = JsonCodec::decodeFlatClientCommand(input);
    if (onePass && onePass != reference)
        std::abort();

    QString referenceError;
    const auto referencePost = JsonCodec::decodePostedMessageWithQt(input, &referenceError);
    QString error;
    if (JsonCodec::decodePostedMessage(input, &error) != referencePost || error != referenceError)
        std::abort();
    const auto onePassPost = JsonCodec::decodeFlatPostedMessage(input);
    if (onePassPost && onePassPost != referencePost)
        std::abort();
    return 0;
}
