/* linli-receipt.c — receipt templates laid out with Pango, drawn with Cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A render lays the template out once into "pieces" (a paragraph, a table
 * row, a QR code, a rule) measured in points, then draws them on a PDF
 * surface or, scaled, on an A8 image thresholded to A1. The Pango context
 * has hinting off, so the layout is the same on paper and on the thermal
 * raster and the roll's height is known before the PDF page is made.
 */
#define G_LOG_DOMAIN "linli-receipt"

#include "linli-receipt.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include "linli-devices-resources.h"

G_DEFINE_QUARK (linli_receipt_error_quark, linli_receipt_error)

#define MM (72.0 / 25.4)
/* Latin letters and digits from DejaVu Sans (TrueType), Chinese from Noto
 * Sans CJK. Measured: with Noto CJK alone, a single "K" anywhere on a
 * receipt made cairo embed about 900 kB of the CFF font (its subsetter keeps
 * a whole font dictionary's subroutines), and the A4 certificate took
 * 60-70 ms to render instead of about 30. */
#define FONT_FAMILY "DejaVu Sans, Noto Sans CJK SC"
/* Sizes in points on paper: body ≥ 14 pt for elderly readers. */
#define SIZE_BODY    14.0
#define SIZE_HEADING 18.0
#define SIZE_TITLE   22.0
#define SIZE_BIG     30.0
#define GAP          (SIZE_BODY * 0.4)
#define RESOURCE_DIR "/cn/linli/Devices/receipts/"

typedef enum
{
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_TEXT,
  BLOCK_CENTER,
  BLOCK_FIELD,
  BLOCK_BIG,
  BLOCK_QR,
  BLOCK_TABLE,
  BLOCK_RULE,
  BLOCK_SPACE,
} BlockKind;

static const struct
{
  const char *keyword;
  BlockKind kind;
  gboolean takes_text;
} block_keywords[] = {
  { "title", BLOCK_TITLE, TRUE }, { "heading", BLOCK_HEADING, TRUE },
  { "text", BLOCK_TEXT, TRUE },   { "center", BLOCK_CENTER, TRUE },
  { "field", BLOCK_FIELD, TRUE }, { "big", BLOCK_BIG, TRUE },
  { "qr", BLOCK_QR, TRUE },       { "table", BLOCK_TABLE, TRUE },
  { "rule", BLOCK_RULE, FALSE },  { "space", BLOCK_SPACE, FALSE },
};

typedef struct
{
  BlockKind kind;
  gboolean optional; /* "?": left out when one of its fields is unset */
  char *label;       /* "field" only */
  char *text;        /* with {placeholders} */
} Block;

typedef enum
{
  PIECE_LAYOUT,
  PIECE_ROW,
  PIECE_QR,
  PIECE_RULE,
  PIECE_GAP,
} PieceKind;

typedef struct
{
  PieceKind kind;
  double height;      /* including the gap after it */
  GPtrArray *layouts; /* PIECE_LAYOUT: one; PIECE_ROW: one per cell */
  QRcode *qr;
  double qr_size;
} Piece;

struct _LinliReceipt
{
  GObject parent_instance;

  char *name;
  LinliReceiptPaper paper;
  GPtrArray *blocks;  /* Block */
  GPtrArray *fields;  /* char *, NULL-terminated */
  GHashTable *values; /* key → value; wiped when replaced or freed */
};

G_DEFINE_FINAL_TYPE (LinliReceipt, linli_receipt, G_TYPE_OBJECT)

static void
block_free (Block *block)
{
  g_free (block->label);
  g_free (block->text);
  g_free (block);
}

static void
piece_free (Piece *piece)
{
  g_clear_pointer (&piece->layouts, g_ptr_array_unref);
  g_clear_pointer (&piece->qr, QRcode_free);
  g_free (piece);
}

static void
wipe_free (gpointer data)
{
  char *value = data;

  if (value == NULL)
    return;
  explicit_bzero (value, strlen (value));
  g_free (value);
}

static void
linli_receipt_finalize (GObject *object)
{
  LinliReceipt *self = LINLI_RECEIPT (object);

  g_free (self->name);
  g_ptr_array_unref (self->blocks);
  g_ptr_array_unref (self->fields);
  g_hash_table_unref (self->values);
  G_OBJECT_CLASS (linli_receipt_parent_class)->finalize (object);
}

