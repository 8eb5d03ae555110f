/* SPDX-License-Identifier: GPL-2.0-or-later */
/* svg.h - the HTML report's pictures: small inline SVG charts drawn by
 * vigil (no library, no script), and the HTML escaping they and the page
 * share.
 *
 * Every chart is one <svg> element with a viewBox, so it scales to the
 * page's width (a phone, a printed A4 page). Shapes carry classes (d0..d5
 * for a danger level's colour, h1..h5 for a heat map's intensity) that the
 * page's style sheet colours: no style attribute, nothing the page's
 * Content-Security-Policy would have to allow. Each shape has a <title>
 * (the exact value: a browser shows it on hover, a screen reader reads it).
 *
 * Labels come from logs and data files (prefixes, signature messages):
 * every label goes through html_text(), so it stays text in SVG as in
 * HTML. Numbers are drawn to scale in double precision: a count of 2^64-1
 * fits, a maximum of 0 draws no bar.
 */
#ifndef VIGIL_SVG_H
#define VIGIL_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report/outbuf.h"

/* Untrusted bytes as HTML text, safe in an element's content and in a
 * quoted attribute value alike: & < > " ' as character references, every
 * byte outside printable ASCII (controls, DEL, 8-bit) as the text "\xNN".
 * A backslash stays a backslash, so the engine's \xNN escapes of a log's
 * bytes read as they do in the text report. At most n bytes of s are read
 * (a NUL ends s earlier). */
void html_text(struct outbuf *o, const char *s, size_t n);
static inline void html_str(struct outbuf *o, const char *s)
{
	html_text(o, s, s ? strlen(s) : 0);
}

#define SVG_CLS_NONE 255 /* a shape with the default colour, not a level's */

/* One bar of a bar chart: "label ......... value  note". */
struct svg_bar {
	const char *label; /* untrusted, escaped; cut at SVG_LABEL_MAX bytes */
	const char *note;  /* after the value, or NULL; untrusted, escaped */
	uint64_t value;
	uint8_t cls;       /* danger level 0..5 for its colour, or SVG_CLS_NONE */
};

#define SVG_LABEL_MAX 28 /* label bytes drawn (what fits left of the bars);
			  * the <title> has the whole label */

/* Horizontal bars, one per entry, scaled to the largest value. title names
 * the chart (aria-label). n == 0 draws a chart that says "no data". */
void svg_bars(struct outbuf *o, const char *title, const struct svg_bar *b, size_t n);

/* One row of a timeline: a label and n_buckets counts. */
struct svg_row {
	const char *label; /* untrusted, escaped */
	const uint64_t *v; /* n_buckets counts */
	uint8_t cls;       /* colour, as svg_bar's */
};

/* Small multiples on a common time axis: a row of columns per entry, each
 * row scaled to its own peak (written at the row's end), so a source with
 * 10 packets shows its shape beside one with a million. from/to label the
 * axis' ends (trusted: vigil's own time format). n_rows == 0 or
 * n_buckets == 0: "no data". */
void svg_timeline(struct outbuf *o, const char *title, const struct svg_row *rows,
		  size_t n_rows, size_t n_buckets, const char *from, const char *to);

/* A heat map: rows x cols cells, cell (r, c) = v[r * cols + c], its
 * intensity (h1..h5) on a log scale of the column's maximum; 0 is an empty
 * cell. Row and column labels are untrusted and escaped. rows or cols == 0:
 * "no data". */
void svg_heatmap(struct outbuf *o, const char *title, const char *const *row_labels,
		 size_t rows, const char *const *col_labels, size_t cols, const uint64_t *v);

/* The intensity class 0..5 of v against max (log scale; 0 only for v 0). */
unsigned svg_heat_level(uint64_t v, uint64_t max);

#endif
