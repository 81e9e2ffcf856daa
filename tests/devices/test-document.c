/* test-document.c — document pages processed for real with Leptonica, and
 * assembled into PDFs read back with poppler-utils.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pictures are made here (test-document-fixture.h): a page of text
 * rotated by a few degrees on a dark, noisy surface. The output is judged
 * with Leptonica's own measures: its skew, its size against the page's,
 * how light its edges are, and whether its rows of text line up with the
 * page's. A missing poppler tool skips its check, unless CI is set.
 */
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <unistd.h>
#include <math.h>
#include <string.h>

#include "linli-document-pages.h"
#include "linli-document.h"
#include "test-document-fixture.h"

#define PAGE_W  1200
#define PAGE_H  1650
#define FRAME_W 2592
#define FRAME_H 1944

static PIX *
decode (GBytes *jpeg)
{
  gsize size = 0;
  const l_uint8 *data = g_bytes_get_data (jpeg, &size);
  PIX *pix = pixReadMem (data, size);

  g_assert_nonnull (pix);
  return pix;
}

/* Pearson correlation of @a[i] with @b[i + offset], over the rows both have. */
static double
row_correlation (NUMA *a, NUMA *b, int offset)
{
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  int n = 0;

  for (int i = 0; i < numaGetCount (a); i++)
    {
      l_float32 x = 0, y = 0;

      if (i + offset < 0 || i + offset >= numaGetCount (b))
        continue;
      numaGetFValue (a, i, &x);
      numaGetFValue (b, i + offset, &y);
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
      n++;
    }
  return (n * sab - sa * sb) / sqrt ((n * saa - sa * sa) * (n * sbb - sb * sb));
}

static double
ink_fraction (PIX *binary)
{
  l_int32 count = 0;

  pixCountPixels (binary, &count, NULL);
  return (double) count / ((double) pixGetWidth (binary) * pixGetHeight (binary));
}

static void
check_document (double degrees)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) input = fixture_document_jpeg (PAGE_W, PAGE_H, degrees, FRAME_W, FRAME_H);
  LinliDocumentReport report;
  g_autoptr (GBytes) output = linli_document_process (input, &report, &error);
  cairo_surface_t *page_surface;
  PIX *out, *grey, *binary, *page, *page_binary;
  NUMA *out_rows, *page_rows;
  l_float32 angle = 0, confidence = 0, border = 0;
  l_int32 w, h, dark_border = 0, border_pixels = 0;
  double correlation, out_ink, page_ink;
  int best_offset = 0;

  g_assert_no_error (error);
  g_assert_nonnull (output);
  g_test_message ("%+.0f°: skew found %.2f° (confidence %.1f%s), page box %d,%d %d×%d, "
                  "output %d×%d, %zu bytes, %.0f ms",
                  degrees, report.skew_degrees, report.skew_confidence,
                  report.skew_from_edges ? ", edges" : "", report.page_x, report.page_y,
                  report.page_width, report.page_height, report.width, report.height, report.bytes,
                  report.elapsed_us / 1000.0);
  g_assert_cmpint (report.input_width, ==, FRAME_W);
  g_assert_cmpint (report.input_height, ==, FRAME_H);
  g_assert_cmpuint (report.bytes, ==, g_bytes_get_size (output));
  g_assert_false (report.skew_from_edges);
  /* The angle found is the angle the page was put down at. */
  g_assert_cmpfloat (fabs (fabs (report.skew_degrees) - fabs (degrees)), <, 0.5);

  out = decode (output);
  w = pixGetWidth (out);
  h = pixGetHeight (out);
  g_assert_cmpint (w, ==, report.width);
  g_assert_cmpint (h, ==, report.height);
  /* The surface is cropped away: the output is the page, less a small
   * inset at the edges. */
  g_assert_cmpint (w, <=, PAGE_W + 4);
  g_assert_cmpint (h, <=, PAGE_H + 4);
  g_assert_cmpint (w, >=, PAGE_W * 95 / 100);
  g_assert_cmpint (h, >=, PAGE_H * 95 / 100);

  grey = pixConvertTo8 (out, 0);
  binary = pixThresholdToBinary (grey, 128);
  /* Measured again, over ±15° (pixFindSkew looks only within ±7°). */
  g_assert_cmpint (pixFindSkewSweepAndSearch (binary, &angle, &confidence, 4, 2, 16.0, 1.0, 0.01),
                   ==, 0);
  g_test_message ("output skew %.2f° (confidence %.1f)", angle, confidence);
  g_assert_cmpfloat (confidence, >, 3.0);
  g_assert_cmpfloat (fabsf (angle), <, 1.0);

  /* The edges are paper: a 4-pixel frame around the output. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (x < 4 || y < 4 || x >= w - 4 || y >= h - 4)
        {
          l_uint32 v = 0;

          pixGetPixel (grey, x, y, &v);
          border += v;
          border_pixels++;
          dark_border += v < 128;
        }
  border /= border_pixels;
  g_test_message ("border mean %.0f, %d of %d pixels dark", border, dark_border, border_pixels);
  g_assert_cmpfloat (border, >, 200.0);
  g_assert_cmpint (dark_border, <, border_pixels / 100);

  /* The text is there, where it was on the page: the ink per row of the
   * output follows the ink per row of the page it was made from. */
  page_surface = fixture_page (PAGE_W, PAGE_H, TRUE);
  page = fixture_pix (page_surface);
  cairo_surface_destroy (page_surface);
  {
    PIX *page_grey = pixConvertTo8 (page, 0);

    page_binary = pixThresholdToBinary (page_grey, 128);
    pixDestroy (&page_grey);
  }
  out_ink = ink_fraction (binary);
  page_ink = ink_fraction (page_binary);
  /* The output lost a small inset at each edge: look for the best
   * alignment within a few dozen rows. */
  out_rows = pixCountPixelsByRow (binary, NULL);
  page_rows = pixCountPixelsByRow (page_binary, NULL);
  correlation = -1.0;
  for (int offset = -10; offset <= 40; offset++)
    {
      double r = row_correlation (out_rows, page_rows, offset);

      if (r > correlation)
        correlation = r, best_offset = offset;
    }
  g_test_message ("ink %.3f (page %.3f), row profile correlation %.3f at %d rows", out_ink,
                  page_ink, correlation, best_offset);
  g_assert_cmpfloat (out_ink, >, page_ink * 0.6);
  g_assert_cmpfloat (out_ink, <, page_ink * 1.8);
  g_assert_cmpfloat (correlation, >, 0.8);

  numaDestroy (&out_rows);
  numaDestroy (&page_rows);
  pixDestroy (&page_binary);
  pixDestroy (&page);
  pixDestroy (&binary);
  pixDestroy (&grey);
  pixDestroy (&out);
}

