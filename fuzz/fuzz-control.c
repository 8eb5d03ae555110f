/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-control.c - libFuzzer target for control_request_parse(): the one
 * thing an unprivileged-looking peer of the control socket can make the
 * daemon read (the peer check comes first, but the parser must hold anyway).
 *
 * The input is copied to a buffer of exactly its length (AddressSanitizer
 * sees a read past it). Invariants, a violation traps:
 *
 *   - parse returns 0, -EINVAL with a reason, or -E2BIG for a line over
 *     CONTROL_REQUEST_MAX - 1 bytes;
 *   - an accepted request has min_dl <= 5, top <= CONTROL_TOP_MAX and a
 *     known command, and every byte of the line is printable ASCII;
 *   - formatting an accepted request and parsing that gives the same request.
 *
 * Run: make build-fuzz/fuzz-control && fuzz/run.sh 60 build-fuzz/fuzz-control
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

static bool same(const struct control_request *a, const struct control_request *b)
{
	return a->cmd == b->cmd && a->json == b->json && a->summary == b->summary &&
	       a->min_dl == b->min_dl && a->top == b->top && a->has_ip == b->has_ip &&
	       (!a->has_ip || (a->ip.len == b->ip.len && addr_eq(&a->ip.a, &b->ip.a)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct control_request req, again;
	const char *why = NULL;
	char line[CONTROL_REQUEST_MAX];
	char *copy = malloc(size ? size : 1);
	int r, n;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	r = control_request_parse(copy, size, &req, &why);
	if (r == 0) {
		check(size < CONTROL_REQUEST_MAX);
		for (size_t i = 0; i < size; i++)
			check(copy[i] >= 0x20 && copy[i] <= 0x7e);
		check(req.cmd >= 0 && req.cmd < _CONTROL_COMMAND_MAX);
		check(req.min_dl <= 5 && req.top <= CONTROL_TOP_MAX);
		n = control_request_format(&req, line, sizeof(line));
		check(n > 0);
		check(control_request_parse(line, (size_t)n, &again, &why) == 0);
		check(same(&req, &again));
	} else if (r == -E2BIG) {
		check(size > CONTROL_REQUEST_MAX - 1);
	} else {
		check(r == -EINVAL && why && *why);
	}
	free(copy);
	return 0;
}