static void
linli_receipt_class_init (LinliReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_receipt_finalize;
}

static void
linli_receipt_init (LinliReceipt *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->fields = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->fields, NULL);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}

static gboolean
is_key_char (char c)
{
  return g_ascii_islower (c) || g_ascii_isdigit (c) || c == '_' || c == '-';
}

static gboolean
has_field (LinliReceipt *self, const char *key)
{
  for (guint i = 0; i + 1 < self->fields->len; i++)
    if (g_str_equal (g_ptr_array_index (self->fields, i), key))
      return TRUE;
  return FALSE;
}

/* Checks the placeholders of @text and records their keys. */
static gboolean
scan_placeholders (LinliReceipt *self, const char *text, guint line, GError **error)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *key = NULL;

      if (*p == '}')
        {
          g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                       "template “%s”, line %u: “}” without “{”", self->name, line);
          return FALSE;
        }
      if (*p != '{')
        continue;
      for (end = p + 1; is_key_char (*end); end++)
        ;
      if (*end != '}' || end == p + 1)
        {
          g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                       "template “%s”, line %u: a placeholder is {lowercase_key}", self->name,
                       line);
          return FALSE;
        }
      key = g_strndup (p + 1, (gsize) (end - p - 1));
      if (!has_field (self, key))
        {
          /* Keep the array NULL-terminated. */
          g_ptr_array_index (self->fields, self->fields->len - 1) = g_steal_pointer (&key);
          g_ptr_array_add (self->fields, NULL);
        }
      p = end;
    }
  return TRUE;
}

static gboolean
parse_template (LinliReceipt *self, const char *text, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean paper_set = FALSE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                   "template “%s” is not UTF-8", self->name);
      return FALSE;
    }
  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = g_strstrip (lines[n]);
      gboolean optional = FALSE;
      const char *argument;
      g_autofree char *keyword = NULL;
      gsize i;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '?')
        {
          optional = TRUE;
          line++;
        }
      argument = line + strcspn (line, " \t");
      keyword = g_strndup (line, (gsize) (argument - line));
      while (*argument == ' ' || *argument == '\t')
        argument++;

      if (g_str_equal (keyword, "paper") && !optional)
        {
          if (paper_set || self->blocks->len > 0)
            {
              g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                           "template “%s”, line %u: “paper” comes once, first", self->name, n + 1);
              return FALSE;
            }
          if (g_str_equal (argument, "roll80"))
            self->paper = LINLI_RECEIPT_PAPER_ROLL_80;
          else if (g_str_equal (argument, "a4"))
            self->paper = LINLI_RECEIPT_PAPER_A4;
          else
            {
              g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                           "template “%s”, line %u: paper is roll80 or a4", self->name, n + 1);
              return FALSE;
            }
          paper_set = TRUE;
          continue;
        }

      for (i = 0; i < G_N_ELEMENTS (block_keywords); i++)
        if (g_str_equal (keyword, block_keywords[i].keyword))
          break;
      if (i == G_N_ELEMENTS (block_keywords) || block_keywords[i].takes_text != (*argument != '\0'))
        {
          g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                       "template “%s”, line %u: unknown block or wrong arguments “%s”", self->name,
                       n + 1, keyword);
          return FALSE;
        }

      {
        Block *block = g_new0 (Block, 1);

        block->kind = block_keywords[i].kind;
        block->optional = optional;
        g_ptr_array_add (self->blocks, block);
        if (block->kind == BLOCK_FIELD)
          {
            const char *bar = strstr (argument, " | ");

            if (bar == NULL)
              {
                g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                             "template “%s”, line %u: field is “LABEL | VALUE”", self->name, n + 1);
                return FALSE;
              }
            block->label = g_strstrip (g_strndup (argument, (gsize) (bar - argument)));
            block->text = g_strstrip (g_strdup (bar + 3));
            if (!scan_placeholders (self, block->label, n + 1, error))
              return FALSE;
          }
        else if (block_keywords[i].takes_text)
          block->text = g_strdup (argument);
        if (block->text != NULL && !scan_placeholders (self, block->text, n + 1, error))
          return FALSE;
      }
    }
  if (self->blocks->len == 0)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_BAD_TEMPLATE,
                   "template “%s” has no blocks", self->name);
      return FALSE;
    }
  return TRUE;
}

