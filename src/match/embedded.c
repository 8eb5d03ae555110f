/* SPDX-License-Identifier: GPL-2.0-or-later */
/* embedded.c - look up a built-in data set (the table is generated). */
#include "match/embedded.h"

#include <string.h>

const struct embedded_file *embedded_find(const char *name)
{
	for (size_t i = 0; i < embedded_n_files; i++)
		if (strcmp(embedded_files[i].name, name) == 0)
			return &embedded_files[i];
	return NULL;
}
