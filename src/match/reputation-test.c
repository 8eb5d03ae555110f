/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reputation-test.c - list loading, diagnostics and longest-prefix match,
 * including a generated 200k-entry list checked against a linear scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "match/reputation.h"

#define DIAGS_MAX 64

/* Every diagnostic, in order; messages must be printable ASCII. */
struct diags {
	unsigned n, errors, warnings;
	struct {
		enum config_severity sev;
		unsigned line;
		char file[64];
		char msg[256];
	} d[DIAGS_MAX];
};

static void record(const struct config_diag *d, void *data)
{
	struct diags *ds = data;

	for (const char *p = d->msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	ds->errors += d->severity == CONFIG_ERROR;
	ds->warnings += d->severity == CONFIG_WARNING;
	if (ds->n == DIAGS_MAX)
		return;
	ds->d[ds->n].sev = d->severity;
	ds->d[ds->n].line = d->line;
	snprintf(ds->d[ds->n].file, sizeof(ds->d[0].file), "%s", d->file);
	snprintf(ds->d[ds->n].msg, sizeof(ds->d[0].msg), "%s", d->msg);
	ds->n++;
}

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static int add(struct reputation *r, const char *name, const char *text, struct diags *ds)
{
	return reputation_add_buf(r, name, text, strlen(text), record, ds);
}

/* The longest match for addr is want ("NET/LEN" as net_format prints it,
 * or NULL for none), from list. */
static void check(const struct reputation *r, const char *addr, const char *want,
		  const char *list)
{
	struct addr a = A(addr);
	struct reputation_hit hit = { .list = NULL };
	char got[NET_STR_MAX];
	bool found = reputation_lookup(r, &a, &hit);

	if (!want) {
		if (found)
			fail_msg("%s: unexpected hit %s", addr, (net_format(&hit.net, got), got));
		return;
	}
	if (!found)
		fail_msg("%s: no hit, want %s", addr, want);
	net_format(&hit.net, got);
	assert_string_equal(got, want);
	if (list)
		assert_string_equal(hit.list, list);
}

static void test_empty(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };
	struct addr unset = { 0 };
	struct reputation_hit hit;

	(void)state;
	assert_non_null(r);
	check(r, "1.2.3.4", NULL, NULL);
	check(r, "::1", NULL, NULL);
	assert_int_equal(add(r, "empty", "", &ds), 0);
	assert_int_equal(reputation_add_buf(r, "null", NULL, 0, record, &ds), 0);
	assert_int_equal(add(r, "comments", "# nothing\n\n   \n; here\n", &ds), 0);
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.errors, 0);
	assert_int_equal(ds.n, 0);
	check(r, "1.2.3.4", NULL, NULL);
	assert_int_equal(add(r, "one", "1.2.3.4", &ds), 0);
	assert_false(reputation_lookup(r, &unset, &hit));
	assert_null(reputation_free(r));
	assert_null(reputation_free(NULL));
}

static void test_v4_longest(void **state)
{
	struct reputation *r = reputation_new();
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "l",
			     "10.1.2.3/32\n10.0.0.0/8\n10.1.0.0/16\n10.1.2.0/24\n"
			     "10.1.128.0/17\n10.0.0.0/12\n203.0.113.7\n",
			     &ds),
			 0);
	check(r, "10.1.2.3", "10.1.2.3", "l");
	check(r, "10.1.2.4", "10.1.2.0/24", "l");
	check(r, "10.1.3.1", "10.1.0.0/16", "l");
	check(r, "10.1.200.1", "10.1.128.0/17", "l");
	check(r, "10.2.0.0", "10.0.0.0/12", "l");
	check(r, "10.15.255.255", "10.0.0.0/12", "l");
	check(r, "10.16.0.0", "10.0.0.0/8", "l");
	check(r, "10.255.255.255", "10.0.0.0/8", "l");
	check(r, "11.0.0.0", NULL, NULL);
	check(r, "9.255.255.255", NULL, NULL);
	check(r, "203.0.113.7", "203.0.113.7", "l");
	check(r, "203.0.113.6", NULL, NULL);
	check(r, "::a01:203", NULL, NULL); /* IPv6 with the same bytes is not IPv4 */
	assert_int_equal(ds.n, 0);
	reputation_free(r);
}

