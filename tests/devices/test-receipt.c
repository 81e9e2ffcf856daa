/* test-receipt.c — receipts rendered for real: the PDF read back with
 * poppler's pdftotext/pdfinfo/pdffonts, the raster through the ESC/POS
 * encoder and decoder, the QR code read with zbarimg when installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A missing tool skips its check, unless CI is set: then it fails.
 */
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "linli-escpos.h"
#include "linli-receipt.h"
#include "test-receipt-samples.h"

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

/* Runs @argv, returns its standard output. */
static char *
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

static char *
without_space (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static char *
save_temp (GBytes *bytes, const char *suffix)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pattern = g_strconcat ("linli-receipt-XXXXXX", suffix, NULL);
  char *path = NULL;
  int fd = g_file_open_tmp (pattern, &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  return path;
}

static LinliReceipt *
sample_receipt (const ReceiptSample *sample)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new (sample->template_name, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sample->fields) && sample->fields[i].key != NULL; i++)
    {
      linli_receipt_set (receipt, sample->fields[i].key, sample->fields[i].value, &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&receipt);
}

static void
page_size (const char *path, double *width, double *height, guint *pages)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run (argv);
  const char *line = strstr (info, "Page size:");
  const char *count = strstr (info, "Pages:");

  g_assert_nonnull (line);
  g_assert_nonnull (count);
  g_assert_cmpint (sscanf (line, "Page size: %lf x %lf", width, height), ==, 2);
  *pages = (guint) g_ascii_strtoull (count + strlen ("Pages:"), NULL, 10);
}

/* Every template: text, masked data, page size, embedded fonts. */
static void
test_pdf (gconstpointer data)
{
  const ReceiptSample *sample = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = sample_receipt (sample);
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *fonts = NULL;
  g_auto (GStrv) font_lines = NULL;
  guint embedded = 0, pages = 0;
  double width = 0, height = 0;
  gboolean cjk = FALSE;

  if (tool_missing ("pdftotext") || tool_missing ("pdfinfo") || tool_missing ("pdffonts"))
    return;

  /* A full ID number is refused whatever the field. */
  g_assert_false (linli_receipt_set (receipt, "kiosk_id", SAMPLE_FULL_ID, &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA);
  g_assert_null (strstr (error->message, SAMPLE_FULL_ID));
  g_clear_error (&error);

  pdf = linli_receipt_render_pdf (receipt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  path = save_temp (pdf, ".pdf");

  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
    text = run (argv);
  }
  flat = without_space (text);
  for (guint i = 0; i < G_N_ELEMENTS (sample->expected) && sample->expected[i] != NULL; i++)
    {
      g_autofree char *expected = without_space (sample->expected[i]);

      if (strstr (flat, expected) == NULL)
        g_error ("%s: “%s” not in the PDF's text:\n%s", sample->template_name, expected, text);
    }
  g_assert_null (strstr (flat, SAMPLE_FULL_ID));
  g_assert_false (linli_receipt_text_has_id_number (flat));

  page_size (path, &width, &height, &pages);
  if (linli_receipt_get_paper (receipt) == LINLI_RECEIPT_PAPER_A4)
    {
      g_assert_cmpfloat_with_epsilon (width, 595.28, 0.5);
      g_assert_cmpfloat_with_epsilon (height, 841.89, 0.5);
    }
  else
    {
      g_assert_cmpfloat_with_epsilon (width, 80 * 72 / 25.4, 0.5);
      /* Follows the content: more than the title, less than a metre. */
      g_assert_cmpfloat (height, >, 150);
      g_assert_cmpfloat (height, <, 2800);
      g_assert_cmpuint (pages, ==, 1);
    }

  {
    const char *argv[] = { "pdffonts", path, NULL };
    fonts = run (argv);
  }
  font_lines = g_strsplit (fonts, "\n", -1);
  for (guint i = 2; font_lines[i] != NULL; i++)
    {
      g_auto (GStrv) tokens = g_strsplit_set (g_strstrip (font_lines[i]), " ", -1);
      g_autoptr (GPtrArray) words = g_ptr_array_new ();

      if (*font_lines[i] == '\0')
        continue;
      for (guint t = 0; tokens[t] != NULL; t++)
        if (*tokens[t] != '\0')
          g_ptr_array_add (words, tokens[t]);
      /* name type… encoding emb sub uni object ID */
      g_assert_cmpuint (words->len, >=, 7);
      g_assert_cmpstr (g_ptr_array_index (words, words->len - 5), ==, "yes");
      embedded++;
      if (strstr (font_lines[i], "NotoSansCJK") != NULL)
        cjk = TRUE;
    }
  g_assert_cmpuint (embedded, >, 0);
  g_assert_true (cjk);
  g_unlink (path);
}

/* Every template: raster 576 dots wide, through ESC/POS and back. */
static void
test_raster (gconstpointer data)
{
  const ReceiptSample *sample = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = sample_receipt (sample);
  g_autoptr (GBytes) job = NULL;
  g_autoptr (LinliEscposRaster) decoded = NULL;
  cairo_surface_t *surface = linli_receipt_render_raster (receipt, 576, &error);
  int height, stride;
  const guint8 *bits;
  guint ink = 0;

  g_assert_no_error (error);
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_A1);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 576);
  height = cairo_image_surface_get_height (surface);
  g_assert_cmpint (height, >, 200);

  job = linli_escpos_encode_raster (surface, TRUE);
  g_assert_nonnull (job);
  /* ESC @ first, GS V 1 (partial cut) last. */
  g_assert_cmpmem (g_bytes_get_data (job, NULL), 2, "\x1B\x40", 2);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (job, NULL) + g_bytes_get_size (job) - 3, 3,
                   "\x1D\x56\x01", 3);
  decoded
      = linli_escpos_decode_raster (g_bytes_get_data (job, NULL), g_bytes_get_size (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->width, ==, 576);
  g_assert_cmpuint (decoded->height, ==, (guint) height);
  g_assert_cmpuint (decoded->bands, ==,
                    ((guint) height + LINLI_ESCPOS_BAND_ROWS - 1) / LINLI_ESCPOS_BAND_ROWS);
  g_assert_true (decoded->cut);
  g_assert_cmpuint (decoded->feed_lines, ==, LINLI_ESCPOS_FEED_LINES);

  bits = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < 576; x++)
      {
        guint32 word;
        gboolean set;

        memcpy (&word, bits + y * stride + (x / 32) * 4, 4);
        set = G_BYTE_ORDER == G_LITTLE_ENDIAN ? (word >> (x % 32)) & 1
                                              : (word >> (31 - x % 32)) & 1;
        g_assert_cmpint (set, ==, linli_escpos_raster_get_pixel (decoded, (guint) x, (guint) y));
        ink += set;
      }
  /* Text is there, but the receipt is mostly white paper. */
  g_assert_cmpuint (ink, >, 576 * (guint) height / 100);
  g_assert_cmpuint (ink, <, 576 * (guint) height / 2);
  cairo_surface_destroy (surface);
}

