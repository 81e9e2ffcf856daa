/* bench-document.c — capture to processed page: linli_document_process()
 * on a camera picture of a rotated page of text, at 5 MP (2592×1944) and
 * at 1920×1080, median and max of 10 runs after one warm-up, and the
 * PDF assembly of the pages. Prints figures; fails only when processing
 * fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "linli-document-pages.h"
#include "linli-document.h"
#include "test-document-fixture.h"

#define RUNS 10

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static GBytes *
bench (const char *label, int page_w, int page_h, int width, int height)
{
  g_autoptr (GBytes) input = fixture_document_jpeg (page_w, page_h, 7.0, width, height);
  double ms[RUNS];
  LinliDocumentReport report = { 0 };
  GBytes *output = NULL;

  for (int i = -1; i < RUNS; i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&output, g_bytes_unref);
      output = linli_document_process (input, &report, &error);
      if (output == NULL)
        g_error ("%s: %s", label, error->message);
      if (i >= 0)
        ms[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (ms, RUNS, sizeof ms[0], compare_doubles);
  g_print ("%-10s %4d×%-4d JPEG %7zu B → page %4d×%-4d %7zu B, skew %+.2f°: "
           "median %6.1f ms, max %6.1f ms\n",
           label, width, height, g_bytes_get_size (input), report.width, report.height,
           report.bytes, report.skew_degrees, ms[RUNS / 2], ms[RUNS - 1]);
  return output;
}

int
main (void)
{
  g_autoptr (LinliDocumentPages) pages = linli_document_pages_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  gint64 start;

  g_print ("capture → processed page (%d runs, one thread):\n", RUNS);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (GBytes) big = bench ("5 MP", 1200, 1650, 2592, 1944);
      g_autoptr (GBytes) small = bench ("1080p", 700, 960, 1920, 1080);
      g_autoptr (LinliDocumentPage) a = linli_document_page_new (big, &error);
      g_autoptr (LinliDocumentPage) b = linli_document_page_new (small, &error);

      g_assert_no_error (error);
      linli_document_pages_append (pages, a);
      linli_document_pages_append (pages, b);
    }
  start = g_get_monotonic_time ();
  pdf = linli_document_pages_to_pdf (pages, 0, &error);
  g_assert_no_error (error);
  g_print ("PDF of 4 pages: %zu B in %.1f ms\n", g_bytes_get_size (pdf),
           (g_get_monotonic_time () - start) / 1000.0);
  return 0;
}
