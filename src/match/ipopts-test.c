/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipopts-test.c - IPv4 option walker on option bytes (written here as the
 * kernel's "OPT (...)" hex for reading). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "match/ipopts.h"

#define BIT(n) (1u << (n))

/* hex (valid, even length) -> bytes */
static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2;

	assert_int_equal(strlen(hex) % 2, 0);
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++) {
		int v = span_hexbyte(hex + 2 * i);
		assert_true(v >= 0);
		out[i] = (uint8_t)v;
	}
	return n;
}

static uint32_t decode(const char *hex, bool *ret_bad)
{
	uint8_t b[256];
	size_t n = unhex(hex, b, sizeof(b));

	*ret_bad = !*ret_bad; /* the walker must write it */
	return ipopts_decode(n ? b : NULL, n, ret_bad);
}

#define EXPECT(hex, want_mask, want_bad)                         \
	do {                                                     \
		bool bad_ = false;                               \
		assert_int_equal(decode(hex, &bad_), want_mask); \
		assert_int_equal(bad_, want_bad);                \
		bad_ = true;                                     \
		assert_int_equal(decode(hex, &bad_), want_mask); \
		assert_int_equal(bad_, want_bad);                \
	} while (0)

/* n zero bytes as hex, after prefix. */
static const char *zeros_after(char *buf, size_t size, const char *prefix, size_t n)
{
	size_t l = strlen(prefix);

	assert_true(l + 2 * n < size);
	memcpy(buf, prefix, l);
	memset(buf + l, '0', 2 * n);
	buf[l + 2 * n] = '\0';
	return buf;
}

static void test_record_route(void **state)
{
	char buf[128];

	/* hping3 --rroute (ipopt.c): RR (type 7), length 39, pointer 8, a
	 * first slot of 1.2.3.4 and eight empty ones; the 40-byte area ends
	 * with one EOL byte */
	EXPECT(zeros_after(buf, sizeof(buf), "07270801020304", 33), BIT(7) | BIT(0), false);
	/* iputils ping -R: NOP first, then RR of 39 bytes filling the area */
	EXPECT(zeros_after(buf, sizeof(buf), "01072704", 36), BIT(7) | BIT(1), false);
	/* scripts/capture/craft.py rr: length 11, two slots, EOL padding */
	EXPECT("070B04000000000000000000", BIT(7) | BIT(0), false);
	assert_string_equal(ipopt_name(IPOPT_NUM_RR), "rr");
	assert_false(ipopts_source_routed(BIT(7) | BIT(0)));
}

static void test_source_route(void **state)
{
	/* LSRR (131) to 198.18.0.1, pointer past the end; EOL pads to 8 */
	EXPECT("830708C612000100", BIT(3) | BIT(0), false);
	EXPECT("830708C6120001000000", BIT(3) | BIT(0), false);
	/* exactly filling the area: no EOL needed */
	EXPECT("830708C6120001", BIT(3), false);
	/* SSRR (137) */
	EXPECT("890708C612000100", BIT(9) | BIT(0), false);
	assert_true(ipopts_source_routed(BIT(3)));
	assert_true(ipopts_source_routed(BIT(9) | BIT(0)));
	assert_false(ipopts_source_routed(BIT(4)));
}

static void test_timestamp_and_others(void **state)
{
	char buf[128];

	/* ping -T tsonly: TS (68), length 40, pointer 5, flag 0 */
	EXPECT(zeros_after(buf, sizeof(buf), "44280500", 36), BIT(4), false);
	/* crafted: TS length 12, two empty slots */
	EXPECT("440C0500" "0000000000000000", BIT(4), false);
	/* router alert (148), as IGMPv2 and MLD senders put it */
	EXPECT("94040000", BIT(20), false);
	/* router alert, then NOP NOP EOL */
	EXPECT("9404000001010000", BIT(20) | BIT(1) | BIT(0), false);
	/* security (130, length 11), stream id (136, length 4), CIPSO (134) */
	EXPECT("820B0000000000000000000100", BIT(2) | BIT(1) | BIT(0), false);
	EXPECT("88041234", BIT(8), false);
	EXPECT("860A000000030102030400", BIT(6) | BIT(0), false);
	/* quick-start (25), experiment (158 = number 30 with copy bit) */
	EXPECT("1908000000000000", BIT(25), false);
	EXPECT("9E04ABCD", BIT(30), false);
	/* traceroute (82, length 12) */
	EXPECT("520C000100020003C6120001", BIT(18), false);
}

static void test_padding_and_stop(void **state)
{
	EXPECT("", 0, false);
	EXPECT("01010101", BIT(1), false);
	EXPECT("00000000", BIT(0), false);
	/* after EOL everything is padding, even garbage and bad lengths */
	EXPECT("00830083FF01", BIT(0), false);
	EXPECT("0100FFFF", BIT(1) | BIT(0), false);
}

