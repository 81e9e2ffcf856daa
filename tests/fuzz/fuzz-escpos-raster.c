/* fuzz-escpos-raster.c: arbitrary bytes into the ESC/POS raster decoder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decoded image must be consistent (width = 8 × stride, every pixel
 * readable), and encoding it again and decoding that must give the same
 * dots: the encoder and the decoder agree on bit order and banding.
 * Nothing may crash, leak or read outside its buffer. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "linli-escpos.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
round_trip (const LinliEscposRaster *raster)
{
  cairo_surface_t *surface
      = cairo_image_surface_create (CAIRO_FORMAT_A8, (int) raster->width, (int) raster->height);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *pixels;
  g_autoptr (GBytes) job = NULL;
  g_autoptr (LinliEscposRaster) again = NULL;
  g_autoptr (GError) error = NULL;

  g_assert (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  for (guint y = 0; y < raster->height; y++)
    for (guint x = 0; x < raster->width; x++)
      pixels[(gsize) y * (gsize) stride + x]
          = linli_escpos_raster_get_pixel (raster, x, y) ? 255 : 0;
  cairo_surface_mark_dirty (surface);

  job = linli_escpos_encode_raster (surface, raster->cut);
  cairo_surface_destroy (surface);
  g_assert (job != NULL);
  again = linli_escpos_decode_raster (g_bytes_get_data (job, NULL), g_bytes_get_size (job), &error);
  g_assert (again != NULL && error == NULL);
  g_assert (again->width == raster->width && again->height == raster->height);
  g_assert (again->cut == raster->cut);
  g_assert (memcmp (again->bits, raster->bits, raster->stride * raster->height) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliEscposRaster) raster = linli_escpos_decode_raster (data, size, &error);

  if (raster == NULL)
    {
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  g_assert (raster->width > 0 && raster->width == raster->stride * 8);
  g_assert (raster->height > 0 && raster->height <= LINLI_ESCPOS_MAX_HEIGHT);
  g_assert (raster->stride * raster->height <= size);
  g_assert (!linli_escpos_raster_get_pixel (raster, raster->width, 0));
  (void) linli_escpos_raster_get_pixel (raster, raster->width - 1, raster->height - 1);
  round_trip (raster);
  return 0;
}
