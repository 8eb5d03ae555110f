/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keys.c - the keys vigil reads: how each value is checked, stored and
 * written back (see keys.h), psad's keys that vigil does not read, and the
 * protocol names.
 *
 * Every setter is atomic: it parses the whole value into locals first and
 * writes the config only when all of it is valid, so a bad value leaves the
 * previous one in place. Every formatter writes what its setter accepts, and
 * the result reads back to the same config (config_dump round-trips).
 */
#include "config/keys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"

#define F(cfg, k, T) ((T *)(void *)((char *)(cfg) + (k)->off))
#define CF(cfg, k, T) ((const T *)(const void *)((const char *)(cfg) + (k)->off))
#define FV(cfg, k) ((void *)((char *)(cfg) + (k)->off))
#define CFV(cfg, k) ((const void *)((const char *)(cfg) + (k)->off))
#define FN(cfg, k) ((size_t *)(void *)((char *)(cfg) + (k)->off_n))
#define CFN(cfg, k) ((const size_t *)(const void *)((const char *)(cfg) + (k)->off_n))

/* --- protocol names (psad's protocols file, which is /etc/protocols) --- */

/* The first name of a number is its canonical one (used by the dump). */
static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "hopopt", 0 },   { "ip", 0 },	     { "icmp", 1 },	  { "igmp", 2 },
	{ "ggp", 3 },	   { "ipencap", 4 },  { "st", 5 },	  { "tcp", 6 },
	{ "egp", 8 },	   { "igp", 9 },      { "pup", 12 },	  { "udp", 17 },
	{ "hmp", 20 },	   { "xns-idp", 22 }, { "rdp", 27 },	  { "iso-tp4", 29 },
	{ "dccp", 33 },	   { "xtp", 36 },     { "ddp", 37 },	  { "idpr-cmtp", 38 },
	{ "ipv6", 41 },	   { "ipv6-route", 43 }, { "ipv6-frag", 44 }, { "idrp", 45 },
	{ "rsvp", 46 },	   { "gre", 47 },     { "esp", 50 },	  { "ah", 51 },
	{ "skip", 57 },	   { "icmp6", 58 },   { "icmpv6", 58 },	  { "ipv6-icmp", 58 },
	{ "ipv6-nonxt", 59 }, { "ipv6-opts", 60 }, { "rspf", 73 }, { "vmtp", 81 },
	{ "eigrp", 88 },   { "ospf", 89 },    { "ax.25", 93 },	  { "ipip", 94 },
	{ "etherip", 97 }, { "encap", 98 },   { "pim", 103 },	  { "ipcomp", 108 },
	{ "vrrp", 112 },   { "l2tp", 115 },   { "isis", 124 },	  { "sctp", 132 },
	{ "fc", 133 },	   { "mobility-header", 135 }, { "udplite", 136 }, { "mpls-in-ip", 137 },
	{ "manet", 138 },  { "hip", 139 },    { "shim6", 140 },	  { "wesp", 141 },
	{ "rohc", 142 },   { "ethernet", 143 },
};

int conf_proto_parse(struct span s, uint8_t *ret)
{
	if (s.len && s.p[0] >= '0' && s.p[0] <= '9')
		return span_to_u8(s, ret) < 0 ? -EINVAL : 0;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (span_eq_nocase(s, protos[i].name)) {
			*ret = protos[i].num;
			return 0;
		}
	}
	return -EINVAL;
}

const char *conf_proto_name(uint8_t proto)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	return NULL;
}

/* --- psad keys vigil does not read (psad-behaviour.md section 10, the
 * psad.conf of psad 2.4.6 and 3.0, and a few older names) --- */

