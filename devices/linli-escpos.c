/* linli-escpos.c — GS v 0 raster jobs, and their decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-escpos"

#include "linli-escpos.h"

#include <string.h>

G_DEFINE_QUARK (linli_escpos_error_quark, linli_escpos_error)

/* Is pixel @x of @row ink? */
static gboolean
surface_ink (cairo_format_t format, const guint8 *row, int x)
{
  switch (format)
    {
    case CAIRO_FORMAT_A1:
      {
        guint32 word;

        memcpy (&word, row + (x / 32) * 4, sizeof word);
        return G_BYTE_ORDER == G_LITTLE_ENDIAN ? (word >> (x % 32)) & 1
                                               : (word >> (31 - x % 32)) & 1;
      }
    case CAIRO_FORMAT_A8:
      return row[x] >= 128;
    case CAIRO_FORMAT_RGB24:
    case CAIRO_FORMAT_ARGB32:
      {
        guint32 pixel;
        guint alpha, r, g, b, luma;

        memcpy (&pixel, row + x * 4, sizeof pixel);
        alpha = format == CAIRO_FORMAT_ARGB32 ? pixel >> 24 : 255;
        /* Premultiplied over white: white + colour − alpha. */
        r = 255 - alpha + ((pixel >> 16) & 0xFF);
        g = 255 - alpha + ((pixel >> 8) & 0xFF);
        b = 255 - alpha + (pixel & 0xFF);
        luma = (299 * r + 587 * g + 114 * b) / 1000;
        return luma < 128;
      }
    default:
      return FALSE;
    }
}

GBytes *
linli_escpos_encode_raster (cairo_surface_t *surface, gboolean cut)
{
  GByteArray *out;
  cairo_format_t format;
  int width, height, stride;
  const guint8 *data;
  guint row_bytes;
  static const guint8 init[] = { 0x1B, 0x40 };

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE, NULL);
  g_return_val_if_fail (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS, NULL);

  format = cairo_image_surface_get_format (surface);
  g_return_val_if_fail (format == CAIRO_FORMAT_A1 || format == CAIRO_FORMAT_A8
                            || format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32,
                        NULL);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  row_bytes = ((guint) width + 7) / 8;
  g_return_val_if_fail (row_bytes <= 0xFFFF, NULL);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  out = g_byte_array_sized_new (16 + (gsize) row_bytes * (guint) height
                                + 8 * ((guint) height / LINLI_ESCPOS_BAND_ROWS + 1));
  g_byte_array_append (out, init, sizeof init);
  for (int top = 0; top < height; top += LINLI_ESCPOS_BAND_ROWS)
    {
      int rows = MIN (LINLI_ESCPOS_BAND_ROWS, height - top);
      /* GS v 0, m = 0 (normal size), xL xH bytes per row, yL yH rows. */
      guint8 header[] = { 0x1D,
                          0x76,
                          0x30,
                          0x00,
                          (guint8) (row_bytes & 0xFF),
                          (guint8) (row_bytes >> 8),
                          (guint8) (rows & 0xFF),
                          (guint8) (rows >> 8) };
      gsize start;

      g_byte_array_append (out, header, sizeof header);
      start = out->len;
      g_byte_array_set_size (out, start + (gsize) row_bytes * (guint) rows);
      memset (out->data + start, 0, (gsize) row_bytes * (guint) rows);
      for (int y = 0; y < rows; y++)
        {
          const guint8 *row = data + (gsize) (top + y) * (gsize) stride;
          guint8 *dst = out->data + start + (gsize) y * row_bytes;

          for (int x = 0; x < width; x++)
            if (surface_ink (format, row, x))
              dst[x / 8] |= (guint8) (0x80 >> (x % 8));
        }
    }
  {
    /* ESC d n: feed n lines; GS V 1: partial cut. */
    const guint8 feed[] = { 0x1B, 0x64, LINLI_ESCPOS_FEED_LINES };
    const guint8 cut_command[] = { 0x1D, 0x56, 0x01 };

    g_byte_array_append (out, feed, sizeof feed);
    if (cut)
      g_byte_array_append (out, cut_command, sizeof cut_command);
  }
  return g_byte_array_free_to_bytes (out);
}

void
linli_escpos_raster_free (LinliEscposRaster *raster)
{
  if (raster == NULL)
    return;
  g_free (raster->bits);
  g_free (raster);
}

