/* blotter: month-by-month SVG line charts (see svg_chart.h). */
#include "svg_chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 960
#define HEIGHT 480
#define LEFT 80
#define RIGHT 230 /* room for the legend */
#define TOP 50
#define BOTTOM 80

static const char *const palette[BL_CHART_MAX_SERIES] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
};

unsigned bl_month_range(const char *first, const char *last, char (*out)[8], unsigned max)
{
    int y = atoi(first), m = atoi(first + 5);
    int ly = atoi(last), lm = atoi(last + 5);
    unsigned n = 0;
    if (y < 1 || y > 9999 || m < 1 || m > 12)
        return 0;
    while (n < max && y <= 9999 && (y < ly || (y == ly && m <= lm))) {
        snprintf(out[n++], 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return n;
}

static void xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A round step (1, 2 or 5 times a power of ten) giving about 5 ticks. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static void tick_label(char *buf, size_t size, double v)
{
    if (v >= 1e9)
        snprintf(buf, size, "%gB", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, size, "%gM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, size, "%gk", v / 1e3);
    else
        snprintf(buf, size, "%g", v);
}

int bl_svg_timeline(FILE *out, const char *title, const char *y_label,
                    const char *const *months, unsigned n_months,
                    const bl_chart_series *series, unsigned n_series)
{
    if (n_series > BL_CHART_MAX_SERIES)
        n_series = BL_CHART_MAX_SERIES;
    double max = 0;
    for (unsigned s = 0; s < n_series; s++)
        for (unsigned i = 0; i < n_months; i++)
            if (series[s].values[i] > max)
                max = series[s].values[i];
    double step = nice_step(max);
    double top = step * ceil(max / step);
    if (top <= 0)
        top = step;
    const double pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
    double dx = n_months > 1 ? pw / (n_months - 1) : 0;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT);
    fputs("<title>", out);
    xml_text(out, title);
    fputs("</title>\n<text x=\"", out);
    fprintf(out, "%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\">", LEFT);
    xml_text(out, title);
    fputs("</text>\n", out);

    /* y axis: grid lines and round tick labels */
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = TOP + ph - v / top * ph;
        char label[32];
        tick_label(label, sizeof label, v);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT, y, LEFT + pw, y, LEFT - 8, y + 4, label);
    }
    fprintf(out, "<text transform=\"translate(20 %.1f) rotate(-90)\" text-anchor=\"middle\">",
            TOP + ph / 2);
    xml_text(out, y_label);
    fputs("</text>\n", out);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>\n"
                 "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
            LEFT, TOP, LEFT, TOP + ph, LEFT, TOP + ph, LEFT + pw, TOP + ph);

    /* x axis: month labels, thinned to at most about 12 */
    unsigned every = n_months > 12 ? (n_months + 11) / 12 : 1;
    for (unsigned i = 0; i < n_months; i += every) {
        double x = LEFT + (n_months > 1 ? i * dx : pw / 2);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n"
                     "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                     "transform=\"rotate(-40 %.1f %.1f)\">%s</text>\n",
                x, TOP + ph, x, TOP + ph + 5, x, TOP + ph + 18, x, TOP + ph + 18, months[i]);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">month</text>\n",
            LEFT + pw / 2, HEIGHT - 10);

    /* one line with dots per series */
    for (unsigned s = 0; s < n_series; s++) {
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                palette[s]);
        for (unsigned i = 0; i < n_months; i++)
            fprintf(out, "%.1f,%.1f ", LEFT + (n_months > 1 ? i * dx : pw / 2),
                    TOP + ph - series[s].values[i] / top * ph);
        fputs("\"/>\n", out);
        for (unsigned i = 0; i < n_months; i++) {
            if (series[s].values[i] <= 0)
                continue;
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                    LEFT + (n_months > 1 ? i * dx : pw / 2),
                    TOP + ph - series[s].values[i] / top * ph, palette[s]);
            xml_text(out, series[s].name);
            fprintf(out, ", %s: %g</title></circle>\n", months[i], series[s].values[i]);
        }
    }

    /* legend */
    for (unsigned s = 0; s < n_series; s++) {
        double y = TOP + 10 + s * 22;
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n"
                     "<text x=\"%.1f\" y=\"%.1f\">",
                LEFT + pw + 20, y - 11, palette[s], LEFT + pw + 40, y);
        xml_text(out, series[s].name);
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}