LinliReceipt *
linli_receipt_new_from_data (const char *template_name, const char *text, GError **error)
{
  g_autoptr (LinliReceipt) self = NULL;

  g_return_val_if_fail (template_name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LINLI_TYPE_RECEIPT, NULL);
  self->name = g_strdup (template_name);
  if (!parse_template (self, text, error))
    return NULL;
  return g_steal_pointer (&self);
}

LinliReceipt *
linli_receipt_new (const char *template_name, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *bytes;

  g_return_val_if_fail (template_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The name comes from the platform's catalog: keep it to a plain name. */
  for (const char *p = template_name; *p != '\0'; p++)
    if (!is_key_char (*p))
      {
        g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_TEMPLATE,
                     "no receipt template “%s”", template_name);
        return NULL;
      }
  path = g_strconcat (RESOURCE_DIR, template_name, ".receipt", NULL);
  /* Looked up in our own resource (not the global table): that also keeps
   * the linker from dropping it from the static library. */
  data = g_resource_lookup_data (linli_devices_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                 NULL);
  if (data == NULL || *template_name == '\0')
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_TEMPLATE,
                   "no receipt template “%s”", template_name);
      return NULL;
    }
  bytes = g_bytes_get_data (data, &length);
  text = g_strndup (bytes, length);
  return linli_receipt_new_from_data (template_name, text, error);
}

const char *
linli_receipt_get_template_name (LinliReceipt *self)
{
  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  return self->name;
}

LinliReceiptPaper
linli_receipt_get_paper (LinliReceipt *self)
{
  g_return_val_if_fail (LINLI_IS_RECEIPT (self), LINLI_RECEIPT_PAPER_ROLL_80);
  return self->paper;
}

const char *const *
linli_receipt_get_fields (LinliReceipt *self)
{
  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  return (const char *const *) self->fields->pdata;
}

gboolean
linli_receipt_text_has_id_number (const char *text)
{
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);

  while (*p != '\0')
    {
      const char *q = p;
      gsize digits = 0;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      while (g_ascii_isdigit (*q))
        {
          q++;
          digits++;
        }
      /* Eighteen digits glued to letters are a code the platform issued,
       * such as the application number "BJ330102202405140001"; an X check
       * character still marks an ID number wherever it stands. */
      if (digits == 18 && p > text && g_ascii_isalpha (p[-1]))
        {
          p = q;
          continue;
        }
      if (digits == 18)
        return TRUE;
      if (digits == 17 && (*q == 'X' || *q == 'x'))
        return TRUE;
      p = q;
    }
  return FALSE;
}

static gboolean
is_masked (const char *value)
{
  return strchr (value, '*') != NULL || strstr (value, "＊") != NULL;
}

gboolean
linli_receipt_set (LinliReceipt *self, const char *key, const char *value, GError **error)
{
  g_return_val_if_fail (LINLI_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!has_field (self, key))
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_UNKNOWN_FIELD,
                   "template “%s” has no field “%s”", self->name, key);
      return FALSE;
    }
  if (value == NULL)
    {
      g_hash_table_remove (self->values, key);
      return TRUE;
    }
  if (strlen (value) > LINLI_RECEIPT_MAX_VALUE || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_INVALID,
                   "field “%s”: not UTF-8 or longer than %d bytes", key, LINLI_RECEIPT_MAX_VALUE);
      return FALSE;
    }
  /* The messages name the field, never the value: it is personal data. */
  if (linli_receipt_text_has_id_number (value))
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA,
                   "field “%s” holds a full ID number; receipts show only masked ones", key);
      return FALSE;
    }
  if ((g_str_equal (key, "name") || g_str_equal (key, "id_number")) && *value != '\0'
      && !is_masked (value))
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_PERSONAL_DATA,
                   "field “%s” must be masked (王*明, 3701**********123X)", key);
      return FALSE;
    }
  g_hash_table_replace (self->values, g_strdup (key), g_strdup (value));
  return TRUE;
}

/* @text with its placeholders replaced; NULL when one is unset (and then
 * @error unless @optional). */
