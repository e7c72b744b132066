#pragma once
#include <fcgiapp.h>
#include <fcgios.h>

// Process-edge helpers the worker needs next to libfcgi; these C functions are variadic or
// macros, which Swift cannot call directly.
#include <sys/prctl.h>
#include <signal.h>
#include <sys/signalfd.h>

/// Ask the kernel to send `sig` to this process when its parent (the supervisor) dies.
static inline int countersign_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig); }

// Atomics on shared memory (the pool's status file, mapped by the supervisor and every worker):
// Swift's Atomic cannot be placed on memory it did not allocate.
#include <stdint.h>
static inline void countersign_atomic_add(uint64_t *address, uint64_t value) { __atomic_fetch_add(address, value, __ATOMIC_RELAXED); }
static inline uint64_t countersign_atomic_load(const uint64_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }
static inline void countersign_atomic_store(uint64_t *address, uint64_t value) { __atomic_store_n(address, value, __ATOMIC_RELEASE); }
static inline int countersign_atomic_claim(uint64_t *address, uint64_t expected, uint64_t desired) {
    return __atomic_compare_exchange_n(address, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