static void test_v6_longest(void **state)
{
	struct reputation *r = reputation_new();
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "six",
			     "2001:db8::/32\n2001:db8:1::/48\n2001:db8:1:2::/64\n"
			     "2001:db8:1:2::7\n2001:db8:ffff:ff80::/57\n",
			     &ds),
			 0);
	check(r, "2001:db8:1:2::7", "2001:db8:1:2::7", "six");
	check(r, "2001:db8:1:2::8", "2001:db8:1:2::/64", "six");
	check(r, "2001:db8:1:3::", "2001:db8:1::/48", "six");
	check(r, "2001:db8:2::1", "2001:db8::/32", "six");
	check(r, "2001:db8:ffff:ffff::1", "2001:db8:ffff:ff80::/57", "six");
	check(r, "2001:db8:ffff:ff7f::1", "2001:db8::/32", "six");
	check(r, "2001:db9::", NULL, NULL);
	check(r, "32.1.13.184", NULL, NULL); /* 2001:db8 as IPv4 bytes */
	reputation_free(r);
}

static void test_default_route(void **state)
{
	struct reputation *r = reputation_new();
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "all", "0.0.0.0/0\n::/0\n192.0.2.0/24\n2001:db8::/32\n", &ds), 0);
	check(r, "0.0.0.0", "0.0.0.0/0", "all");
	check(r, "255.255.255.255", "0.0.0.0/0", "all");
	check(r, "192.0.2.9", "192.0.2.0/24", "all");
	check(r, "192.0.3.9", "0.0.0.0/0", "all");
	check(r, "::", "::/0", "all");
	check(r, "ffff::1", "::/0", "all");
	check(r, "2001:db8::1", "2001:db8::/32", "all");
	reputation_free(r);
}

static void test_comments_and_forms(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "forms",
			     "# FireHOL-style header\n"
			     "\n"
			     "   \t \n"
			     "\t192.0.2.1   # trailing comment\n"
			     "198.51.100.0/24;no blank before\n"
			     "203.0.113.9#hash right after\n"
			     "172.16.0.0/255.240.0.0\n"
			     "100.64.0.0/10 scanner farm, words after a blank\r\n"
			     "2001:db8:aa::/48\r\n"
			     "  ; indented comment\n"
			     "# 1.1.1.1 commented out\n"
			     "8.8.8.8", /* no final newline */
			     &ds),
			 0);
	assert_int_equal(ds.n, 0);
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries, 7);
	assert_int_equal(st.errors, 0);
	check(r, "192.0.2.1", "192.0.2.1", "forms");
	check(r, "198.51.100.200", "198.51.100.0/24", "forms");
	check(r, "203.0.113.9", "203.0.113.9", "forms");
	check(r, "172.31.1.1", "172.16.0.0/12", "forms");
	check(r, "172.32.1.1", NULL, NULL);
	check(r, "100.127.0.1", "100.64.0.0/10", "forms");
	check(r, "2001:db8:aa:1::1", "2001:db8:aa::/48", "forms");
	check(r, "8.8.8.8", "8.8.8.8", "forms");
	check(r, "1.1.1.1", NULL, NULL);
	reputation_free(r);
}