static char *
expand (LinliReceipt *self, const char *text, gboolean optional, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *key = NULL;
      const char *value;

      if (*p != '{')
        {
          g_string_append_c (out, *p);
          continue;
        }
      end = strchr (p, '}'); /* the parser checked the braces */
      key = g_strndup (p + 1, (gsize) (end - p - 1));
      value = g_hash_table_lookup (self->values, key);
      if (value == NULL)
        {
          if (!optional)
            g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_MISSING_FIELD,
                         "template “%s”: field “%s” is not set", self->name, key);
          explicit_bzero (out->str, out->len);
          return NULL;
        }
      g_string_append (out, value);
      p = end;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static PangoLayout *
make_layout (PangoContext *context,
             const char *text,
             double size,
             gboolean bold,
             PangoAlignment alignment,
             double width)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr (PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  /* Plain text, never markup: values come from the platform. */
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static Piece *
add_piece (GPtrArray *pieces, PieceKind kind)
{
  Piece *piece = g_new0 (Piece, 1);

  piece->kind = kind;
  piece->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pieces, piece);
  return piece;
}

static void
add_layout (GPtrArray *pieces, PangoLayout *layout, double gap)
{
  Piece *piece = add_piece (pieces, PIECE_LAYOUT);

  g_ptr_array_add (piece->layouts, layout);
  piece->height = layout_height (layout) + gap;
}

static void
add_table (GPtrArray *pieces, PangoContext *context, const char *text, double width)
{
  g_auto (GStrv) rows = g_strsplit (text, "\n", -1);

  for (guint r = 0; rows[r] != NULL; r++)
    {
      g_auto (GStrv) cells = g_strsplit (rows[r], "\t", -1);
      guint n = g_strv_length (cells);
      Piece *piece;

      if (n == 0 || (n == 1 && *g_strstrip (cells[0]) == '\0'))
        continue;
      piece = add_piece (pieces, PIECE_ROW);
      for (guint c = 0; c < n; c++)
        {
          /* The first column reads left to right, the others (amounts,
           * dates) line up on the right. */
          PangoLayout *cell = make_layout (context, g_strstrip (cells[c]), SIZE_BODY, FALSE,
                                           c == 0 && n > 1 ? PANGO_ALIGN_LEFT
                                           : n > 1         ? PANGO_ALIGN_RIGHT
                                                           : PANGO_ALIGN_LEFT,
                                           width / n - (n > 1 ? 2.0 : 0.0));

          g_ptr_array_add (piece->layouts, cell);
          piece->height = MAX (piece->height, layout_height (cell));
        }
      piece->height += GAP / 2;
    }
}

static gboolean
add_qr (GPtrArray *pieces, const char *text, double size, GError **error)
{
  QRcode *qr
      = QRcode_encodeData ((int) strlen (text), (const unsigned char *) text, 0, QR_ECLEVEL_M);
  Piece *piece;

  if (qr == NULL)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_INVALID,
                   "the QR code's text does not fit a QR code");
      return FALSE;
    }
  piece = add_piece (pieces, PIECE_QR);
  piece->qr = qr;
  piece->qr_size = size;
  piece->height = size + GAP;
  return TRUE;
}

