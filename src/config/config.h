/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.h - the effective configuration, as plain values.
 *
 * Loaded from vigil.conf or a psad.conf (same grammar: `KEY  value;`, '#'
 * comments, $VAR expansion, first definition of a key wins as in psad,
 * FW_MSG_SEARCH may repeat). Every field has a built-in default
 * (config_init), so vigil runs without any file. After config_load the
 * struct is read-only; a reload builds a new one.
 */
#ifndef VIGIL_CONFIG_H
#define VIGIL_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/addr.h"

#define CONFIG_PATH_DEFAULT "/etc/vigil/vigil.conf"
#define CONFIG_LIST_MAX 64      /* entries in one list-valued key */
#define CONFIG_STR_MAX 256      /* one string value */
#define CONFIG_SOURCES_MAX 4096 /* INPUT_SOURCES: several file paths of PATH_MAX */
#define CONFIG_IFNAME_MAX 16    /* IFNAMSIZ */
#define CONFIG_SIGVARS_MAX 32   /* signature variables (HTTP_PORTS, SQL_SERVERS, ...) */
#define CONFIG_SIGVAR_NAME_MAX 48
#define CONFIG_SIGVAR_VALUE_MAX 1024

/* "tcp/61000-61356, udp/53": a protocol number and an inclusive port range. */
struct port_range {
	uint8_t proto; /* IPPROTO_NUM_TCP, _UDP, _UDPLITE */
	uint16_t lo, hi;
};

/* A variable signature rules may name ($HTTP_PORTS, $SQL_SERVERS): a psad.conf
 * key ending in _PORTS, _SERVERS or _NET, its value with $VARs expanded. */
struct config_var {
	char name[CONFIG_SIGVAR_NAME_MAX];
	char value[CONFIG_SIGVAR_VALUE_MAX];
};

/* One IGNORE_LOG_PREFIXES alternative, as plain text (see etc/vigil.conf). */
struct prefix_pat {
	char s[CONFIG_STR_MAX];
	uint16_t len;
	bool head, tail; /* '^', '$': anchored at the prefix's start, end */
};

/* A FIREWALL_ADDRESSES entry: an address of the host, and with /LEN its
 * subnet (whose IPv4 broadcast address is then known too). */
struct own_net {
	struct addr a; /* host bits kept */
	uint8_t len;
};

struct config {
	/* Danger levels (psad-behaviour.md section 2). Index 0 is unused; [1..5]. */
	uint32_t danger_level[6];        /* DANGER_LEVEL1..5: packets per pair */
	uint32_t unique_hosts[6];        /* DL1..5_UNIQUE_HOSTS: destinations per source */
	uint32_t port_range_scan_threshold;  /* PORT_RANGE_SCAN_THRESHOLD */
	uint32_t port_range_sweep_threshold; /* PORT_RANGE_SWEEP_THRESHOLD */
	uint32_t protocol_scan_threshold;    /* PROTOCOL_SCAN_THRESHOLD */
	uint32_t min_danger_level;           /* MIN_DANGER_LEVEL */
	bool min_danger_level_set;           /* given in a file (analyze honours it then) */
	uint32_t scan_timeout;               /* SCAN_TIMEOUT seconds of inactivity */
	bool enable_persistence;             /* ENABLE_PERSISTENCE: never expire pairs */
	uint32_t source_timeout;             /* SOURCE_TIMEOUT: idle seconds before the daemon forgets a source */

	/* Filters. */
	struct port_range ignore_ports[CONFIG_LIST_MAX];
	size_t n_ignore_ports;
	bool ignore_proto[256];              /* IGNORE_PROTOCOLS */
	char ignore_intf[CONFIG_LIST_MAX][CONFIG_IFNAME_MAX]; /* IGNORE_INTERFACES */
	size_t n_ignore_intf;
	bool enable_ipv6;                    /* ENABLE_IPV6_DETECTION */
	bool ignore_conntrack_bug_pkts;      /* IGNORE_CONNTRACK_BUG_PKTS (vigil default N) */
	bool fw_search_all;                  /* FW_SEARCH_ALL */
	char fw_msg_search[CONFIG_LIST_MAX][CONFIG_STR_MAX]; /* substrings of the prefix */
	size_t n_fw_msg_search;

