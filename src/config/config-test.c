/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config-test.c - cmocka tests for config.c/keys.c: grammar, expansion,
 * validation (with the exact diagnostic texts), dump round-trip, hot-path
 * helpers, and loading real psad.conf files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "event/event.h"

/* --- helpers --- */

#define MAX_DIAGS 400

struct diags {
	size_t n;
	struct {
		enum config_severity sev;
		unsigned line;
		char file[64];
		char msg[256];
	} d[MAX_DIAGS];
};

static struct config cfg;
static struct diags dg;

static void collect(const struct config_diag *d, void *data)
{
	struct diags *g = data;

	if (g->n == MAX_DIAGS)
		return;
	g->d[g->n].sev = d->severity;
	g->d[g->n].line = d->line;
	snprintf(g->d[g->n].file, sizeof(g->d[g->n].file), "%s", d->file);
	memcpy(g->d[g->n].msg, d->msg, sizeof(d->msg));
	g->n++;
}

/* Load text on top of the defaults. */
static int load(const char *text)
{
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	return config_load_buf(&cfg, "t.conf", text, strlen(text), collect, &dg);
}

static void expect_diag(size_t i, enum config_severity sev, unsigned line, const char *msg)
{
	assert_true(i < dg.n);
	assert_string_equal(dg.d[i].msg, msg);
	assert_int_equal(dg.d[i].sev, sev);
	assert_int_equal(dg.d[i].line, line);
}

static size_t count_sev(enum config_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < dg.n; i++)
		n += dg.d[i].sev == sev;
	return n;
}