static void test_malformed(void **state)
{
	/* length past the end: the option is reported, the walk stops */
	EXPECT("8307", BIT(3), true);
	EXPECT("830708C61200", BIT(3), true);
	EXPECT("0194FF00", BIT(1) | BIT(20), true);
	/* type byte with no length byte */
	EXPECT("0183", BIT(1) | BIT(3), true);
	EXPECT("44", BIT(4), true);
	/* length 0 and 1 would not move the walk forward */
	EXPECT("83000000", BIT(3), true);
	EXPECT("8301" "07030400", BIT(3), true);
	EXPECT("01010700", BIT(1) | BIT(7), true);
	/* a good option, then a bad one */
	EXPECT("94040000" "4401", BIT(20) | BIT(4), true);
	/* ret_malformed may be NULL */
	static const uint8_t lsrr[] = { 0x83, 0x07 };
	assert_int_equal(ipopts_decode(lsrr, sizeof(lsrr), NULL), BIT(3));
	assert_int_equal(ipopts_decode(NULL, 0, NULL), 0);
}

/* Long hostile input (a log line can say anything): NOPs all the way, then
 * a length that points one byte too far. */
static void test_long(void **state)
{
	static uint8_t buf[2048];
	bool bad = true;

	memset(buf, 0x01, sizeof(buf));
	assert_int_equal(ipopts_decode(buf, sizeof(buf), &bad), BIT(1));
	assert_false(bad);
	buf[sizeof(buf) - 2] = 0x83;
	buf[sizeof(buf) - 1] = 0x03;
	assert_int_equal(ipopts_decode(buf, sizeof(buf), &bad), BIT(1) | BIT(3));
	assert_true(bad);
}

static void test_keywords(void **state)
{
	static const struct {
		const char *kw;
		int num;
	} kws[] = {
		{ "rr", 7 },	    { "eol", 0 },	 { "nop", 1 },	     { "ts", 4 },
		{ "sec", 2 },	    { "esec", 5 },	 { "lsrr", 3 },	     { "lsrre", 3 },
		{ "ssrr", 9 },	    { "satid", 8 },	 { "ralert", 20 },   { "cipso", 6 },
		{ "tr", 18 },	    { "qs", 25 },	 { "mtup", 11 },     { "mtur", 12 },
		{ "extsec", 5 },    { "comsec", 6 },	 { "expm", 10 },     { "mtu", 11 },
		{ "expflow", 13 },  { "expaccess", 14 }, { "imitraf", 16 },  { "extproto", 17 },
		{ "traceroute", 18 }, { "addrext", 19 }, { "sbrdcast", 21 }, { "nsapaddr", 22 },
		{ "dpktstate", 23 }, { "umcast", 24 },
	};

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		assert_int_equal(ipopt_by_keyword(span_make(kws[i].kw, strlen(kws[i].kw))),
				 kws[i].num);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("LSRR")), 3);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("Rr")), 7);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("any")), -1);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("")), -1);
	assert_int_equal(ipopt_by_keyword(span_make(NULL, 0)), -1);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("rrr")), -1);
	assert_int_equal(ipopt_by_keyword(SPAN_LIT("r")), -1);
	assert_int_equal(ipopt_by_keyword(span_make("rr\0", 3)), -1);
	/* psad's signatures use these four */
	assert_true(ipopts_source_routed(BIT(ipopt_by_keyword(SPAN_LIT("lsrre")))));
}

static void test_names(void **state)
{
	static const char *const named[] = { "rr", "ts", "lsrr", "ssrr", "sec", "esec", "satid",
					     "ralert", "cipso", "tr", "nop", "eol", "qs", "mtup",
					     "mtur" };
	char want[8];

	/* canonical keywords round-trip */
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		int n = ipopt_by_keyword(span_make(named[i], strlen(named[i])));
		assert_true(n >= 0);
		assert_string_equal(ipopt_name((unsigned)n), named[i]);
	}
	assert_string_equal(ipopt_name(10), "opt10");
	assert_string_equal(ipopt_name(31), "opt31");
	assert_string_equal(ipopt_name(30), "opt30");
	/* a type byte names its option */
	assert_string_equal(ipopt_name(130), "sec");
	assert_string_equal(ipopt_name(148), "ralert");
	assert_string_equal(ipopt_name(68), "ts");
	/* every name is short, non-empty, and opt<N> where not named */
	for (unsigned n = 0; n < 32; n++) {
		const char *s = ipopt_name(n);
		assert_non_null(s);
		assert_true(strlen(s) > 0 && strlen(s) <= 6);
		if (!strncmp(s, "opt", 3)) {
			(void)snprintf(want, sizeof(want), "opt%u", n);
			assert_string_equal(s, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_route),
		cmocka_unit_test(test_source_route),
		cmocka_unit_test(test_timestamp_and_others),
		cmocka_unit_test(test_padding_and_stop),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
