// libFuzzer target: BatchLoader::read() on a batch in the JsonLines format (SPEC S3).
#include "FuzzBatch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return workdeck::fuzz::testOneInput(data, size, workdeck::BatchLoader::Format::JsonLines);
}
