/* linli-escpos.h — ESC/POS raster jobs for thermal printers without a driver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The encoder turns a rendered receipt (linli_receipt_render_raster()) into
 * the bytes of a raw job: ESC @, the image as GS v 0 bands, a feed, and a
 * cut (PROTOCOLS.md §5). The decoder reads such a job back into an image; it
 * is used by the tests and the ESC/POS rig, and treats its input as hostile
 * (tests/fuzz/fuzz-escpos-raster.c).
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_ESCPOS_ERROR (linli_escpos_error_quark ())
GQuark linli_escpos_error_quark (void);

typedef enum
{
  LINLI_ESCPOS_ERROR_TRUNCATED,   /* a command stops before its end */
  LINLI_ESCPOS_ERROR_UNSUPPORTED, /* a command the decoder does not know */
  LINLI_ESCPOS_ERROR_MALFORMED,   /* bands of different widths, an empty band, too large */
  LINLI_ESCPOS_ERROR_NO_IMAGE,    /* no raster band at all */
} LinliEscposError;

/* Rows per GS v 0 band: small enough for the receive buffer of cheap
 * printers [inf: common practice in drivers, not a documented limit]. */
#define LINLI_ESCPOS_BAND_ROWS 128
/* Lines fed before the cut, to bring the last printed row past the cutter. */
#define LINLI_ESCPOS_FEED_LINES 5
/* The decoder's limits: 2048 dots wide, 200 000 rows. */
#define LINLI_ESCPOS_MAX_WIDTH_BYTES 256
#define LINLI_ESCPOS_MAX_HEIGHT      200000

/* @surface: CAIRO_FORMAT_A1 (a set bit is ink), A8 (alpha ≥ 128 is ink),
 * RGB24 or ARGB32 (dark over white is ink). The width is padded to a
 * multiple of 8 with blank dots. With @cut, a partial cut ends the job. */
GBytes *linli_escpos_encode_raster (cairo_surface_t *surface, gboolean cut);

typedef struct
{
  guint width;  /* dots, a multiple of 8 */
  guint height; /* dot rows, all bands together */
  gsize stride; /* bytes per row: width / 8 */
  guint8 *bits; /* MSB first, 1 = black */
  guint bands;
  guint feed_lines; /* ESC d after the image */
  gboolean cut;
} LinliEscposRaster;

LinliEscposRaster *linli_escpos_decode_raster (const guint8 *data, gsize length, GError **error);
void linli_escpos_raster_free (LinliEscposRaster *raster);
gboolean linli_escpos_raster_get_pixel (const LinliEscposRaster *raster, guint x, guint y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliEscposRaster, linli_escpos_raster_free)

G_END_DECLS