static const char *const psad_keys[] = {
	"ALERTING_METHODS", "ALERT_ALL", "ANALYSIS_MODE_DIR",
	"ANALYSIS_OUTPUT_FILE", "AUTO_BLOCK_DL1_TIMEOUT", "AUTO_BLOCK_DL2_TIMEOUT",
	"AUTO_BLOCK_DL3_TIMEOUT", "AUTO_BLOCK_DL4_TIMEOUT", "AUTO_BLOCK_DL5_TIMEOUT",
	"AUTO_BLOCK_IPT_FILE", "AUTO_BLOCK_REGEX", "AUTO_BLOCK_TCPWR_FILE",
	"AUTO_DETECT_JOURNALCTL", "AUTO_IPT_SOCK", "CHECK_INTERVAL", "CMDLINE_FILE",
	"CONF_ARCHIVE_DIR", "CUSTOM_SYSLOG_TS_RE", "DISK_CHECK_INTERVAL",
	"DISK_MAX_PERCENTAGE", "DISK_MAX_RM_RETRIES", "DNS_LOOKUP_THRESHOLD", 
	"DSHIELD_ALERT_EMAIL", "DSHIELD_ALERT_INTERVAL", "DSHIELD_COUNTER_FILE",
	"DSHIELD_DL_THRESHOLD", "DSHIELD_EMAIL_FILE", "DSHIELD_LATEST_EMAIL",
	"DSHIELD_USER_EMAIL", "DSHIELD_USER_ID", 
	"EMAIL_APPEND_HEADER",  "EMAIL_LIMIT_STATUS_MSG", "EMAIL_THROTTLE",
	"ENABLE_AUTO_IDS_EMAILS", "ENABLE_AUTO_IDS_REGEX", "ENABLE_CUSTOM_SYSLOG_TS_RE",
	 "ENABLE_DSHIELD_ALERTS", "ENABLE_EMAIL_LIMIT_PER_DST",
	"ENABLE_EXT_BLOCK_SCRIPT_EXEC", "ENABLE_EXT_SCRIPT_EXEC", "ENABLE_FW_LOGGING_CHECK",
	"ENABLE_FW_MSG_READ_CMD", "ENABLE_INTF_LOCAL_NETS", "ENABLE_IP_INFO_URL",
	"ENABLE_MAC_ADDR_REPORTING", "ENABLE_OVERRIDE_FW_CMD", "ENABLE_PSADWATCHD",
	"ENABLE_RENEW_BLOCK_EMAILS", "ENABLE_REPUTATION_FEEDS", "ENABLE_SCAN_ARCHIVE",
	"ENABLE_SIG_MSG_SYSLOG", "ENABLE_SNORT_SIG_STRICT", "ENABLE_SYSLOG_FILE",
	"ENABLE_WHOIS_FORCE_ASCII", "ENABLE_WHOIS_FORCE_SRC_IP", 
	"ERROR_DIR", "ETC_HOSTS_DENY", "ETC_HOSTS_DENY_FILE", "ETC_METALOG_CONF",
	"ETC_RSYSLOG_CONF", "ETC_SYSLOGNG_CONF", "ETC_SYSLOG_CONF", "EXEC_EXT_SCRIPT_PER_ALERT",
	"EXTERNAL_BLOCK_SCRIPT", "EXTERNAL_SCRIPT", "FLUSH_IPT_AT_INIT",
	"FWSNORT_RULES_DIR", "FW_CHECK_FILE", "FW_CMD", "FW_CMD_ARGS", "FW_DATA_FILE",
	"FW_ERROR_LOG", "FW_MSG_READ_CMD", "FW_MSG_READ_CMD_ARGS", "FW_MSG_READ_MIN_PKTS",
	"HOSTNAME", 
	"IFCFGTYPE", "IGNORE_KERNEL_TIMESTAMP", "IMPORT_OLD_SCANS",
	"INSTALL_LOG_FILE", "INSTALL_ROOT", "IPTABLES_BLOCK_METHOD", "IPTABLES_PREREQ_CHECK",
	"IPT_ERROR_PATTERN", "IPT_OUTPUT_PATTERN", "IPT_PREFIX_COUNTER_FILE", "IPT_SYSLOG_FILE",
	"IPT_WRITE_FWDATA", "IP_INFO", "IP_OPTS_FILE", "KMSGSD_PID_FILE", "MAIL_ALERT_PREFIX",
	"MAIL_ERROR_PREFIX", "MAIL_FATAL_PREFIX", "MAIL_STATUS_PREFIX", 
	"MIN_ARCHIVE_DANGER_LEVEL", "PACKET_COUNTER_FILE",
	"PERSISTENCE_CTR_THRESHOLD", "PID_FILE", "PRINT_SCAN_HASH",
	"PROC_FORWARD_FILE", "PROTOCOLS_FILE", "PSADWATCHD_CHECK_INTERVAL",
	"PSADWATCHD_MAX_RETRIES", "PSADWATCHD_PID_FILE", "PSAD_CMDLINE_FILE", "PSAD_CONF_DIR",
	"PSAD_DIR", "PSAD_ERR_DIR", "PSAD_FIFO", "PSAD_FIFO_DIR", "PSAD_FIFO_FILE",
	"PSAD_FW_READ_PID_FILE", "PSAD_LIBS_DIR", "PSAD_LIB_DIR", "PSAD_PID_FILE",
	"PSAD_RUN_DIR", "PSAD_TMP_DIR", "REPUTATION_FEED", "REPUTATION_FEEDS_DIR",
	"SCAN_DATA_ARCHIVE_DIR", "SHOW_ALL_SIGNATURES",
	"SIG_MSG_SYSLOG_THRESHOLD", "SIG_SID_SYSLOG_THRESHOLD", "SIG_UPDATE_URL",
	"SNORT_RULES_DIR", "SNORT_RULE_DL_FILE", "SNORT_SID_STR", 
	"STATUS_IP_THRESHOLD", "STATUS_OUTPUT_FILE", "STATUS_PORTS_THRESHOLD",
	"STATUS_SIGS_THRESHOLD", "SYSLOG_DAEMON", "SYSLOG_IDENTITY", 
	"TCPWRAPPERS_BLOCK_METHOD", "TOP_ATTACKERS_FILE",
	"TOP_IP_LOG_THRESHOLD", "TOP_PORTS_LOG_THRESHOLD", "TOP_SCANNED_PORTS_FILE",
	"TOP_SCANS_CTR_THRESHOLD", "TOP_SIGS_FILE", "TOP_SIGS_LOG_THRESHOLD",
	"TOP_STATUS_THRESHOLD", "TRUNCATE_FWDATA", "ULOG_DATA_FILE", "USE_FW_MSG_READ_CMD_ARGS",
	"WHOIS_LOOKUP_THRESHOLD", 
};

