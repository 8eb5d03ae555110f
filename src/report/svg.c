/* SPDX-License-Identifier: GPL-2.0-or-later */
/* svg.c - the HTML report's inline SVG charts and its escaping (svg.h).
 *
 * Geometry is in viewBox units (a 720-wide canvas, 12-unit text); the page
 * scales the <svg> to its column. Only numbers vigil computes and escaped
 * text reach the markup.
 */
#include "report/svg.h"

#include <inttypes.h>

#include "util/num.h"

#define SVG_W 720
#define LABEL_W 220    /* label column: text ends at LABEL_W - 6 */
#define BAR_ROW 20
#define BAR_MAX_W 300  /* the longest bar; value and note follow it */
#define TL_ROW 28
#define TL_PLOT_W 440
#define TL_BAR_H 22
#define HM_CELL_H 18
#define HM_CELL_W_MAX 28
#define HM_PLOT_W 460
#define HM_HEAD 100    /* room for the rotated column labels */

void html_text(struct outbuf *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0, i;

	if (!s)
		return;
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ref = NULL;
		char x[4];

		switch (c) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				continue; /* stays in the run copied as is */
			break;
		}
		outbuf_put(o, s + run, i - run);
		run = i + 1;
		if (ref) {
			outbuf_puts(o, ref);
		} else {
			x[0] = 'x';
			x[1] = hex[c >> 4];
			x[2] = hex[c & 15];
			outbuf_putc(o, '\\');
			outbuf_put(o, x, 3);
		}
	}
	outbuf_put(o, s + run, i - run);
}

static void put_num(struct outbuf *o, uint64_t v)
{
	char b[NUM_GROUPED_MAX];

	outbuf_put(o, b, num_u64_grouped(b, v));
}

/* A label cut to SVG_LABEL_MAX bytes, "..." marking the cut. */
static void put_label(struct outbuf *o, const char *s)
{
	size_t n = s ? strnlen(s, SVG_LABEL_MAX + 1) : 0;

	if (n > SVG_LABEL_MAX) {
		html_text(o, s, SVG_LABEL_MAX - 3);
		outbuf_puts(o, "...");
	} else {
		html_text(o, s, n);
	}
}

static void put_cls(struct outbuf *o, uint8_t cls)
{
	if (cls <= 5)
		outbuf_printf(o, " class=\"d%u\"", (unsigned)cls);
	else
		outbuf_puts(o, " class=\"bar\"");
}

static void svg_begin(struct outbuf *o, const char *title, unsigned height)
{
	outbuf_printf(o, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
			 "viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"",
		      SVG_W, height);
	html_str(o, title);
	outbuf_puts(o, "\"><title>");
	html_str(o, title);
	outbuf_puts(o, "</title>\n");
}

static void svg_no_data(struct outbuf *o, const char *title)
{
	svg_begin(o, title, 30);
	outbuf_puts(o, "<text class=\"none\" x=\"10\" y=\"20\">no data</text></svg>\n");
}

/* Bar length in [0, w]: at least 1 when v > 0, so a small value shows. */
static unsigned scale(uint64_t v, uint64_t max, unsigned w)
{
	double x;

	if (!v || !max)
		return 0;
	x = (double)v / (double)max * w;
	if (x < 1)
		return 1;
	return x > w ? w : (unsigned)(x + 0.5);
}

