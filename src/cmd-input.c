/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-input.c - what `vigil analyze` says about each input it reads: kmsg
 * overruns, plain text after compressed data, and every input not read to
 * its end (unreadable, refused, damaged, truncated), on stderr (one line
 * each, the name escaped) and in the report's input counters. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report/report.h"
#include "source/file.h"
#include "util/log.h"

/* Remember a problem for the report (the first INPUT_PROBLEMS_MAX). */
static struct input_problem *add_problem(struct input_stats *in, struct input_problem *store,
					 const char *file, bool error, const char *reason)
{
	struct input_problem *p;

	if (in->n_problems >= INPUT_PROBLEMS_MAX) {
		in->problems_unlisted++;
		return NULL;
	}
	p = &store[in->n_problems++];
	in->problems = store;
	snprintf(p->file, sizeof(p->file), "%s", file);
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	p->error = error;
	return p;
}

int input_unreadable(struct input_stats *in, struct input_problem *store, const char *name,
		     const char *ename, int err)
{
	in->read_errors++;
	add_problem(in, store, name, true, linereader_strerror(err));
	log_error("cannot read '%s': %s", ename, linereader_strerror(err));
	return err;
}

void input_done(struct input_stats *in, struct input_problem *store, const char *name,
		const char *ename, struct linereader *lr, int r, uint64_t lineno)
{
	struct linereader_info li;
	struct input_problem *p;

	linereader_info(lr, &li);
	if (linereader_lost(lr)) {
		in->lost += linereader_lost(lr);
		log_warn("%s: the kernel overwrote unread records %llu time(s): records were lost",
			 ename, (unsigned long long)linereader_lost(lr));
	}
	if (li.text_after) {
		const char *why = "plain text after the compressed data, read as log lines";
		log_warn("%s: %s from line %llu (byte %llu)", ename, why,
			 (unsigned long long)li.text_line, (unsigned long long)li.text_offset);
		if ((p = add_problem(in, store, name, false, why))) {
			p->has_pos = true;
			p->offset = li.text_offset;
			p->line = li.text_line;
		}
	}
	if (r >= 0)
		return;
	const char *why = li.error ? li.error : linereader_strerror(r);
	/* broken inside a compressed member that lines came from */
	bool in_member = r == -EIO && li.members && li.member_line && li.member_line <= lineno;
	in->read_errors++;
	if ((p = add_problem(in, store, name, true, why))) {
		p->has_pos = true;
		p->offset = li.error_offset;
		p->line = lineno;
		p->dropped = li.dropped;
		p->has_member = in_member;
		p->member_offset = li.member_offset;
		p->member_line = li.member_line;
	}
	char cut[160] = "";
	int k = 0;
	if (li.dropped)
		k = snprintf(cut, sizeof(cut), "; a cut line of %llu bytes dropped",
			     (unsigned long long)li.dropped);
	if (in_member && k >= 0)
		snprintf(cut + k, sizeof(cut) - (size_t)k,
			 "; its member began at byte %llu, line %llu",
			 (unsigned long long)li.member_offset, (unsigned long long)li.member_line);
	if (!lineno && !li.error_offset)
		log_error("%s: %s: not read", ename, why);
	else
		log_error("%s: %s, at byte %llu after line %llu: the rest is not read%s", ename,
			  why, (unsigned long long)li.error_offset, (unsigned long long)lineno, cut);
}

