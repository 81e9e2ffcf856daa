/* bench-receipt.c: render time of every receipt template, as PDF and as
 * the 576-dot thermal raster (+ ESC/POS encoding), median and max over 50
 * renders after one warm-up (font loading). Budget: < 50 ms a receipt
 * (DESIGN.md). Prints figures; fails only when a render fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "linli-escpos.h"
#include "linli-receipt.h"
#include "test-receipt-samples.h"

#define RUNS 50

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static LinliReceipt *
sample_receipt (const ReceiptSample *sample)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new (sample->template_name, &error);

  if (receipt == NULL)
    g_error ("%s: %s", sample->template_name, error->message);
  for (guint i = 0; i < G_N_ELEMENTS (sample->fields) && sample->fields[i].key != NULL; i++)
    if (!linli_receipt_set (receipt, sample->fields[i].key, sample->fields[i].value, &error))
      g_error ("%s: %s", sample->template_name, error->message);
  return g_steal_pointer (&receipt);
}

/* One render in ms; @raster: raster + ESC/POS instead of PDF. */
static double
render_once (LinliReceipt *receipt, gboolean raster, gsize *size)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (raster)
    {
      cairo_surface_t *surface = linli_receipt_render_raster (receipt, 576, &error);
      g_autoptr (GBytes) job = NULL;

      if (surface == NULL)
        g_error ("%s", error->message);
      job = linli_escpos_encode_raster (surface, TRUE);
      *size = g_bytes_get_size (job);
      cairo_surface_destroy (surface);
    }
  else
    {
      g_autoptr (GBytes) pdf = linli_receipt_render_pdf (receipt, &error);

      if (pdf == NULL)
        g_error ("%s", error->message);
      *size = g_bytes_get_size (pdf);
    }
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

int
main (void)
{
  g_print ("%-20s %-12s %9s %9s %9s\n", "template", "output", "median", "max", "bytes");
  for (guint i = 0; i < G_N_ELEMENTS (receipt_samples); i++)
    {
      g_autoptr (LinliReceipt) receipt = sample_receipt (&receipt_samples[i]);

      for (int raster = 0; raster < 2; raster++)
        {
          double times[RUNS];
          gsize size = 0;

          render_once (receipt, raster, &size);
          for (int r = 0; r < RUNS; r++)
            times[r] = render_once (receipt, raster, &size);
          qsort (times, RUNS, sizeof times[0], compare_doubles);
          g_print ("%-20s %-12s %6.2f ms %6.2f ms %9" G_GSIZE_FORMAT "%s\n",
                   receipt_samples[i].template_name, raster ? "escpos-576" : "pdf",
                   (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2, times[RUNS - 1], size,
                   (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2 < 50 ? "" : "  over budget");
        }
    }
  return 0;
}
