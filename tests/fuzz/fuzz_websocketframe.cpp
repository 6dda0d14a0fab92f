// Fuzz target for the client-frame parser: with clang it is a libFuzzer target
// (-DPUSHCHAT_FUZZ=ON); otherwise fuzz_driver.cpp replays the corpus plus mutations in CI.

#include "websocketframe.h"

#include <cstdint>
#include <cstdlib>

using namespace PushChat::WebSocketFrame;
using Status = ParsedFrame::Status;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    constexpr qint64 maxPayload = 4096;
    // Frames one after another, as a peer reads them from one buffer.
    qsizetype offset = 0;
    while (offset < input.size()) {
        const ParsedFrame frame = parseClientFrame(input.sliced(offset), maxPayload);
        if (frame.status == Status::Incomplete) {
            if (frame.consumed != 0)
                std::abort();
            break;
        }
        if (frame.status == Status::Error) {
            if (!frame.error ||
                (frame.closeCode != CloseProtocolError && frame.closeCode != CloseTooBig))
                std::abort();
            break;
        }
        if (frame.consumed < 6 || frame.consumed > input.size() - offset ||
            frame.payload.size() > maxPayload || frame.consumed - frame.payload.size() > 14)
            std::abort();
        if ((frame.opcode & 0x08) && (!frame.fin || frame.payload.size() > 125))
            std::abort();
        // The same frame, cut right after its end, parses the same.
        const ParsedFrame again =
            parseClientFrame(input.sliced(offset, frame.consumed), maxPayload);
        if (again.status != Status::Complete || again.payload != frame.payload)
            std::abort();
        offset += frame.consumed;
    }
    isValidUtf8(input);
    return 0;
}
