// Runs the fuzz target without libFuzzer: every corpus file, then deterministic mutations of
// them (byte flips, truncations, splices), so CI exercises the parser's invariants with gcc.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
void run(const QByteArray &input)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()),
                           size_t(input.size()));
}
} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS]\n", argv[0]);
        return 2;
    }
    const int iterations = argc > 2 ? QByteArray(argv[2]).toInt() : 200000;
    QList<QByteArray> corpus;
    const QDir dir(QString::fromLocal8Bit(argv[1]));
    for (const QString &name : dir.entryList(QDir::Files)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            corpus.append(file.readAll());
    }
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "no corpus in %s\n", argv[1]);
        return 2;
    }
    for (const QByteArray &input : corpus)
        run(input);
    QRandomGenerator random(20261125); // fixed seed: a failure is reproducible
    static constexpr char interesting[] = {'\r', '\n', ' ',  ':', '\0', '\t', '0', '9', '%',
                                           '?',  '"',  '\\', '{', '}',  ',',  '-', '.'};
    for (int i = 0; i < iterations; ++i) {
        QByteArray input = corpus.at(random.bounded(corpus.size()));
        const int mutations = 1 + random.bounded(4);
        for (int m = 0; m < mutations && !input.isEmpty(); ++m) {
            const qsizetype at = random.bounded(input.size());
            switch (random.bounded(5)) {
            case 0:
                input[at] = char(random.bounded(256));
                break;
            case 1:
                input[at] = interesting[random.bounded(int(sizeof interesting))];
                break;
            case 2:
                input.truncate(at);
                break;
            case 3:
                input.insert(at, corpus.at(random.bounded(corpus.size())).mid(at));
                break;
            case 4:
                input.remove(at, 1 + random.bounded(8));
                break;
            }
        }
        run(input);
    }
    std::printf("%lld corpus inputs and %d mutations: invariants held\n",
                static_cast<long long>(corpus.size()), iterations);
    return 0;
}
