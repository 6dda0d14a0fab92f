// Fuzz target for the HTTP/1.1 request parser: with clang it is a libFuzzer target
// (-DPUSHCHAT_FUZZ=ON); otherwise fuzz_driver.cpp replays the corpus plus mutations in CI.

#include "httpparser.h"

#include <cstdint>
#include <cstdlib>

using PushChat::Http::parseRequest;
using Status = PushChat::Http::ParseResult::Status;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto result = parseRequest(input);
    switch (result.status) {
    case Status::Complete: {
        if (result.consumed <= 0 || result.consumed > input.size())
            std::abort();
        // A complete request parses the same when cut right after it: requests never
        // depend on bytes that follow them.
        const auto again = parseRequest(input.first(result.consumed));
        if (again.status != Status::Complete || again.consumed != result.consumed ||
            again.request.body != result.request.body)
            std::abort();
        if (!result.request.path.startsWith('/'))
            std::abort();
        break;
    }
    case Status::Error:
        if (result.errorStatus < 400 || result.errorStatus > 505 || result.errorMessage.isEmpty())
            std::abort();
        break;
    case Status::Incomplete:
        if (result.consumed != 0)
            std::abort();
        break;
    }
    QList<std::pair<QByteArray, QByteArray>> items;
    PushChat::Http::parseQuery(input, &items);
    return 0;
}
