/* blotter: running a piece of work with a time limit on the answer.
 *
 * The index has no way to stop a search half-way, so a request that takes
 * too long cannot be cancelled; what can be bounded is how long its client
 * waits. bl_deadline_run runs fn in a worker thread and waits at most
 * timeout_ms: when fn is done in time, its results are the caller's; when
 * it is not, the caller answers "took too long" at once and the worker,
 * which now owns ctx, calls abandon(ctx) when fn is finally done.
 *
 * Ownership: ctx passes to the worker for good on BL_ETIMEOUT only.
 */
#ifndef BL_DEADLINE_H
#define BL_DEADLINE_H

#include "bl_error.h"

/* Returns 0 when fn(ctx) finished within timeout_ms, BL_ETIMEOUT when it did
 * not (abandon(ctx) runs later, in the worker), BL_ENOMEM or BL_ERR when no
 * worker could be started (fn did not run; ctx stays the caller's). */
int bl_deadline_run(void (*fn)(void *ctx), void *ctx, void (*abandon)(void *ctx),
                    unsigned timeout_ms);

/* Work running now, late work included (a worker counts itself out as soon
 * as fn returns): callers refuse new work past a bound so that abandoned
 * work cannot pile up. */
unsigned bl_deadline_running(void);

#endif
