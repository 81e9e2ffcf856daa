/* linli-form.h: the form of one application item (办件), as staff and the
 * resident fill it at the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields come from the platform's catalog; what is typed is kept in
 * the session (wiped when the visit ends), never in this object. The
 * screens see plain descriptions, not the catalog's types.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How a field is entered on screen. */
typedef enum
{
  LINLI_FORM_INPUT_TEXT,      /* one line: keyboard, or the digit pad */
  LINLI_FORM_INPUT_MULTILINE, /* several lines: keyboard */
  LINLI_FORM_INPUT_DIGITS,    /* integer, phone, ID number: the digit pad (and X) */
  LINLI_FORM_INPUT_AMOUNT,    /* yuan: the digit pad and the point */
  LINLI_FORM_INPUT_DATE,      /* YYYY-MM-DD: the digit pad, the dashes put in */
  LINLI_FORM_INPUT_CHOICE,    /* one of the choices, as buttons */
  LINLI_FORM_INPUT_BOOLEAN,   /* yes or no, as buttons */
} LinliFormInput;

typedef struct
{
  char *name;
  char *label;  /* in the language asked for */
  char *help;   /* or NULL */
  char *spoken; /* what to say when the field is shown */
  LinliFormInput input;
  gboolean required;
  int max_length; /* characters, or -1 */
  /* CHOICE: the values sent and their labels; BOOLEAN: "true"/"false" and
   * 是/否; else NULL. */
  GStrv choice_values;
  GStrv choice_labels;
} LinliFormField;

void linli_form_field_clear (LinliFormField *field);

#define LINLI_FORM_ERROR (linli_form_error_quark ())
GQuark linli_form_error_quark (void);

typedef enum
{
  LINLI_FORM_ERROR_NO_ITEM,    /* not an application item of the catalog */
  LINLI_FORM_ERROR_NO_SESSION, /* the visit ended: nothing is kept */
  LINLI_FORM_ERROR_INVALID,    /* a value does not fit (the message says which) */
} LinliFormError;

typedef struct _LinliKiosk LinliKiosk;

#define LINLI_TYPE_FORM (linli_form_get_type ())
G_DECLARE_FINAL_TYPE (LinliForm, linli_form, LINLI, FORM, GObject)

/* The form of @item_code, an application item of the kiosk's catalog. */
LinliForm *linli_form_new (LinliKiosk *kiosk, const char *item_code, GError **error);

const char *linli_form_get_item_code (LinliForm *self);
guint linli_form_get_n_fields (LinliForm *self);
/* FALSE when @index is past the end. */
gboolean linli_form_get_field (LinliForm *self,
                               guint index,
                               const char *language,
                               LinliFormField *field);
guint linli_form_get_n_documents (LinliForm *self);
/* Only staff may file it, for the resident. */
gboolean linli_form_get_assisted_only (LinliForm *self);

/* What was typed or chosen for field @index ("" for nothing yet). The
 * string belongs to the session: copy it before the next set. */
const char *linli_form_get_text (LinliForm *self, guint index);
void linli_form_set_text (LinliForm *self, guint index, const char *text);
/* Checks field @index against the catalog's rules; FALSE with a message
 * fit to show and speak, naming the field. */
gboolean linli_form_check_field (LinliForm *self,
                                 guint index,
                                 const char *language,
                                 char **message);

/* The summary the resident confirms: one line per field (label and value
 * as shown: choices by their label, ID numbers masked, amounts in yuan)
 * and one per document (its pages). */
guint linli_form_get_summary (LinliForm *self, const char *language, GStrv *labels, GStrv *values);

/* The resident confirmed the summary now. */
void linli_form_confirm (LinliForm *self);
GDateTime *linli_form_get_confirmed_at (LinliForm *self);

G_END_DECLS