	/* Blame (engine/blame.c). */
	char ignore_log_prefixes[CONFIG_SIGVAR_VALUE_MAX]; /* IGNORE_LOG_PREFIXES as written, "" = NONE */
	struct prefix_pat ignore_prefix_pats[CONFIG_LIST_MAX]; /* its alternatives vigil uses */
	size_t n_ignore_prefix_pats;
	char accept_log_prefixes[CONFIG_LIST_MAX][CONFIG_STR_MAX]; /* ACCEPT_LOG_PREFIXES words */
	size_t n_accept_log_prefixes;
	struct own_net firewall_addresses[CONFIG_LIST_MAX]; /* FIREWALL_ADDRESSES */
	size_t n_firewall_addresses;
	bool learn_firewall_addresses;       /* LEARN_FIREWALL_ADDRESSES */

	/* Networks. */
	struct net home_net[CONFIG_LIST_MAX]; /* HOME_NET; n_home_net == 0 means "any" */
	size_t n_home_net;
	struct net external_net[CONFIG_LIST_MAX];
	size_t n_external_net;

	/* Limits (vigil's own keys). */
	uint32_t max_sources;        /* MAX_SOURCES: tracked sources before eviction */
	uint32_t max_dsts_per_source;/* MAX_DSTS_PER_SOURCE */
	uint32_t max_scan_ip_pairs;  /* MAX_SCAN_IP_PAIRS (psad; 0 = limited by the above) */
	uint32_t max_line_length;    /* MAX_LINE_LENGTH bytes; longer lines are malformed */
	uint32_t memory_limit_kib;   /* MEMORY_LIMIT: the engine's state, KiB (the caps above sit under it) */

	/* Files. */
	char auto_dl_file[CONFIG_STR_MAX];   /* AUTO_DL_FILE */
	char signatures_file[CONFIG_STR_MAX];/* SIGNATURES_FILE (psad: SIGS_FILE) */
	char icmp_types_file[CONFIG_STR_MAX];  /* ICMP_TYPES_FILE */
	char icmp6_types_file[CONFIG_STR_MAX]; /* ICMP6_TYPES_FILE */
	char p0f_file[CONFIG_STR_MAX];         /* P0F_FILE: p0f v1 SYN fingerprints */
	char posf_file[CONFIG_STR_MAX];        /* POSF_FILE: fingerprints of SYNs without options */
	char reputation_files[CONFIG_STR_MAX]; /* REPUTATION_FILES: comma list, "" = none */

	/* Signatures, fingerprints, reputation. */
	struct config_var sig_vars[CONFIG_SIGVARS_MAX];
	size_t n_sig_vars;
	uint32_t max_hops;                   /* MAX_HOPS: TTL distance for OS fingerprints */
	bool expect_tcp_options;             /* EXPECT_TCP_OPTIONS: the log carries TCP options */
	uint32_t reputation_danger_level;    /* REPUTATION_DANGER_LEVEL */
	uint32_t reputation_max_networks;    /* REPUTATION_MAX_NETWORKS: memory bound of the lists */

	/* Daemon keys fixed by cli.md (loaded, validated and dumped now; used by `run`). */
	char input_sources[CONFIG_SOURCES_MAX]; /* INPUT_SOURCES: "kmsg, file:/var/log/kern.log" */
	char alert_json_file[CONFIG_STR_MAX];
	char state_dir[CONFIG_STR_MAX];
	char control_socket[CONFIG_STR_MAX];
	char control_socket_group[64];   /* CONTROL_SOCKET_GROUP: also let this group ask, "" = NONE */
	char block_backend[CONFIG_STR_MAX];
	bool block_dry_run;
	struct net block_whitelist[CONFIG_LIST_MAX];
	size_t n_block_whitelist;
	char syslog_socket[CONFIG_STR_MAX];
	char syslog_facility[32];
	bool enable_auto_ids;
	uint32_t auto_ids_danger_level;
	uint32_t auto_block_timeout;
	char email_addresses[CONFIG_STR_MAX];