void svg_bars(struct outbuf *o, const char *title, const struct svg_bar *b, size_t n)
{
	uint64_t max = 0;

	if (!n) {
		svg_no_data(o, title);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (b[i].value > max)
			max = b[i].value;
	svg_begin(o, title, (unsigned)(n * BAR_ROW + 4));
	for (size_t i = 0; i < n; i++) {
		unsigned y = (unsigned)(i * BAR_ROW), w = scale(b[i].value, max, BAR_MAX_W);
		outbuf_puts(o, "<g><title>");
		html_str(o, b[i].label);
		outbuf_puts(o, ": ");
		put_num(o, b[i].value);
		if (b[i].note) {
			outbuf_puts(o, " (");
			html_str(o, b[i].note);
			outbuf_putc(o, ')');
		}
		outbuf_printf(o, "</title><text x=\"%u\" y=\"%u\" text-anchor=\"end\">", LABEL_W - 6,
			      y + 15);
		put_label(o, b[i].label);
		outbuf_printf(o, "</text><rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"14\"", LABEL_W,
			      y + 4, w);
		put_cls(o, b[i].cls);
		outbuf_printf(o, "/><text class=\"v\" x=\"%u\" y=\"%u\">", LABEL_W + w + 6, y + 15);
		put_num(o, b[i].value);
		if (b[i].note) {
			outbuf_puts(o, "  ");
			put_label(o, b[i].note);
		}
		outbuf_puts(o, "</text></g>\n");
	}
	outbuf_puts(o, "</svg>\n");
}

void svg_timeline(struct outbuf *o, const char *title, const struct svg_row *rows,
		  size_t n_rows, size_t n_buckets, const char *from, const char *to)
{
	double cw;
	unsigned axis;

	if (!n_rows || !n_buckets) {
		svg_no_data(o, title);
		return;
	}
	cw = (double)TL_PLOT_W / (double)n_buckets;
	axis = (unsigned)(n_rows * TL_ROW + 4);
	svg_begin(o, title, axis + 20);
	for (size_t r = 0; r < n_rows; r++) {
		const struct svg_row *row = &rows[r];
		unsigned y = (unsigned)(r * TL_ROW), base = y + TL_BAR_H + 2;
		uint64_t peak = 0, total = 0;

		for (size_t i = 0; i < n_buckets; i++) {
			total = row->v[i] > UINT64_MAX - total ? UINT64_MAX : total + row->v[i];
			if (row->v[i] > peak)
				peak = row->v[i];
		}
		outbuf_puts(o, "<g><title>");
		html_str(o, row->label);
		outbuf_puts(o, ": ");
		put_num(o, total);
		outbuf_puts(o, " events, peak ");
		put_num(o, peak);
		outbuf_printf(o, " per interval</title><text x=\"%u\" y=\"%u\" text-anchor=\"end\">",
			      LABEL_W - 6, y + 17);
		put_label(o, row->label);
		outbuf_printf(o, "</text><line class=\"base\" x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>",
			      LABEL_W, base, LABEL_W + TL_PLOT_W, base);
		for (size_t i = 0; i < n_buckets; i++) {
			unsigned h = scale(row->v[i], peak, TL_BAR_H);
			if (!h)
				continue;
			outbuf_printf(o, "<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%u\"",
				      LABEL_W + cw * (double)i, base - h, cw > 1.5 ? cw - 0.5 : cw, h);
			put_cls(o, row->cls);
			outbuf_puts(o, "/>");
		}
		outbuf_printf(o, "<text class=\"v\" x=\"%u\" y=\"%u\">", LABEL_W + TL_PLOT_W + 6,
			      y + 17);
		put_num(o, peak);
		outbuf_puts(o, "</text></g>\n");
	}
	outbuf_printf(o, "<text class=\"axis\" x=\"%u\" y=\"%u\">", LABEL_W, axis + 14);
	html_str(o, from);
	outbuf_printf(o, "</text><text class=\"axis\" x=\"%u\" y=\"%u\" text-anchor=\"end\">",
		      LABEL_W + TL_PLOT_W, axis + 14);
	html_str(o, to);
	outbuf_printf(o, "</text><text class=\"axis\" x=\"%u\" y=\"%u\">peak</text>\n</svg>\n",
		      LABEL_W + TL_PLOT_W + 6, axis + 14);
}

static unsigned bits(uint64_t v)
{
	unsigned n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

unsigned svg_heat_level(uint64_t v, uint64_t max)
{
	unsigned bv, bm;

	if (!v)
		return 0;
	if (v >= max)
		return 5;
	/* log2 scale: 1 for the smallest values, 5 for the column's maximum */
	bv = bits(v);
	bm = bits(max);
	return 1 + (4 * (bv - 1)) / (bm > 1 ? bm - 1 : 1);
}

void svg_heatmap(struct outbuf *o, const char *title, const char *const *row_labels,
		 size_t rows, const char *const *col_labels, size_t cols, const uint64_t *v)
{
	unsigned cw;

	if (!rows || !cols) {
		svg_no_data(o, title);
		return;
	}
	cw = (unsigned)(HM_PLOT_W / cols);
	if (cw > HM_CELL_W_MAX)
		cw = HM_CELL_W_MAX;
	if (cw < 4)
		cw = 4;
	svg_begin(o, title, (unsigned)(HM_HEAD + rows * HM_CELL_H + 4));
	for (size_t c = 0; c < cols; c++) {
		unsigned x = LABEL_W + (unsigned)c * cw + cw / 2, y = HM_HEAD - 4;
		outbuf_printf(o, "<text class=\"col\" x=\"%u\" y=\"%u\" transform=\"rotate(-60 %u %u)\">",
			      x, y, x, y);
		put_label(o, col_labels[c]);
		outbuf_puts(o, "</text>\n");
	}
	for (size_t r = 0; r < rows; r++) {
		unsigned y = HM_HEAD + (unsigned)r * HM_CELL_H;
		outbuf_printf(o, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">", LABEL_W - 6, y + 13);
		put_label(o, row_labels[r]);
		outbuf_puts(o, "</text>");
		for (size_t c = 0; c < cols; c++) {
			uint64_t max = 0, x = v[r * cols + c];
			for (size_t k = 0; k < rows; k++)
				if (v[k * cols + c] > max)
					max = v[k * cols + c];
			outbuf_printf(o, "<rect class=\"h%u\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\">",
				      svg_heat_level(x, max), LABEL_W + (unsigned)c * cw, y, cw - 1,
				      HM_CELL_H - 1);
			outbuf_puts(o, "<title>");
			html_str(o, row_labels[r]);
			outbuf_puts(o, ", ");
			html_str(o, col_labels[c]);
			outbuf_puts(o, ": ");
			put_num(o, x);
			outbuf_puts(o, "</title></rect>");
		}
		outbuf_putc(o, '\n');
	}
	outbuf_puts(o, "</svg>\n");
}
