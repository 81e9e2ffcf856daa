/* linli-document.h — a camera picture of a page made into a legible page image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document camera (高拍仪) gives a JPEG of the whole capture area: a
 * light page somewhere on a darker surface, rotated by however the resident
 * put it down. linli_document_process() finds the page, measures and
 * corrects its skew, crops the surface away, evens out the lighting,
 * sharpens, and gives the page back as a JPEG. All image work is Leptonica's
 * (see docs/document-capture.md for the steps and their parameters).
 *
 * The pictures are personal data: nothing is written to disk or logged, and
 * every pixel buffer Leptonica frees is zeroed first. Error messages are for
 * maintainers (English); screens choose their words by the error code.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_DOCUMENT_ERROR (linli_document_error_quark ())
GQuark linli_document_error_quark (void);

typedef enum
{
  LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE, /* empty, not a JPEG, damaged or truncated */
  LINLI_DOCUMENT_ERROR_NO_PAGE,      /* no document found in the picture: place the page again */
  LINLI_DOCUMENT_ERROR_TOO_LARGE,    /* a picture or a document over the limits below */
  LINLI_DOCUMENT_ERROR_FAILED,       /* Leptonica or cairo failed (out of memory) */
} LinliDocumentError;

/* Limits on the input, checked on the JPEG header before anything is
 * decoded, so that a small file claiming a huge picture costs nothing. */
#define LINLI_DOCUMENT_MAX_INPUT_BYTES (64u * 1024u * 1024u)
#define LINLI_DOCUMENT_MAX_PIXELS      25000000u /* 25 MP */
#define LINLI_DOCUMENT_MAX_SIDE        10000
#define LINLI_DOCUMENT_MIN_SIDE        64
/* Skew searched for, ± degrees. */
#define LINLI_DOCUMENT_MAX_SKEW 15.0
/* Output: JPEG quality, and the longest side (A4 at 300 dpi). */
#define LINLI_DOCUMENT_JPEG_QUALITY    85
#define LINLI_DOCUMENT_MAX_OUTPUT_SIDE 3508

/* What one linli_document_process() found and did. */
typedef struct
{
  int input_width, input_height;
  /* The page's bounding box in the input picture, before deskewing. */
  int page_x, page_y, page_width, page_height;
  /* The skew measured and corrected, in degrees (Leptonica's sign:
   * positive when the page lies turned counter-clockwise, its lines rising
   * to the right; the correction turns it clockwise), and Leptonica's
   * confidence in it. When the
   * text gives no confident angle the page's own edges are used
   * (skew_from_edges); when neither does, the page is left as it is. */
  double skew_degrees;
  double skew_confidence;
  gboolean skew_from_edges;
  int width, height; /* the output's size in pixels */
  gsize bytes;       /* the output JPEG's size */
  gint64 elapsed_us; /* decode to encode, wall-clock */
} LinliDocumentReport;

GBytes *linli_document_process (GBytes *jpeg, LinliDocumentReport *report, GError **error);

/* The same on a worker thread; @cancellable is checked between the steps. */
void linli_document_process_async (GBytes *jpeg,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
GBytes *linli_document_process_finish (GAsyncResult *result,
                                       LinliDocumentReport *report,
                                       GError **error);

/* A small JPEG of @jpeg whose longest side is at most @max_side, for review
 * screens; the size of @jpeg itself in @width and @height. */
GBytes *linli_document_thumbnail (GBytes *jpeg,
                                  int max_side,
                                  int *width,
                                  int *height,
                                  int *thumb_width,
                                  int *thumb_height,
                                  GError **error);

/* Bytes whose memory is zeroed when the last reference goes; the document
 * modules return only such bytes. @data is copied. */
GBytes *linli_document_bytes_new_wiped (gconstpointer data, gsize size);
/* Zeroes @bytes now, even while other references remain: only for bytes
 * made by this module (linli_document_bytes_new_wiped() or returned by the
 * functions above), at the end of a session. */
void linli_document_bytes_wipe (GBytes *bytes);

G_END_DECLS
