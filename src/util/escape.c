/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.c - \xNN escaping of untrusted bytes (see escape.h). */
#include "util/escape.h"

#include <string.h>

size_t escape_bytes(const char *p, size_t len, char *out, size_t outsize)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!outsize)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;
		if (o + need + 1 > outsize) {
			/* keep room for the marker; the bytes it replaces are gone */
			while (o > 0 && o + 4 > outsize)
				o--;
			if (o + 4 <= outsize) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}

const char *escape_str(const char *s, char *out, size_t outsize)
{
	escape_bytes(s, strlen(s), out, outsize);
	return out;
}
