/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.c - STUB (issue 9, helper B replaces it). */
#include "ingest/filter.h"

#include <errno.h>
#include <stdlib.h>

struct event_filter {
	unsigned n;
};

struct event_filter *filter_new(void)
{
	return calloc(1, sizeof(struct event_filter));
}

struct event_filter *filter_free(struct event_filter *f)
{
	free(f);
	return NULL;
}

int filter_add(struct event_filter *f, enum filter_kind k, const char *arg, int64_t now_us,
	       const char **ret_why)
{
	(void)f, (void)k, (void)arg, (void)now_us;
	*ret_why = "not implemented yet";
	return -EINVAL;
}

bool filter_empty(const struct event_filter *f)
{
	return !f || f->n == 0;
}

bool filter_pass(const struct event_filter *f, const struct event *ev)
{
	(void)f, (void)ev;
	return true;
}
