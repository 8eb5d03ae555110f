/* SPDX-License-Identifier: GPL-2.0-or-later */
/* defaults.c - vigil's built-in configuration: psad 3.0's defaults where the
 * key means the same, vigil's own limits otherwise (see config.h). */
#include <stdio.h>
#include <string.h>

#include "config/config.h"

static void set_str(char *dst, const char *s)
{
	size_t n = strlen(s);
	if (n >= CONFIG_STR_MAX)
		n = CONFIG_STR_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void set_var(struct config *cfg, const char *name, const char *value)
{
	struct config_var *v = &cfg->sig_vars[cfg->n_sig_vars++];

	snprintf(v->name, sizeof(v->name), "%s", name);
	snprintf(v->value, sizeof(v->value), "%s", value);
}

void config_init(struct config *cfg)
{
	static const uint32_t dl[6] = { 0, 5, 15, 150, 1500, 10000 };
	static const uint32_t hosts[6] = { 0, 10, 20, 50, 100, 500 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->danger_level, dl, sizeof(dl));
	memcpy(cfg->unique_hosts, hosts, sizeof(hosts));
	cfg->port_range_scan_threshold = 1;
	cfg->port_range_sweep_threshold = 0;
	cfg->protocol_scan_threshold = 5;
	cfg->min_danger_level = 1;
	cfg->scan_timeout = 3600;
	cfg->source_timeout = 604800; /* a week: a probe a day still adds up */
	cfg->enable_persistence = false;
	cfg->enable_ipv6 = true;
	/* psad drops every TCP packet with ACK or RST by default, which hides ACK
	 * scans; vigil counts them: the port-range gate already keeps the stray
	 * ACK/RST of a real connection (one port) from scoring. */
	cfg->ignore_conntrack_bug_pkts = false;
	cfg->fw_search_all = true;
	/* accepted or audited, not dropped: ufw's [UFW ALLOW] / [UFW AUDIT],
	 * OpenWrt's ACCEPT(src lan), firewalld's filter_IN_public_ALLOW, ... */
	{
		static const char *const words[] = { "ACCEPT", "ACCEPTED", "ALLOW", "ALLOWED", "AUDIT" };
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			set_str(cfg->accept_log_prefixes[cfg->n_accept_log_prefixes++], words[i]);
	}
	cfg->learn_firewall_addresses = true;
	cfg->max_sources = 200000;
	cfg->max_dsts_per_source = 4096;
	cfg->max_scan_ip_pairs = 0;
	cfg->max_line_length = 8192;
	cfg->memory_limit_kib = 200u << 10; /* 200 MiB: any flood stays under 256 MB of RSS */
	set_str(cfg->auto_dl_file, "/etc/vigil/auto_dl");
	set_str(cfg->signatures_file, "/etc/vigil/signatures");
	set_str(cfg->icmp_types_file, "/etc/vigil/icmp_types");
	set_str(cfg->icmp6_types_file, "/etc/vigil/icmp6_types");
	set_str(cfg->p0f_file, "/etc/vigil/pf.os");
	set_str(cfg->posf_file, "/etc/vigil/posf");
	cfg->reputation_files[0] = '\0';
	cfg->max_hops = 20;
	cfg->expect_tcp_options = true;
	cfg->reputation_danger_level = 4; /* psad's shipped feeds */
	cfg->reputation_max_networks = 16u << 20; /* ~20 bytes each: about 330 MiB at most */
	/* psad.conf's port variables (its _SERVERS ones default to HOME_NET,
	 * which the signature loader does without a variable) */
	set_var(cfg, "HTTP_PORTS", "80");
	set_var(cfg, "SHELLCODE_PORTS", "!80");
	set_var(cfg, "ORACLE_PORTS", "1521");
	set_str(cfg->input_sources, "kmsg");
	set_str(cfg->alert_json_file, "/var/log/vigil/alerts.json");
	set_str(cfg->state_dir, "/var/lib/vigil");
	set_str(cfg->control_socket, "/run/vigil/control.sock");
	set_str(cfg->block_backend, "nftables");
	cfg->block_dry_run = false;
	set_str(cfg->syslog_socket, "/dev/log");
	memcpy(cfg->syslog_facility, "LOG_DAEMON", sizeof("LOG_DAEMON"));
	cfg->enable_auto_ids = false;
	cfg->auto_ids_danger_level = 5;
	cfg->auto_block_timeout = 3600;
	set_str(cfg->email_addresses, "root@localhost");
	memcpy(cfg->syslog_priority, "LOG_INFO", sizeof("LOG_INFO"));
	cfg->enable_email_alerts = false;
	cfg->email_alert_danger_level = 1;
	cfg->email_limit = 0;
	cfg->email_max_per_hour = 60;
	set_str(cfg->sendmail_cmd, "/usr/sbin/sendmail");
	cfg->enable_dns_lookups = true;
	cfg->enable_whois_lookups = true;
	set_str(cfg->whois_cmd, "/usr/bin/whois");
	cfg->whois_timeout = 60;
	cfg->digest_interval = 0;
}