static bool all_digits(struct span s)
{
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

bool conf_key_is_psad(struct span name)
{
	for (size_t i = 0; i < sizeof(psad_keys) / sizeof(psad_keys[0]); i++)
		if (span_eq(name, psad_keys[i], strlen(psad_keys[i])))
			return true;
	/* open-ended families: command paths (iptablesCmd, whoisCmd, ...) and
	 * any number of IPT_AUTO_CHAIN<n> */
	if (name.len > 3 && memcmp(name.p + name.len - 3, "Cmd", 3) == 0)
		return true;
	struct span n = name;
	return span_take_prefix(&n, "IPT_AUTO_CHAIN", 14) && all_digits(n);
}

/* psad keys whose value changes psad's results, and what vigil does
 * instead. `when` is the value (case-insensitive) that makes the difference,
 * or NULL for any value but "NONE". */
static const struct {
	const char *key, *when, *effect;
} psad_effects[] = {
	{ "ENABLE_INTF_LOCAL_NETS", "Y",
	  "psad replaces HOME_NET with the host's connected subnets; vigil uses HOME_NET as "
	  "written (set it to your networks)" },
	{ "IGNORE_KERNEL_TIMESTAMP", "N",
	  "psad keeps the kernel's [secs.usecs] stamp in the log prefix; vigil always strips it "
	  "before matching prefixes" },
	{ "ENABLE_CUSTOM_SYSLOG_TS_RE", "Y",
	  "psad reads time and host with CUSTOM_SYSLOG_TS_RE; vigil recognises each file's "
	  "envelope itself (analyze --format forces one)" },
	{ "ENABLE_REPUTATION_FEEDS", "Y",
	  "psad raises sources listed in its downloaded feeds; vigil reads local lists only "
	  "(REPUTATION_FILES)" },
	{ "REPUTATION_FEED", NULL,
	  "psad downloads and scores this feed; vigil reads local lists only (REPUTATION_FILES)" },
	{ "IMPORT_OLD_SCANS", "Y",
	  "psad re-imports the scans of its earlier runs; vigil scores only the records it reads" },
	{ "ENABLE_AUTO_IDS_REGEX", "Y",
	  "psad blocks only sources whose log prefix matches AUTO_BLOCK_REGEX; vigil has no such "
	  "filter" },
};

const char *conf_psad_key_effect(struct span name, struct span value)
{
	for (size_t i = 0; i < sizeof(psad_effects) / sizeof(psad_effects[0]); i++) {
		if (!span_eq(name, psad_effects[i].key, strlen(psad_effects[i].key)))
			continue;
		if (psad_effects[i].when ? span_eq_nocase(value, psad_effects[i].when)
					 : value.len && !span_eq_nocase(value, "NONE"))
			return psad_effects[i].effect;
		return NULL;
	}
	return NULL;
}

/* --- list helpers --- */

static int fail(char *reason, size_t size, const char *what, struct span item)
{
	char esc[CONF_ESC_MAX];

	if (item.p)
		snprintf(reason, size, "%s '%s'", what, conf_esc(item, esc));
	else
		snprintf(reason, size, "%s", what);
	return -EINVAL;
}

/* --- numbers and booleans --- */

static int set_u32(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		   size_t rsize)
{
	uint32_t n;

	if (span_to_u32(v.s, &n) < 0 || n < k->min || n > k->max) {
		snprintf(reason, rsize, "expected a number %" PRIu32 "-%" PRIu32, k->min, k->max);
		return -EINVAL;
	}
	*F(cfg, k, uint32_t) = n;
	if (k->flags & KEY_OPTIONAL)
		cfg->min_danger_level_set = true;
	return 0;
}

static void fmt_u32(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	conf_text_printf(out, "%" PRIu32, *CF(cfg, k, uint32_t));
}

/* A size in KiB: a number with K, M or G (powers of 1024); a bare number
 * is in megabytes (M). */
static int set_size_kib(const struct key *k, struct config *cfg, struct key_val v, char *reason,
			size_t rsize)
{
	struct span num = v.s;
	int shift = 10; /* log2 of KiB per unit */
	uint64_t n;

	if (num.len && (num.p[num.len - 1] < '0' || num.p[num.len - 1] > '9')) {
		char unit = (char)(num.p[num.len - 1] | 0x20); /* ASCII lower case */
		shift = unit == 'k' ? 0 : unit == 'm' ? 10 : unit == 'g' ? 20 : -1;
		num.len--;
	}
	if (shift < 0 || span_to_u64(num, UINT32_MAX, &n) < 0 || (n << shift) < k->min ||
	    (n << shift) > k->max) {
		snprintf(reason, rsize, "expected a size %" PRIu32 "M-%" PRIu32 "G (K, M or G)",
			 k->min >> 10, k->max >> 20);
		return -EINVAL;
	}
	*F(cfg, k, uint32_t) = (uint32_t)(n << shift);
	return 0;
}

static void fmt_size_kib(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	uint32_t n = *CF(cfg, k, uint32_t);

	if (n && n % (1u << 20) == 0)
		conf_text_printf(out, "%" PRIu32 "G", n >> 20);
	else if (n % (1u << 10) == 0)
		conf_text_printf(out, "%" PRIu32 "M", n >> 10);
	else
		conf_text_printf(out, "%" PRIu32 "K", n);
}

static int set_bool(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		    size_t rsize)
{
	bool b;

	if (span_eq_nocase(v.s, "y") || span_eq_nocase(v.s, "yes"))
		b = true;
	else if (span_eq_nocase(v.s, "n") || span_eq_nocase(v.s, "no"))
		b = false;
	else
		return fail(reason, rsize, "expected Y or N", span_make(NULL, 0));
	*F(cfg, k, bool) = b;
	return 0;
}

static void fmt_bool(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	conf_text_puts(out, *CF(cfg, k, bool) ? "Y" : "N");
}

/* --- strings --- */

static int store_str(const struct key *k, struct config *cfg, struct span s, char *reason,
		     size_t rsize)
{
	if (!s.len)
		return fail(reason, rsize, "empty value", span_make(NULL, 0));
	if (s.len >= k->size) {
		snprintf(reason, rsize, "longer than %zu bytes", k->size - 1);
		return -EINVAL;
	}
	memcpy(F(cfg, k, char), s.p, s.len);
	F(cfg, k, char)[s.len] = '\0';
	return 0;
}

static int set_str(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		   size_t rsize)
{
	return store_str(k, cfg, v.s, reason, rsize);
}

static void fmt_str(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	conf_text_puts(out, CF(cfg, k, char));
}

/* A string that may be empty, written k->none ("NONE") */
static int set_opt_str(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		       size_t rsize)
{
	if (!v.quoted && span_eq_nocase(v.s, k->none)) {
		F(cfg, k, char)[0] = '\0';
		return 0;
	}
	return store_str(k, cfg, v.s, reason, rsize);
}

static void fmt_opt_str(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const char *s = CF(cfg, k, char);

	conf_text_puts(out, s[0] ? s : k->none);
}

/* kmsg | journal | file:PATH | nflog:GROUP | syslog-udp:ADDR:PORT | syslog-tcp:ADDR:PORT */
static bool input_source_valid(struct span it)
{
	if (span_eq(it, "kmsg", 4) || span_eq(it, "journal", 7))
		return true;
	if (span_take_prefix(&it, "file:", 5))
		return it.len > 0;
	if (span_take_prefix(&it, "nflog:", 6)) {
		uint16_t group;
		return span_to_u16(it, &group) == 0;
	}
	if (!span_take_prefix(&it, "syslog-udp:", 11) && !span_take_prefix(&it, "syslog-tcp:", 11))
		return false;
	const char *colon = it.len ? memrchr(it.p, ':', it.len) : NULL;
	if (!colon)
		return false;
	struct span a = span_make(it.p, (size_t)(colon - it.p));
	struct span port = span_make(colon + 1, it.len - a.len - 1);
	struct addr addr;
	uint16_t p;
	if (a.len >= 2 && a.p[0] == '[' && a.p[a.len - 1] == ']')
		a = span_make(a.p + 1, a.len - 2);
	return addr_parse(a, &addr) == 0 && span_to_u16(port, &p) == 0 && p > 0;
}

static bool email_valid(struct span it)
{
	return span_chr(it, '@') && !span_chr(it, ' ') && !span_chr(it, '\t');
}

/* A comma list of strings, each checked by valid(), stored joined by ", ". */
static int set_str_list(const struct key *k, struct config *cfg, struct span s,
			bool (*valid)(struct span), const char *what, char *reason, size_t rsize)
{
	char buf[CONFIG_SOURCES_MAX]; /* the longest list key */
	struct conf_text t;
	struct span rest = s, it;

	conf_text_init(&t, buf, sizeof(buf));
	while (conf_list_next(&rest, &it)) {
		if (!it.len)
			return fail(reason, rsize, "empty list entry", span_make(NULL, 0));
		if (!valid(it))
			return fail(reason, rsize, what, it);
		if (t.len)
			conf_text_puts(&t, ", ");
		conf_text_put(&t, it.p, it.len);
	}
	if (t.overflow || t.len >= k->size) {
		snprintf(reason, rsize, "longer than %zu bytes", k->size - 1);
		return -EINVAL;
	}
	return store_str(k, cfg, span_make(t.p, t.len), reason, rsize);
}

static int set_sources(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		       size_t rsize)
{
	return set_str_list(k, cfg, v.s, input_source_valid,
			    "expected kmsg, journal, file:PATH, nflog:GROUP, syslog-udp:ADDR:PORT or "
			    "syslog-tcp:ADDR:PORT, got",
			    reason, rsize);
}

static int set_emails(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		      size_t rsize)
{
	return set_str_list(k, cfg, v.s, email_valid, "not an email address:", reason, rsize);
}

static int set_backend(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		       size_t rsize)
{
	if (span_eq_nocase(v.s, "nftables"))
		return store_str(k, cfg, SPAN_LIT("nftables"), reason, rsize);
	if (span_eq_nocase(v.s, "iptables"))
		return store_str(k, cfg, SPAN_LIT("iptables"), reason, rsize);
	return fail(reason, rsize, "expected nftables or iptables", span_make(NULL, 0));
}

static int set_facility(const struct key *k, struct config *cfg, struct key_val v,
			char *reason, size_t rsize)
{
	static const char *const names[] = {
		"KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP",
		"CRON", "AUTHPRIV", "FTP", "LOCAL0", "LOCAL1", "LOCAL2", "LOCAL3", "LOCAL4",
		"LOCAL5", "LOCAL6", "LOCAL7",
	};
	struct span s = v.s;
	char buf[16];

	if (s.len >= 4 && span_eq_nocase(span_make(s.p, 4), "log_"))
		span_skip(&s, 4);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (span_eq_nocase(s, names[i])) {
			int n = snprintf(buf, sizeof(buf), "LOG_%s", names[i]);
			return store_str(k, cfg, span_make(buf, (size_t)n), reason, rsize);
		}
	}
	return fail(reason, rsize, "expected a syslog facility (LOG_DAEMON, LOG_USER, LOG_LOCAL0-7, ...)",
		    span_make(NULL, 0));
}

