/* SPDX-License-Identifier: GPL-2.0-or-later */
/* source.c - the registry of live sources: spec -> backend (see source.h). */
#include "source/source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct source_kind {
	const char *name;
	enum { ARG_NONE, ARG_OPTIONAL, ARG_NEEDED } arg; /* "kmsg", "journal[:DIR]", "file:PATH" */
	int (*new)(const char *arg, const struct source_opts *o, struct source **ret);
};

static const struct source_kind kinds[] = {
	{ "kmsg", ARG_NONE, source_kmsg_new },
	{ "file", ARG_NEEDED, source_file_new },
	{ "journal", ARG_OPTIONAL, source_journal_new },
	{ "nflog", ARG_NEEDED, source_nflog_new },
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
		if (k->arg == ARG_NEEDED && (!arg || !*arg)) {
			*reterr_why = k->new == source_file_new ? "file: needs a path (file:PATH)"
								: "nflog: needs a group (nflog:GROUP)";
			return -EINVAL;
		}
		if (k->arg == ARG_NONE && arg) {
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
	if (!strncmp(spec, "syslog-udp:", 11) || !strncmp(spec, "syslog-tcp:", 11))
		*reterr_why = "syslog-udp and syslog-tcp listeners are not in this version of "
			      "vigil run (kmsg, file:PATH, journal[:DIR], nflog:GROUP are)";
	else
		*reterr_why = "unknown source (kmsg, file:PATH, journal[:DIR], nflog:GROUP)";
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
