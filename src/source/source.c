/* SPDX-License-Identifier: GPL-2.0-or-later */
/* source.c - the registry of live sources: spec -> backend (see source.h). */
#include "source/source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct source_kind {
	const char *name;
	bool needs_arg; /* "file:PATH", "nflog:GROUP" */
	int (*new)(const char *arg, const struct source_opts *o, struct source **ret);
};

static const struct source_kind kinds[] = {
	{ "kmsg", false, source_kmsg_new },
	{ "file", true, source_file_new },
	{ "journal", false, source_journal_new },
	{ "nflog", true, source_nflog_new },
};

int source_new(const char *spec, const struct source_opts *o, struct source **ret,
	       const char **reterr_why)
{
	const char *colon = strchr(spec, ':');
	size_t klen = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : NULL;
	struct source *s = NULL;
	int r;

	if (strlen(spec) >= sizeof(s->spec)) {
		*reterr_why = "source spec too long";
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct source_kind *k = &kinds[i];

		if (strlen(k->name) != klen || memcmp(k->name, spec, klen))
			continue;
		if (k->needs_arg && (!arg || !*arg)) {
			*reterr_why = k->new == source_file_new ? "file: needs a path (file:PATH)"
								: "nflog: needs a group (nflog:GROUP)";
			return -EINVAL;
		}
		if (!k->needs_arg && arg) {
			*reterr_why = "this source takes no argument";
			return -EINVAL;
		}
		r = k->new(arg, o, &s);
		if (r < 0) {
			*reterr_why = r == -EINVAL ? "bad argument"
				      : r == -EPROTONOSUPPORT ? "source not built in"
				      : strerror(-r);
			return r;
		}
		snprintf(s->spec, sizeof(s->spec), "%s", spec);
		*ret = s;
		return 0;
	}
	*reterr_why = "unknown source (kmsg, file:PATH, journal, nflog:GROUP)";
	return -EINVAL;
}

struct source *source_free(struct source *s)
{
	if (!s)
		return NULL;
	if (s->ops->close)
		s->ops->close(s);
	s->ops->free(s);
	return NULL;
}