static void
test_rotated_minus_7 (void)
{
  check_document (-7.0);
}

static void
test_rotated_plus_4 (void)
{
  check_document (4.0);
}

static void
test_rotated_plus_12 (void)
{
  check_document (12.0);
}

static void
test_upright (void)
{
  check_document (0.0);
}

/* A page without text: the page's edges give the angle. */
static void
test_blank_page (void)
{
  g_autoptr (GError) error = NULL;
  cairo_surface_t *page = fixture_page (PAGE_W, PAGE_H, FALSE);
  cairo_surface_t *frame = fixture_frame (page, -6.0, FRAME_W, FRAME_H, 3);
  g_autoptr (GBytes) input = fixture_jpeg (frame, 90);
  LinliDocumentReport report;
  g_autoptr (GBytes) output = linli_document_process (input, &report, &error);

  cairo_surface_destroy (frame);
  cairo_surface_destroy (page);
  g_assert_no_error (error);
  g_test_message ("blank page: skew %.2f° (confidence %.1f%s), output %d×%d", report.skew_degrees,
                  report.skew_confidence, report.skew_from_edges ? ", edges" : "", report.width,
                  report.height);
  g_assert_true (report.skew_from_edges);
  g_assert_cmpfloat (fabs (fabs (report.skew_degrees) - 6.0), <, 0.5);
  g_assert_cmpint (report.width, >=, PAGE_W * 95 / 100);
  g_assert_cmpint (report.width, <=, PAGE_W + 4);
  g_assert_cmpint (report.height, >=, PAGE_H * 95 / 100);
  g_assert_cmpint (report.height, <=, PAGE_H + 4);
}

/* ---- malformed input ---- */

