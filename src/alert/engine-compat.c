/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine-compat.c - TEMPORARY stand-in for H2's engine_lookup() (see
 * engine-compat.h). Weak: H2's definitions win at
 * link time. INTEGRATOR: delete. */
#include "alert/engine-compat.h"

#include <stddef.h>

__attribute__((weak)) const struct source_state *
engine_lookup(const struct engine *e, uint32_t origin, const struct addr *src)
{
	(void)e;
	(void)origin;
	(void)src;
	return NULL;
}