static void test_drop_format(void **state)
{
	static const char drop[] =
		"; Spamhaus DROP List 2024/05/01 - (c) 2024 The Spamhaus Project SLU\n"
		"; https://www.spamhaus.org/drop/drop.txt\n"
		"; Last-Modified: Wed, 01 May 2024 08:12:03 GMT\n"
		"; Expires: Wed, 01 May 2024 09:14:26 GMT\n"
		"1.10.16.0/20 ; SBL256894\n"
		"1.19.0.0/16 ; SBL434604\n"
		"1.32.128.0/18 ; SBL286275\n"
		"5.134.128.0/19 ; SBL270738\n";
	static const char dropv6[] = "; Spamhaus DROPv6\n"
				     "2a06:5280::/29 ; SBL457807\n"
				     "2a07:3b80::/29 ; SBL532402\n";
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "drop.txt", drop, &ds), 0);
	assert_int_equal(add(r, "dropv6.txt", dropv6, &ds), 0);
	assert_int_equal(ds.n, 0);
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries, 6);
	assert_int_equal(st.lists, 2);
	check(r, "1.10.31.255", "1.10.16.0/20", "drop.txt");
	check(r, "1.10.32.0", NULL, NULL);
	check(r, "1.19.200.3", "1.19.0.0/16", "drop.txt");
	check(r, "5.134.159.1", "5.134.128.0/19", "drop.txt");
	check(r, "2a06:5287:ffff::1", "2a06:5280::/29", "dropv6.txt");
	check(r, "2a06:5288::1", NULL, NULL);
	reputation_free(r);
}

static void test_host_bits(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "hb.txt",
			     "# header\n192.0.2.0/24\n198.18.0.1/15\n2001:db8::1/32\n"
			     "10.0.0.0/255.0.0.0\n10.1.2.3/255.255.0.0\n",
			     &ds),
			 0);
	assert_int_equal(ds.n, 3);
	assert_int_equal(ds.warnings, 3);
	assert_int_equal(ds.d[0].sev, CONFIG_WARNING);
	assert_int_equal(ds.d[0].line, 3);
	assert_string_equal(ds.d[0].file, "hb.txt");
	assert_string_equal(ds.d[0].msg, "host bits set in '198.18.0.1/15', using 198.18.0.0/15");
	assert_int_equal(ds.d[1].line, 4);
	assert_string_equal(ds.d[1].msg, "host bits set in '2001:db8::1/32', using 2001:db8::/32");
	assert_int_equal(ds.d[2].line, 6);
	reputation_get_stats(r, &st);
	assert_int_equal(st.warnings, 3);
	assert_int_equal(st.entries, 5);
	check(r, "198.19.255.255", "198.18.0.0/15", "hb.txt");
	check(r, "198.18.0.0", "198.18.0.0/15", "hb.txt");
	check(r, "2001:db8:ffff::", "2001:db8::/32", "hb.txt");
	check(r, "10.1.99.99", "10.1.0.0/16", "hb.txt");
	reputation_free(r);
}

static void test_malformed(void **state)
{
	static const unsigned want_lines[] = { 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14 };
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "bad.txt",
			     "192.0.2.1\n"           /* 1 */
			     "hello\n"               /* 2 */
			     "1.2.3.4/33\n"          /* 3 */
			     "300.1.1.1\n"           /* 4 */
			     "1.2.3.4/255.0.255.0\n" /* 5: not contiguous */
			     "::1/129\n"             /* 6 */
			     "198.51.100.0/24\n"     /* 7 */
			     "1.2.3.4/\n"            /* 8 */
			     "/24\n"                 /* 9 */
			     "1.2.3.4/-1\n"          /* 10 */
			     "1.2.3\n"               /* 11 */
			     "1.2.3.4/24/8\n"        /* 12 */
			     "1.2.3.4,5.6.7.8\n"     /* 13 */
			     "01.2.3.4.5\n"          /* 14 */
			     "203.0.113.0/24\n",     /* 15 */
			     &ds),
			 -EINVAL);
	assert_int_equal(ds.n, sizeof(want_lines) / sizeof(want_lines[0]));
	for (unsigned i = 0; i < ds.n; i++) {
		assert_int_equal(ds.d[i].sev, CONFIG_ERROR);
		assert_int_equal(ds.d[i].line, want_lines[i]);
		assert_string_equal(ds.d[i].file, "bad.txt");
	}
	assert_string_equal(ds.d[0].msg, "invalid address or network: 'hello', ignoring");
	assert_string_equal(ds.d[1].msg,
			    "invalid prefix length or netmask: '1.2.3.4/33', ignoring");
	assert_string_equal(ds.d[2].msg, "invalid address or network: '300.1.1.1', ignoring");
	reputation_get_stats(r, &st);
	assert_int_equal(st.errors, 12);
	assert_int_equal(st.entries, 3);
	check(r, "192.0.2.1", "192.0.2.1", "bad.txt");
	check(r, "198.51.100.9", "198.51.100.0/24", "bad.txt");
	check(r, "203.0.113.1", "203.0.113.0/24", "bad.txt");
	check(r, "1.2.3.4", NULL, NULL);
	reputation_free(r);
}