static int set_priority(const struct key *k, struct config *cfg, struct key_val v,
			char *reason, size_t rsize)
{
	static const char *const names[] = {
		"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG",
	};
	struct span s = v.s;
	char buf[16];

	if (s.len >= 4 && span_eq_nocase(span_make(s.p, 4), "log_"))
		span_skip(&s, 4);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (span_eq_nocase(s, names[i])) {
			int n = snprintf(buf, sizeof(buf), "LOG_%s", names[i]);
			return store_str(k, cfg, span_make(buf, (size_t)n), reason, rsize);
		}
	}
	return fail(reason, rsize, "expected a syslog priority (LOG_INFO, LOG_NOTICE, LOG_WARNING, ...)",
		    span_make(NULL, 0));
}

/* --- IGNORE_PORTS, IGNORE_PROTOCOLS, IGNORE_INTERFACES --- */

static int set_ports(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		     size_t rsize)
{
	struct port_range tmp[CONFIG_LIST_MAX];
	const char *why = NULL;
	size_t n;

	if (config_parse_ports(v.s.p, v.s.len, tmp, CONFIG_LIST_MAX, &n, &why) < 0)
		return fail(reason, rsize, why, span_make(NULL, 0));
	memcpy(F(cfg, k, struct port_range), tmp, n * sizeof(tmp[0]));
	*FN(cfg, k) = n;
	return 0;
}

static void fmt_ports(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const struct port_range *pr = CF(cfg, k, struct port_range);
	size_t n = *CFN(cfg, k);

	if (!n)
		conf_text_puts(out, k->none);
	for (size_t i = 0; i < n; i++) {
		const char *name = conf_proto_name(pr[i].proto);
		conf_text_printf(out, "%s%s/%u", i ? ", " : "", name ? name : "?", pr[i].lo);
		if (pr[i].hi != pr[i].lo)
			conf_text_printf(out, "-%u", pr[i].hi);
	}
}

static int set_protos(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		      size_t rsize)
{
	bool tmp[256] = { false };
	struct span rest = v.s, it;
	uint8_t p;

	if (!span_eq_nocase(v.s, k->none)) {
		while (conf_list_next(&rest, &it)) {
			if (!it.len)
				return fail(reason, rsize, "empty list entry", span_make(NULL, 0));
			if (conf_proto_parse(it, &p) < 0)
				return fail(reason, rsize, "unknown protocol", it);
			tmp[p] = true;
		}
	}
	memcpy(F(cfg, k, bool), tmp, sizeof(tmp));
	return 0;
}