/* The QR code on the thermal raster reads back as its payload. */
static void
test_qr (void)
{
  const ReceiptSample *sample = &receipt_samples[0];
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = NULL;
  cairo_surface_t *surface, *rgb;
  cairo_t *cr;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  const char *payload = NULL;
  int fd;

  if (tool_missing ("zbarimg"))
    return;
  for (guint i = 0; sample->fields[i].key != NULL; i++)
    if (g_str_equal (sample->fields[i].key, "qr"))
      payload = sample->fields[i].value;
  receipt = sample_receipt (sample);
  surface = linli_receipt_render_raster (receipt, 576, &error);
  g_assert_no_error (error);

  /* Ink black on white paper, as a camera would see it. */
  rgb = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cairo_image_surface_get_width (surface),
                                    cairo_image_surface_get_height (surface));
  cr = cairo_create (rgb);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_mask_surface (cr, surface, 0, 0);
  cairo_destroy (cr);
  fd = g_file_open_tmp ("linli-receipt-XXXXXX.png", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_cmpint (cairo_surface_write_to_png (rgb, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (rgb);
  cairo_surface_destroy (surface);

  {
    const char *argv[] = { "zbarimg", "--quiet", "--raw", path, NULL };
    out = run (argv);
  }
  g_assert_cmpstr (g_strstrip (out), ==, payload);
  g_unlink (path);
}

/* The receipt offered on screen when the printer cannot print: its text in
 * a QR code that a phone reads back whole. */
static void
test_text_qr (void)
{
  const ReceiptSample *sample = &receipt_samples[0];
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = sample_receipt (sample);
  g_autoptr (GBytes) pixels = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ppm = NULL;
  char *text;
  int size = 0, fd;

  text = linli_receipt_render_text (receipt, &error);
  g_assert_no_error (error);
  for (guint i = 0; sample->fields[i].key != NULL; i++)
    {
      const char *value = sample->fields[i].value;

      /* Every printed value is in the text, except the QR's own payload. */
      if (g_str_equal (sample->fields[i].key, "qr") || strchr (value, '\n') != NULL)
        continue;
      g_assert_nonnull (strstr (text, value));
    }
  g_assert_null (strstr (text, "{"));
  g_assert_false (linli_receipt_text_has_id_number (text));
  g_assert_cmpstr (linli_receipt_get (receipt, "item"), !=, NULL);

  pixels = linli_receipt_qr_pixels (text, 4, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (size % 4, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (pixels), ==, (gsize) size * size * 3);
  if (tool_missing ("zbarimg"))
    {
      linli_receipt_wipe_text (text);
      return;
    }
  ppm = g_strdup_printf ("P6\n%d %d\n255\n", size, size);
  fd = g_file_open_tmp ("linli-receipt-XXXXXX.ppm", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, ppm, strlen (ppm)), ==, (ssize_t) strlen (ppm));
  g_assert_cmpint (write (fd, g_bytes_get_data (pixels, NULL), g_bytes_get_size (pixels)), ==,
                   (ssize_t) g_bytes_get_size (pixels));
  close (fd);
  {
    const char *argv[] = { "zbarimg", "--quiet", "--raw", path, NULL };
    out = run (argv);
  }
  /* zbarimg ends the payload with one newline of its own. */
  g_assert_true (g_str_has_suffix (out, "\n"));
  out[strlen (out) - 1] = '\0';
  g_assert_cmpstr (out, ==, text);
  g_unlink (path);
  linli_receipt_wipe_text (text);

  /* Too much for a QR code: an error, not a crash. */
  {
    g_autofree char *huge = g_strnfill (8000, 'A');
    g_autoptr (GBytes) none = linli_receipt_qr_pixels (huge, 4, &size, &error);

    g_assert_null (none);
    g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_INVALID);
  }
}

static void
test_has_id_number (void)
{
  g_assert_true (linli_receipt_text_has_id_number ("370102195001011234"));
  g_assert_true (linli_receipt_text_has_id_number ("ID:37010219500101123X。"));
  g_assert_true (linli_receipt_text_has_id_number ("SQ37010219500101123x"));
  g_assert_true (linli_receipt_text_has_id_number ("身份证 11010519491231002X 王"));
  g_assert_false (linli_receipt_text_has_id_number ("3701**********123X"));
  /* Codes the platform issues: letters, then digits. */
  g_assert_false (linli_receipt_text_has_id_number ("BJ330102202405140001"));
  g_assert_false (linli_receipt_text_has_id_number ("办件编号 BJ330102202611230001"));
  g_assert_true (linli_receipt_text_has_id_number ("BJ 330102202405140001"));
  g_assert_false (linli_receipt_text_has_id_number ("37010219500101123")); /* 17 */
  g_assert_false (linli_receipt_text_has_id_number ("4200001234202405011234567890"));
  g_assert_false (linli_receipt_text_has_id_number ("3701021950010112345")); /* 19 */
  g_assert_false (linli_receipt_text_has_id_number (""));
}

/* What set() refuses, and what render() refuses. */
static void
test_refusals (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new ("certification", &error);
  g_autoptr (GBytes) pdf = NULL;
  cairo_surface_t *surface;

  g_assert_no_error (error);
  g_assert_false (linli_receipt_set (receipt, "id_number", SAMPLE_FULL_ID, &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA);
  g_clear_error (&error);
  g_assert_false (linli_receipt_set (receipt, "id_number", "370102", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA);
  g_clear_error (&error);
  g_assert_false (linli_receipt_set (receipt, "name", "王小明", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA);
  g_assert_null (strstr (error->message, "王小明"));
  g_clear_error (&error);
  g_assert_false (linli_receipt_set (receipt, "qr", "https://x.cn/?id=" SAMPLE_FULL_ID, &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA);
  g_clear_error (&error);
  g_assert_false (linli_receipt_set (receipt, "no_such_field", "x", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  g_assert_false (linli_receipt_set (receipt, "county", "\xFF\xFE", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing set: the first required field is missing. */
  pdf = linli_receipt_render_pdf (receipt, &error);
  g_assert_null (pdf);
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  surface = linli_receipt_render_raster (receipt, 576, &error);
  g_assert_null (surface);
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_MISSING_FIELD);
  g_clear_error (&error);

  g_assert_null (linli_receipt_new ("no-such-template", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_TEMPLATE);
  g_clear_error (&error);
  g_assert_null (linli_receipt_new ("../application", &error));
  g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_TEMPLATE);
  g_clear_error (&error);
}

static void
test_bad_templates (void)
{
  const char *bad[] = {
    "",
    "# only a comment\n",
    "paper roll80\npaper a4\ntext x\n",
    "text x\npaper a4\n",
    "paper letter\ntext x\n",
    "frobnicate x\n",
    "rule x\n",
    "title\n",
    "field no bar {x}\n",
    "text {Upper}\n",
    "text {unclosed\n",
    "text closed}\n",
    "text {}\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliReceipt) receipt = linli_receipt_new_from_data ("bad", bad[i], &error);

      g_assert_null (receipt);
      g_assert_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE);
    }
}

/* Fields in order of first use; optional lines left out when unset; the
 * roll grows with its content. */
static void
test_layout (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new_from_data (
      "t", "paper roll80\ntitle {a}\n?field 可选 | {b}\ntable {rows}\ntext {a}{c}\n", &error);
  const char *const *fields;
  double heights[2];

  g_assert_no_error (error);
  fields = linli_receipt_get_fields (receipt);
  g_assert_cmpuint (g_strv_length ((char **) fields), ==, 4);
  g_assert_cmpstr (fields[0], ==, "a");
  g_assert_cmpstr (fields[1], ==, "b");
  g_assert_cmpstr (fields[2], ==, "rows");
  g_assert_cmpstr (fields[3], ==, "c");
  g_assert_true (linli_receipt_set (receipt, "a", "标题", &error));
  g_assert_true (linli_receipt_set (receipt, "c", "正文", &error));

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GString) rows = g_string_new (NULL);
      cairo_surface_t *surface;

      for (guint r = 0; r < 3 + i * 20; r++)
        g_string_append_printf (rows, "第%u行\t%u.00\n", r, r);
      g_assert_true (linli_receipt_set (receipt, "rows", rows->str, &error));
      surface = linli_receipt_render_raster (receipt, 576, &error);
      g_assert_no_error (error);
      heights[i] = cairo_image_surface_get_height (surface);
      cairo_surface_destroy (surface);
    }
  /* 20 more rows of 14 pt text: at least 20 × 14 pt at 576 / 72 mm. */
  g_assert_cmpfloat (heights[1] - heights[0], >, 20 * 14 * 576 / (72 * 72 / 25.4));

  if (!tool_missing ("pdftotext"))
    {
      g_autoptr (GBytes) pdf = linli_receipt_render_pdf (receipt, &error);
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      path = save_temp (pdf, ".pdf");
      {
        const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
        text = run (argv);
      }
      g_assert_null (strstr (text, "可选"));
      g_assert_nonnull (strstr (text, "标题正文"));
      g_assert_nonnull (strstr (text, "第22行"));
      g_unlink (path);
      g_assert_true (linli_receipt_set (receipt, "b", "有", &error));
      g_clear_pointer (&pdf, g_bytes_unref);
      pdf = linli_receipt_render_pdf (receipt, &error);
      g_assert_no_error (error);
      g_free (path);
      path = save_temp (pdf, ".pdf");
      g_free (text);
      {
        const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
        text = run (argv);
      }
      g_assert_nonnull (strstr (text, "可选：有"));
      g_unlink (path);
    }
}

/* Long certificates continue on a second A4 page. */
static void
test_a4_pages (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = sample_receipt (&receipt_samples[2]);
  g_autoptr (GString) rows = g_string_new ("年月\t缴费基数\n");
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  double width, height;
  guint pages = 0;

  g_assert_cmpstr (receipt_samples[2].template_name, ==, "insured-certificate");
  if (tool_missing ("pdfinfo"))
    return;
  for (guint r = 0; r < 80; r++)
    g_string_append_printf (rows, "20%02u-%02u\t3000.00\n", 10 + r / 12, 1 + r % 12);
  g_assert_true (linli_receipt_set (receipt, "lines", rows->str, &error));
  pdf = linli_receipt_render_pdf (receipt, &error);
  g_assert_no_error (error);
  path = save_temp (pdf, ".pdf");
  page_size (path, &width, &height, &pages);
  g_assert_cmpuint (pages, >=, 2);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (receipt_samples); i++)
    {
      g_autofree char *pdf = g_strdup_printf ("/receipt/pdf/%s", receipt_samples[i].template_name);
      g_autofree char *raster
          = g_strdup_printf ("/receipt/raster/%s", receipt_samples[i].template_name);

      g_test_add_data_func (pdf, &receipt_samples[i], test_pdf);
      g_test_add_data_func (raster, &receipt_samples[i], test_raster);
    }
  g_test_add_func ("/receipt/qr", test_qr);
  g_test_add_func ("/receipt/text-qr", test_text_qr);
  g_test_add_func ("/receipt/has-id-number", test_has_id_number);
  g_test_add_func ("/receipt/refusals", test_refusals);
  g_test_add_func ("/receipt/bad-templates", test_bad_templates);
  g_test_add_func ("/receipt/layout", test_layout);
  g_test_add_func ("/receipt/a4-pages", test_a4_pages);
  status = g_test_run ();

  /* Drop the font caches of Pango, cairo and fontconfig, so that leak
   * checkers (ASan, valgrind) see only what the receipt code leaks. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
