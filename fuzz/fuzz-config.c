/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-config.c - libFuzzer target for the config stage.
 *
 * The same bytes go to config_load_buf() (as a vigil.conf/psad.conf) and to
 * autodl_load_buf() (as an auto_dl file). Besides memory errors it checks:
 * - every diagnostic is printable ASCII (user bytes were escaped);
 * - config_dump() round-trips: the dump loads without errors and dumps the
 *   same text again;
 * - autodl_match() answers for addresses taken from the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/autodl.h"
#include "config/config.h"
#include "event/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diag(const struct config_diag *d, void *data)
{
	unsigned *errors = data;

	if (d->severity == CONFIG_ERROR)
		(*errors)++;
	for (const char *p = d->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			abort();
}

static char *dump(const struct config *cfg, size_t *ret_len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, ret_len);

	if (!f)
		abort();
	config_dump(cfg, f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

static void fuzz_config(const char *in, size_t size)
{
	struct config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	unsigned errors = 0;
	size_t l1, l2;
	char *d1, *d2;

	if (!a || !b)
		abort();
	config_init(a);
	(void)config_load_buf(a, "fuzz", in, size, check_diag, &errors);
	d1 = dump(a, &l1);
	config_init(b);
	errors = 0;
	if (config_load_buf(b, "dump", d1, l1, check_diag, &errors) != 0 || errors)
		abort();
	d2 = dump(b, &l2);
	if (l1 != l2 || memcmp(d1, d2, l1) != 0)
		abort();
	/* the hot-path helpers on input bytes */
	(void)config_prefix_selected(a, in, size);
	(void)config_intf_ignored(a, in, size < 20 ? size : 20);
	if (size >= 3)
		(void)config_port_ignored(a, (uint8_t)in[0], (uint16_t)((uint8_t)in[1] << 8 | (uint8_t)in[2]));
	free(d1);
	free(d2);
	free(a);
	free(b);
}

static void fuzz_autodl(const char *in, size_t size)
{
	static const uint8_t protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMP,
					  IPPROTO_NUM_UDPLITE };
	struct autodl *adl = NULL;
	unsigned errors = 0;
	struct addr probe[4];

	if (autodl_load_buf("fuzz", in, size, check_diag, &errors, &adl) != 0)
		return;
	if (errors)
		abort(); /* a file with errors must be rejected */
	memset(probe, 0, sizeof(probe));
	probe[0].family = ADDR_V4;
	probe[1].family = ADDR_V6;
	probe[2].family = ADDR_V4;
	probe[3].family = ADDR_V6;
	memcpy(probe[2].b, in, size < 4 ? size : 4);
	memcpy(probe[3].b, in, size < 16 ? size : 16);
	for (size_t i = 0; i < 4; i++) {
		for (size_t p = 0; p < sizeof(protos); p++) {
			const struct autodl_entry *e =
				autodl_match(adl, &probe[i], protos[p], p < 2, (uint16_t)(size * 7));
			if (e && (e->dl > 5 || !net_contains(&e->net, &probe[i])))
				abort();
		}
	}
	adl = autodl_free(adl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config((const char *)data, size);
	fuzz_autodl((const char *)data, size);
	return 0;
}
