#ifndef HTDX_FUZZ_DRIVER_H
#define HTDX_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver on `test` with the process's arguments. SwiftPM links a Swift
/// executable with its entry point renamed to `<module>_main`, so libFuzzer's own main() is
/// never linked in; each target's `<module>_main` calls this instead.
int htdx_fuzz_run(int argc, char **argv, int (*test)(const void *data, size_t size));

#endif