static char *dump_of(const struct config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	config_dump(c, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The dump of the built-in defaults. */
static char *defaults_dump(void)
{
	struct config *d = malloc(sizeof(*d));
	char *s;

	assert_non_null(d);
	config_init(d);
	s = dump_of(d);
	free(d);
	return s;
}

static void assert_is_defaults(const struct config *c)
{
	char *a = dump_of(c), *b = defaults_dump();
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* A repository file, found from this source file's path. */
static void repo_path(const char *rel, char *buf, size_t size)
{
	const char *me = __FILE__, *s = strstr(me, "src/config/");
	assert_non_null(s);
	snprintf(buf, size, "%.*s%s", (int)(s - me), me, rel);
}

/* --- grammar --- */

static void test_missing_file(void **state)
{
	(void)state;
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load(&cfg, "/nonexistent/vigil.conf", collect, &dg), -ENOENT);
	assert_int_equal(dg.n, 0);
	assert_is_defaults(&cfg);
}

static void test_grammar_basic(void **state)
{
	(void)state;
	assert_int_equal(load("# a comment\n"
			      "\n"
			      "   \t# an indented comment; with a semicolon\n"
			      "DANGER_LEVEL1 7;  text after ; is a comment; even FOO 1;\n"
			      "\tSCAN_TIMEOUT\t60 ;\r\n"
			      "  ENABLE_PERSISTENCE   y;"), /* no final newline */
			 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(cfg.danger_level[1], 7);
	assert_int_equal(cfg.scan_timeout, 60);
	assert_true(cfg.enable_persistence);
}

static void test_missing_semicolon(void **state)
{
	(void)state;
	assert_int_equal(load("SCAN_TIMEOUT 60\nDANGER_LEVEL1 6;\nENABLE_PERSISTENCE Y # no\n"),
			 -EINVAL);
	assert_int_equal(dg.n, 2);
	expect_diag(0, CONFIG_ERROR, 1, "expected ';' after value");
	expect_diag(1, CONFIG_ERROR, 3, "expected ';' after value");
	/* the rest is still loaded */
	assert_int_equal(cfg.danger_level[1], 6);
	assert_int_equal(cfg.scan_timeout, 3600);
}

static void test_overlong_line(void **state)
{
	char *text = malloc(6000);
	(void)state;

	assert_non_null(text);
	memcpy(text, "STATE_DIR /", 11);
	memset(text + 11, 'a', 5000 - 12);
	memcpy(text + 4999, ";\nSCAN_TIMEOUT 5;\n", 19);
	assert_int_equal(load(text), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 1, "line too long (5000 bytes, max 4096)");
	assert_int_equal(cfg.scan_timeout, 5);
	free(text);
}

static void test_bad_bytes(void **state)
{
	static const char text[] = "SCAN_TIMEOUT 5\0;\n"
				   "STATE_DIR /a\x01;\n"
				   "CONTROL_SOCKET /a\xc3\x28;\n"
				   "SYSLOG_SOCKET /dev/log\xed\xa0\x80;\n" /* surrogate */
				   "# comment with UTF-8 \xc3\xa9 and junk \xff is fine\n"
				   "ALERT_JSON_FILE /tmp/caf\xc3\xa9.json; junk after ; \xff\n"
				   "DANGER_LEVEL1 \x1b[31m;\n";
	(void)state;

	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load_buf(&cfg, "t.conf", text, sizeof(text) - 1, collect, &dg),
			 -EINVAL);
	assert_int_equal(dg.n, 5);
	expect_diag(0, CONFIG_ERROR, 1, "NUL byte at column 15");
	expect_diag(1, CONFIG_ERROR, 2, "invalid byte 0x01 at column 13");
	expect_diag(2, CONFIG_ERROR, 3, "invalid byte 0xc3 at column 18");
	expect_diag(3, CONFIG_ERROR, 4, "invalid byte 0xed at column 23");
	expect_diag(4, CONFIG_ERROR, 7, "invalid byte 0x1b at column 15");
	assert_string_equal(cfg.alert_json_file, "/tmp/caf\xc3\xa9.json");
	assert_int_equal(cfg.scan_timeout, 3600);
}

static void test_invalid_key_and_empty(void **state)
{
	(void)state;
	assert_int_equal(load("FOO-BAR 1;\n;\nSCAN_TIMEOUT ;\nSCAN_TIMEOUT\t;\n\"X\" 1;\n"),
			 -EINVAL);
	assert_int_equal(dg.n, 5);
	expect_diag(0, CONFIG_ERROR, 1, "invalid key 'FOO-BAR': expected letters, digits and '_'");
	expect_diag(1, CONFIG_ERROR, 2, "nothing before ';'");
	expect_diag(2, CONFIG_ERROR, 3, "missing value for SCAN_TIMEOUT");
	expect_diag(3, CONFIG_WARNING, 4, "duplicate SCAN_TIMEOUT, first definition at line 3 is used");
	expect_diag(4, CONFIG_ERROR, 5, "invalid key '\"X\"': expected letters, digits and '_'");
}

static void test_unknown_key(void **state)
{
	(void)state;
	assert_int_equal(load("FOO 1;\nFOO 2;\nDANGER_LEVEL 3;\nscan_timeout 4;\n"), 0);
	assert_int_equal(dg.n, 3);
	expect_diag(0, CONFIG_WARNING, 1, "unknown key 'FOO', ignoring");
	expect_diag(1, CONFIG_WARNING, 3, "unknown key 'DANGER_LEVEL', ignoring");
	/* keys are case-sensitive, as in psad */
	expect_diag(2, CONFIG_WARNING, 4, "unknown key 'scan_timeout', ignoring");
	assert_is_defaults(&cfg);
}

static void test_psad_key_note(void **state)
{
	(void)state;
	assert_int_equal(load("CHECK_INTERVAL 5;\n"
			      "CHECK_INTERVAL 6;\n"
			      "iptablesCmd /sbin/iptables;\n"
			      "IPT_AUTO_CHAIN7 DROP, src, filter, INPUT, 1, X, 1;\n"
			      "EMAIL_THROTTLE 0;\n"
			      "ENABLE_SYSLOG_FILE Y;\n"
			      "PSAD_DIR /var/log/psad;\n"
			      "SNORT_RULE_DL_FILE /etc/psad/snort_rule_dl;\n"
			      "REPUTATION_FEED \"ET\",4,IP,newline,1440,Y,ET,\"curl -o $LOCAL_FILE x\";\n"),
			 0);
	assert_int_equal(dg.n, 8);
	expect_diag(0, CONFIG_NOTE, 1, "psad key 'CHECK_INTERVAL' is not used by vigil, ignoring");
	expect_diag(1, CONFIG_NOTE, 3, "psad key 'iptablesCmd' is not used by vigil, ignoring");
	expect_diag(2, CONFIG_NOTE, 4, "psad key 'IPT_AUTO_CHAIN7' is not used by vigil, ignoring");
	expect_diag(3, CONFIG_NOTE, 5, "psad key 'EMAIL_THROTTLE' is not used by vigil, ignoring");
	expect_diag(7, CONFIG_WARNING, 9,
		    "psad key 'REPUTATION_FEED' changes psad's results and is not implemented: psad "
		    "downloads and scores this feed; vigil reads local lists only (REPUTATION_FILES)");
	assert_is_defaults(&cfg);
}

/* A psad key that changes what psad detects is a warning, with what vigil
 * does instead, and only for the value that makes the difference. */
static void test_psad_keys_that_change_results(void **state)
{
	assert_int_equal(load("ENABLE_INTF_LOCAL_NETS Y;\n"
			      "IGNORE_KERNEL_TIMESTAMP Y;\n"
			      "IGNORE_KERNEL_TIMESTAMP2 N;\n"
			      "ENABLE_CUSTOM_SYSLOG_TS_RE N;\n"
			      "IMPORT_OLD_SCANS N;\n"
			      "IMPORT_OLD_SCANS2 Y;\n"),
			 0);
	assert_int_equal(dg.n, 6);
	expect_diag(0, CONFIG_WARNING, 1,
		    "psad key 'ENABLE_INTF_LOCAL_NETS' changes psad's results and is not "
		    "implemented: psad replaces HOME_NET with the host's connected subnets; vigil "
		    "uses HOME_NET as written (set it to your networks)");
	expect_diag(1, CONFIG_NOTE, 2, "psad key 'IGNORE_KERNEL_TIMESTAMP' is not used by vigil, ignoring");
	expect_diag(2, CONFIG_WARNING, 3, "unknown key 'IGNORE_KERNEL_TIMESTAMP2', ignoring");
	expect_diag(3, CONFIG_NOTE, 4,
		    "psad key 'ENABLE_CUSTOM_SYSLOG_TS_RE' is not used by vigil, ignoring");
	expect_diag(4, CONFIG_NOTE, 5, "psad key 'IMPORT_OLD_SCANS' is not used by vigil, ignoring");
	expect_diag(5, CONFIG_WARNING, 6, "unknown key 'IMPORT_OLD_SCANS2', ignoring");
	assert_is_defaults(&cfg);
}

static void test_first_definition_wins(void **state)
{
	(void)state;
	assert_int_equal(load("SCAN_TIMEOUT 10;\nSCAN_TIMEOUT 20;\n"
			      "SIGNATURES_FILE /a;\nSIGS_FILE /b;\n"),
			 0);
	assert_int_equal(dg.n, 2);
	expect_diag(0, CONFIG_WARNING, 2, "duplicate SCAN_TIMEOUT, first definition at line 1 is used");
	expect_diag(1, CONFIG_WARNING, 4, "duplicate SIGS_FILE, first definition at line 3 is used");
	assert_int_equal(cfg.scan_timeout, 10);
	assert_string_equal(cfg.signatures_file, "/a");

	/* psad's SIGS_FILE alone fills the same field */
	assert_int_equal(load("SIGS_FILE /etc/psad/signatures;\n"), 0);
	assert_string_equal(cfg.signatures_file, "/etc/psad/signatures");

	/* the first definition wins even when its value is bad */
	assert_int_equal(load("SCAN_TIMEOUT soon;\nSCAN_TIMEOUT 20;\n"), -EINVAL);
	assert_int_equal(dg.n, 2);
	expect_diag(0, CONFIG_ERROR, 1,
		    "bad value 'soon' for SCAN_TIMEOUT: expected a number 1-10000000");
	expect_diag(1, CONFIG_WARNING, 2, "duplicate SCAN_TIMEOUT, first definition at line 1 is used");
	assert_int_equal(cfg.scan_timeout, 3600);
}

static void test_fw_msg_search(void **state)
{
	(void)state;
	assert_int_equal(load("FW_MSG_SEARCH DROP;\n"
			      "FW_MSG_SEARCH REJECT, Audit ;\n"
			      "FW_MSG_SEARCH \" a, b \";\n"),
			 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(cfg.n_fw_msg_search, 4);
	assert_string_equal(cfg.fw_msg_search[0], "DROP");
	assert_string_equal(cfg.fw_msg_search[1], "REJECT");
	assert_string_equal(cfg.fw_msg_search[2], "Audit");
	assert_string_equal(cfg.fw_msg_search[3], " a, b ");

	/* a second file replaces the list it loads on top of */
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load_buf(&cfg, "u.conf", "FW_MSG_SEARCH X;\nFW_MSG_SEARCH Y;\n", 34,
					 collect, &dg),
			 0);
	assert_int_equal(cfg.n_fw_msg_search, 2);
	assert_string_equal(cfg.fw_msg_search[0], "X");
	assert_string_equal(cfg.fw_msg_search[1], "Y");

	/* NONE empties it; "NONE" quoted is a string */
	assert_int_equal(load("FW_MSG_SEARCH DROP;\nFW_MSG_SEARCH NONE;\n"), 0);
	assert_int_equal(cfg.n_fw_msg_search, 0);
	assert_int_equal(load("FW_MSG_SEARCH \"NONE\";\n"), 0);
	assert_int_equal(cfg.n_fw_msg_search, 1);
	assert_string_equal(cfg.fw_msg_search[0], "NONE");

	assert_int_equal(load("FW_MSG_SEARCH DROP;\nFW_MSG_SEARCH a,,b;\n"), -EINVAL);
	expect_diag(0, CONFIG_ERROR, 2, "bad value 'a,,b' for FW_MSG_SEARCH: empty string");
	assert_int_equal(cfg.n_fw_msg_search, 1);
}

static void test_fw_msg_search_limit(void **state)
{
	char text[2000];
	size_t o = 0;
	(void)state;

	for (int i = 0; i < 8; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
				      "FW_MSG_SEARCH a%d,b%d,c%d,d%d,e%d,f%d,g%d,h%d;\n", i, i, i, i,
				      i, i, i, i);
	snprintf(text + o, sizeof(text) - o, "FW_MSG_SEARCH one-too-many;\n");
	assert_int_equal(load(text), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 9,
		    "bad value 'one-too-many' for FW_MSG_SEARCH: too many strings (max 64)");
	assert_int_equal(cfg.n_fw_msg_search, 64);
	assert_string_equal(cfg.fw_msg_search[63], "h7");
}

/* --- $VAR expansion --- */

static void test_expansion(void **state)
{
	(void)state;
	assert_int_equal(load("INSTALL_ROOT /;\n"
			      "PSAD_CONF_DIR $INSTALL_ROOT/etc/psad;\n"
			      "AUTO_DL_FILE $PSAD_CONF_DIR/auto_dl;\n"
			      "STATE_DIR /x/$MAX_SOURCES/$SCAN_TIMEOUT-$EXTERNAL_NET;\n"
			      "HOME_NET $NETS;\n" /* defined later in the file */
			      "NETS 10.0.0.0/8, $ONE;\n"
			      "ONE 192.0.2.1;\n"
			      "SCAN_TIMEOUT 1$ZERO$ZERO;\n"
			      "ZERO 0;\n"),
			 0);
	/* notes for INSTALL_ROOT and PSAD_CONF_DIR; NETS, ONE, ZERO are unknown */
	assert_int_equal(count_sev(CONFIG_ERROR), 0);
	assert_int_equal(count_sev(CONFIG_NOTE), 2);
	assert_int_equal(count_sev(CONFIG_WARNING), 3);
	assert_string_equal(cfg.auto_dl_file, "/etc/psad/auto_dl");
	/* a key not in the file expands to its built-in value, one in the
	 * file to its (expanded) text there */
	assert_string_equal(cfg.state_dir, "/x/200000/100-any");
	assert_int_equal(cfg.n_home_net, 2);
	assert_int_equal(cfg.scan_timeout, 100);
	/* "$$cost$": '$' not followed by a name is literal; $cost is a variable */
	assert_int_equal(load("CONTROL_SOCKET /run/$$cost$;\ncost .c;\n"), 0);
	assert_string_equal(cfg.control_socket, "/run/$.c$");
	/* what a pass produces is expanded by the next, as in psad */
	assert_int_equal(load("CONTROL_SOCKET /run/$$cost;\ncost c;\nc sock;\n"), 0);
	assert_string_equal(cfg.control_socket, "/run/sock");
}

static void test_expansion_unknown_var(void **state)
{
	(void)state;
	assert_int_equal(load("STATE_DIR /x/$NOPE;\nSCAN_TIMEOUT 5;\n"), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 1, "unknown variable '$NOPE' in STATE_DIR");
	assert_string_equal(cfg.state_dir, "/var/lib/vigil");
	assert_int_equal(cfg.scan_timeout, 5);

	/* psad keys vigil ignores are not expanded: no error for their variables */
	assert_int_equal(load("PSAD_DIR $NOWHERE/psad;\n"), 0);
	assert_int_equal(count_sev(CONFIG_ERROR), 0);
}

static void test_expansion_cycle(void **state)
{
	(void)state;
	assert_int_equal(load("A $B;\nB x$C;\nC $A;\nSTATE_DIR /$A;\n"), -EINVAL);
	assert_int_equal(count_sev(CONFIG_ERROR), 1);
	expect_diag(3, CONFIG_ERROR, 4, "$ reference cycle in STATE_DIR: A -> B -> C -> A");

	assert_int_equal(load("STATE_DIR /$STATE_DIR;\n"), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 1, "$ reference cycle in STATE_DIR: STATE_DIR -> STATE_DIR");
	assert_string_equal(cfg.state_dir, "/var/lib/vigil");
}

static void test_expansion_deep(void **state)
{
	char text[1024];
	size_t o = 0;
	(void)state;

	o += (size_t)snprintf(text + o, sizeof(text) - o, "STATE_DIR /$V0;\n");
	for (int i = 0; i < 25; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "V%d $V%d;\n", i, i + 1);
	snprintf(text + o, sizeof(text) - o, "V25 end;\n");
	assert_int_equal(load(text), -EINVAL);
	assert_int_equal(count_sev(CONFIG_ERROR), 1);
	expect_diag(0, CONFIG_ERROR, 1, "$ references in STATE_DIR are nested more than 20 levels deep");

	/* 19 levels are fine */
	o = (size_t)snprintf(text, sizeof(text), "STATE_DIR /$V0;\n");
	for (int i = 0; i < 19; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "V%d $V%d;\n", i, i + 1);
	snprintf(text + o, sizeof(text) - o, "V19 end;\n");
	assert_int_equal(load(text), 0);
	assert_string_equal(cfg.state_dir, "/end");
}

static void test_expansion_bounded(void **state)
{
	char text[4096];
	size_t o = 0;
	clock_t t0 = clock();
	(void)state;

	/* each level doubles: 2^30 bytes if unbounded */
	o += (size_t)snprintf(text + o, sizeof(text) - o, "STATE_DIR $X0;\n");
	for (int i = 0; i < 30; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "X%d $X%d$X%d;\n", i, i + 1, i + 1);
	snprintf(text + o, sizeof(text) - o, "X30 0123456789abcdef;\n");
	assert_int_equal(load(text), -EINVAL);
	assert_int_equal(count_sev(CONFIG_ERROR), 1);
	expect_diag(0, CONFIG_ERROR, 1, "value of STATE_DIR is longer than 4096 bytes after $ expansion");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);

	/* within the line limit but too long for a path */
	assert_int_equal(load("STATE_DIR $A$A$A;\nA $B$B$B$B;\nB 0123456789abcdef0123456789;\n"),
			 -EINVAL);
	expect_diag(0, CONFIG_ERROR, 1,
		    "bad value '0123456789abcdef01234567890123456789abcdef01234567890123456789abcdef"
		    "01234567890123456789abcd...' for STATE_DIR: longer than 255 bytes");
}

static void test_quoted_values(void **state)
{
	(void)state;
	assert_int_equal(load("STATE_DIR \"/var/lib/my vigil\";\n"
			      "EMAIL_ADDRESSES \"a@example.org,b@example.org\";\n"
			      "HOME_NET \"10.0.0.0/8\";\n"
			      "ENABLE_AUTO_IDS \"Y\";\n"
			      "CONTROL_SOCKET \"\"/odd\"\";\n"
			      "ALERT_JSON_FILE \"/a.json\"\n"),
			 -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 6, "expected ';' after value");
	assert_string_equal(cfg.state_dir, "/var/lib/my vigil");
	assert_string_equal(cfg.email_addresses, "a@example.org, b@example.org");
	assert_int_equal(cfg.n_home_net, 1);
	assert_true(cfg.enable_auto_ids);
	assert_string_equal(cfg.control_socket, "\"/odd\"");

	assert_int_equal(load("SYSLOG_SOCKET \"\";\n"), -EINVAL);
	expect_diag(0, CONFIG_ERROR, 1, "bad value '' for SYSLOG_SOCKET: empty value");
}

/* --- validation --- */

static void test_validation_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "DANGER_LEVEL2 abc;", "bad value 'abc' for DANGER_LEVEL2: expected a number 1-1000000000" },
		{ "DANGER_LEVEL1 0;", "bad value '0' for DANGER_LEVEL1: expected a number 1-1000000000" },
		{ "DANGER_LEVEL5 1000000001;",
		  "bad value '1000000001' for DANGER_LEVEL5: expected a number 1-1000000000" },
		{ "DL1_UNIQUE_HOSTS 0;", "bad value '0' for DL1_UNIQUE_HOSTS: expected a number 1-1000000000" },
		{ "DANGER_LEVEL3 -5;", "bad value '-5' for DANGER_LEVEL3: expected a number 1-1000000000" },
		{ "DANGER_LEVEL3 1e3;", "bad value '1e3' for DANGER_LEVEL3: expected a number 1-1000000000" },
		{ "DANGER_LEVEL3 99999999999999999999999;",
		  "bad value '99999999999999999999999' for DANGER_LEVEL3: expected a number 1-1000000000" },
		{ "PORT_RANGE_SCAN_THRESHOLD 65536;",
		  "bad value '65536' for PORT_RANGE_SCAN_THRESHOLD: expected a number 0-65535" },
		{ "PORT_RANGE_SWEEP_THRESHOLD x;",
		  "bad value 'x' for PORT_RANGE_SWEEP_THRESHOLD: expected a number 0-65535" },
		{ "PROTOCOL_SCAN_THRESHOLD 0;",
		  "bad value '0' for PROTOCOL_SCAN_THRESHOLD: expected a number 1-256" },
		{ "MIN_DANGER_LEVEL 6;", "bad value '6' for MIN_DANGER_LEVEL: expected a number 0-5" },
		{ "SCAN_TIMEOUT 0;", "bad value '0' for SCAN_TIMEOUT: expected a number 1-10000000" },
		{ "MAX_SOURCES 0;", "bad value '0' for MAX_SOURCES: expected a number 1-100000000" },
		{ "MAX_DSTS_PER_SOURCE 1000001;",
		  "bad value '1000001' for MAX_DSTS_PER_SOURCE: expected a number 1-1000000" },
		{ "MAX_SCAN_IP_PAIRS 1000000001;",
		  "bad value '1000000001' for MAX_SCAN_IP_PAIRS: expected a number 0-1000000000" },
		{ "MAX_LINE_LENGTH 255;", "bad value '255' for MAX_LINE_LENGTH: expected a number 256-1048576" },
		{ "MEMORY_LIMIT 3M;", "bad value '3M' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "MEMORY_LIMIT 4096G;",
		  "bad value '4096G' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "MEMORY_LIMIT 200MB;",
		  "bad value '200MB' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "MEMORY_LIMIT M;", "bad value 'M' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "MEMORY_LIMIT 8T;", "bad value '8T' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "MEMORY_LIMIT 99999999999G;",
		  "bad value '99999999999G' for MEMORY_LIMIT: expected a size 4M-4095G (K, M or G)" },
		{ "AUTO_IDS_DANGER_LEVEL 0;",
		  "bad value '0' for AUTO_IDS_DANGER_LEVEL: expected a number 1-5" },
		{ "AUTO_BLOCK_TIMEOUT 100000001;",
		  "bad value '100000001' for AUTO_BLOCK_TIMEOUT: expected a number 0-100000000" },
		{ "ENABLE_PERSISTENCE maybe;", "bad value 'maybe' for ENABLE_PERSISTENCE: expected Y or N" },
		{ "ENABLE_IPV6_DETECTION 1;", "bad value '1' for ENABLE_IPV6_DETECTION: expected Y or N" },
		{ "IGNORE_CONNTRACK_BUG_PKTS yess;",
		  "bad value 'yess' for IGNORE_CONNTRACK_BUG_PKTS: expected Y or N" },
		{ "FW_SEARCH_ALL true;", "bad value 'true' for FW_SEARCH_ALL: expected Y or N" },
		{ "BLOCK_DRY_RUN;", "missing value for BLOCK_DRY_RUN" },
		{ "ENABLE_AUTO_IDS on;", "bad value 'on' for ENABLE_AUTO_IDS: expected Y or N" },
		{ "IGNORE_PORTS tcp/9-1;",
		  "bad value 'tcp/9-1' for IGNORE_PORTS: low port of a range is greater than its high port" },
		{ "IGNORE_PORTS icmp/1;", "bad value 'icmp/1' for IGNORE_PORTS: expected tcp, udp or udplite before '/'" },
		{ "IGNORE_PORTS tcp/70000;", "bad value 'tcp/70000' for IGNORE_PORTS: ports must be numbers 0-65535" },
		{ "IGNORE_PORTS 53;", "bad value '53' for IGNORE_PORTS: expected PROTO/PORT or PROTO/LOW-HIGH" },
		{ "IGNORE_PORTS tcp/1,;", "bad value 'tcp/1,' for IGNORE_PORTS: empty list entry" },
		{ "IGNORE_PROTOCOLS tcp, bogus;", "bad value 'tcp, bogus' for IGNORE_PROTOCOLS: unknown protocol 'bogus'" },
		{ "IGNORE_PROTOCOLS 256;", "bad value '256' for IGNORE_PROTOCOLS: unknown protocol '256'" },
		{ "IGNORE_INTERFACES eth0, averyveryverylongname;",
		  "bad value 'eth0, averyveryverylongname' for IGNORE_INTERFACES: expected interface names "
		  "of 1-15 bytes without '/', ':' or spaces, got 'averyveryverylongname'" },
		{ "IGNORE_INTERFACES eth0 eth1;",
		  "bad value 'eth0 eth1' for IGNORE_INTERFACES: expected interface names of 1-15 bytes "
		  "without '/', ':' or spaces, got 'eth0 eth1'" },
		{ "HOME_NET 10.0.0.0/33;",
		  "bad value '10.0.0.0/33' for HOME_NET: expected ADDR, ADDR/LEN or ADDR/MASK, got '10.0.0.0/33'" },
		{ "EXTERNAL_NET 10.0.0.0/255.0.255.0;",
		  "bad value '10.0.0.0/255.0.255.0' for EXTERNAL_NET: expected ADDR, ADDR/LEN or ADDR/MASK, got "
		  "'10.0.0.0/255.0.255.0'" },
		{ "HOME_NET !10.0.0.0/8;",
		  "bad value '!10.0.0.0/8' for HOME_NET: expected ADDR, ADDR/LEN or ADDR/MASK, got '!10.0.0.0/8'" },
		{ "BLOCK_WHITELIST any;",
		  "bad value 'any' for BLOCK_WHITELIST: expected ADDR, ADDR/LEN or ADDR/MASK, got 'any'" },
		{ "INPUT_SOURCES kmsg, nflog:70000;",
		  "bad value 'kmsg, nflog:70000' for INPUT_SOURCES: expected kmsg, journal, file:PATH, "
		  "nflog:GROUP, syslog-udp:ADDR:PORT or syslog-tcp:ADDR:PORT, got 'nflog:70000'" },
		{ "INPUT_SOURCES syslog-udp:1.2.3.4;",
		  "bad value 'syslog-udp:1.2.3.4' for INPUT_SOURCES: expected kmsg, journal, file:PATH, "
		  "nflog:GROUP, syslog-udp:ADDR:PORT or syslog-tcp:ADDR:PORT, got 'syslog-udp:1.2.3.4'" },
		{ "INPUT_SOURCES file:;",
		  "bad value 'file:' for INPUT_SOURCES: expected kmsg, journal, file:PATH, "
		  "nflog:GROUP, syslog-udp:ADDR:PORT or syslog-tcp:ADDR:PORT, got 'file:'" },
		{ "BLOCK_BACKEND pf;", "bad value 'pf' for BLOCK_BACKEND: expected nftables or iptables" },
		{ "SYSLOG_FACILITY LOG_FOO;",
		  "bad value 'LOG_FOO' for SYSLOG_FACILITY: expected a syslog facility (LOG_DAEMON, LOG_USER, "
		  "LOG_LOCAL0-7, ...)" },
		{ "EMAIL_ADDRESSES root;", "bad value 'root' for EMAIL_ADDRESSES: not an email address: 'root'" },
		{ "EMAIL_ADDRESSES a@b, ;", "bad value 'a@b,' for EMAIL_ADDRESSES: empty list entry" },
		{ "SCAN_TIMEOUT \xc3\xa9;", "bad value '\\xc3\\xa9' for SCAN_TIMEOUT: expected a number 1-10000000" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(cases[i].text), -EINVAL);
		if (dg.n != 1)
			fail_msg("case %zu: %zu diagnostics", i, dg.n);
		expect_diag(0, CONFIG_ERROR, 1, cases[i].msg);
		/* the key keeps its previous value */
		assert_is_defaults(&cfg);
	}
}