gboolean
linli_escpos_raster_get_pixel (const LinliEscposRaster *raster, guint x, guint y)
{
  g_return_val_if_fail (raster != NULL, FALSE);
  if (x >= raster->width || y >= raster->height)
    return FALSE;
  return (raster->bits[(gsize) y * raster->stride + x / 8] >> (7 - x % 8)) & 1;
}

static gboolean
need (gsize offset, gsize count, gsize length, GError **error)
{
  if (length - offset >= count)
    return TRUE;
  g_set_error (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_TRUNCATED,
               "command at byte %" G_GSIZE_FORMAT " stops after %" G_GSIZE_FORMAT
               " of %" G_GSIZE_FORMAT " bytes",
               offset, length - offset, count);
  return FALSE;
}

LinliEscposRaster *
linli_escpos_decode_raster (const guint8 *data, gsize length, GError **error)
{
  g_autoptr (LinliEscposRaster) raster = g_new0 (LinliEscposRaster, 1);
  g_autoptr (GByteArray) bits = g_byte_array_new ();
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while (i < length)
    {
      guint8 c = data[i];

      if (c == 0x1B)
        {
          if (!need (i, 2, length, error))
            return NULL;
          if (data[i + 1] == 0x40) /* ESC @ */
            {
              i += 2;
              continue;
            }
          if (data[i + 1] == 0x64 || data[i + 1] == 0x4A) /* ESC d n, ESC J n */
            {
              if (!need (i, 3, length, error))
                return NULL;
              if (data[i + 1] == 0x64)
                raster->feed_lines += data[i + 2];
              i += 3;
              continue;
            }
        }
      else if (c == 0x1D)
        {
          if (!need (i, 2, length, error))
            return NULL;
          if (data[i + 1] == 0x56) /* GS V m [n] */
            {
              guint8 m;

              if (!need (i, 3, length, error))
                return NULL;
              m = data[i + 2];
              if (m == 0 || m == 1 || m == 0x30 || m == 0x31)
                i += 3;
              else if (m == 0x41 || m == 0x42)
                {
                  if (!need (i, 4, length, error))
                    return NULL;
                  i += 4;
                }
              else
                {
                  g_set_error (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_UNSUPPORTED,
                               "GS V with mode %u at byte %" G_GSIZE_FORMAT, m, i);
                  return NULL;
                }
              raster->cut = TRUE;
              continue;
            }
          if (data[i + 1] == 0x76) /* GS v 0 m xL xH yL yH d… */
            {
              guint x, y, m;
              gsize size;

              if (!need (i, 8, length, error))
                return NULL;
              m = data[i + 3];
              x = data[i + 4] | (guint) data[i + 5] << 8;
              y = data[i + 6] | (guint) data[i + 7] << 8;
              if (data[i + 2] != 0x30 || (m != 0 && m != 0x30))
                {
                  g_set_error (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_UNSUPPORTED,
                               "GS v with function %u mode %u at byte %" G_GSIZE_FORMAT
                               " (only 0, normal size)",
                               data[i + 2], m, i);
                  return NULL;
                }
              if (x == 0 || y == 0 || x > LINLI_ESCPOS_MAX_WIDTH_BYTES
                  || (raster->bands > 0 && x != raster->stride)
                  || raster->height + y > LINLI_ESCPOS_MAX_HEIGHT)
                {
                  g_set_error (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_MALFORMED,
                               "raster band at byte %" G_GSIZE_FORMAT
                               ": %u bytes × %u rows does not fit the image",
                               i, x, y);
                  return NULL;
                }
              size = (gsize) x * y;
              if (!need (i, 8 + size, length, error))
                return NULL;
              g_byte_array_append (bits, data + i + 8, (guint) size);
              raster->stride = x;
              raster->width = x * 8;
              raster->height += y;
              raster->bands++;
              i += 8 + size;
              continue;
            }
        }
      g_set_error (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_UNSUPPORTED,
                   "unknown command 0x%02X at byte %" G_GSIZE_FORMAT, c, i);
      return NULL;
    }
  if (raster->bands == 0)
    {
      g_set_error_literal (error, LINLI_ESCPOS_ERROR, LINLI_ESCPOS_ERROR_NO_IMAGE,
                           "no raster image in the job");
      return NULL;
    }
  raster->bits = g_byte_array_steal (bits, NULL);
  return g_steal_pointer (&raster);
}
