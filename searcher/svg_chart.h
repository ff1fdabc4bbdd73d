/* blotter: a month-by-month line chart as a standalone SVG file.
 *
 * Meant to be read at a glance: a title, a y axis with round tick values and
 * its label, a month axis (every month present, gaps at zero, labels thinned
 * to fit), one coloured line with dots per series, and a legend. No scripts,
 * no external fonts or styles, so it opens the same in any browser.
 */
#ifndef BL_SVG_CHART_H
#define BL_SVG_CHART_H

#include <stdio.h>

typedef struct bl_chart_series {
    const char *name;
    const double *values; /* one per month of the chart */
} bl_chart_series;

#define BL_CHART_MAX_SERIES 8

/* months: n_months consecutive "YYYY-MM" labels. Returns non-zero on a
 * write error. */
int bl_svg_timeline(FILE *out, const char *title, const char *y_label,
                    const char *const *months, unsigned n_months,
                    const bl_chart_series *series, unsigned n_series);

/* Fills out with every month from first to last inclusive ("YYYY-MM");
 * returns how many (at most max). */
unsigned bl_month_range(const char *first, const char *last, char (*out)[8], unsigned max);

#endif