static void test_long_string(void **state)
{
	char text[400];
	(void)state;

	memcpy(text, "ALERT_JSON_FILE /", 17);
	memset(text + 17, 'x', 300);
	memcpy(text + 317, ";\n", 3);
	assert_int_equal(load(text), -EINVAL);
	assert_int_equal(dg.n, 1);
	assert_true(strstr(dg.d[0].msg, "...' for ALERT_JSON_FILE: longer than 255 bytes") != NULL);
	assert_is_defaults(&cfg);
}

static void test_valid_values(void **state)
{
	(void)state;
	assert_int_equal(load("ENABLE_PERSISTENCE yes;\n"
			      "ENABLE_IPV6_DETECTION No;\n"
			      "IGNORE_CONNTRACK_BUG_PKTS Y;\n"
			      "FW_SEARCH_ALL n;\n"
			      "BLOCK_DRY_RUN YES;\n"
			      "MIN_DANGER_LEVEL 0;\n"
			      "SYSLOG_FACILITY local3;\n"
			      "BLOCK_BACKEND IPTABLES;\n"
			      "INPUT_SOURCES kmsg,journal , file:/var/log/kern.log, nflog:0, "
			      "syslog-udp:[::1]:514, syslog-tcp:192.0.2.1:601, syslog-udp:2001:db8::1:514;\n"
			      "MAX_LINE_LENGTH 1048576;\n"
			      "AUTO_BLOCK_TIMEOUT 0;\n"
			      "PORT_RANGE_SCAN_THRESHOLD 0;\n"),
			 0);
	assert_int_equal(dg.n, 0);
	assert_true(cfg.enable_persistence);
	assert_false(cfg.enable_ipv6);
	assert_true(cfg.ignore_conntrack_bug_pkts);
	assert_false(cfg.fw_search_all);
	assert_true(cfg.block_dry_run);
	assert_int_equal(cfg.min_danger_level, 0);
	assert_true(cfg.min_danger_level_set);
	assert_string_equal(cfg.syslog_facility, "LOG_LOCAL3");
	assert_string_equal(cfg.block_backend, "iptables");
	assert_string_equal(cfg.input_sources,
			    "kmsg, journal, file:/var/log/kern.log, nflog:0, syslog-udp:[::1]:514, "
			    "syslog-tcp:192.0.2.1:601, syslog-udp:2001:db8::1:514");
	assert_int_equal(cfg.max_line_length, 1048576);
	assert_int_equal(cfg.auto_block_timeout, 0);

	config_init(&cfg);
	assert_false(cfg.min_danger_level_set);
}