static void fmt_protos(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const bool *set = CF(cfg, k, bool);
	size_t n = 0;

	for (unsigned p = 0; p < 256; p++) {
		if (!set[p])
			continue;
		const char *name = conf_proto_name((uint8_t)p);
		if (n++)
			conf_text_puts(out, ", ");
		if (name)
			conf_text_puts(out, name);
		else
			conf_text_printf(out, "%u", p);
	}
	if (!n)
		conf_text_puts(out, k->none);
}

/* Linux dev_valid_name(), minus the characters vigil's grammar needs. */
static bool ifname_valid(struct span s)
{
	if (!s.len || s.len >= CONFIG_IFNAME_MAX || span_eq(s, ".", 1) || span_eq(s, "..", 2))
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (memchr("/:,\" \t", s.p[i], 6))
			return false;
	return true;
}

static int set_intfs(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		     size_t rsize)
{
	char tmp[CONFIG_LIST_MAX][CONFIG_IFNAME_MAX];
	struct span rest = v.s, it;
	size_t n = 0;

	memset(tmp, 0, sizeof(tmp));
	if (!span_eq_nocase(v.s, k->none)) {
		while (conf_list_next(&rest, &it)) {
			if (!ifname_valid(it))
				return fail(reason, rsize,
					    "expected interface names of 1-15 bytes without '/', ':' or spaces, got",
					    it);
			if (n == CONFIG_LIST_MAX)
				return fail(reason, rsize, "too many entries (max 64)", span_make(NULL, 0));
			memcpy(tmp[n++], it.p, it.len);
		}
	}
	memcpy(F(cfg, k, char), tmp, sizeof(tmp));
	*FN(cfg, k) = n;
	return 0;
}

static void fmt_intfs(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const char *names = CFV(cfg, k); /* [n][CONFIG_IFNAME_MAX] */
	size_t n = *CFN(cfg, k);

	if (!n)
		conf_text_puts(out, k->none);
	for (size_t i = 0; i < n; i++)
		conf_text_printf(out, "%s%.*s", i ? ", " : "", CONFIG_IFNAME_MAX,
				 names + i * CONFIG_IFNAME_MAX);
}

/* --- FW_MSG_SEARCH: repeatable; a quoted value is one literal string --- */

/* Items of one FW_MSG_SEARCH value: a quoted value is one literal string. */
static bool fwmsg_next(struct key_val v, struct span *rest, size_t count, struct span *ret)
{
	if (!v.quoted)
		return conf_list_next(rest, ret);
	*ret = v.s;
	return count == 0;
}

static int set_fwmsg(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		     size_t rsize)
{
	char(*list)[CONFIG_STR_MAX] = FV(cfg, k);
	size_t *n = FN(cfg, k), base = v.append ? *n : 0, count = 0;
	struct span rest, it;

	if (!v.quoted && span_eq(v.s, "NONE", 4)) {
		*n = 0;
		return 0;
	}
	/* check everything first, then store */
	for (int pass = 0; pass < 2; pass++) {
		rest = v.s;
		count = 0;
		while (fwmsg_next(v, &rest, count, &it)) {
			if (pass == 0) {
				if (!it.len)
					return fail(reason, rsize, "empty string", span_make(NULL, 0));
				if (it.len >= CONFIG_STR_MAX)
					return fail(reason, rsize, "string longer than 255 bytes",
						    span_make(NULL, 0));
				if (base + count >= CONFIG_LIST_MAX)
					return fail(reason, rsize, "too many strings (max 64)",
						    span_make(NULL, 0));
			} else {
				memcpy(list[base + count], it.p, it.len);
				list[base + count][it.len] = '\0';
			}
			count++;
		}
	}
	*n = base + count;
	return 0;
}

static void fmt_fwmsg(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const char *list = CFV(cfg, k); /* [n][CONFIG_STR_MAX] */
	size_t n = *CFN(cfg, k);

	if (!n)
		conf_text_puts(out, k->none);
	for (size_t i = 0; i < n; i++)
		conf_text_printf(out, "%s%.*s", i ? ", " : "", CONFIG_STR_MAX, list + i * CONFIG_STR_MAX);
}

/* --- IGNORE_LOG_PREFIXES: psad's regex, read as plain text --- */

/* psad matches the trimmed log prefix against the value as a Perl regex,
 * unanchored. vigil runs no regex on the hot path: the value is split at
 * '|' (outside parentheses) into alternatives; one pair of parentheses
 * around an alternative is dropped; '^' at its start and '$' at its end
 * anchor it; '\' makes the next punctuation character literal and "\s" is
 * a space; everything else is literal text, matched case-sensitively as a
 * substring. An alternative that needs more of the regex language (. * + ?
 * [ ] { } ( ), \d, \w, ...) is not used, with a warning. */
static const char *prefix_pat_compile(struct span alt, struct prefix_pat *ret)
{
	struct prefix_pat p = { .len = 0 };

	span_trim(&alt);
	while (alt.len >= 2 && alt.p[0] == '(' && alt.p[alt.len - 1] == ')' &&
	       !span_chr(span_make(alt.p + 1, alt.len - 2), '(') &&
	       !span_chr(span_make(alt.p + 1, alt.len - 2), ')'))
		alt = span_make(alt.p + 1, alt.len - 2);
	if (alt.len && alt.p[0] == '^') {
		p.head = true;
		span_skip(&alt, 1);
	}
	if (alt.len && alt.p[alt.len - 1] == '$' && !(alt.len >= 2 && alt.p[alt.len - 2] == '\\')) {
		p.tail = true;
		alt.len--;
	}
	for (size_t i = 0; i < alt.len; i++) {
		char c = alt.p[i];
		if (c == '\\') {
			if (++i == alt.len)
				return "a trailing '\\'";
			c = alt.p[i];
			if (c == 's')
				c = ' ';
			else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
				return "a character class or escape ('\\d', '\\w', '\\b', ...)";
		} else if (strchr(".*+?[]{}()^$|", c)) {
			return "a regex operator (one of . * + ? [ ] { } ( ) ^ $)";
		}
		if (p.len + 1 >= CONFIG_STR_MAX)
			return "an alternative longer than 255 bytes";
		p.s[p.len++] = c;
	}
	if (!p.len && !p.head && !p.tail)
		return NULL; /* empty: the caller decides */
	*ret = p;
	return "";
}

