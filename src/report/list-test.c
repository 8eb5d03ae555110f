/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list-test.c - `analyze --list` and `--nft-set` on hand-built states.
 *
 * What must never be in a block list (spoofed, reflected, BLOCK_WHITELIST,
 * HOME_NET sources, also as parts of a --group-v6 network), that a reflected
 * source which scanned on its own is listed, one line per address however
 * many firewalls reported it, and the nft script's shape: table and sets
 * always created, elements NFT_CHUNK to a line with their timeouts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "report/exports-internal.h"
#include "report/report.h"
#include "report/state-fixture.h"

static struct source_state *src(const char *a, uint8_t dl)
{
	struct source_state *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_int_equal(addr_parse(span_make(a, strlen(a)), &s->src), 0);
	s->dl = dl;
	s->scan_dl = dl;
	return s;
}

static struct net N(const char *s)
{
	struct net n;

	assert_int_equal(net_parse(span_make(s, strlen(s)), &n), 0);
	return n;
}

typedef int sources_fn(FILE *out, const struct source_state **v, size_t n,
		       const struct input_stats *in, const struct engine_stats *es,
		       const struct report_opts *o);

static char *run(sources_fn *fn, struct source_state **v, size_t n, const struct report_opts *o)
{
	static const struct input_stats no_in;
	static const struct engine_stats no_es;
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, (const struct source_state **)v, n, &no_in, &no_es, o), 0);
	assert_int_equal(fclose(f), 0);
	return doc;
}

/* Each kind of source that must not be blocked, next to ones that may. */
static void test_list_never(void **state)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct source_state *v[9];
	struct source_reflect refl = { .packets = 40, .syn_ack = 40 };
	struct source_reflect refl2 = { .packets = 3, .rst = 3 };
	struct net home = N("10.0.0.0/8");
	struct report_block_stats st = { 0 };
	struct report_opts o = { .min_dl = 1, .cfg = cfg, .home_net = &home, .n_home_net = 1,
				 .block_stats = &st };

	(void)state;
	assert_non_null(cfg);
	cfg->block_whitelist[0] = N("198.51.100.0/28");
	cfg->block_whitelist[1] = N("2001:db8:5::7");
	cfg->n_block_whitelist = 2;
	v[0] = src("203.0.113.5", 4);          /* listed */
	v[1] = src("127.0.0.1", 0);            /* spoofed: DL 0, below min */
	v[1]->spoofed = SPOOF_LOOPBACK;
	v[2] = src("203.0.113.6", 3);          /* spoofed (own address) */
	v[2]->spoofed = SPOOF_OWN;
	v[3] = src("203.0.113.7", 1);          /* reflected only */
	v[3]->scan_dl = 0;
	v[3]->reflected = &refl;
	v[4] = src("203.0.113.8", 3);          /* replies, and a scan of its own */
	v[4]->reflected = &refl2;
	v[5] = src("198.51.100.9", 5);         /* whitelisted */
	v[6] = src("10.1.2.3", 5);             /* HOME_NET */
	v[7] = src("2001:db8:5::", 3);         /* a /64 holding a whitelisted address */
	v[8] = src("2001:db8:6::", 3);         /* a /64: listed as the network */

	assert_int_equal(report_block_verdict(v[0], &o), BLOCK_OK);
	assert_int_equal(report_block_verdict(v[2], &o), BLOCK_SPOOFED);
	assert_int_equal(report_block_verdict(v[3], &o), BLOCK_REFLECTED);
	assert_int_equal(report_block_verdict(v[4], &o), BLOCK_OK);
	assert_int_equal(report_block_verdict(v[5], &o), BLOCK_WHITELISTED);
	assert_int_equal(report_block_verdict(v[6], &o), BLOCK_LOCAL);
	assert_int_equal(report_block_verdict(v[7], &o), BLOCK_OK); /* an address: not in */
	o.group_v6 = 64;
	assert_int_equal(report_block_verdict(v[7], &o), BLOCK_WHITELISTED);
	assert_string_equal(block_verdict_name(BLOCK_REFLECTED), "reflected");
	assert_null(block_verdict_name(BLOCK_OK));

	char *doc = run(report_list_sources, v, 9, &o);
	assert_string_equal(doc, "203.0.113.5\n203.0.113.8\n2001:db8:6::/64\n");
	free(doc);
	assert_int_equal(st.listed, 3);
	assert_int_equal(st.listed_v4, 2);
	assert_int_equal(st.listed_v6, 1);
	assert_int_equal(st.spoofed, 1); /* 127.0.0.1 is below --min-dl: not counted */
	assert_int_equal(st.reflected, 1);
	assert_int_equal(st.whitelisted, 2);
	assert_int_equal(st.local, 1);
	assert_int_equal(st.listed_private, 0);

	/* --min-dl 0 lists every source but still none of these */
	o.min_dl = 0;
	doc = run(report_list_sources, v, 9, &o);
	assert_string_equal(doc, "203.0.113.5\n203.0.113.8\n2001:db8:6::/64\n");
	free(doc);
	/* --min-dl 4: the reflected one that scanned at DL 3 is below it */
	o.min_dl = 4;
	doc = run(report_list_sources, v, 9, &o);
	assert_string_equal(doc, "203.0.113.5\n");
	free(doc);
	for (size_t i = 0; i < 9; i++)
		free(v[i]);
	free(cfg);
}

