/* linli-document.c — page finding, deskewing and enhancement with Leptonica
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps (docs/document-capture.md):
 *  1. the JPEG header is checked against the limits, then decoded;
 *  2. find the page: on a grey copy scaled to ANALYSIS_SIDE, Otsu's split
 *     of the histogram separates paper from the surface, and the largest
 *     light connected component, holes (the text) filled, is the page;
 *  3. skew: inside the page (the surface painted white), the background is
 *     normalised, binarised, and Leptonica's sweep-and-search finds the
 *     angle of the text lines over ±LINLI_DOCUMENT_MAX_SKEW; a page without
 *     text gets the angle of its edges instead;
 *  4. the page's bounding box is rotated by that angle (black brought in),
 *     the page found again — now upright — and cropped, a small inset
 *     taking off the edge's blur;
 *  5. enhance: background normalisation, a tone curve that makes the paper
 *     white, an unsharp mask; colour is kept (red seals matter);
 *  6. JPEG at LINLI_DOCUMENT_JPEG_QUALITY.
 */
#define G_LOG_DOMAIN "linli-document"

#include "linli-document.h"

#include <leptonica/allheaders.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (linli_document_error_quark, linli_document_error)

/* Page finding works on a copy whose longest side is this many pixels. */
#define ANALYSIS_SIDE 800
/* Otsu's two classes must differ by this many grey levels, and the light
 * one be at least this light, for a page to be there at all. */
#define MIN_CONTRAST   40.0
#define MIN_PAPER_GREY 96.0
/* Each of Otsu's classes holds at least this fraction of the picture. */
#define MIN_CLASS_FRACTION 0.002
/* The page covers at least this fraction of the picture. */
#define MIN_PAGE_FRACTION 0.05
/* Leptonica's skew confidence below which an angle is not trusted. */
#define MIN_SKEW_CONFIDENCE 2.5
/* No real camera JPEG packs more pixels than this into a byte: a header
 * claiming more is a damaged or hostile file (and would make Leptonica
 * allocate for pixels that are not there). */
#define MAX_PIXELS_PER_BYTE 2000
/* Above this many pixels the JPEG is decoded at half size (or less). */
#define MAX_DECODE_PIXELS 13000000

static void
pix_unref (PIX *pix)
{
  pixDestroy (&pix);
}

static void
box_unref (BOX *box)
{
  boxDestroy (&box);
}

static void
boxa_unref (BOXA *boxa)
{
  boxaDestroy (&boxa);
}

static void
pixa_unref (PIXA *pixa)
{
  pixaDestroy (&pixa);
}

static void
numa_unref (NUMA *numa)
{
  numaDestroy (&numa);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, pix_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOX, box_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOXA, boxa_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIXA, pixa_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NUMA, numa_unref)

/* Every pixel buffer Leptonica frees (ours and its own temporaries) held
 * part of a document: zero it first. */
static void
wiping_free (void *data)
{
  if (data != NULL)
    explicit_bzero (data, malloc_usable_size (data));
  free (data);
}

/* Leptonica's messages name its functions and their arguments, never
 * pixel content: debug messages. */
static void
leptonica_message (const char *text)
{
  g_autofree char *line = g_strchomp (g_strdup (text));

  g_debug ("leptonica: %s", line);
}

static void
ensure_leptonica (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      setPixMemoryManager (NULL, wiping_free);
      leptSetStderrHandler (leptonica_message);
      setMsgSeverity (L_SEVERITY_WARNING);
      g_once_init_leave (&done, 1);
    }
}

static void
wipe_and_free (gpointer data)
{
  wiping_free (data);
}

GBytes *
linli_document_bytes_new_wiped (gconstpointer data, gsize size)
{
  /* malloc, not g_malloc: wiping_free() asks malloc for the size. */
  void *copy = malloc (MAX (size, 1));

  if (copy == NULL)
    g_error ("out of memory");
  if (size > 0)
    memcpy (copy, data, size);
  return g_bytes_new_with_free_func (copy, size, wipe_and_free, copy);
}

void
linli_document_bytes_wipe (GBytes *bytes)
{
  gsize size = 0;
  gconstpointer data;

  g_return_if_fail (bytes != NULL);
  data = g_bytes_get_data (bytes, &size);
  if (data != NULL && size > 0)
    explicit_bzero ((void *) data, size);
}

