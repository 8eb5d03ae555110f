/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipopts.c - IPv4 option list walker and names (see ipopts.h).
 *
 * Layout (RFC 791 section 3.1): a list of options, each either one type
 * byte (EOL 0, NOP 1) or type, length, data, where length counts the type
 * and length bytes. Linux (ip_options_compile) drops a packet whose list is
 * malformed this way, but only in ip_rcv_finish(), after the PREROUTING
 * hooks: a rule there logs it as received. And a log file is text anyone
 * may have written. So the walker trusts nothing, reads each byte at most
 * once and always moves forward, by at least two bytes per option with a
 * length.
 */
#include "match/ipopts.h"

uint32_t ipopts_decode(const uint8_t *opt, size_t n, bool *ret_malformed)
{
	size_t i = 0;
	uint32_t mask = 0;
	bool bad = false;

	while (i < n) {
		unsigned type = opt[i], len;

		mask |= 1u << (type & 31);
		if (type == 0) /* EOL: the rest is padding */
			break;
		if (type == 1) { /* NOP */
			i++;
			continue;
		}
		if (i + 1 >= n) {
			bad = true;
			break;
		}
		len = opt[i + 1];
		if (len < 2 || len > n - i) {
			bad = true;
			break;
		}
		i += len;
	}
	if (ret_malformed)
		*ret_malformed = bad;
	return mask;
}

struct ipopt_keyword {
	const char *kw;
	int number;
};

static const struct ipopt_keyword ipopt_keywords[] = {
	/* Snort's ipopts arguments */
	{ "rr", IPOPT_NUM_RR },
	{ "eol", IPOPT_NUM_EOL },
	{ "nop", IPOPT_NUM_NOP },
	{ "ts", IPOPT_NUM_TS },
	{ "sec", IPOPT_NUM_SEC },
	{ "esec", IPOPT_NUM_ESEC },
	{ "lsrr", IPOPT_NUM_LSRR },
	{ "lsrre", IPOPT_NUM_LSRR },
	{ "ssrr", IPOPT_NUM_SSRR },
	{ "satid", IPOPT_NUM_SATID },
	/* vigil's */
	{ "ralert", IPOPT_NUM_RALERT },
	{ "cipso", IPOPT_NUM_CIPSO },
	{ "tr", IPOPT_NUM_TR },
	{ "qs", IPOPT_NUM_QS },
	{ "mtup", IPOPT_NUM_MTUP },
	{ "mtur", IPOPT_NUM_MTUR },
	/* the other names in psad's ip_options file */
	{ "extsec", IPOPT_NUM_ESEC },
	{ "comsec", IPOPT_NUM_CIPSO },
	{ "expm", 10 },
	{ "mtu", IPOPT_NUM_MTUP },
	{ "expflow", 13 },
	{ "expaccess", 14 },
	{ "imitraf", 16 },
	{ "extproto", 17 },
	{ "traceroute", IPOPT_NUM_TR },
	{ "addrext", 19 },
	{ "sbrdcast", 21 },
	{ "nsapaddr", 22 },
	{ "dpktstate", 23 },
	{ "umcast", 24 },
};

int ipopt_by_keyword(struct span kw)
{
	for (size_t i = 0; i < sizeof(ipopt_keywords) / sizeof(ipopt_keywords[0]); i++)
		if (span_eq_nocase(kw, ipopt_keywords[i].kw))
			return ipopt_keywords[i].number;
	return -1;
}

static const char *const ipopt_names[32] = {
	"eol",   "nop",   "sec",    "lsrr",  "ts",    "esec",  "cipso", "rr",
	"satid", "ssrr",  "opt10",  "mtup",  "mtur",  "opt13", "opt14", "opt15",
	"opt16", "opt17", "tr",     "opt19", "ralert", "opt21", "opt22", "opt23",
	"opt24", "qs",    "opt26",  "opt27", "opt28", "opt29", "opt30", "opt31",
};

const char *ipopt_name(unsigned number)
{
	return ipopt_names[number & 31];
}