static void test_hostile_bytes(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap);

	(void)state;
	assert_non_null(buf);
#define PUT(lit) (memcpy(buf + len, (lit), sizeof(lit) - 1), len += sizeof(lit) - 1)
	PUT("192.0.2.1\n");	      /* 1 */
	PUT("192.0.2.2\0 hidden\n");  /* 2: NUL after the network */
	PUT("\x1b[31m1.2.3.4\n");     /* 3: terminal escape */
	PUT("1.2.3.\xff\xfe\n");      /* 4 */
	memset(buf + len, 'x', 5000); /* 5: overlong */
	len += 5000;
	PUT("\n");
	PUT("192.0.2.3 #"); /* 6: exactly 4096 bytes, fine */
	memset(buf + len, ' ', 4096 - 11);
	len += 4096 - 11;
	PUT("\n");
	PUT("\\x41\n");			       /* 7: a backslash is escaped too */
	PUT("192.0.2.4 # caf\xc3\xa9 \x01\n"); /* 8: bytes in a comment are ignored */
	PUT("\0");			       /* 9: NUL alone, no newline */
#undef PUT
	assert_true(len < cap);
	assert_int_equal(reputation_add_buf(r, "evil", buf, len, record, &ds), -EINVAL);
	assert_int_equal(ds.n, 6);
	assert_int_equal(ds.d[0].line, 2);
	assert_string_equal(ds.d[0].msg, "NUL byte in line: '192.0.2.2\\x00 hidden', ignoring");
	assert_int_equal(ds.d[1].line, 3);
	assert_string_equal(ds.d[1].msg,
			    "invalid address or network: '\\x1b[31m1.2.3.4', ignoring");
	assert_int_equal(ds.d[2].line, 4);
	assert_string_equal(ds.d[2].msg,
			    "invalid address or network: '1.2.3.\\xff\\xfe', ignoring");
	assert_int_equal(ds.d[3].line, 5);
	assert_non_null(strstr(ds.d[3].msg, "line longer than 4096 bytes: 'xxxx"));
	assert_int_equal(ds.d[4].line, 7);
	assert_string_equal(ds.d[4].msg, "invalid address or network: '\\x5cx41', ignoring");
	assert_int_equal(ds.d[5].line, 9);
	reputation_get_stats(r, &st);
	assert_int_equal(st.errors, 6);
	assert_int_equal(st.entries, 3);
	check(r, "192.0.2.1", "192.0.2.1", "evil");
	check(r, "192.0.2.2", NULL, NULL);
	check(r, "192.0.2.3", "192.0.2.3", "evil");
	check(r, "192.0.2.4", "192.0.2.4", "evil");
	/* every prefix of the hostile buffer loads without crashing */
	for (size_t n = 0; n < 64; n++)
		(void)reputation_add_buf(r, "evil", buf, n, NULL, NULL);
	free(buf);
	reputation_free(r);
}