/* Takes Leptonica's output buffer (malloc'd) into bytes that wipe it. */
static GBytes *
bytes_take_lept (l_uint8 *data, size_t size)
{
  return g_bytes_new_with_free_func (data, size, wipe_and_free, data);
}

/* ---- input checks ---- */

static PIX *
decode_checked (GBytes *jpeg, LinliDocumentReport *report, GError **error)
{
  gsize size = 0;
  const l_uint8 *data = g_bytes_get_data (jpeg, &size);
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0, nwarn = 0;
  l_int32 reduction = 1;
  guint64 pixels;
  g_autoptr (PIX) pix = NULL;

  if (size == 0)
    {
      g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE,
                           "the picture is empty");
      return NULL;
    }
  if (size > LINLI_DOCUMENT_MAX_INPUT_BYTES)
    {
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_TOO_LARGE,
                   "the picture is %" G_GSIZE_FORMAT " bytes, over the limit of %u", size,
                   LINLI_DOCUMENT_MAX_INPUT_BYTES);
      return NULL;
    }
  /* findFileFormatBuffer() needs 12 bytes to look at. */
  if (size < 12 || pixReadHeaderMem (data, size, &format, &w, &h, &bps, &spp, &iscmap) != 0
      || format != IFF_JFIF_JPEG)
    {
      g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE,
                           "the picture is not a JPEG image");
      return NULL;
    }
  if (w < LINLI_DOCUMENT_MIN_SIDE || h < LINLI_DOCUMENT_MIN_SIDE)
    {
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE,
                   "no document found in the picture (%d×%d pixels is too small)", w, h);
      return NULL;
    }
  pixels = (guint64) w * (guint64) h;
  if (w > LINLI_DOCUMENT_MAX_SIDE || h > LINLI_DOCUMENT_MAX_SIDE
      || pixels > LINLI_DOCUMENT_MAX_PIXELS)
    {
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_TOO_LARGE,
                   "the picture is %d×%d pixels, over the limit of %u pixels (%d a side)", w, h,
                   LINLI_DOCUMENT_MAX_PIXELS, LINLI_DOCUMENT_MAX_SIDE);
      return NULL;
    }
  if (pixels > (guint64) size * MAX_PIXELS_PER_BYTE)
    {
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE,
                   "the JPEG claims %d×%d pixels in only %" G_GSIZE_FORMAT
                   " bytes: damaged or truncated",
                   w, h, size);
      return NULL;
    }
  while (pixels / ((guint64) reduction * reduction) > MAX_DECODE_PIXELS)
    reduction *= 2;

  pix = pixReadMemJpeg (data, size, 0, reduction, &nwarn, 0);
  /* libjpeg warns (and fills in grey) when data is missing or corrupt:
   * such a picture is refused rather than processed half grey. */
  if (pix == NULL || nwarn > 0)
    {
      g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE,
                           "the JPEG is damaged or truncated");
      return NULL;
    }
  if (pixGetDepth (pix) != 8 && pixGetDepth (pix) != 32)
    {
      PIX *converted = pixConvertTo32 (pix);

      pixDestroy (&pix);
      pix = converted;
      if (pix == NULL)
        {
          g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED,
                               "could not convert the picture");
          return NULL;
        }
    }
  report->input_width = w;
  report->input_height = h;
  return g_steal_pointer (&pix);
}

/* ---- page finding ---- */

typedef struct
{
  /* The page's bounding box in the picture's pixels. */
  int x, y, w, h;
  /* The page, holes filled, 1 bpp, at @scale of the picture. */
  PIX *mask;
  float scale;
} Page;

static void
page_clear (Page *page)
{
  pixDestroy (&page->mask);
}

/* Finds the largest light region of @grey (8 bpp) that stands out from a
 * darker surround. FALSE when there is none. */
