/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine-compat.c - TEMPORARY stand-ins for H2's engine_lookup() and
 * engine_top() (see engine-compat.h). Weak: H2's definitions win at link
 * time. INTEGRATOR: delete. */
#include "alert/engine-compat.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

__attribute__((weak)) const struct source_state *
engine_lookup(const struct engine *e, uint32_t origin, const struct addr *src)
{
	(void)e;
	(void)origin;
	(void)src;
	return NULL;
}

__attribute__((weak)) size_t engine_top(const struct engine *e, size_t n,
					const struct source_state **ret)
{
	size_t all = 0;
	const struct source_state **v = engine_sources_sorted(e, &all);

	if (!v)
		return 0;
	if (n > all)
		n = all;
	memcpy(ret, v, n * sizeof(*ret));
	free(v);
	return n;
}
