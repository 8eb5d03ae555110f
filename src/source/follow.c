/* SPDX-License-Identifier: GPL-2.0-or-later */
/* follow.c - file:PATH followed through inotify (work in progress). */
#include "source/source.h"

#include <errno.h>

int source_file_new(const char *path, const struct source_opts *o, struct source **ret)
{
	return -EPROTONOSUPPORT;
}