static void
expect_error (GBytes *input, int code)
{
  g_autoptr (GError) error = NULL;
  LinliDocumentReport report;
  g_autoptr (GBytes) output = linli_document_process (input, &report, &error);

  g_assert_null (output);
  g_assert_error (error, LINLI_DOCUMENT_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_test_message ("%s", error->message);
}

static GBytes *
uniform_jpeg (int width, int height, guint8 level)
{
  PIX *pix = pixCreate (width, height, 32);
  GBytes *jpeg;

  pixSetAllArbitrary (pix, ((l_uint32) level << 24) | ((l_uint32) level << 16) | (level << 8));
  jpeg = fixture_jpeg_from_pix (pix, 85);
  pixDestroy (&pix);
  return jpeg;
}

static void
test_empty (void)
{
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);

  expect_error (empty, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
}

static void
test_truncated (void)
{
  g_autoptr (GBytes) input = fixture_document_jpeg (600, 800, 5.0, 1296, 972);
  g_autoptr (GBytes) half = g_bytes_new_from_bytes (input, 0, g_bytes_get_size (input) / 2);
  g_autoptr (GBytes) header = g_bytes_new_from_bytes (input, 0, 700);

  expect_error (half, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
  expect_error (header, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
}

static void
test_not_jpeg (void)
{
  PIX *pix = pixCreate (200, 200, 32);
  l_uint8 *png = NULL;
  size_t size = 0;
  g_autoptr (GBytes) png_bytes = NULL;
  g_autoptr (GBytes) garbage = NULL;
  guint8 noise[4096];
  GRand *rand = g_rand_new_with_seed (11);

  g_assert_cmpint (pixWriteMem (&png, &size, pix, IFF_PNG), ==, 0);
  pixDestroy (&pix);
  png_bytes = g_bytes_new_with_free_func (png, size, free, png);
  expect_error (png_bytes, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  garbage = g_bytes_new (noise, sizeof noise);
  expect_error (garbage, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
}

static void
test_no_page (void)
{
  g_autoptr (GBytes) black = uniform_jpeg (FRAME_W, FRAME_H, 0);
  g_autoptr (GBytes) white = uniform_jpeg (FRAME_W, FRAME_H, 250);
  g_autoptr (GBytes) surface = NULL;
  cairo_surface_t *nothing = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cairo_surface_t *frame;
  g_autoptr (GError) error = NULL;

  expect_error (black, LINLI_DOCUMENT_ERROR_NO_PAGE);
  expect_error (white, LINLI_DOCUMENT_ERROR_NO_PAGE);

  /* The noisy table top with nothing on it (a black 10×10 "page"). */
  frame = fixture_frame (nothing, 0, FRAME_W, FRAME_H, 5);
  surface = fixture_jpeg (frame, 90);
  cairo_surface_destroy (frame);
  cairo_surface_destroy (nothing);
  g_assert_null (linli_document_process (surface, NULL, &error));
  g_assert_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE);
  g_assert_cmpstr (error->message, ==, "no document found in the picture");
}

/* Rewrites the size in the first SOF marker of @jpeg. */
static GBytes *
with_claimed_size (GBytes *jpeg, guint16 width, guint16 height)
{
  gsize size = 0;
  gconstpointer original = g_bytes_get_data (jpeg, &size);
  guint8 *data = g_memdup2 (original, size);

  for (gsize i = 2; i + 9 < size; i++)
    if (data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2))
      {
        data[i + 5] = height >> 8;
        data[i + 6] = height & 0xFF;
        data[i + 7] = width >> 8;
        data[i + 8] = width & 0xFF;
        return g_bytes_new_take (data, size);
      }
  g_assert_not_reached ();
}

static void
test_claimed_size (void)
{
  g_autoptr (GBytes) small = uniform_jpeg (64, 64, 128);
  g_autoptr (GBytes) huge = with_claimed_size (small, 60000, 60000);
  g_autoptr (GBytes) big = with_claimed_size (small, 4000, 3000);

  expect_error (huge, LINLI_DOCUMENT_ERROR_TOO_LARGE);
  /* 12 MP in a few hundred bytes: refused before decoding. */
  expect_error (big, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
}

/* ---- asynchronous ---- */

typedef struct
{
  GMainLoop *loop;
  GBytes *output;
  GError *error;
  LinliDocumentReport report;
  GThread *thread;
} AsyncResult;

static void
processed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *async = user_data;

  async->thread = g_thread_self ();
  async->output = linli_document_process_finish (result, &async->report, &async->error);
  g_main_loop_quit (async->loop);
}

static void
test_async (void)
{
  g_autoptr (GBytes) input = fixture_document_jpeg (600, 825, -5.0, 1296, 972);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncResult async = { 0 };

  async.loop = g_main_loop_new (NULL, FALSE);
  linli_document_process_async (input, NULL, processed, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_nonnull (async.output);
  g_assert_true (async.thread == g_thread_self ());
  g_assert_cmpfloat (fabs (async.report.skew_degrees + 5.0), <, 0.5);
  g_assert_cmpuint (async.report.bytes, ==, g_bytes_get_size (async.output));
  g_clear_pointer (&async.output, g_bytes_unref);

  g_cancellable_cancel (cancellable);
  linli_document_process_async (input, cancellable, processed, &async);
  g_main_loop_run (async.loop);
  g_assert_null (async.output);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&async.error);
  g_main_loop_unref (async.loop);
}

/* ---- pages and PDF ---- */

static gboolean
tool_missing (const char *tool)
{
  g_autofree char *path = g_find_program_in_path (tool);

  if (path != NULL)
    return FALSE;
  if (g_getenv ("CI") != NULL)
    g_test_fail_printf ("%s is not installed", tool);
  else
    g_test_skip_printf ("%s is not installed", tool);
  return TRUE;
}

/* Runs @tool with the options (NULL-terminated) on @pdf, written to a
 * temporary file, and returns its output. */
static char *
run_on_pdf (GBytes *pdf, const char *tool, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  int fd = g_file_open_tmp ("linli-document-XXXXXX.pdf", &path, &error);
  int status = 0;
  va_list options;
  const char *option;

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      (gssize) g_bytes_get_size (pdf), &error));
  g_ptr_array_add (argv, (gpointer) tool);
  va_start (options, tool);
  while ((option = va_arg (options, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) option);
  va_end (options);
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_unlink (path);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", tool, error->message, err);
  return g_steal_pointer (&out);
}

/* "WxH" of each image, in page order, from pdfimages -list; and checks
 * that every one is embedded as JPEG. */
static char *
image_sizes (GBytes *pdf)
{
  g_autofree char *list = run_on_pdf (pdf, "pdfimages", "-list", NULL);
  g_auto (GStrv) lines = g_strsplit (list, "\n", -1);
  GString *sizes = g_string_new (NULL);

  /* page num type width height color comp bpc enc ... */
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);

      if (g_strv_length (fields) < 9)
        continue;
      g_assert_cmpstr (fields[8], ==, "jpeg");
      g_string_append_printf (sizes, "%s%s:%sx%s", sizes->len > 0 ? " " : "", fields[0], fields[3],
                              fields[4]);
    }
  return g_string_free (sizes, FALSE);
}