static GPtrArray *
lay_out_in (LinliReceipt *self, PangoContext *context, double width, GError **error)
{
  g_autoptr (GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) piece_free);
  double qr_size = self->paper == LINLI_RECEIPT_PAPER_A4 ? 40 * MM : 34 * MM;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      g_autoptr (GError) local_error = NULL;
      g_autofree char *text = NULL;

      if (block->text != NULL)
        {
          text = expand (self, block->text, block->optional, &local_error);
          if (text == NULL)
            {
              if (local_error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return NULL;
                }
              continue;
            }
        }

      switch (block->kind)
        {
        case BLOCK_TITLE:
          add_layout (pieces,
                      make_layout (context, text, SIZE_TITLE, TRUE, PANGO_ALIGN_CENTER, width),
                      GAP);
          break;
        case BLOCK_HEADING:
          add_layout (pieces,
                      make_layout (context, text, SIZE_HEADING, TRUE, PANGO_ALIGN_CENTER, width),
                      GAP / 2);
          break;
        case BLOCK_TEXT:
          add_layout (pieces,
                      make_layout (context, text, SIZE_BODY, FALSE, PANGO_ALIGN_LEFT, width), GAP);
          break;
        case BLOCK_CENTER:
          add_layout (pieces,
                      make_layout (context, text, SIZE_BODY, FALSE, PANGO_ALIGN_CENTER, width),
                      GAP);
          break;
        case BLOCK_BIG:
          {
            /* A number is read as one line: shrink it to fit, down to the
             * body size (a 20-character application number on a roll
             * needs about 16 pt), before letting it wrap. */
            double size = SIZE_BIG;
            PangoLayout *layout
                = make_layout (context, text, size, TRUE, PANGO_ALIGN_CENTER, width);

            while (pango_layout_get_line_count (layout) > 1 && size > SIZE_BODY)
              {
                g_object_unref (layout);
                size -= 2;
                layout = make_layout (context, text, size, TRUE, PANGO_ALIGN_CENTER, width);
              }
            add_layout (pieces, layout, GAP);
            break;
          }
        case BLOCK_FIELD:
          {
            g_autofree char *label = expand (self, block->label, block->optional, error);
            g_autofree char *line = NULL;
            PangoLayout *layout;
            PangoAttrList *attrs;
            PangoAttribute *bold;

            if (label == NULL)
              {
                if (!block->optional)
                  return NULL;
                break;
              }
            line = g_strconcat (label, "：", text, NULL);
            layout = make_layout (context, line, SIZE_BODY, FALSE, PANGO_ALIGN_LEFT, width);
            attrs = pango_attr_list_new ();
            bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
            bold->start_index = 0;
            bold->end_index = (guint) strlen (label);
            pango_attr_list_insert (attrs, bold);
            pango_layout_set_attributes (layout, attrs);
            pango_attr_list_unref (attrs);
            add_layout (pieces, layout, GAP);
            explicit_bzero (line, strlen (line));
            break;
          }
        case BLOCK_QR:
          if (!add_qr (pieces, text, MIN (qr_size, width), error))
            return NULL;
          break;
        case BLOCK_TABLE:
          add_table (pieces, context, text, width);
          if (pieces->len > 0)
            ((Piece *) g_ptr_array_index (pieces, pieces->len - 1))->height += GAP / 2;
          break;
        case BLOCK_RULE:
          add_piece (pieces, PIECE_RULE)->height = GAP * 1.5;
          break;
        case BLOCK_SPACE:
          add_piece (pieces, PIECE_GAP)->height = SIZE_BODY;
          break;
        }
      if (text != NULL)
        explicit_bzero (text, strlen (text));
    }
  return g_steal_pointer (&pieces);
}

/* Lays the template out in @width points. */
static GPtrArray *
lay_out (LinliReceipt *self, double width, GError **error)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();
  GPtrArray *pieces;

  /* Points as units, no hinting: the same metrics on every surface. */
  pango_cairo_context_set_resolution (context, 72.0);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_context_set_language (context, pango_language_from_string ("zh-cn"));

  pieces = lay_out_in (self, context, width, error);
  g_object_unref (context);
  return pieces;
}

static double
content_height (GPtrArray *pieces)
{
  double height = 0;

  for (guint i = 0; i < pieces->len; i++)
    height += ((Piece *) g_ptr_array_index (pieces, i))->height;
  return height;
}

/* Draws @piece with its top left at (0, @y), @width points wide, in black. */
static void
draw_piece (cairo_t *cr, Piece *piece, double y, double width)
{
  switch (piece->kind)
    {
    case PIECE_LAYOUT:
      cairo_move_to (cr, 0, y);
      pango_cairo_show_layout (cr, g_ptr_array_index (piece->layouts, 0));
      break;
    case PIECE_ROW:
      for (guint c = 0; c < piece->layouts->len; c++)
        {
          cairo_move_to (cr, width * c / piece->layouts->len + (c > 0 ? 2.0 : 0.0), y);
          pango_cairo_show_layout (cr, g_ptr_array_index (piece->layouts, c));
        }
      break;
    case PIECE_QR:
      {
        /* Four modules of quiet zone on each side, inside qr_size. */
        double module = piece->qr_size / (piece->qr->width + 8);
        double x0 = (width - piece->qr_size) / 2 + 4 * module;
        double y0 = y + 4 * module;

        for (int row = 0; row < piece->qr->width; row++)
          for (int col = 0; col < piece->qr->width; col++)
            if (piece->qr->data[row * piece->qr->width + col] & 1)
              cairo_rectangle (cr, x0 + col * module, y0 + row * module, module, module);
        cairo_fill (cr);
        break;
      }
    case PIECE_RULE:
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, 0, y + piece->height / 2);
      cairo_line_to (cr, width, y + piece->height / 2);
      cairo_stroke (cr);
      break;
    case PIECE_GAP:
      break;
    }
}