static void test_duplicates(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	assert_int_equal(add(r, "a", "10.0.0.0/8\n10.0.0.0/8\n10.9.9.9/8\n10.0.0.0/255.0.0.0\n", &ds),
			 0);
	assert_int_equal(add(r, "b", "10.0.0.0/8\n2001:db8::/32\n2001:db8:0::/32\n", &ds), 0);
	assert_int_equal(ds.errors, 0);
	assert_int_equal(ds.warnings, 1); /* 10.9.9.9/8 */
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.duplicates, 5);
	check(r, "10.1.1.1", "10.0.0.0/8", "a"); /* the first list keeps it */
	check(r, "2001:db8::5", "2001:db8::/32", "b");
	reputation_free(r);
}

static void test_two_lists(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };
	char name[16];

	(void)state;
	snprintf(name, sizeof(name), "%s", "drop");
	assert_int_equal(add(r, name, "10.0.0.0/8\n192.0.2.0/24\n", &ds), 0);
	snprintf(name, sizeof(name), "%s", "local");
	assert_int_equal(add(r, name, "10.1.0.0/16\n192.0.2.77\n2001:db8::/32\n", &ds), 0);
	memset(name, 'X', sizeof(name) - 1); /* the names were copied */
	assert_int_equal(add(r, "drop", "198.51.100.0/24\n", &ds), 0);
	reputation_get_stats(r, &st);
	assert_int_equal(st.lists, 2);
	assert_int_equal(st.entries, 6);
	check(r, "10.1.0.1", "10.1.0.0/16", "local");
	check(r, "10.2.0.1", "10.0.0.0/8", "drop");
	check(r, "192.0.2.77", "192.0.2.77", "local");
	check(r, "192.0.2.78", "192.0.2.0/24", "drop");
	check(r, "198.51.100.1", "198.51.100.0/24", "drop");
	check(r, "2001:db8::1", "2001:db8::/32", "local");
	reputation_free(r);
}

static void test_cap(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };

	(void)state;
	reputation_set_max_entries(r, 2);
	assert_int_equal(add(r, "cap", "192.0.2.1\n192.0.2.2\n192.0.2.1\n192.0.2.3\n192.0.2.4\n",
			     &ds),
			 -EINVAL);
	assert_int_equal(ds.n, 1); /* reported once */
	assert_int_equal(ds.d[0].sev, CONFIG_ERROR);
	assert_int_equal(ds.d[0].line, 4);
	assert_string_equal(ds.d[0].msg, "set full (2 networks), ignoring the rest");
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.dropped, 2);
	check(r, "192.0.2.2", "192.0.2.2", "cap");
	check(r, "192.0.2.3", NULL, NULL);
	reputation_free(r);
}

/* --- a large generated list against a linear scan --- */

#define BIG_N4	     200000
#define BIG_N6	     2000
#define BIG_SAMPLES  1000

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Mostly hosts, as in the big public lists, and every length from 8 up. */
static unsigned rnd_len(uint64_t *s, unsigned bits)
{
	unsigned k = (unsigned)(rnd(s) % 100);

	if (k < 60)
		return bits;
	if (k < 75)
		return bits == 32 ? 24 : 64;
	return 8 + (unsigned)(rnd(s) % (bits - 7));
}

static uint32_t mask4(unsigned len)
{
	return len ? UINT32_MAX << (32 - len) : 0;
}