static int
pdf_pages (GBytes *pdf)
{
  g_autofree char *info = run_on_pdf (pdf, "pdfinfo", NULL);
  const char *pages = strstr (info, "\nPages:");

  g_assert_nonnull (pages);
  return atoi (pages + strlen ("\nPages:"));
}

static LinliDocumentPage *
page_of_size (int width, int height)
{
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface = fixture_page (width, height, TRUE);
  g_autoptr (GBytes) jpeg = fixture_jpeg (surface, 85);
  LinliDocumentPage *page = linli_document_page_new (jpeg, &error);

  cairo_surface_destroy (surface);
  g_assert_no_error (error);
  g_assert_cmpint (linli_document_page_get_width (page), ==, width);
  g_assert_cmpint (linli_document_page_get_height (page), ==, height);
  g_assert_cmpint (MAX (linli_document_page_get_thumbnail_width (page),
                        linli_document_page_get_thumbnail_height (page)),
                   <=, LINLI_DOCUMENT_PAGE_THUMBNAIL_SIDE);
  return page;
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_pages_pdf (void)
{
  g_autoptr (LinliDocumentPages) pages = linli_document_pages_new ();
  g_autoptr (LinliDocumentPage) a = page_of_size (600, 800);
  g_autoptr (LinliDocumentPage) b = page_of_size (800, 600);
  g_autoptr (LinliDocumentPage) c = page_of_size (500, 700);
  g_autoptr (LinliDocumentPage) d = page_of_size (640, 900);
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GBytes) held = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sizes = NULL;
  g_autofree char *info = NULL;
  guint changes = 0;
  gsize size;

  if (tool_missing ("pdfinfo") || tool_missing ("pdfimages"))
    return;
  g_signal_connect (pages, "items-changed", G_CALLBACK (count_changes), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (pages)) == LINLI_TYPE_DOCUMENT_PAGE);
  g_assert_null (linli_document_pages_to_pdf (pages, 0, &error));
  g_assert_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE);
  g_clear_error (&error);

  linli_document_pages_append (pages, a);
  linli_document_pages_append (pages, b);
  linli_document_pages_append (pages, c);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 3);
  g_assert_cmpuint (changes, ==, 3);
  pdf = linli_document_pages_to_pdf (pages, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdf_pages (pdf), ==, 3);
  sizes = image_sizes (pdf);
  g_assert_cmpstr (sizes, ==, "1:600x800 2:800x600 3:500x700");
  g_clear_pointer (&sizes, g_free);
  /* A4, turned with the image. */
  info = run_on_pdf (pdf, "pdfinfo", "-f", "1", "-l", "3", NULL);
  g_assert_nonnull (strstr (info, "Page    1 size:  595.276 x 841.89 pts (A4)"));
  g_assert_nonnull (strstr (info, "Page    2 size:  841.89 x 595.276 pts (A4)"));
  g_assert_nonnull (strstr (info, "Page    3 size:  595.276 x 841.89 pts (A4)"));
  g_clear_pointer (&info, g_free);

  /* The limit: one byte short is refused, saying by how much. */
  size = g_bytes_get_size (pdf);
  g_assert_null (linli_document_pages_to_pdf (pages, size - 1, &error));
  g_assert_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "(1 bytes) over"));
  g_clear_error (&error);
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = linli_document_pages_to_pdf (pages, size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (pdf), ==, size);
  g_clear_pointer (&pdf, g_bytes_unref);

  /* Reorder: the last page first. */
  linli_document_pages_move (pages, 2, 0);
  g_assert_true (linli_document_pages_get_page (pages, 0) == c);
  pdf = linli_document_pages_to_pdf (pages, 0, &error);
  g_assert_no_error (error);
  sizes = image_sizes (pdf);
  g_assert_cmpstr (sizes, ==, "1:500x700 2:600x800 3:800x600");
  g_clear_pointer (&sizes, g_free);
  g_clear_pointer (&pdf, g_bytes_unref);

  /* Remove the middle one; retake the first. */
  held = g_bytes_ref (linli_document_page_get_jpeg (a));
  linli_document_pages_remove (pages, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 2);
  g_assert_null (linli_document_page_get_jpeg (a));
  for (gsize i = 0; i < g_bytes_get_size (held); i++)
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (held, NULL))[i], ==, 0);
  linli_document_pages_replace (pages, 0, d);
  pdf = linli_document_pages_to_pdf (pages, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdf_pages (pdf), ==, 2);
  sizes = image_sizes (pdf);
  g_assert_cmpstr (sizes, ==, "1:640x900 2:800x600");
  g_clear_pointer (&pdf, g_bytes_unref);

  /* Wipe: empty, and the pages' bytes zeroed where a screen held them. */
  g_clear_pointer (&held, g_bytes_unref);
  held = g_bytes_ref (linli_document_page_get_thumbnail (b));
  changes = 0;
  linli_document_pages_wipe (pages);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 0);
  g_assert_null (linli_document_page_get_jpeg (b));
  g_assert_null (linli_document_page_get_jpeg (d));
  for (gsize i = 0; i < g_bytes_get_size (held); i++)
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (held, NULL))[i], ==, 0);
}

static void
test_page_rejects (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) garbage = g_bytes_new_static ("not a picture at all", 20);

  g_assert_null (linli_document_page_new (garbage, &error));
  g_assert_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NOT_AN_IMAGE);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/rotated/-7", test_rotated_minus_7);
  g_test_add_func ("/document/rotated/+4", test_rotated_plus_4);
  g_test_add_func ("/document/rotated/+12", test_rotated_plus_12);
  g_test_add_func ("/document/rotated/0", test_upright);
  g_test_add_func ("/document/blank-page", test_blank_page);
  g_test_add_func ("/document/malformed/empty", test_empty);
  g_test_add_func ("/document/malformed/truncated", test_truncated);
  g_test_add_func ("/document/malformed/not-jpeg", test_not_jpeg);
  g_test_add_func ("/document/malformed/claimed-size", test_claimed_size);
  g_test_add_func ("/document/no-page", test_no_page);
  g_test_add_func ("/document/async", test_async);
  g_test_add_func ("/document/pages/pdf", test_pages_pdf);
  g_test_add_func ("/document/pages/rejects", test_page_rejects);
  status = g_test_run ();
  /* The fixture's fonts: let leak checkers see only our own memory. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