/* Several long log paths fit in INPUT_SOURCES: it is not cut at one
 * string's 256 bytes (a daemon following three files of 200-byte paths). */
static void test_long_input_sources(void **state)
{
	char conf[2048], path[3][210];
	(void)state;
	for (int i = 0; i < 3; i++) {
		memset(path[i], 'a' + i, 200);
		path[i][200] = '\0';
	}
	snprintf(conf, sizeof(conf), "INPUT_SOURCES kmsg, file:/%s, file:/%s, file:/%s;\n",
		 path[0], path[1], path[2]);
	assert_int_equal(load(conf), 0);
	assert_int_equal(dg.n, 0);
	assert_non_null(strstr(cfg.input_sources, path[2]));
	assert_true(strlen(cfg.input_sources) > 600);
}

static void test_ladders(void **state)
{
	(void)state;
	/* DANGER_LEVEL3 is not in the file: the error is at DANGER_LEVEL2's line */
	assert_int_equal(load("SCAN_TIMEOUT 9;\nDANGER_LEVEL2 200;\n"), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 2, "DANGER_LEVEL3 (150) must be greater than DANGER_LEVEL2 (200)");
	assert_int_equal(cfg.danger_level[2], 15); /* the whole ladder is kept */
	assert_int_equal(cfg.scan_timeout, 9);

	assert_int_equal(load("DANGER_LEVEL1 10;\nDANGER_LEVEL2 10;\nDANGER_LEVEL4 100;\n"), -EINVAL);
	assert_int_equal(dg.n, 2);
	expect_diag(0, CONFIG_ERROR, 2, "DANGER_LEVEL2 (10) must be greater than DANGER_LEVEL1 (10)");
	expect_diag(1, CONFIG_ERROR, 3, "DANGER_LEVEL4 (100) must be greater than DANGER_LEVEL3 (150)");
	assert_int_equal(cfg.danger_level[1], 5);
	assert_int_equal(cfg.danger_level[4], 1500);

	assert_int_equal(load("DL5_UNIQUE_HOSTS 100;\n"), -EINVAL);
	expect_diag(0, CONFIG_ERROR, 1,
		    "DL5_UNIQUE_HOSTS (100) must be greater than DL4_UNIQUE_HOSTS (100)");
	assert_int_equal(cfg.unique_hosts[5], 500);

	assert_int_equal(load("DANGER_LEVEL1 1;\nDANGER_LEVEL2 2;\nDANGER_LEVEL3 3;\n"
			      "DANGER_LEVEL4 4;\nDANGER_LEVEL5 1000000000;\n"
			      "DL1_UNIQUE_HOSTS 1;\nDL2_UNIQUE_HOSTS 2;\n"),
			 0);
	assert_int_equal(cfg.danger_level[5], 1000000000);
	assert_int_equal(cfg.unique_hosts[2], 2);
}