	/* Alerts (src/alert/): syslog priority, mail, lookups, digest. */
	char syslog_priority[16];            /* SYSLOG_PRIORITY: LOG_INFO, ... */
	bool enable_email_alerts;            /* ENABLE_EMAIL_ALERTS (vigil: N by default) */
	uint32_t email_alert_danger_level;   /* EMAIL_ALERT_DANGER_LEVEL */
	uint32_t email_limit;                /* EMAIL_LIMIT: mails per source, 0 = no limit */
	uint32_t email_max_per_hour;         /* EMAIL_MAX_PER_HOUR: all sources, 0 = no limit */
	char sendmail_cmd[CONFIG_STR_MAX];   /* SENDMAIL_CMD: run as `SENDMAIL_CMD -t -oi` */
	bool enable_dns_lookups;             /* ENABLE_DNS_LOOKUPS: reverse DNS for mails */
	bool enable_whois_lookups;           /* ENABLE_WHOIS_LOOKUPS: whois for mails */
	char whois_cmd[CONFIG_STR_MAX];      /* WHOIS_CMD */
	uint32_t whois_timeout;              /* WHOIS_TIMEOUT seconds */
	uint32_t digest_interval;            /* DIGEST_INTERVAL seconds, 0 = no digest mail */
};

/* One problem found while loading, with where it is. */
enum config_severity { CONFIG_NOTE, CONFIG_WARNING, CONFIG_ERROR };
struct config_diag {
	enum config_severity severity;
	const char *file;
	unsigned line;
	char msg[256]; /* already escaped: safe to print */
};
typedef void config_diag_fn(const struct config_diag *d, void *data);

/* Report one problem to diag (NULL: nowhere), the message formatted into
 * config_diag.msg (cut at its size): every loader's reporter is this plus
 * its own counters. */
void config_vreport(config_diag_fn *diag, void *data, enum config_severity sev, const char *file,
		    unsigned line, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

void config_init(struct config *cfg); /* built-in defaults */

/* Read FILE on top of cfg. Every problem goes to diag (may be NULL).
 * Returns 0, -ENOENT when the file does not exist (cfg untouched), another
 * -errno when it cannot be read, or -EINVAL when at least one CONFIG_ERROR
 * was reported (the erroneous keys keep their previous values). */
int config_load(struct config *cfg, const char *path, config_diag_fn *diag, void *data);

/* Same, from memory (fuzzing, tests). name is used in diagnostics. */
int config_load_buf(struct config *cfg, const char *name, const char *buf, size_t len,
		    config_diag_fn *diag, void *data);

/* Read a whole regular file of at most max bytes into a malloc'd buffer
 * (data files named by the configuration: signatures, fingerprints, lists).
 * -errno from open/read is returned silently for the caller to report; "not
 * a regular file" and "file too large" also go to diag. */
int config_read_file(const char *path, size_t max, config_diag_fn *diag, void *data,
		     char **ret_buf, size_t *ret_len);

/* Effective configuration in the file's grammar (vigil config --dump). */
void config_dump(const struct config *cfg, FILE *out);

/* "tcp/61000-61356, udp/53, tcp/22": parse into ranges. -EINVAL with a reason. */
int config_parse_ports(const char *s, size_t len, struct port_range *ret, size_t max,
		       size_t *ret_n, const char **reterr_reason);

bool config_port_ignored(const struct config *cfg, uint8_t proto, uint16_t dport);
bool config_intf_ignored(const struct config *cfg, const char *name, size_t len);
bool config_prefix_selected(const struct config *cfg, const char *prefix, size_t len);
/* A signature variable's value (name without '$'), or NULL. */
const char *config_sig_var(const struct config *cfg, const char *name, size_t len);

#endif