static void
page_geometry (LinliReceiptPaper paper,
               double *page_width,
               double *page_height,
               double *margin_x,
               double *margin_top,
               double *margin_bottom)
{
  if (paper == LINLI_RECEIPT_PAPER_A4)
    {
      *page_width = 210 * MM;
      *page_height = 297 * MM;
      *margin_x = *margin_top = *margin_bottom = 20 * MM;
    }
  else
    {
      /* 72 mm printable on an 80 mm roll; room below to tear it off. */
      *page_width = 80 * MM;
      *page_height = 0; /* follows the content */
      *margin_x = 4 * MM;
      *margin_top = 4 * MM;
      *margin_bottom = 10 * MM;
    }
}

static cairo_status_t
write_to_array (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
linli_receipt_render_pdf (LinliReceipt *self, GError **error)
{
  g_autoptr (GPtrArray) pieces = NULL;
  g_autoptr (GByteArray) pdf = NULL;
  double page_width, page_height, margin_x, margin_top, margin_bottom, width, y;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  page_geometry (self->paper, &page_width, &page_height, &margin_x, &margin_top, &margin_bottom);
  width = page_width - 2 * margin_x;
  pieces = lay_out (self, width, error);
  if (pieces == NULL)
    return NULL;
  if (page_height == 0)
    page_height = ceil (margin_top + content_height (pieces) + margin_bottom);

  pdf = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (write_to_array, pdf, page_width, page_height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Linli");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->name);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_translate (cr, margin_x, 0);
  y = margin_top;
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = g_ptr_array_index (pieces, i);

      /* A4 only: a piece that does not fit goes to the next page. */
      if (y + piece->height > page_height - margin_bottom && y > margin_top)
        {
          cairo_show_page (cr);
          y = margin_top;
        }
      draw_piece (cr, piece, y, width);
      y += piece->height;
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_RENDER,
                   "template “%s”: PDF rendering failed: %s", self->name,
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

/* Ink coverage ≥ ½ becomes a dot. A1 packs pixels in native-endian 32-bit
 * words, first pixel in the low bit on little-endian machines. */
static cairo_surface_t *
threshold_to_a1 (cairo_surface_t *gray)
{
  int width = cairo_image_surface_get_width (gray);
  int height = cairo_image_surface_get_height (gray);
  int gray_stride = cairo_image_surface_get_stride (gray);
  const guint8 *src = cairo_image_surface_get_data (gray);
  cairo_surface_t *a1 = cairo_image_surface_create (CAIRO_FORMAT_A1, width, height);
  int stride;
  guint8 *dst;

  if (cairo_surface_status (a1) != CAIRO_STATUS_SUCCESS)
    return a1;
  stride = cairo_image_surface_get_stride (a1);
  dst = cairo_image_surface_get_data (a1);
  cairo_surface_flush (a1);
  for (int y = 0; y < height; y++)
    for (int x0 = 0; x0 < width; x0 += 32)
      {
        guint32 word = 0;

        for (int b = 0; b < 32 && x0 + b < width; b++)
          if (src[y * gray_stride + x0 + b] >= 128)
            word |= G_BYTE_ORDER == G_LITTLE_ENDIAN ? 1u << b : 1u << (31 - b);
        memcpy (dst + y * stride + x0 / 8, &word, sizeof word);
      }
  cairo_surface_mark_dirty (a1);
  return a1;
}

cairo_surface_t *
linli_receipt_render_raster (LinliReceipt *self, int width_px, GError **error)
{
  g_autoptr (GPtrArray) pieces = NULL;
  double page_width, page_height, margin_x, margin_top, margin_bottom, width, scale, y;
  const double pad = 2 * MM; /* the printer adds its own margins */
  cairo_surface_t *gray, *a1;
  cairo_t *cr;
  int height_px;

  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (width_px >= 8 && width_px <= 4096, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  page_geometry (self->paper, &page_width, &page_height, &margin_x, &margin_top, &margin_bottom);
  width = page_width - 2 * margin_x;
  pieces = lay_out (self, width, error);
  if (pieces == NULL)
    return NULL;
  scale = width_px / width;
  height_px = (int) ceil ((2 * pad + content_height (pieces)) * scale);

  gray = cairo_image_surface_create (CAIRO_FORMAT_A8, width_px, height_px);
  cr = cairo_create (gray);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 0, 0, 0);
  y = pad;
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = g_ptr_array_index (pieces, i);

      draw_piece (cr, piece, y, width);
      y += piece->height;
    }
  cairo_destroy (cr);
  cairo_surface_flush (gray);
  if (cairo_surface_status (gray) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_RENDER,
                   "template “%s”: raster rendering failed: %s", self->name,
                   cairo_status_to_string (cairo_surface_status (gray)));
      cairo_surface_destroy (gray);
      return NULL;
    }
  a1 = threshold_to_a1 (gray);
  cairo_surface_destroy (gray);
  if (cairo_surface_status (a1) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_RENDER,
                   "template “%s”: raster rendering failed: %s", self->name,
                   cairo_status_to_string (cairo_surface_status (a1)));
      cairo_surface_destroy (a1);
      return NULL;
    }
  return a1;
}