static gboolean
find_page (PIX *grey, Page *page)
{
  int w = pixGetWidth (grey), h = pixGetHeight (grey);
  float scale = MIN (1.0f, (float) ANALYSIS_SIDE / (float) MAX (w, h));
  g_autoptr (PIX) small = NULL;
  g_autoptr (PIX) light = NULL;
  g_autoptr (PIX) opened = NULL;
  g_autoptr (NUMA) histogram = NULL;
  g_autoptr (BOXA) boxes = NULL;
  g_autoptr (PIXA) components = NULL;
  g_autoptr (PIX) component = NULL;
  g_autoptr (PIX) holes = NULL;
  l_int32 split = 0, best = -1, best_count = 0, bx, by, bw, bh, sw, sh;
  l_float32 dark_mean = 0, light_mean = 0, dark_count = 0, light_count = 0;
  l_int32 *table = NULL;

  memset (page, 0, sizeof *page);
  small = scale < 1.0f ? pixScaleAreaMap (grey, scale, scale) : pixCopy (NULL, grey);
  if (small == NULL)
    return FALSE;
  sw = pixGetWidth (small);
  sh = pixGetHeight (small);
  histogram = pixGetGrayHistogram (small, 1);
  if (histogram == NULL
      || numaSplitDistribution (histogram, 0.1f, &split, &dark_mean, &light_mean, &dark_count,
                                &light_count, NULL)
             != 0)
    return FALSE;
  g_debug ("grey classes %.0f and %.0f, split at %d", dark_mean, light_mean, split);
  /* One grey all over (an empty or a covered camera) has no second class:
   * each must hold a real share of the picture. */
  if (dark_count < MIN_CLASS_FRACTION * (double) sw * (double) sh
      || light_count < MIN_CLASS_FRACTION * (double) sw * (double) sh)
    return FALSE;
  if (light_mean - dark_mean < MIN_CONTRAST || light_mean < MIN_PAPER_GREY)
    return FALSE;

  /* pixThresholdToBinary() sets pixels below the threshold: the dark. */
  light = pixThresholdToBinary (small, split + 1);
  if (light == NULL)
    return FALSE;
  pixInvert (light, light);
  /* Cut thin light bridges (reflections, a light cable) between the page
   * and the rest, and light specks of noise. */
  opened = pixOpenBrick (NULL, light, 5, 5);
  if (opened == NULL)
    return FALSE;
  boxes = pixConnComp (opened, &components, 4);
  if (boxes == NULL || components == NULL)
    return FALSE;
  table = makePixelSumTab8 ();
  for (l_int32 i = 0; i < pixaGetCount (components); i++)
    {
      g_autoptr (PIX) piece = pixaGetPix (components, i, L_CLONE);
      l_int32 count = 0;

      if (piece != NULL && pixCountPixels (piece, &count, table) == 0 && count > best_count)
        {
          best = i;
          best_count = count;
        }
    }
  free (table);
  if (best < 0 || best_count < MIN_PAGE_FRACTION * (double) sw * (double) sh)
    return FALSE;

  component = pixaGetPix (components, best, L_CLONE);
  boxaGetBoxGeometry (boxes, best, &bx, &by, &bw, &bh);
  holes = pixHolesByFilling (component, 8);
  if (holes == NULL)
    return FALSE;
  page->mask = pixCreate (sw, sh, 1);
  if (page->mask == NULL)
    return FALSE;
  pixRasterop (page->mask, bx, by, bw, bh, PIX_SRC, component, 0, 0);
  pixRasterop (page->mask, bx, by, bw, bh, PIX_PAINT, holes, 0, 0);
  page->scale = scale;
  page->x = CLAMP ((int) floorf ((float) bx / scale), 0, w - 1);
  page->y = CLAMP ((int) floorf ((float) by / scale), 0, h - 1);
  page->w = CLAMP ((int) ceilf ((float) (bx + bw) / scale), page->x + 1, w) - page->x;
  page->h = CLAMP ((int) ceilf ((float) (by + bh) / scale), page->y + 1, h) - page->y;
  return TRUE;
}

/* ---- skew ---- */

/* The skew of the text on the page: @grey is the page's bounding box,
 * @mask the page at @page->scale over the whole picture. */
