/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json-check.h - a strict JSON syntax check (RFC 8259) for the tests of
 * every document vigil writes (reports, alerts, status).
 *
 * Test-only (included by *-test.c files, never by vigil itself): a
 * recursive descent that accepts exactly the grammar, nesting bounded.
 */
#ifndef VIGIL_JSON_CHECK_H
#define VIGIL_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wunused-function"

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p++;
		if (c == '"')
			return p;
		if (c < 0x20 || c >= 0x80) /* ours are pure ASCII */
			return NULL;
		if (c != '\\')
			continue;
		c = (unsigned char)*p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++, p++)
				if (!strchr("0123456789abcdefABCDEF", *p) || !*p)
					return NULL;
		} else if (!c || !strchr("\"\\/bfnrt", c)) {
			return NULL;
		}
	}
}

static const char *js_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	return p > s ? p : NULL;
}

static const char *js_members(const char *p, int depth, char close, bool obj)
{
	p = js_ws(p);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = js_string(js_ws(p));
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = js_value(p, depth + 1);
		if (!p)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{':
		return js_members(p + 1, depth, '}', true);
	case '[':
		return js_members(p + 1, depth, ']', false);
	case '"':
		return js_string(p);
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	default:
		return js_number(p);
	}
}

static bool json_valid(const char *doc)
{
	const char *end = js_value(doc, 0);

	return end && *js_ws(end) == '\0';
}

#endif
