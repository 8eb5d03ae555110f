/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd.h - the subcommands. Each returns the process exit status:
 * 0 success, 1 runtime error, 2 usage error (cli.md). */
#ifndef VIGIL_CMD_H
#define VIGIL_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

int cmd_analyze(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* Load the configuration the way every command does: built-in defaults, then
 * FILE (explicit: must exist) or /etc/vigil/vigil.conf (optional). Prints
 * errors and warnings; psad keys vigil does not use are summed up in one
 * line unless verbose. Returns 0 or -errno. */
int cmd_load_config(struct config *cfg, const char *path, bool verbose);

/* cmd-input.c: an input that could not be opened (counted, named on stderr;
 * returns err), and what one input lost or surprised with once its lines are
 * read (r: linereader_next()'s last return, lineno: lines read). store holds
 * INPUT_PROBLEMS_MAX problems and becomes in->problems. name is as given,
 * ename the same escaped for stderr. */
struct input_stats;
struct input_problem;
struct linereader;
int input_unreadable(struct input_stats *in, struct input_problem *store, const char *name,
		     const char *ename, int err);
void input_done(struct input_stats *in, struct input_problem *store, const char *name,
		const char *ename, struct linereader *lr, int r, uint64_t lineno);

#endif