/* --- lists and the hot-path helpers --- */

static void test_ignore_ports(void **state)
{
	struct port_range pr[4];
	const char *why = NULL;
	size_t n = 99;
	(void)state;

	assert_int_equal(load("IGNORE_PORTS tcp/61000-61356, udp/53, TCP/53-53, udplite/5000, "
			      "Udp/ 1 - 2 ;\n"),
			 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(cfg.n_ignore_ports, 5);
	assert_int_equal(cfg.ignore_ports[0].proto, IPPROTO_NUM_TCP);
	assert_int_equal(cfg.ignore_ports[0].lo, 61000);
	assert_int_equal(cfg.ignore_ports[0].hi, 61356);
	/* psad silently dropped lo == hi ranges */
	assert_int_equal(cfg.ignore_ports[2].lo, 53);
	assert_int_equal(cfg.ignore_ports[2].hi, 53);
	assert_int_equal(cfg.ignore_ports[3].proto, IPPROTO_NUM_UDPLITE);
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_TCP, 61000));
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_TCP, 61356));
	assert_false(config_port_ignored(&cfg, IPPROTO_NUM_TCP, 61357));
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_TCP, 53));
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_UDP, 53));
	assert_false(config_port_ignored(&cfg, IPPROTO_NUM_UDP, 54));
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_UDPLITE, 5000));
	assert_false(config_port_ignored(&cfg, IPPROTO_NUM_UDP, 5000));
	assert_true(config_port_ignored(&cfg, IPPROTO_NUM_UDP, 2));
	assert_false(config_port_ignored(&cfg, IPPROTO_NUM_ICMP, 53));

	assert_int_equal(load("IGNORE_PORTS tcp/1;\n"), 0);
	assert_int_equal(cfg.n_ignore_ports, 1);
	assert_int_equal(load("IGNORE_PORTS none;\n"), 0);
	assert_int_equal(cfg.n_ignore_ports, 0);

	/* the public parser */
	assert_int_equal(config_parse_ports("tcp/1, udp/2-3", 14, pr, 4, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pr[1].hi, 3);
	assert_int_equal(config_parse_ports(" NONE ", 6, pr, 4, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_int_equal(config_parse_ports("tcp/1,tcp/2,tcp/3", 17, pr, 2, &n, &why), -EINVAL);
	assert_string_equal(why, "too many entries");
	assert_int_equal(config_parse_ports("tcp/1-", 6, pr, 2, &n, NULL), -EINVAL);
	assert_int_equal(config_parse_ports("", 0, pr, 2, &n, &why), -EINVAL);
	assert_string_equal(why, "empty list entry");
}

static void test_ignore_protocols(void **state)
{
	(void)state;
	assert_int_equal(load("IGNORE_PROTOCOLS tcp, UDP, icmp, icmpv6, 2, GRE, Esp, ah, sctp, "
			      "udplite, 253;\n"),
			 0);
	assert_int_equal(dg.n, 0);
	for (unsigned p = 0; p < 256; p++) {
		bool want = p == 6 || p == 17 || p == 1 || p == 58 || p == 2 || p == 47 || p == 50 ||
			    p == 51 || p == 132 || p == 136 || p == 253;
		if (cfg.ignore_proto[p] != want)
			fail_msg("protocol %u", p);
	}
	assert_int_equal(load("IGNORE_PROTOCOLS icmp6;\n"), 0);
	assert_true(cfg.ignore_proto[58]);
	assert_int_equal(load("IGNORE_PROTOCOLS ipv6-icmp;\n"), 0);
	assert_true(cfg.ignore_proto[58]);
	assert_int_equal(load("IGNORE_PROTOCOLS NONE;\n"), 0);
	for (unsigned p = 0; p < 256; p++)
		assert_false(cfg.ignore_proto[p]);
}

static void test_ignore_interfaces(void **state)
{
	(void)state;
	assert_int_equal(load("IGNORE_INTERFACES eth1, eth0.1,wlp3s0-very-lon;\n"), 0);
	assert_int_equal(cfg.n_ignore_intf, 3);
	assert_true(config_intf_ignored(&cfg, "eth1", 4));
	assert_true(config_intf_ignored(&cfg, "eth0.1", 6));
	assert_true(config_intf_ignored(&cfg, "wlp3s0-very-lon", 15));
	assert_false(config_intf_ignored(&cfg, "eth", 3));
	assert_false(config_intf_ignored(&cfg, "eth10", 5));
	assert_false(config_intf_ignored(&cfg, "eth1 extra bytes", 16));
	assert_true(config_intf_ignored(&cfg, "eth1 not NUL-terminated", 4));
	assert_false(config_intf_ignored(&cfg, "", 0));
	assert_int_equal(load("IGNORE_INTERFACES NONE;\n"), 0);
	assert_false(config_intf_ignored(&cfg, "eth1", 4));
}

static void test_prefix_selected(void **state)
{
	(void)state;
	config_init(&cfg);
	assert_true(config_prefix_selected(&cfg, "anything", 8));
	assert_true(config_prefix_selected(&cfg, NULL, 0));
	assert_int_equal(load("FW_MSG_SEARCH DROP;\nFW_MSG_SEARCH REJ;\n"), 0);
	assert_true(config_prefix_selected(&cfg, "IPT DROP IN", 11));
	assert_true(config_prefix_selected(&cfg, "REJECTED", 8));
	assert_false(config_prefix_selected(&cfg, "ACCEPT", 6));
	assert_false(config_prefix_selected(&cfg, "", 0));
	/* only len bytes are looked at */
	assert_false(config_prefix_selected(&cfg, "DRODROP", 5));
	assert_true(config_prefix_selected(&cfg, "DRODROP", 7));
}

static void test_networks(void **state)
{
	struct addr a;
	(void)state;

	assert_int_equal(load("HOME_NET [192.168.1.0/24, 10.0.0.0/255.0.0.0, 2001:db8::/32, "
			      "203.0.113.7, 2001:0db8:0000:f101:0000:0000:0000:0002];\n"
			      "EXTERNAL_NET ANY;\n"
			      "BLOCK_WHITELIST 198.51.100.0/24;\n"),
			 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(cfg.n_home_net, 5);
	assert_int_equal(cfg.home_net[0].len, 24);
	assert_int_equal(cfg.home_net[1].len, 8);
	assert_int_equal(cfg.home_net[2].len, 32);
	assert_int_equal(cfg.home_net[3].len, 32);
	assert_int_equal(cfg.home_net[4].len, 128);
	assert_int_equal(addr_parse(SPAN_LIT("10.200.3.4"), &a), 0);
	assert_true(net_contains(&cfg.home_net[1], &a));
	assert_int_equal(addr_parse(SPAN_LIT("2001:db8:0:f101::2"), &a), 0);
	assert_true(net_contains(&cfg.home_net[4], &a));
	assert_int_equal(cfg.n_external_net, 0);
	assert_int_equal(cfg.n_block_whitelist, 1);

	assert_int_equal(load("HOME_NET any;\nBLOCK_WHITELIST NONE;\n"), 0);
	assert_int_equal(cfg.n_home_net, 0);
	assert_int_equal(cfg.n_block_whitelist, 0);
}

/* --- dump --- */

static void roundtrip(void)
{
	struct config *b = malloc(sizeof(*b));
	char *d1 = dump_of(&cfg), *d2;
	struct diags *g = calloc(1, sizeof(*g));

	assert_non_null(b);
	assert_non_null(g);
	config_init(b);
	assert_int_equal(config_load_buf(b, "dump", d1, strlen(d1), collect, g), 0);
	if (g->n)
		fail_msg("dump diagnostic: %s", g->d[0].msg);
	d2 = dump_of(b);
	assert_string_equal(d1, d2);
	assert_int_equal(b->min_danger_level_set, cfg.min_danger_level_set);
	assert_int_equal(b->n_fw_msg_search, cfg.n_fw_msg_search);
	for (size_t i = 0; i < b->n_fw_msg_search; i++)
		assert_string_equal(b->fw_msg_search[i], cfg.fw_msg_search[i]);
	assert_memory_equal(b->ignore_proto, cfg.ignore_proto, sizeof(cfg.ignore_proto));
	assert_int_equal(b->n_home_net, cfg.n_home_net);
	for (size_t i = 0; i < b->n_home_net; i++)
		assert_true(memcmp(&b->home_net[i], &cfg.home_net[i], sizeof(struct net)) == 0);
	free(d1);
	free(d2);
	free(b);
	free(g);
}

static void test_dump_defaults(void **state)
{
	char *d;
	(void)state;

	config_init(&cfg);
	d = dump_of(&cfg);
	assert_non_null(strstr(d, "\nDANGER_LEVEL1               5;\n"));
	assert_non_null(strstr(d, "\nIGNORE_PORTS                NONE;\n"));
	assert_non_null(strstr(d, "\nHOME_NET                    any;\n"));
	assert_non_null(strstr(d, "\nBLOCK_WHITELIST             NONE;\n"));
	assert_non_null(strstr(d, "\nFW_MSG_SEARCH               NONE;\n"));
	assert_non_null(strstr(d, "\n#MIN_DANGER_LEVEL           1;\n"));
	assert_non_null(strstr(d, "\nSIGNATURES_FILE             /etc/vigil/signatures;\n"));
	free(d);
	roundtrip();
}

static void test_dump_roundtrip(void **state)
{
	char *d;
	(void)state;

	assert_int_equal(load("DANGER_LEVEL1 3;\nDL5_UNIQUE_HOSTS 1000;\n"
			      "MIN_DANGER_LEVEL 2;\nENABLE_PERSISTENCE Y;\n"
			      "IGNORE_PORTS tcp/61000-61356, udp/53, udplite/7-7;\n"
			      "IGNORE_PROTOCOLS tcp, 2, 253, icmpv6, ip;\n"
			      "IGNORE_INTERFACES eth1, eth0.1;\n"
			      "FW_SEARCH_ALL N;\n"
			      "FW_MSG_SEARCH DROP, REJECT;\n"
			      "FW_MSG_SEARCH \" lead\";\n"
			      "FW_MSG_SEARCH \"a,b\";\n"
			      "FW_MSG_SEARCH \"NONE\";\n"
			      "FW_MSG_SEARCH \"\"quoted\"\";\n"
			      "FW_MSG_SEARCH \"x;\n" /* not surrounded: kept as is */
			      "HOME_NET 192.168.1.0/24, 10.0.0.0/255.0.0.0, 2001:db8::/32, ::1;\n"
			      "EXTERNAL_NET 0.0.0.0/0;\n"
			      "BLOCK_WHITELIST 198.51.100.0/24;\n"
			      "MAX_SOURCES 10;\nMAX_DSTS_PER_SOURCE 1;\nMAX_SCAN_IP_PAIRS 7;\n"
			      "AUTO_DL_FILE /etc/psad/auto_dl;\nSIGS_FILE /etc/psad/signatures;\n"
			      "INPUT_SOURCES journal,nflog:5;\n"
			      "STATE_DIR \" /spaced \";\n"
			      "CONTROL_SOCKET \"\"q\"\";\n"
			      "SYSLOG_FACILITY LOG_AUTHPRIV;\n"
			      "EMAIL_ADDRESSES a@b,c@d;\n"
			      "ENABLE_AUTO_IDS Y;\nAUTO_IDS_DANGER_LEVEL 3;\nAUTO_BLOCK_TIMEOUT 0;\n"
			      "BLOCK_BACKEND iptables;\nBLOCK_DRY_RUN Y;\n"),
			 0);
	assert_int_equal(dg.n, 0);
	d = dump_of(&cfg);
	assert_non_null(strstr(d, "\nMIN_DANGER_LEVEL            2;\n"));
	assert_non_null(strstr(d, "\nIGNORE_PORTS                tcp/61000-61356, udp/53, udplite/7;\n"));
	assert_non_null(strstr(d, "\nIGNORE_PROTOCOLS            hopopt, igmp, tcp, icmp6, 253;\n"));
	assert_non_null(strstr(d, "\nFW_MSG_SEARCH               DROP;\n"
				  "FW_MSG_SEARCH               REJECT;\n"
				  "FW_MSG_SEARCH               \" lead\";\n"
				  "FW_MSG_SEARCH               \"a,b\";\n"
				  "FW_MSG_SEARCH               \"NONE\";\n"
				  "FW_MSG_SEARCH               \"\"quoted\"\";\n"
				  "FW_MSG_SEARCH               \"x;\n"));
	assert_non_null(strstr(d, "\nHOME_NET                    192.168.1.0/24, 10.0.0.0/8, 2001:db8::/32, ::1;\n"));
	assert_non_null(strstr(d, "\nSTATE_DIR                   \" /spaced \";\n"));
	assert_non_null(strstr(d, "\nCONTROL_SOCKET              \"\"q\"\";\n"));
	assert_non_null(strstr(d, "\nEMAIL_ADDRESSES             a@b, c@d;\n"));
	assert_non_null(strstr(d, "\nSIGNATURES_FILE             /etc/psad/signatures;\n"));
	free(d);
	roundtrip();
}

/* MEMORY_LIMIT: K, M or G (powers of 1024), a bare number in M; the dump
 * writes the largest exact unit, and reads back. */
static void test_memory_limit(void **state)
{
	static const struct {
		const char *text;
		uint32_t kib;
		const char *dump;
	} cases[] = {
		{ "MEMORY_LIMIT 200M;", 200u << 10, "200M" },
		{ "MEMORY_LIMIT 300;", 300u << 10, "300M" },
		{ "MEMORY_LIMIT 2g;", 2u << 20, "2G" },
		{ "MEMORY_LIMIT 4097k;", 4097, "4097K" },
		{ "MEMORY_LIMIT 4096K;", 4096, "4M" },
		{ "MEMORY_LIMIT 4095G;", 4095u << 20, "4095G" },
	};
	char want[64], *d;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_init(&cfg);
		memset(&dg, 0, sizeof(dg));
		assert_int_equal(config_load_buf(&cfg, "t.conf", cases[i].text, strlen(cases[i].text),
						 collect, &dg),
				 0);
		assert_int_equal(dg.n, 0);
		assert_int_equal(cfg.memory_limit_kib, cases[i].kib);
		d = dump_of(&cfg);
		snprintf(want, sizeof(want), "\nMEMORY_LIMIT                %s;\n", cases[i].dump);
		assert_non_null(strstr(d, want));
		free(d);
		roundtrip();
	}
}

static void test_dump_long_lists(void **state)
{
	char *text = malloc(8192);
	size_t o = 0;
	(void)state;

	/* the longest lists a file can hold still dump to lines that load */
	assert_non_null(text);
	o += (size_t)snprintf(text + o, 8192 - o, "IGNORE_PROTOCOLS 0");
	for (int p = 1; p < 256; p++)
		o += (size_t)snprintf(text + o, 8192 - o, ",%d", p);
	o += (size_t)snprintf(text + o, 8192 - o, ";\nHOME_NET ffff:ffff:ffff:ffff:ffff:ffff:ffff:f0/127");
	for (int i = 1; i < 64; i++)
		o += (size_t)snprintf(text + o, 8192 - o, ",ffff:ffff:ffff:ffff:ffff:ffff:ffff:%x/127",
				      i * 2);
	snprintf(text + o, 8192 - o, ";\n");
	assert_int_equal(load(text), 0);
	assert_int_equal(cfg.n_home_net, 64);
	roundtrip();
	free(text);
}

/* --- files --- */

static void test_psad_conf(void **state)
{
	char path[512];
	(void)state;

	repo_path("tests/data/psad.conf", path, sizeof(path));
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load(&cfg, path, collect, &dg), 0);
	assert_int_equal(count_sev(CONFIG_ERROR), 0);
	/* ENABLE_INTF_LOCAL_NETS Y: psad would score against other networks */
	assert_int_equal(count_sev(CONFIG_WARNING), 1);
	assert_true(count_sev(CONFIG_NOTE) > 100);
	assert_string_equal(cfg.auto_dl_file, "/etc/psad/auto_dl");
	assert_string_equal(cfg.signatures_file, "/etc/psad/signatures");
	assert_string_equal(cfg.syslog_facility, "LOG_LOCAL7");
	assert_true(cfg.ignore_conntrack_bug_pkts);
	assert_int_equal(cfg.n_fw_msg_search, 1);
	assert_string_equal(cfg.fw_msg_search[0], "DROP");
	assert_int_equal(cfg.danger_level[5], 10000);
	assert_true(cfg.min_danger_level_set);
	roundtrip();

	/* and the installed one, when Debian's psad is there */
	if (access("/etc/psad/psad.conf", R_OK) == 0) {
		config_init(&cfg);
		memset(&dg, 0, sizeof(dg));
		assert_int_equal(config_load(&cfg, "/etc/psad/psad.conf", collect, &dg), 0);
		assert_int_equal(count_sev(CONFIG_ERROR), 0);
	}
}

static void test_psad_3_0_keys(void **state)
{
	(void)state;
	/* keys that psad 3.0 added (upstream psad.conf), with its values */
	assert_int_equal(load("ENABLE_REPUTATION_FEEDS     Y;\n"
			      "REPUTATION_FEED             \"EmergingThreats Block IPs\",4,IP,newline,"
			      "1440,Y,ET-Block-IPs,\"/usr/bin/curl -o $LOCAL_FILE https://x/y.txt\";\n"
			      "REPUTATION_FEEDS_DIR        $PSAD_CONF_DIR/reputation_feeds;\n"
			      "PSAD_TMP_DIR                $PSAD_DIR/tmp;\n"
			      "ENABLE_IP_INFO_URL          Y;\n"
			      "IP_INFO                     \"Talos\",https://talos/?search=$SRC;\n"
			      "pkillCmd                    /usr/bin/pkill;\n"
			      "ssCmd                       /bin/ss;\n"),
			 0);
	/* the feeds change levels in psad: warned, the rest noted */
	assert_int_equal(count_sev(CONFIG_WARNING), 2);
	assert_int_equal(count_sev(CONFIG_NOTE), 6);
	assert_int_equal(dg.n, 8);
}

static void test_shipped_vigil_conf(void **state)
{
	char path[512], *text;
	FILE *f;
	size_t len = 0;
	(void)state;

	repo_path("etc/vigil.conf", path, sizeof(path));
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load(&cfg, path, collect, &dg), 0);
	if (dg.n)
		fail_msg("%s:%u: %s", path, dg.d[0].line, dg.d[0].msg);
	/* it documents the built-in values */
	assert_is_defaults(&cfg);

	/* and every key vigil reads, with a comment */
	f = fopen(path, "r");
	assert_non_null(f);
	text = malloc(65536);
	assert_non_null(text);
	len = fread(text, 1, 65535, f);
	text[len] = '\0';
	fclose(f);
	char *d = defaults_dump();
	char *save = NULL;
	for (char *line = strtok_r(d, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[64], want[80];
		if (line[0] == '#' && line[1] == ' ')
			continue;
		sscanf(line + (line[0] == '#'), "%63s", key);
		snprintf(want, sizeof(want), "\n%s%s ", line[0] == '#' ? "#" : "", key);
		if (!strstr(text, want))
			fail_msg("etc/vigil.conf lacks %s", key);
	}
	free(d);
	free(text);
}

static void test_file_errors(void **state)
{
	char path[512];
	char *big;
	(void)state;

	repo_path("src/config", path, sizeof(path));
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load(&cfg, path, collect, &dg), -EINVAL);
	assert_int_equal(dg.n, 1);
	expect_diag(0, CONFIG_ERROR, 0, "not a regular file");

	big = calloc(1, (1u << 20) + 1);
	assert_non_null(big);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load_buf(&cfg, "big", big, (1u << 20) + 1, collect, &dg), -EINVAL);
	expect_diag(0, CONFIG_ERROR, 0, "file too large (more than 1048576 bytes)");
	free(big);

	/* no diag callback: still counted and returned */
	config_init(&cfg);
	assert_int_equal(config_load_buf(&cfg, "x", "SCAN_TIMEOUT x;", 15, NULL, NULL), -EINVAL);
	assert_int_equal(config_load_buf(&cfg, "x", NULL, 0, NULL, NULL), 0);
}