/* The same address from two firewalls: one line; spoofed on either: none. */
static void test_list_once(void **state)
{
	struct source_state *v[4] = { src("192.0.2.1", 4), src("192.0.2.2", 3), src("192.0.2.1", 2),
				      src("192.0.2.2", 3) };
	struct report_opts o = { .min_dl = 2 };
	struct net ip = N("192.0.2.1");

	(void)state;
	v[2]->origin = 1;
	v[3]->origin = 2;
	v[3]->spoofed = SPOOF_OWN;
	char *doc = run(report_list_sources, v, 4, &o);
	assert_string_equal(doc, "192.0.2.1\n");
	free(doc);
	/* spoofed sources are at DL 0: below --min-dl, they still veto */
	v[3]->dl = v[3]->scan_dl = 0;
	doc = run(report_list_sources, v, 4, &o);
	assert_string_equal(doc, "192.0.2.1\n");
	free(doc);
	v[3]->dl = v[3]->scan_dl = 3;
	/* --ip filters as the other reports do */
	o.ips = &ip;
	o.n_ips = 1;
	v[3]->spoofed = 0;
	doc = run(report_list_sources, v, 4, &o);
	assert_string_equal(doc, "192.0.2.1\n");
	free(doc);
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
}

/* The script: table, both sets, elements with their timeout. */
static void test_nft_script(void **state)
{
	struct source_state *v[3] = { src("203.0.113.5", 3), src("2001:db8:7::", 3),
				      src("203.0.113.9", 1) };
	struct report_opts o = { .min_dl = 3, .nft_set = "blocklist", .group_v6 = 48 };

	(void)state;
	char *doc = run(report_nft_sources, v, 3, &o);
	assert_non_null(strstr(doc, "\nadd table inet vigil\n"
				    "add set inet vigil blocklist { type ipv4_addr; flags timeout; }\n"
				    "add set inet vigil blocklist6 { type ipv6_addr; flags interval, "
				    "timeout; }\n"
				    "add element inet vigil blocklist { 203.0.113.5 timeout 86400s }\n"
				    "add element inet vigil blocklist6 { 2001:db8:7::/48 timeout 86400s }\n"));
	assert_null(strstr(doc, "203.0.113.9"));
	/* every line is a comment or an add command */
	for (const char *p = doc; *p; p = strchr(p, '\n') + 1) {
		assert_true(*p == '#' || strncmp(p, "add ", 4) == 0);
		assert_non_null(strchr(p, '\n'));
	}
	free(doc);
	o.nft_timeout = 3600;
	o.nft_table = "filter";
	doc = run(report_nft_sources, v, 3, &o);
	assert_non_null(strstr(doc, "\nadd table inet filter\n"));
	assert_non_null(strstr(doc, "\nadd element inet filter blocklist { 203.0.113.5 timeout 3600s }\n"));
	assert_non_null(strstr(doc, "#   nft add rule inet filter input ip6 saddr @blocklist6 drop\n"));
	assert_null(strstr(doc, "inet vigil"));
	free(doc);
	o.nft_table = NULL;
	/* nothing to list: the sets are still created, no empty element list */
	o.min_dl = 5;
	doc = run(report_nft_sources, v, 3, &o);
	assert_non_null(strstr(doc, "add set inet vigil blocklist6 "));
	assert_null(strstr(doc, "add element"));
	free(doc);
	/* no set name: refused */
	o.nft_set = NULL;
	FILE *f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(report_nft_sources(f, (const struct source_state **)v, 3, NULL, NULL, &o),
			 -EINVAL);
	fclose(f);
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
}

/* Thousands of addresses: NFT_CHUNK per add element line. */
static void test_nft_chunks(void **state)
{
	enum { N_SRC = 2 * NFT_CHUNK + 5 };
	struct source_state **v = calloc(N_SRC, sizeof(*v));
	struct report_block_stats st = { 0 };
	struct report_opts o = { .min_dl = 1, .nft_set = "b", .block_stats = &st };
	char a[32];

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < N_SRC; i++) {
		(void)snprintf(a, sizeof(a), "10.%zu.%zu.1", i / 256, i % 256);
		v[i] = src(a, 2);
	}
	char *doc = run(report_nft_sources, v, N_SRC, &o);
	assert_int_equal(count_str(doc, "add element inet vigil b { "), 3);
	assert_int_equal(count_str(doc, " timeout 86400s"), N_SRC);
	assert_int_equal(count_str(doc, " }\n"), 3 + 2); /* element lines + two sets */
	free(doc);
	assert_int_equal(st.listed, N_SRC);
	assert_int_equal(st.listed_private, N_SRC); /* 10/8: a hint to set HOME_NET */
	for (size_t i = 0; i < N_SRC; i++)
		free(v[i]);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_never),
		cmocka_unit_test(test_list_once),
		cmocka_unit_test(test_nft_script),
		cmocka_unit_test(test_nft_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
