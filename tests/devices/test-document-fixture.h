/* test-document-fixture.h — pictures of documents made on the spot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of black text (Chinese and Latin) on white drawn with Pango and
 * cairo, rotated and laid on a dark, noisy surface bigger than the page,
 * encoded as a JPEG like a document camera's: the tests and the benchmark
 * make their fixtures with this, none is committed.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <pango/pangocairo.h>

static const char *const fixture_lines[] = {
  "邻里社区自助服务 申请材料 第一页",
  "姓名：王小明    性别：男    民族：汉",
  "住址：某某县城关镇幸福路 12 号 3 单元 401 室",
  "Application for residents' medical insurance, 2024",
  "兹证明该居民自二〇一八年起在本社区居住，情况属实。",
  "The quick brown fox jumps over the lazy dog 0123456789.",
  "社会保障卡号：ABC123456789    办件编号：2024-000123",
  "本人承诺以上信息真实有效，如有虚假愿承担相应责任。",
  "Community service centre, county smart-community platform.",
  "户口簿 · 结婚证 · 出生医学证明 · 残疾人证 · 低保证",
};

/* A @width × @height page (RGB24) of text lines; no text if !@text. */
static cairo_surface_t *
fixture_page (int width, int height, gboolean text)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Noto Sans CJK SC");
  double line_height = height / 40.0;
  int margin = width / 12;

  cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.08);
  pango_font_description_set_absolute_size (font, line_height * 0.55 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (width - 2 * margin) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (int i = 0; text && i < 34; i++)
    {
      cairo_move_to (cr, margin, margin + i * line_height);
      pango_layout_set_text (layout, fixture_lines[i % G_N_ELEMENTS (fixture_lines)], -1);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* @page rotated by @degrees (counter-clockwise on screen) in the middle
 * of a dark, noisy @width × @height surface. */
static cairo_surface_t *
fixture_frame (cairo_surface_t *page, double degrees, int width, int height, guint32 seed)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *pixels;
  GRand *rand = g_rand_new_with_seed (seed);
  cairo_t *cr;

  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        /* A dark table top with a little texture and sensor noise. */
        int base = 45 + (int) (10.0 * sin (x / 90.0) * cos (y / 70.0));
        int noise = g_rand_int_range (rand, -12, 13);
        int v = CLAMP (base + noise, 0, 255);
        guint32 *p = (guint32 *) (pixels + (gsize) y * stride) + x;

        *p = ((guint32) (v + 6) << 16) | ((guint32) (v + 3) << 8) | (guint32) v;
      }
  cairo_surface_mark_dirty (surface);
  g_rand_free (rand);

  cr = cairo_create (surface);
  cairo_translate (cr, width / 2.0, height / 2.0);
  cairo_rotate (cr, -degrees * G_PI / 180.0);
  cairo_set_source_surface (cr, page, -cairo_image_surface_get_width (page) / 2.0,
                            -cairo_image_surface_get_height (page) / 2.0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* An RGB24 cairo surface as a 32 bpp Leptonica image. */
static PIX *
fixture_pix (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels = cairo_image_surface_get_data (surface);
  PIX *pix = pixCreate (width, height, 32);
  l_uint32 *data = pixGetData (pix);
  int wpl = pixGetWpl (pix);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      data[y * wpl + x] = ((const guint32 *) (pixels + (gsize) y * stride))[x] << 8;
  return pix;
}

static GBytes *
fixture_jpeg_from_pix (PIX *pix, int quality)
{
  l_uint8 *data = NULL;
  size_t size = 0;

  g_assert_cmpint (pixWriteMemJpeg (&data, &size, pix, quality, 0), ==, 0);
  return g_bytes_new_with_free_func (data, size, free, data);
}

static GBytes *
fixture_jpeg (cairo_surface_t *surface, int quality)
{
  PIX *pix = fixture_pix (surface);
  GBytes *bytes = fixture_jpeg_from_pix (pix, quality);

  pixDestroy (&pix);
  return bytes;
}

/* The camera's picture of a @page_w × @page_h page at @degrees on a
 * @width × @height surface. */
static GBytes *
fixture_document_jpeg (int page_w, int page_h, double degrees, int width, int height)
{
  cairo_surface_t *page = fixture_page (page_w, page_h, TRUE);
  cairo_surface_t *frame = fixture_frame (page, degrees, width, height, 7);
  GBytes *jpeg = fixture_jpeg (frame, 90);

  cairo_surface_destroy (frame);
  cairo_surface_destroy (page);
  return jpeg;
}