/* s is one group "( ... )" from its first to its last byte. */
static bool one_group(struct span s)
{
	int depth = 0;

	if (s.len < 2 || s.p[0] != '(' || s.p[s.len - 1] != ')')
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] == '\\') {
			i++;
			continue;
		}
		if (s.p[i] == '(')
			depth++;
		else if (s.p[i] == ')' && --depth == 0)
			return i == s.len - 1;
	}
	return false;
}

static int set_ignore_prefixes(const struct key *k, struct config *cfg, struct key_val v,
			       char *reason, size_t rsize)
{
	struct prefix_pat *tmp;
	size_t n = 0, n_skipped = 0, start = 0;
	int depth = 0;
	struct span first_bad = span_make(NULL, 0);
	const char *first_why = NULL;

	if (v.s.len >= sizeof(cfg->ignore_log_prefixes))
		return fail(reason, rsize, "longer than 1023 bytes", span_make(NULL, 0));
	if (!v.quoted && span_eq(v.s, k->none, strlen(k->none))) {
		cfg->ignore_log_prefixes[0] = '\0';
		cfg->n_ignore_prefix_pats = 0;
		return 0;
	}
	tmp = calloc(CONFIG_LIST_MAX, sizeof(*tmp));
	if (!tmp)
		return fail(reason, rsize, "out of memory", span_make(NULL, 0));
	struct span all = v.s; /* the stored text stays v.s, as written */
	while (one_group(all)) {
		all = span_make(all.p + 1, all.len - 2);
		span_trim(&all);
	}
	for (size_t i = 0; i <= all.len; i++) {
		char c = i < all.len ? all.p[i] : '|';
		if (c == '\\' && i + 1 < all.len) {
			i++;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		if (c != '|' || (depth > 0 && i < all.len))
			continue;
		struct span alt = span_make(all.p + start, i - start);
		start = i + 1;
		struct prefix_pat pat;
		const char *why = prefix_pat_compile(alt, &pat);
		if (!why) {
			free(tmp);
			return fail(reason, rsize,
				    "an empty alternative matches every prefix (psad would ignore every line)",
				    span_make(NULL, 0));
		}
		if (*why) {
			if (!n_skipped++) {
				first_bad = alt;
				first_why = why;
			}
			continue;
		}
		if (n == CONFIG_LIST_MAX) {
			free(tmp);
			return fail(reason, rsize, "too many alternatives (max 64)", span_make(NULL, 0));
		}
		tmp[n++] = pat;
	}
	memcpy(cfg->ignore_log_prefixes, v.s.p, v.s.len);
	cfg->ignore_log_prefixes[v.s.len] = '\0';
	memcpy(cfg->ignore_prefix_pats, tmp, n * sizeof(*tmp));
	cfg->n_ignore_prefix_pats = n;
	free(tmp);
	if (n_skipped) {
		char esc[CONF_ESC_MAX];
		snprintf(reason, rsize,
			 "'%s' needs %s, which vigil does not support; %zu alternative(s) not used "
			 "(vigil reads '|' alternatives as plain text)",
			 conf_esc(first_bad, esc), first_why, n_skipped);
		return 1; /* stored, with a warning */
	}
	return 0;
}

static void fmt_ignore_prefixes(const struct key *k, const struct config *cfg,
				struct conf_text *out)
{
	const char *s = cfg->ignore_log_prefixes;
	size_t n = strlen(s);

	if (!n)
		conf_text_puts(out, k->none);
	else if (s[0] == ' ' || s[n - 1] == ' ' || !strcmp(s, k->none))
		conf_text_printf(out, "\"%s\"", s);
	else
		conf_text_puts(out, s);
}

/* --- ACCEPT_LOG_PREFIXES: words (a quoted value is one string) --- */

static int set_words(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		     size_t rsize)
{
	char(*tmp)[CONFIG_STR_MAX];
	struct span rest = v.s, it;
	size_t n = 0;

	if (!v.quoted && span_eq(v.s, k->none, strlen(k->none))) {
		*FN(cfg, k) = 0;
		return 0;
	}
	tmp = calloc(CONFIG_LIST_MAX, sizeof(*tmp));
	if (!tmp)
		return fail(reason, rsize, "out of memory", span_make(NULL, 0));
	while (v.quoted ? (n == 0 && (it = v.s, true)) : conf_list_next(&rest, &it)) {
		const char *why = !it.len ? "empty string"
				  : it.len >= CONFIG_STR_MAX ? "string longer than 255 bytes"
				  : n == CONFIG_LIST_MAX ? "too many strings (max 64)" : NULL;
		if (why) {
			free(tmp);
			return fail(reason, rsize, why, span_make(NULL, 0));
		}
		memcpy(tmp[n++], it.p, it.len);
	}
	memcpy(FV(cfg, k), tmp, CONFIG_LIST_MAX * sizeof(*tmp));
	*FN(cfg, k) = n;
	free(tmp);
	return 0;
}

/* --- FIREWALL_ADDRESSES: ADDR or ADDR/LEN, host bits kept --- */

static int set_own(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		   size_t rsize)
{
	struct own_net tmp[CONFIG_LIST_MAX];
	struct span rest = v.s, it;
	size_t n = 0;

	if (!span_eq_nocase(v.s, k->none)) {
		while (conf_list_next(&rest, &it)) {
			const char *slash = span_chr(it, '/');
			struct span a = slash ? span_make(it.p, (size_t)(slash - it.p)) : it;
			uint8_t len;
			if (n == CONFIG_LIST_MAX)
				return fail(reason, rsize, "too many entries (max 64)", span_make(NULL, 0));
			if (addr_parse(a, &tmp[n].a) < 0)
				return fail(reason, rsize, "expected ADDR or ADDR/LEN, got", it);
			len = tmp[n].a.family == ADDR_V4 ? 32 : 128;
			if (slash) {
				uint8_t l;
				struct span ls = span_make(slash + 1, it.len - (size_t)(slash + 1 - it.p));
				if (span_to_u8(ls, &l) < 0 || l > len)
					return fail(reason, rsize, "expected ADDR or ADDR/LEN, got", it);
				len = l;
			}
			if (tmp[n].a.family == ADDR_V6 && len >= 96 && addr_unmap_v4(&tmp[n].a))
				len = (uint8_t)(len - 96);
			tmp[n++].len = len;
		}
	}
	memcpy(F(cfg, k, struct own_net), tmp, n * sizeof(tmp[0]));
	*FN(cfg, k) = n;
	return 0;
}

static void fmt_own(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const struct own_net *v = CF(cfg, k, struct own_net);
	size_t n = *CFN(cfg, k);
	char buf[ADDR_STR_MAX];

	if (!n)
		conf_text_puts(out, k->none);
	for (size_t i = 0; i < n; i++) {
		addr_format(&v[i].a, buf);
		conf_text_printf(out, "%s%s", i ? ", " : "", buf);
		if (v[i].len != (v[i].a.family == ADDR_V4 ? 32 : 128))
			conf_text_printf(out, "/%u", v[i].len);
	}
}

/* --- networks: "any"/"NONE", or ADDR[/LEN|/MASK], ... (psad also writes [a, b]) --- */

static int set_nets(const struct key *k, struct config *cfg, struct key_val v, char *reason,
		    size_t rsize)
{
	struct net tmp[CONFIG_LIST_MAX];
	struct span s = v.s, it;
	size_t n = 0;

	if (s.len >= 2 && s.p[0] == '[' && s.p[s.len - 1] == ']') {
		s = span_make(s.p + 1, s.len - 2);
		span_trim(&s);
	}
	if (!span_eq_nocase(s, k->none)) {
		while (conf_list_next(&s, &it)) {
			if (n == CONFIG_LIST_MAX)
				return fail(reason, rsize, "too many entries (max 64)", span_make(NULL, 0));
			if (net_parse(it, &tmp[n]) < 0)
				return fail(reason, rsize, "expected ADDR, ADDR/LEN or ADDR/MASK, got", it);
			n++;
		}
	}
	memcpy(F(cfg, k, struct net), tmp, n * sizeof(tmp[0]));
	*FN(cfg, k) = n;
	return 0;
}

static void fmt_nets(const struct key *k, const struct config *cfg, struct conf_text *out)
{
	const struct net *nets = CF(cfg, k, struct net);
	size_t n = *CFN(cfg, k);
	char buf[NET_STR_MAX];

	if (!n)
		conf_text_puts(out, k->none);
	for (size_t i = 0; i < n; i++) {
		net_format(&nets[i], buf);
		conf_text_printf(out, "%s%s", i ? ", " : "", buf);
	}
}

/* --- the table: dump and etc/vigil.conf order --- */

#define OFF(field) offsetof(struct config, field)
#define U32(nm, field, lo, hi) \
	{ .name = nm, .set = set_u32, .fmt = fmt_u32, .off = OFF(field), .min = lo, .max = hi }
#define U32_AT(nm, field, i, lo, hi)                                                   \
	{ .name = nm, .set = set_u32, .fmt = fmt_u32,                                  \
	  .off = OFF(field) + (i) * sizeof(uint32_t), .min = lo, .max = hi }
#define BOOL(nm, field) { .name = nm, .set = set_bool, .fmt = fmt_bool, .off = OFF(field) }
#define STR(nm, field, setter) \
	{ .name = nm, .set = setter, .fmt = fmt_str, .off = OFF(field), \
	  .size = sizeof(((struct config *)0)->field) }
#define LIST(nm, field, nfield, setter, fmter, word) \
	{ .name = nm, .set = setter, .fmt = fmter, .off = OFF(field), .off_n = OFF(nfield), .none = word }

#define G 1000000000u /* 10^9 */

const struct key conf_keys[] = {
	U32_AT("DANGER_LEVEL1", danger_level, 1, 1, G),
	U32_AT("DANGER_LEVEL2", danger_level, 2, 1, G),
	U32_AT("DANGER_LEVEL3", danger_level, 3, 1, G),
	U32_AT("DANGER_LEVEL4", danger_level, 4, 1, G),
	U32_AT("DANGER_LEVEL5", danger_level, 5, 1, G),
	U32_AT("DL1_UNIQUE_HOSTS", unique_hosts, 1, 1, G),
	U32_AT("DL2_UNIQUE_HOSTS", unique_hosts, 2, 1, G),
	U32_AT("DL3_UNIQUE_HOSTS", unique_hosts, 3, 1, G),
	U32_AT("DL4_UNIQUE_HOSTS", unique_hosts, 4, 1, G),
	U32_AT("DL5_UNIQUE_HOSTS", unique_hosts, 5, 1, G),
	U32("PORT_RANGE_SCAN_THRESHOLD", port_range_scan_threshold, 0, 65535),
	U32("PORT_RANGE_SWEEP_THRESHOLD", port_range_sweep_threshold, 0, 65535),
	U32("PROTOCOL_SCAN_THRESHOLD", protocol_scan_threshold, 1, 256),
	{ .name = "MIN_DANGER_LEVEL", .set = set_u32, .fmt = fmt_u32, .off = OFF(min_danger_level),
	  .min = 0, .max = 5, .flags = KEY_OPTIONAL },
	U32("SCAN_TIMEOUT", scan_timeout, 1, 10000000),
	BOOL("ENABLE_PERSISTENCE", enable_persistence),
	/* SOURCE_TIMEOUT (seconds, default 604800 = 7 days): a source idle that
	 * long is forgotten by the daemon's expiry (engine_expire(), in bounded
	 * slices), its state freed and an EXPIRED change raised; a low-and-slow
	 * scan of a probe a day still adds up. ENABLE_PERSISTENCE does not
	 * apply to it; `analyze` never expires sources. */
	U32("SOURCE_TIMEOUT", source_timeout, 60, 315360000),

	LIST("IGNORE_PORTS", ignore_ports, n_ignore_ports, set_ports, fmt_ports, "NONE"),
	{ .name = "IGNORE_PROTOCOLS", .set = set_protos, .fmt = fmt_protos,
	  .off = OFF(ignore_proto), .none = "NONE" },
	LIST("IGNORE_INTERFACES", ignore_intf, n_ignore_intf, set_intfs, fmt_intfs, "NONE"),
	BOOL("ENABLE_IPV6_DETECTION", enable_ipv6),
	BOOL("IGNORE_CONNTRACK_BUG_PKTS", ignore_conntrack_bug_pkts),
	BOOL("FW_SEARCH_ALL", fw_search_all),
	{ .name = "FW_MSG_SEARCH", .set = set_fwmsg, .fmt = fmt_fwmsg, .off = OFF(fw_msg_search),
	  .off_n = OFF(n_fw_msg_search), .none = "NONE", .flags = KEY_REPEATABLE },

	{ .name = "IGNORE_LOG_PREFIXES", .set = set_ignore_prefixes, .fmt = fmt_ignore_prefixes,
	  .off = OFF(ignore_log_prefixes), .none = "NONE" },
	LIST("ACCEPT_LOG_PREFIXES", accept_log_prefixes, n_accept_log_prefixes, set_words, fmt_fwmsg,
	     "NONE"),
	LIST("FIREWALL_ADDRESSES", firewall_addresses, n_firewall_addresses, set_own, fmt_own, "NONE"),
	BOOL("LEARN_FIREWALL_ADDRESSES", learn_firewall_addresses),

	LIST("HOME_NET", home_net, n_home_net, set_nets, fmt_nets, "any"),
	LIST("EXTERNAL_NET", external_net, n_external_net, set_nets, fmt_nets, "any"),

	U32("MAX_SOURCES", max_sources, 1, 100000000),
	U32("MAX_DSTS_PER_SOURCE", max_dsts_per_source, 1, 1000000),
	U32("MAX_SCAN_IP_PAIRS", max_scan_ip_pairs, 0, G),
	U32("MAX_LINE_LENGTH", max_line_length, 256, 1048576),
	{ .name = "MEMORY_LIMIT", .set = set_size_kib, .fmt = fmt_size_kib,
	  .off = OFF(memory_limit_kib), .min = 4u << 10, .max = 4095u << 20 },

	STR("AUTO_DL_FILE", auto_dl_file, set_str),
	{ .name = "SIGNATURES_FILE", .alias = "SIGS_FILE", .set = set_str, .fmt = fmt_str,
	  .off = OFF(signatures_file), .size = sizeof(((struct config *)0)->signatures_file) },

	STR("ICMP_TYPES_FILE", icmp_types_file, set_str),
	STR("ICMP6_TYPES_FILE", icmp6_types_file, set_str),
	STR("P0F_FILE", p0f_file, set_str),
	STR("POSF_FILE", posf_file, set_str),
	U32("MAX_HOPS", max_hops, 0, 255),
	BOOL("EXPECT_TCP_OPTIONS", expect_tcp_options),
	{ .name = "REPUTATION_FILES", .set = set_opt_str, .fmt = fmt_opt_str,
	  .off = OFF(reputation_files), .size = sizeof(((struct config *)0)->reputation_files),
	  .none = "NONE" },
	U32("REPUTATION_DANGER_LEVEL", reputation_danger_level, 1, 5),
	U32("REPUTATION_MAX_NETWORKS", reputation_max_networks, 1, 16u << 20),

	STR("INPUT_SOURCES", input_sources, set_sources),
	STR("ALERT_JSON_FILE", alert_json_file, set_str),
	STR("STATE_DIR", state_dir, set_str),
	STR("CONTROL_SOCKET", control_socket, set_str),
	{ .name = "CONTROL_SOCKET_GROUP", .set = set_opt_str, .fmt = fmt_opt_str,
	  .off = OFF(control_socket_group),
	  .size = sizeof(((struct config *)0)->control_socket_group), .none = "NONE" },
	STR("SYSLOG_SOCKET", syslog_socket, set_str),
	STR("SYSLOG_FACILITY", syslog_facility, set_facility),
	STR("EMAIL_ADDRESSES", email_addresses, set_emails),
	STR("SYSLOG_PRIORITY", syslog_priority, set_priority),
	BOOL("ENABLE_EMAIL_ALERTS", enable_email_alerts),
	U32("EMAIL_ALERT_DANGER_LEVEL", email_alert_danger_level, 1, 5),
	U32("EMAIL_LIMIT", email_limit, 0, 1000000),
	U32("EMAIL_MAX_PER_HOUR", email_max_per_hour, 0, 1000000),
	STR("SENDMAIL_CMD", sendmail_cmd, set_str),
	BOOL("ENABLE_DNS_LOOKUPS", enable_dns_lookups),
	BOOL("ENABLE_WHOIS_LOOKUPS", enable_whois_lookups),
	STR("WHOIS_CMD", whois_cmd, set_str),
	U32("WHOIS_TIMEOUT", whois_timeout, 1, 600),
	U32("DIGEST_INTERVAL", digest_interval, 0, 604800),

	BOOL("ENABLE_AUTO_IDS", enable_auto_ids),
	U32("AUTO_IDS_DANGER_LEVEL", auto_ids_danger_level, 1, 5),
	U32("AUTO_BLOCK_TIMEOUT", auto_block_timeout, 0, 100000000),
	STR("BLOCK_BACKEND", block_backend, set_backend),
	BOOL("BLOCK_DRY_RUN", block_dry_run),
	LIST("BLOCK_WHITELIST", block_whitelist, n_block_whitelist, set_nets, fmt_nets, "NONE"),
};
const size_t conf_n_keys = sizeof(conf_keys) / sizeof(conf_keys[0]);

const struct key *conf_key_find(struct span name)
{
	for (size_t i = 0; i < conf_n_keys; i++) {
		const struct key *k = &conf_keys[i];
		if (span_eq(name, k->name, strlen(k->name)) ||
		    (k->alias && span_eq(name, k->alias, strlen(k->alias))))
			return k;
	}
	return NULL;
}
