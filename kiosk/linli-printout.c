/* linli-printout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain holder: the journeys in linli-kiosk.c fill it, the screens read
 * it, the printer gets its receipt. Every string is zeroed when freed.
 */
#define G_LOG_DOMAIN "linli-printout"

#include "linli-printout-private.h"

#include <string.h>

typedef struct
{
  char *label;
  char *value;
  char *spoken;
} Line;

struct _LinliPrintout
{
  GObject parent_instance;

  char *title;
  GArray *lines; /* Line */
  char *note;
  char *number;
  LinliReceipt *receipt;
  gboolean payable;
  LinliPayableKind payable_kind;
  char *payable_id;
  gint64 amount_fen;
  char *item;
  char *account;
  char *holder_masked;
};

G_DEFINE_FINAL_TYPE (LinliPrintout, linli_printout, G_TYPE_OBJECT)

static void
wipe (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
line_clear (gpointer data)
{
  Line *line = data;

  wipe (line->label);
  wipe (line->value);
  wipe (line->spoken);
}

static void
linli_printout_finalize (GObject *object)
{
  LinliPrintout *self = LINLI_PRINTOUT (object);

  wipe (self->title);
  wipe (self->note);
  wipe (self->number);
  wipe (self->payable_id);
  wipe (self->item);
  wipe (self->account);
  wipe (self->holder_masked);
  g_array_unref (self->lines);
  g_clear_object (&self->receipt);
  G_OBJECT_CLASS (linli_printout_parent_class)->finalize (object);
}

static void
linli_printout_class_init (LinliPrintoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_printout_finalize;
}

static void
linli_printout_init (LinliPrintout *self)
{
  self->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (self->lines, line_clear);
}

LinliPrintout *
linli_printout_new (const char *title, LinliReceipt *receipt)
{
  LinliPrintout *self = g_object_new (LINLI_TYPE_PRINTOUT, NULL);

  g_return_val_if_fail (title != NULL, NULL);
  self->title = g_strdup (title);
  self->receipt = receipt;
  return self;
}

void
linli_printout_add_line (LinliPrintout *self,
                         const char *label,
                         const char *value,
                         const char *spoken)
{
  Line line = { g_strdup (label), g_strdup (value), g_strdup (spoken) };

  g_return_if_fail (LINLI_IS_PRINTOUT (self));
  g_array_append_val (self->lines, line);
}

void
linli_printout_set_note (LinliPrintout *self, const char *note)
{
  g_return_if_fail (LINLI_IS_PRINTOUT (self));
  wipe (self->note);
  self->note = g_strdup (note);
}

void
linli_printout_set_number (LinliPrintout *self, const char *number)
{
  g_return_if_fail (LINLI_IS_PRINTOUT (self));
  wipe (self->number);
  self->number = g_strdup (number);
}

LinliReceipt *
linli_printout_get_receipt (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  return self->receipt;
}

const char *
linli_printout_get_title (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  return self->title;
}

guint
linli_printout_get_n_lines (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), 0);
  return self->lines->len;
}

void
linli_printout_get_line (
    LinliPrintout *self, guint index, const char **label, const char **value, const char **spoken)
{
  Line *line;

  g_return_if_fail (LINLI_IS_PRINTOUT (self));
  g_return_if_fail (index < self->lines->len);
  line = &g_array_index (self->lines, Line, index);
  if (label != NULL)
    *label = line->label;
  if (value != NULL)
    *value = line->value;
  if (spoken != NULL)
    *spoken = line->spoken;
}

const char *
linli_printout_get_note (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  return self->note;
}

char *
linli_printout_get_spoken (LinliPrintout *self)
{
  GString *out;

  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  out = g_string_new (self->title);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = &g_array_index (self->lines, Line, i);

      /* A pause between lines, as a clerk would read them out. */
      if (line->spoken != NULL)
        g_string_append_printf (out, "。%s", line->spoken);
      else
        g_string_append_printf (out, "。%s，%s", line->label, line->value);
    }
  if (self->note != NULL)
    g_string_append_printf (out, "。%s", self->note);
  return g_string_free (out, FALSE);
}

gboolean
linli_printout_get_printable (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), FALSE);
  return self->receipt != NULL;
}

const char *
linli_printout_get_number (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  return self->number;
}

GBytes *
linli_printout_render_qr (LinliPrintout *self, int module_px, int *size_px, GError **error)
{
  const char *address;
  char *text;
  GBytes *pixels;

  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (self->receipt != NULL, NULL);

  /* A receipt with a look-up address (an application, a certificate's
   * verification page) is best kept as that address: it stays current. */
  address = linli_receipt_get (self->receipt, "qr");
  if (address != NULL)
    return linli_receipt_qr_pixels (address, module_px, size_px, error);
  text = linli_receipt_render_text (self->receipt, error);
  if (text == NULL)
    return NULL;
  pixels = linli_receipt_qr_pixels (text, module_px, size_px, error);
  linli_receipt_wipe_text (text);
  return pixels;
}

void
linli_printout_set_payable (LinliPrintout *self,
                            LinliPayableKind kind,
                            const char *payable_id,
                            gint64 amount_fen,
                            const char *item,
                            const char *account,
                            const char *holder_masked)
{
  g_return_if_fail (LINLI_IS_PRINTOUT (self));
  g_return_if_fail (payable_id != NULL && item != NULL);
  self->payable = TRUE;
  self->payable_kind = kind;
  wipe (self->payable_id);
  self->payable_id = g_strdup (payable_id);
  self->amount_fen = amount_fen;
  wipe (self->item);
  self->item = g_strdup (item);
  wipe (self->account);
  self->account = g_strdup (account);
  wipe (self->holder_masked);
  self->holder_masked = g_strdup (holder_masked);
}

gboolean
linli_printout_get_payable (LinliPrintout *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), FALSE);
  return self->payable;
}

gboolean
linli_printout_get_payable_details (LinliPrintout *self,
                                    LinliPayableKind *kind,
                                    const char **payable_id,
                                    gint64 *amount_fen,
                                    const char **item,
                                    const char **account,
                                    const char **holder_masked)
{
  g_return_val_if_fail (LINLI_IS_PRINTOUT (self), FALSE);
  if (!self->payable)
    return FALSE;
  *kind = self->payable_kind;
  *payable_id = self->payable_id;
  *amount_fen = self->amount_fen;
  *item = self->item;
  *account = self->account;
  *holder_masked = self->holder_masked;
  return TRUE;
}