static void test_big_list(void **state)
{
	struct reputation *r = reputation_new();
	struct reputation_stats st;
	struct diags ds = { 0 };
	uint32_t *net4 = calloc(BIG_N4, sizeof(*net4));
	uint8_t *len4 = calloc(BIG_N4, sizeof(*len4));
	struct net *net6 = calloc(BIG_N6, sizeof(*net6));
	size_t cap = (size_t)(BIG_N4 + BIG_N6) * 48, len = 0;
	char *text = malloc(cap);
	uint64_t seed = 42;

	(void)state;
	assert_true(net4 && len4 && net6 && text);
	for (unsigned i = 0; i < BIG_N4; i++) {
		uint32_t v = (uint32_t)rnd(&seed);
		len4[i] = (uint8_t)rnd_len(&seed, 32);
		net4[i] = v & mask4(len4[i]);
		len += (size_t)snprintf(text + len, cap - len, "%u.%u.%u.%u/%u ; entry %u\n",
					v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255, len4[i], i);
	}
	for (unsigned i = 0; i < BIG_N6; i++) {
		struct net *n = &net6[i];
		uint64_t hi = rnd(&seed), lo = rnd(&seed);
		n->a.family = ADDR_V6;
		n->a.b[0] = 0x20;
		n->a.b[1] = 0x01; /* 2001::/16, so that some nest */
		for (int k = 2; k < 8; k++)
			n->a.b[k] = (uint8_t)(hi >> (8 * k));
		for (int k = 8; k < 16; k++)
			n->a.b[k] = (uint8_t)(lo >> (8 * (k - 8)));
		n->len = (uint8_t)rnd_len(&seed, 128);
		if (n->len < 16)
			n->len = 16;
		char a[NET_STR_MAX];
		net_format(n, a);
		len += (size_t)snprintf(text + len, cap - len, "%s\n", a);
		/* what the set will hold: host bits cleared */
		assert_int_equal(net_parse(span_make(a, strlen(a)), n), 0);
	}
	assert_true(len < cap);
	assert_int_equal(reputation_add_buf(r, "big", text, len, record, &ds), 0);
	assert_int_equal(ds.errors, 0);
	reputation_get_stats(r, &st);
	assert_int_equal(st.entries + st.duplicates, BIG_N4 + BIG_N6);
	assert_true(st.entries > BIG_N4 / 2);
	free(text);
	/* IPv4: half the probes inside a listed network, half anywhere */
	for (unsigned s = 0; s < BIG_SAMPLES; s++) {
		uint32_t x = (uint32_t)rnd(&seed);
		if (s % 2 == 0) {
			unsigned i = (unsigned)(rnd(&seed) % BIG_N4);
			x = net4[i] | (x & ~mask4(len4[i]));
		}
		int best = -1;
		for (unsigned i = 0; i < BIG_N4; i++)
			if ((x & mask4(len4[i])) == net4[i] && (best < 0 || len4[i] > len4[best]))
				best = (int)i;
		struct addr a = { .family = ADDR_V4,
				  .b = { (uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8),
					 (uint8_t)x } };
		struct reputation_hit hit;
		bool found = reputation_lookup(r, &a, &hit);
		assert_int_equal(found, best >= 0);
		if (best >= 0) {
			uint32_t got = (uint32_t)hit.net.a.b[0] << 24 | hit.net.a.b[1] << 16 |
				       hit.net.a.b[2] << 8 | hit.net.a.b[3];
			assert_int_equal(hit.net.len, len4[best]);
			assert_int_equal(got, net4[best]);
			assert_string_equal(hit.list, "big");
		}
	}
	/* IPv6 the same way, with net_contains() as the reference */
	for (unsigned s = 0; s < BIG_SAMPLES; s++) {
		struct addr a = net6[rnd(&seed) % BIG_N6].a;
		uint64_t noise = rnd(&seed);
		unsigned from = s % 2 ? 2 : 12; /* odd: mostly misses, even: mostly hits */
		for (unsigned k = from; k < 16; k++)
			a.b[k] ^= (uint8_t)(noise >> (4 * k));
		int best = -1;
		for (unsigned i = 0; i < BIG_N6; i++)
			if (net_contains(&net6[i], &a) && (best < 0 || net6[i].len > net6[best].len))
				best = (int)i;
		struct reputation_hit hit;
		bool found = reputation_lookup(r, &a, &hit);
		assert_int_equal(found, best >= 0);
		if (best >= 0) {
			assert_int_equal(hit.net.len, net6[best].len);
			assert_true(addr_eq(&hit.net.a, &net6[best].a));
		}
	}
	free(net4);
	free(len4);
	free(net6);
	reputation_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_v4_longest),
		cmocka_unit_test(test_v6_longest),
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_comments_and_forms),
		cmocka_unit_test(test_drop_format),
		cmocka_unit_test(test_host_bits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_two_lists),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_big_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