static gboolean
measure_text_skew (PIX *grey, const Page *page, float *angle, float *confidence)
{
  int w = pixGetWidth (grey), h = pixGetHeight (grey);
  g_autoptr (BOX) mask_box = NULL;
  g_autoptr (PIX) mask_part = NULL;
  g_autoptr (PIX) eroded = NULL;
  g_autoptr (PIX) surround = NULL;
  g_autoptr (PIX) whitened = NULL;
  g_autoptr (PIX) normalised = NULL;
  g_autoptr (PIX) binary = NULL;

  /* The surface around a tilted page would read as ink: paint it white,
   * with the page's edge (a little eroded) as the boundary. */
  mask_box = boxCreate ((l_int32) floorf ((float) page->x * page->scale),
                        (l_int32) floorf ((float) page->y * page->scale),
                        MAX (1, (l_int32) ceilf ((float) page->w * page->scale)),
                        MAX (1, (l_int32) ceilf ((float) page->h * page->scale)));
  mask_part = pixClipRectangle (page->mask, mask_box, NULL);
  if (mask_part == NULL)
    return FALSE;
  eroded = pixErodeBrick (NULL, mask_part, 3, 3);
  if (eroded == NULL)
    return FALSE;
  pixInvert (eroded, eroded);
  surround = pixScaleToSize (eroded, w, h);
  whitened = pixCopy (NULL, grey);
  if (surround == NULL || whitened == NULL)
    return FALSE;
  pixPaintThroughMask (whitened, surround, 0, 0, 255);

  normalised = pixBackgroundNormSimple (whitened, NULL, NULL);
  if (normalised == NULL)
    return FALSE;
  binary = pixThresholdToBinary (normalised, 130);
  if (binary == NULL)
    return FALSE;
  /* Sweep at 1/4 size in 1° steps over the whole range, then refine by
   * binary search at 1/2 size down to 0.01°. */
  if (pixFindSkewSweepAndSearch (binary, angle, confidence, 4, 2, LINLI_DOCUMENT_MAX_SKEW + 1.0f,
                                 1.0f, 0.01f)
      != 0)
    return FALSE;
  return *confidence >= MIN_SKEW_CONFIDENCE && fabsf (*angle) <= LINLI_DOCUMENT_MAX_SKEW;
}

/* The skew of the page's edges: the same search on the outline of the
 * page's mask, whose top and bottom edges are lines like text lines. */
static gboolean
measure_edge_skew (const Page *page, float *angle, float *confidence)
{
  g_autoptr (PIX) outline = pixExtractBoundary (page->mask, 1);

  if (outline == NULL)
    return FALSE;
  if (pixFindSkewSweepAndSearch (outline, angle, confidence, 1, 1, LINLI_DOCUMENT_MAX_SKEW + 1.0f,
                                 1.0f, 0.01f)
      != 0)
    return FALSE;
  return *confidence >= MIN_SKEW_CONFIDENCE && fabsf (*angle) <= LINLI_DOCUMENT_MAX_SKEW;
}

/* ---- the pipeline ---- */

static gboolean
cancelled (GCancellable *cancellable, GError **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
no_page (GError **error)
{
  g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE,
                       "no document found in the picture");
  return FALSE;
}

static gboolean
failed (GError **error, const char *step)
{
  g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED,
               "document processing failed: %s", step);
  return FALSE;
}

