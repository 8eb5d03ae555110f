/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmsg.h - the /dev/kmsg source's record format (the source itself is
 * source_kmsg_new() in source.h).
 *
 * One read() of /dev/kmsg returns one record (Documentation/ABI/testing/
 * dev-kmsg):
 *     "<pri>,<seq>,<usec>,<flags>[,<more>...];<message>\n"
 *     followed by optional continuation lines " KEY=value\n"
 * pri is facility << 3 | level; seq counts records since boot with no gap
 * unless records were overwritten; usec is the kernel's clock at the time
 * (the printk clock: it stops in suspend, like CLOCK_MONOTONIC). The
 * message escapes non-printable bytes as \xNN. The kernel forces facility
 * user (1) on records written to /dev/kmsg from user space, so facility 0
 * is the kernel's own.
 */
#ifndef VIGIL_KMSG_H
#define VIGIL_KMSG_H

#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct kmsg_record {
	uint32_t pri;
	uint64_t seq;
	uint64_t usec;
	struct span msg; /* up to the first '\n'; continuation lines dropped */
};

/* 0, or -EINVAL for bytes that are not a kmsg record. msg points into p. */
int kmsg_record_parse(const char *p, size_t len, struct kmsg_record *ret);

#define KMSG_BOOT_ID_LEN 36 /* /proc/sys/kernel/random/boot_id, without '\n' */

#endif
