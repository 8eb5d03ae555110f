/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sanitize.c - DNS and whois text made safe (see sanitize.h). */
#include "alert/sanitize.h"

#include <string.h>

#include "util/escape.h"

bool sanitize_name(const char *in, size_t len, char *out, size_t size)
{
	bool ok = len > 0 && len <= 253;

	for (size_t i = 0; ok && i < len; i++) {
		char c = in[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.';
	}
	if (ok && len < size) {
		memcpy(out, in, len);
		out[len] = '\0';
		return true;
	}
	(void)escape_bytes(in, len, out, size);
	return false;
}

size_t sanitize_text(const char *in, size_t len, const char *indent, char *out, size_t size)
{
	size_t ind = strlen(indent), o = 0, lines = 0;
	char esc[SANITIZE_LINE_MAX];

	if (!size)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < len && lines < SANITIZE_LINES_MAX;) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - in) : len, n = end - i, e;

		if (n && in[i + n - 1] == '\r')
			n--;
		e = escape_bytes(in + i, n, esc, sizeof(esc));
		if (o + ind + e + 2 > size)
			break;
		memcpy(out + o, indent, ind);
		memcpy(out + o + ind, esc, e);
		o += ind + e;
		out[o++] = '\n';
		out[o] = '\0';
		lines++;
		i = end + 1;
	}
	return o;
}
