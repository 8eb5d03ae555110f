/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine-compat.h - TEMPORARY: the engine API of issue 10 (interfaces10.md,
 * "H2") that src/alert/ codes against, until H2's engine lands.
 *
 * INTEGRATOR: delete this file and engine-compat.c, replace
 * `#include "alert/engine-compat.h"` by `#include "engine/engine.h"` in
 * src/alert/, and make the ALERT_SRC_* accessors below read the real fields
 * (they are the only place src/alert/ touches the new source_state fields).
 */
#ifndef VIGIL_ALERT_ENGINE_COMPAT_H
#define VIGIL_ALERT_ENGINE_COMPAT_H

/* today's engine.h has an older struct engine_change: rename it away */
#define engine_change engine_change_pre10
#define engine_change_fn engine_change_fn_pre10
#include "engine/engine.h"
#undef engine_change
#undef engine_change_fn

#include <stdint.h>

enum engine_change_kind { ENGINE_CHANGE_LEVEL, ENGINE_CHANGE_SIGNATURE,
			  ENGINE_CHANGE_EXPIRED, ENGINE_CHANGE_EVICTED };
struct engine_change {
	enum engine_change_kind kind;
	const struct source_state *src;
	const struct pair_state *dst;
	int old_dl, new_dl;
	const struct event *ev;
	uint32_t sig_id;
	const char *sig_msg;
	int sig_dl;
};
typedef void engine_change_fn(const struct engine_change *c, void *data);

const struct source_state *engine_lookup(const struct engine *e, uint32_t origin,
					 const struct addr *src);
size_t engine_top(const struct engine *e, size_t n, const struct source_state **ret);

/* The fields H2 adds to struct source_state. With H2's state.h:
 *   #define ALERT_SRC_ORIGIN(s) ((s)->origin)
 *   #define ALERT_SRC_MAILS_SENT(s) ((s)->mails_sent)
 *   #define ALERT_SRC_FIRST_US(s) ((s)->first_us)
 *   #define ALERT_SRC_LAST_US(s) ((s)->last_us) */
#define ALERT_SRC_ORIGIN(s) ((void)(s), (uint32_t)0)
#define ALERT_SRC_MAILS_SENT(s) ((void)(s), (uint32_t)0)
#define ALERT_SRC_FIRST_US(s) ((void)(s), (int64_t)0) /* 0: unknown */
#define ALERT_SRC_LAST_US(s) ((void)(s), (int64_t)0)

/* struct sig_count: today a pointer to the rule; H2 copies its fields.
 * With H2's state.h: ALERT_SIGC_MSG(c) ((c)->msg), ALERT_SIGC_ID(c) ((c)->id),
 * ALERT_SIGC_DL(c) ((c)->dl). */
#include "match/signature.h"
#define ALERT_SIGC_MSG(c) ((c)->sig->msg)
#define ALERT_SIGC_ID(c) ((c)->sig->id)
#define ALERT_SIGC_DL(c) ((c)->sig->dl)

#endif