/* The upright, cropped page of @frame (8 or 32 bpp). */
static PIX *
upright_page (PIX *frame, LinliDocumentReport *report, GCancellable *cancellable, GError **error)
{
  g_autoptr (PIX) grey = pixConvertTo8 (frame, 0);
  g_autoptr (BOX) box = NULL;
  g_autoptr (PIX) grey_crop = NULL;
  g_autoptr (PIX) crop = NULL;
  g_autoptr (PIX) rotated = NULL;
  g_autoptr (PIX) rotated_grey = NULL;
  g_autoptr (BOX) final_box = NULL;
  Page page, again;
  float angle = 0.0f, confidence = 0.0f;
  float input_scale = (float) report->input_width / (float) pixGetWidth (frame);
  int inset_x, inset_y;

  if (grey == NULL)
    return failed (error, "grey conversion"), NULL;
  if (!find_page (grey, &page))
    return no_page (error), NULL;
  report->page_x = (int) lroundf ((float) page.x * input_scale);
  report->page_y = (int) lroundf ((float) page.y * input_scale);
  report->page_width = (int) lroundf ((float) page.w * input_scale);
  report->page_height = (int) lroundf ((float) page.h * input_scale);

  box = boxCreate (page.x, page.y, page.w, page.h);
  grey_crop = pixClipRectangle (grey, box, NULL);
  crop = pixClipRectangle (frame, box, NULL);
  if (grey_crop == NULL || crop == NULL)
    return page_clear (&page), failed (error, "crop"), NULL;
  g_clear_pointer (&grey, pix_unref);
  if (cancelled (cancellable, error))
    return page_clear (&page), NULL;

  if (measure_text_skew (grey_crop, &page, &angle, &confidence))
    report->skew_from_edges = FALSE;
  else if (measure_edge_skew (&page, &angle, &confidence))
    report->skew_from_edges = TRUE;
  else
    angle = 0.0f;
  page_clear (&page);
  g_clear_pointer (&grey_crop, pix_unref);
  report->skew_degrees = angle;
  report->skew_confidence = confidence;
  g_debug ("skew %.2f° (confidence %.1f%s)", angle, confidence,
           report->skew_from_edges ? ", from the edges" : "");
  if (cancelled (cancellable, error))
    return NULL;

  /* Black brought in at the corners: it belongs to the surround when the
   * page is found again. */
  if (fabsf (angle) >= 0.05f)
    rotated = pixRotate (crop, angle * (float) (G_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_BLACK,
                         0, 0);
  else
    rotated = pixClone (crop);
  g_clear_pointer (&crop, pix_unref);
  if (rotated == NULL)
    return failed (error, "rotation"), NULL;
  if (cancelled (cancellable, error))
    return NULL;

  rotated_grey = pixConvertTo8 (rotated, 0);
  if (rotated_grey == NULL)
    return failed (error, "grey conversion"), NULL;
  /* A page that was upright to begin with was cropped to its edges
   * already: nothing darker is left around it, and that is fine. */
  if (!find_page (rotated_grey, &again))
    {
      again.x = again.y = 0;
      again.w = pixGetWidth (rotated_grey);
      again.h = pixGetHeight (rotated_grey);
      again.scale = MIN (1.0f, (float) ANALYSIS_SIDE / (float) MAX (again.w, again.h));
    }
  page_clear (&again);
  /* The edge is blurred over a few pixels (and the mask is coarse by
   * 1/scale): take off a little more than that. */
  inset_x = (int) ceilf (2.0f / again.scale) + again.w / 200;
  inset_y = (int) ceilf (2.0f / again.scale) + again.h / 200;
  if (again.w <= 4 * inset_x || again.h <= 4 * inset_y)
    return no_page (error), NULL;
  final_box = boxCreate (again.x + inset_x, again.y + inset_y, again.w - 2 * inset_x,
                         again.h - 2 * inset_y);
  return pixClipRectangle (rotated, final_box, NULL);
}

/* Even lighting, white paper, crisp strokes. */
static PIX *
enhance (PIX *page)
{
  g_autoptr (PIX) normalised = pixBackgroundNormSimple (page, NULL, NULL);
  g_autoptr (PIX) toned = NULL;

  if (normalised == NULL)
    return NULL;
  /* The normalised paper is at 200: map [40, 200] onto [0, 255]. */
  toned = pixGammaTRC (NULL, normalised, 1.0f, 40, 200);
  if (toned == NULL)
    return NULL;
  return pixUnsharpMasking (toned, 1, 0.3f);
}

static GBytes *
process (GBytes *jpeg, LinliDocumentReport *report, GCancellable *cancellable, GError **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (PIX) frame = NULL;
  g_autoptr (PIX) page = NULL;
  g_autoptr (PIX) enhanced = NULL;
  l_uint8 *data = NULL;
  size_t size = 0;
  int longest;
  GBytes *bytes;

  ensure_leptonica ();
  memset (report, 0, sizeof *report);
  if (cancelled (cancellable, error))
    return NULL;
  frame = decode_checked (jpeg, report, error);
  if (frame == NULL)
    return NULL;
  if (cancelled (cancellable, error))
    return NULL;

  page = upright_page (frame, report, cancellable, error);
  if (page == NULL)
    return NULL;
  g_clear_pointer (&frame, pix_unref);
  if (cancelled (cancellable, error))
    return NULL;

  longest = MAX (pixGetWidth (page), pixGetHeight (page));
  if (longest > LINLI_DOCUMENT_MAX_OUTPUT_SIDE)
    {
      float factor = (float) LINLI_DOCUMENT_MAX_OUTPUT_SIDE / (float) longest;
      PIX *scaled = pixScale (page, factor, factor);

      if (scaled == NULL)
        return failed (error, "scaling"), NULL;
      pixDestroy (&page);
      page = scaled;
    }
  enhanced = enhance (page);
  if (enhanced == NULL)
    return failed (error, "enhancement"), NULL;
  g_clear_pointer (&page, pix_unref);
  if (cancelled (cancellable, error))
    return NULL;

  if (pixWriteMemJpeg (&data, &size, enhanced, LINLI_DOCUMENT_JPEG_QUALITY, 0) != 0 || data == NULL)
    {
      free (data);
      return failed (error, "JPEG encoding"), NULL;
    }
  bytes = bytes_take_lept (data, size);
  report->width = pixGetWidth (enhanced);
  report->height = pixGetHeight (enhanced);
  report->bytes = size;
  report->elapsed_us = g_get_monotonic_time () - start;
  return bytes;
}

/**
 * linli_document_process:
 * @jpeg: the camera's picture, a JPEG
 * @report: (out caller-allocates): what was found and done; filled also
 *   on failure as far as the processing went
 *
 * Finds the page in @jpeg, deskews and crops it, enhances it for reading,
 * and encodes it as JPEG. Blocks for a fraction of a second on a 5 MP
 * picture: call it from a worker, or use linli_document_process_async().
 *
 * Returns: (transfer full): the page as a JPEG, in bytes that are wiped when
 *   freed; or %NULL with an error in %LINLI_DOCUMENT_ERROR
 */
GBytes *
linli_document_process (GBytes *jpeg, LinliDocumentReport *report, GError **error)
{
  LinliDocumentReport ignored;

  g_return_val_if_fail (jpeg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return process (jpeg, report != NULL ? report : &ignored, NULL, error);
}

typedef struct
{
  GBytes *jpeg;
  LinliDocumentReport report;
} ProcessJob;

static void
process_job_free (ProcessJob *job)
{
  g_bytes_unref (job->jpeg);
  g_free (job);
}

static void
process_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ProcessJob *job = task_data;
  GError *error = NULL;
  GBytes *result = process (job->jpeg, &job->report, cancellable, &error);

  /* The input is not needed any more: let the caller's last reference go
   * as soon as possible. */
  g_clear_pointer (&job->jpeg, g_bytes_unref);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) g_bytes_unref);
}