const char *
linli_receipt_get (LinliReceipt *self, const char *key)
{
  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (self->values, key);
}

void
linli_receipt_wipe_text (char *text)
{
  wipe_free (text);
}

static void
append_line (GString *out, const char *line)
{
  g_string_append (out, line);
  g_string_append_c (out, '\n');
}

char *
linli_receipt_render_text (LinliReceipt *self, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (LINLI_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      g_autoptr (GError) local_error = NULL;
      g_autofree char *text = NULL;

      if (block->text != NULL)
        {
          text = expand (self, block->text, block->optional, &local_error);
          if (text == NULL)
            {
              if (local_error != NULL)
                {
                  explicit_bzero (out->str, out->len);
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return NULL;
                }
              continue;
            }
        }
      switch (block->kind)
        {
        case BLOCK_FIELD:
          {
            g_autofree char *label = expand (self, block->label, block->optional, NULL);

            if (label == NULL)
              break;
            g_string_append_printf (out, "%s：%s\n", label, text);
            break;
          }
        case BLOCK_TABLE:
          {
            g_auto (GStrv) rows = g_strsplit (text, "\n", -1);

            for (guint r = 0; rows[r] != NULL; r++)
              {
                g_auto (GStrv) cells = g_strsplit (rows[r], "\t", -1);
                g_autofree char *row = NULL;

                for (guint c = 0; cells[c] != NULL; c++)
                  g_strstrip (cells[c]);
                row = g_strjoinv ("  ", cells);
                if (*row != '\0')
                  append_line (out, row);
                explicit_bzero (rows[r], strlen (rows[r]));
              }
            break;
          }
        case BLOCK_RULE:
          append_line (out, "----------------");
          break;
        case BLOCK_SPACE:
          append_line (out, "");
          break;
        case BLOCK_QR:
          break;
        case BLOCK_TITLE:
        case BLOCK_HEADING:
        case BLOCK_TEXT:
        case BLOCK_CENTER:
        case BLOCK_BIG:
        default:
          append_line (out, text);
          break;
        }
      if (text != NULL)
        explicit_bzero (text, strlen (text));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GBytes *
linli_receipt_qr_pixels (const char *text, int module_px, int *size_px, GError **error)
{
  QRcode *qr;
  int modules, side;
  guint8 *pixels;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0 && module_px <= 64, NULL);
  g_return_val_if_fail (size_px != NULL, NULL);

  qr = QRcode_encodeData ((int) strlen (text), (const unsigned char *) text, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    {
      g_set_error (error, LINLI_RECEIPT_ERROR, LINLI_RECEIPT_ERROR_INVALID,
                   "the text does not fit in a QR code (%zu bytes)", strlen (text));
      return NULL;
    }
  modules = qr->width + 8;
  side = modules * module_px;
  pixels = g_malloc ((gsize) side * (gsize) side * 3);
  memset (pixels, 0xff, (gsize) side * (gsize) side * 3);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      if (qr->data[row * qr->width + col] & 1)
        for (int y = 0; y < module_px; y++)
          memset (pixels
                      + (((gsize) (row + 4) * module_px + y) * side + (gsize) (col + 4) * module_px)
                            * 3,
                  0, (gsize) module_px * 3);
  QRcode_free (qr);
  *size_px = side;
  return g_bytes_new_take (pixels, (gsize) side * (gsize) side * 3);
}