static void test_diag_file_name(void **state)
{
	(void)state;
	/* the name given is the one reported */
	config_init(&cfg);
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(config_load_buf(&cfg, "/etc/vigil/vigil.conf", "\n\nFOO 1;\n", 8, collect,
					 &dg),
			 0);
	expect_diag(0, CONFIG_WARNING, 3, "unknown key 'FOO', ignoring");
	assert_string_equal(dg.d[0].file, "/etc/vigil/vigil.conf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_grammar_basic),
		cmocka_unit_test(test_missing_semicolon),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_invalid_key_and_empty),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_psad_key_note),
		cmocka_unit_test(test_psad_keys_that_change_results),
		cmocka_unit_test(test_first_definition_wins),
		cmocka_unit_test(test_fw_msg_search),
		cmocka_unit_test(test_fw_msg_search_limit),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_expansion_unknown_var),
		cmocka_unit_test(test_expansion_cycle),
		cmocka_unit_test(test_expansion_deep),
		cmocka_unit_test(test_expansion_bounded),
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_validation_errors),
		cmocka_unit_test(test_long_string),
		cmocka_unit_test(test_valid_values),
		cmocka_unit_test(test_long_input_sources),
		cmocka_unit_test(test_ladders),
		cmocka_unit_test(test_ignore_ports),
		cmocka_unit_test(test_ignore_protocols),
		cmocka_unit_test(test_ignore_interfaces),
		cmocka_unit_test(test_prefix_selected),
		cmocka_unit_test(test_networks),
		cmocka_unit_test(test_dump_defaults),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_dump_long_lists),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_psad_conf),
		cmocka_unit_test(test_psad_3_0_keys),
		cmocka_unit_test(test_shipped_vigil_conf),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_diag_file_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