void
linli_document_process_async (GBytes *jpeg,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ProcessJob *job;

  g_return_if_fail (jpeg != NULL);

  job = g_new0 (ProcessJob, 1);
  job->jpeg = g_bytes_ref (jpeg);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_document_process_async);
  g_task_set_task_data (task, job, (GDestroyNotify) process_job_free);
  g_task_run_in_thread (task, process_thread);
}

/**
 * linli_document_process_finish:
 * @report: (out caller-allocates) (optional): as for linli_document_process()
 *
 * Returns: (transfer full): the page, or %NULL with an error in
 *   %LINLI_DOCUMENT_ERROR or %G_IO_ERROR_CANCELLED
 */
GBytes *
linli_document_process_finish (GAsyncResult *result, LinliDocumentReport *report, GError **error)
{
  ProcessJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == linli_document_process_async,
                        NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = job->report;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * linli_document_thumbnail:
 *
 * Returns: (transfer full): a JPEG at most @max_side pixels on its longest
 *   side, in bytes wiped when freed; or %NULL with an error in
 *   %LINLI_DOCUMENT_ERROR
 */
GBytes *
linli_document_thumbnail (GBytes *jpeg,
                          int max_side,
                          int *width,
                          int *height,
                          int *thumb_width,
                          int *thumb_height,
                          GError **error)
{
  LinliDocumentReport report = { 0 };
  g_autoptr (PIX) pix = NULL;
  g_autoptr (PIX) small = NULL;
  l_uint8 *data = NULL;
  size_t size = 0;
  float factor;

  g_return_val_if_fail (jpeg != NULL, NULL);
  g_return_val_if_fail (max_side >= 16, NULL);

  ensure_leptonica ();
  pix = decode_checked (jpeg, &report, error);
  if (pix == NULL)
    return NULL;
  factor = MIN (1.0f, (float) max_side / (float) MAX (pixGetWidth (pix), pixGetHeight (pix)));
  small = factor < 1.0f ? pixScaleAreaMap (pix, factor, factor) : pixCopy (NULL, pix);
  if (small == NULL || pixWriteMemJpeg (&data, &size, small, 80, 0) != 0 || data == NULL)
    {
      free (data);
      g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED,
                           "could not make the thumbnail");
      return NULL;
    }
  if (width != NULL)
    *width = report.input_width;
  if (height != NULL)
    *height = report.input_height;
  if (thumb_width != NULL)
    *thumb_width = pixGetWidth (small);
  if (thumb_height != NULL)
    *thumb_height = pixGetHeight (small);
  return bytes_take_lept (data, size);
}
