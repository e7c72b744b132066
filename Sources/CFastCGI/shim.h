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
