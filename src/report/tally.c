/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tally.c - STUB (issue 9, helper C replaces it). */
#include "report/tally.h"

#include <stdlib.h>
#include <string.h>

struct tally {
	struct tally_series overall;
};

struct tally *tally_new(bool timelines)
{
	(void)timelines;
	return calloc(1, sizeof(struct tally));
}

struct tally *tally_free(struct tally *t)
{
	free(t);
	return NULL;
}

void tally_event(const struct event *ev, int64_t when_us, void *data)
{
	(void)ev, (void)when_us, (void)data;
}

const struct tally_name *tally_names(const struct tally *t, enum tally_kind k, size_t *ret_n,
				     uint64_t *ret_other)
{
	(void)t, (void)k;
	*ret_n = 0;
	*ret_other = 0;
	return NULL;
}

const struct tally_series *tally_overall(const struct tally *t)
{
	return &t->overall;
}

const struct tally_series *tally_source(const struct tally *t, const struct addr *src)
{
	(void)t, (void)src;
	return NULL;
}

void tally_series_rebin(const struct tally_series *s, int64_t start_us, int64_t width_us,
			size_t n, uint64_t *ret)
{
	(void)s, (void)start_us, (void)width_us;
	memset(ret, 0, n * sizeof(*ret));
}

uint64_t tally_series_dropped(const struct tally *t)
{
	(void)t;
	return 0;
}
