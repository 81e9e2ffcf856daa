/* linli-form.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is typed for an application is personal (a phone number, a bank
 * account, a relative's ID number), so it lives only in the session, under
 * "form:ITEM:FIELD", and is wiped with everything else when the visit ends.
 * The form itself holds the catalog's description of the item and the
 * moment the resident confirmed.
 */
#define G_LOG_DOMAIN "linli-form"

#include "linli-form.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-field-check.h"
#include "linli-identity.h"
#include "linli-kiosk-private.h"
#include "linli-secret.h"

G_DEFINE_QUARK (linli_form_error_quark, linli_form_error)

struct _LinliForm
{
  GObject parent_instance;

  LinliSession *session;
  LinliCatalogItem *item;
  GDateTime *confirmed_at;
};

G_DEFINE_FINAL_TYPE (LinliForm, linli_form, G_TYPE_OBJECT)

void
linli_form_field_clear (LinliFormField *field)
{
  g_clear_pointer (&field->name, g_free);
  g_clear_pointer (&field->label, g_free);
  g_clear_pointer (&field->help, g_free);
  g_clear_pointer (&field->spoken, g_free);
  g_clear_pointer (&field->choice_values, g_strfreev);
  g_clear_pointer (&field->choice_labels, g_strfreev);
}

static void
linli_form_finalize (GObject *object)
{
  LinliForm *self = LINLI_FORM (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->item, linli_catalog_item_unref);
  g_clear_pointer (&self->confirmed_at, g_date_time_unref);
  G_OBJECT_CLASS (linli_form_parent_class)->finalize (object);
}

static void
linli_form_class_init (LinliFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_form_finalize;
}

static void
linli_form_init (LinliForm *self)
{
}

/**
 * linli_form_new:
 * @item_code: an item of the catalog whose flow is `application`
 *
 * Returns: (transfer full): the form, or NULL with LINLI_FORM_ERROR_NO_ITEM
 */
LinliForm *
linli_form_new (LinliKiosk *kiosk, const char *item_code, GError **error)
{
  LinliCatalog *catalog = linli_kiosk_get_catalog (kiosk);
  LinliCatalogItem *item = catalog != NULL && item_code != NULL
                               ? linli_catalog_lookup_item (catalog, item_code)
                               : NULL;
  LinliForm *self;

  if (item == NULL || item->flow != LINLI_FLOW_APPLICATION)
    {
      g_set_error_literal (error, LINLI_FORM_ERROR, LINLI_FORM_ERROR_NO_ITEM,
                           _ ("This service is not available at this kiosk right now."));
      return NULL;
    }
  self = g_object_new (LINLI_TYPE_FORM, NULL);
  self->session = g_object_ref (linli_kiosk_get_session (kiosk));
  self->item = linli_catalog_item_ref (item);
  return self;
}

const char *
linli_form_get_item_code (LinliForm *self)
{
  g_return_val_if_fail (LINLI_IS_FORM (self), NULL);
  return self->item->item_code;
}

guint
linli_form_get_n_fields (LinliForm *self)
{
  g_return_val_if_fail (LINLI_IS_FORM (self), 0);
  return self->item->fields->len;
}

gboolean
linli_form_get_assisted_only (LinliForm *self)
{
  g_return_val_if_fail (LINLI_IS_FORM (self), FALSE);
  return self->item->assisted_only;
}

guint
linli_form_get_n_documents (LinliForm *self)
{
  g_return_val_if_fail (LINLI_IS_FORM (self), 0);
  return self->item->documents->len;
}

static LinliFormInput
input_of (LinliFieldType type)
{
  switch (type)
    {
    case LINLI_FIELD_TYPE_MULTILINE:
      return LINLI_FORM_INPUT_MULTILINE;
    case LINLI_FIELD_TYPE_INTEGER:
    case LINLI_FIELD_TYPE_PHONE:
    case LINLI_FIELD_TYPE_ID_NUMBER:
      return LINLI_FORM_INPUT_DIGITS;
    case LINLI_FIELD_TYPE_AMOUNT:
      return LINLI_FORM_INPUT_AMOUNT;
    case LINLI_FIELD_TYPE_DATE:
      return LINLI_FORM_INPUT_DATE;
    case LINLI_FIELD_TYPE_CHOICE:
      return LINLI_FORM_INPUT_CHOICE;
    case LINLI_FIELD_TYPE_BOOLEAN:
      return LINLI_FORM_INPUT_BOOLEAN;
    case LINLI_FIELD_TYPE_TEXT:
    default:
      return LINLI_FORM_INPUT_TEXT;
    }
}

gboolean
linli_form_get_field (LinliForm *self, guint index, const char *language, LinliFormField *field)
{
  const LinliField *spec;
  g_autoptr (GStrvBuilder) values = NULL;
  g_autoptr (GStrvBuilder) labels = NULL;

  g_return_val_if_fail (LINLI_IS_FORM (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  *field = (LinliFormField){ 0 };
  if (index >= self->item->fields->len)
    return FALSE;
  spec = g_ptr_array_index (self->item->fields, index);
  field->name = g_strdup (spec->name);
  field->label = g_strdup (linli_localized_text_get (spec->label, language));
  if (spec->help != NULL)
    field->help = g_strdup (linli_localized_text_get (spec->help, language));
  if (spec->spoken != NULL)
    field->spoken = g_strdup (linli_localized_text_get (spec->spoken, language));
  else if (field->help != NULL)
    field->spoken = g_strdup_printf ("%s。%s", field->label, field->help);
  else
    field->spoken = g_strdup (field->label);
  field->input = input_of (spec->type);
  field->required = spec->required;
  field->max_length
      = spec->max_length >= 0 && spec->max_length <= G_MAXINT ? (int) spec->max_length : -1;
  if (spec->type == LINLI_FIELD_TYPE_CHOICE && spec->choices != NULL)
    {
      values = g_strv_builder_new ();
      labels = g_strv_builder_new ();
      for (guint i = 0; i < spec->choices->len; i++)
        {
          LinliChoice *choice = g_ptr_array_index (spec->choices, i);

          g_strv_builder_add (values, choice->value);
          g_strv_builder_add (labels, linli_localized_text_get (choice->label, language));
        }
    }
  else if (spec->type == LINLI_FIELD_TYPE_BOOLEAN)
    {
      values = g_strv_builder_new ();
      labels = g_strv_builder_new ();
      g_strv_builder_add_many (values, "true", "false", NULL);
      g_strv_builder_add_many (labels, _ ("Yes"), _ ("No"), NULL);
    }
  if (values != NULL)
    {
      field->choice_values = g_strv_builder_end (values);
      field->choice_labels = g_strv_builder_end (labels);
    }
  return TRUE;
}

static char *
key_of (LinliForm *self, const LinliField *spec)
{
  return g_strconcat ("form:", self->item->item_code, ":", spec->name, NULL);
}

const char *
linli_form_get_text (LinliForm *self, guint index)
{
  g_autofree char *key = NULL;
  LinliSecret *secret;

  g_return_val_if_fail (LINLI_IS_FORM (self), "");
  if (index >= self->item->fields->len)
    return "";
  key = key_of (self, g_ptr_array_index (self->item->fields, index));
  secret = linli_session_lookup (self->session, key);
  return secret != NULL && !linli_secret_is_wiped (secret) ? linli_secret_get_string (secret) : "";
}

void
linli_form_set_text (LinliForm *self, guint index, const char *text)
{
  g_autofree char *key = NULL;
  g_autoptr (LinliSecret) secret = NULL;

  g_return_if_fail (LINLI_IS_FORM (self));
  if (index >= self->item->fields->len)
    return;
  key = key_of (self, g_ptr_array_index (self->item->fields, index));
  /* A changed value means the summary has to be confirmed again. */
  g_clear_pointer (&self->confirmed_at, g_date_time_unref);
  if (text == NULL || *text == '\0')
    {
      linli_session_forget (self->session, key);
      return;
    }
  secret = linli_secret_new_string (text);
  /* Kept only while the visit lasts (the session wipes it when idle). */
  linli_session_keep (self->session, key, secret);
}

gboolean
linli_form_check_field (LinliForm *self, guint index, const char *language, char **message)
{
  g_autofree char *value = NULL;
  gboolean ok;

  g_return_val_if_fail (LINLI_IS_FORM (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (index < self->item->fields->len, FALSE);

  ok = linli_field_check (g_ptr_array_index (self->item->fields, index),
                          linli_form_get_text (self, index), language, &value, message);
  if (value != NULL)
    explicit_bzero (value, strlen (value));
  return ok;
}

/* A value as the summary shows it. */
static char *
shown_value (const LinliField *spec, const char *value, const char *language)
{
  if (value == NULL)
    return g_strdup (_ ("(not given)"));
  switch (spec->type)
    {
    case LINLI_FIELD_TYPE_CHOICE:
      for (guint i = 0; spec->choices != NULL && i < spec->choices->len; i++)
        {
          LinliChoice *choice = g_ptr_array_index (spec->choices, i);

          if (g_str_equal (choice->value, value))
            return g_strdup (linli_localized_text_get (choice->label, language));
        }
      return g_strdup (value);
    case LINLI_FIELD_TYPE_BOOLEAN:
      return g_strdup (g_str_equal (value, "true") ? _ ("Yes") : _ ("No"));
    case LINLI_FIELD_TYPE_ID_NUMBER:
      return linli_mask_id_number (value);
    case LINLI_FIELD_TYPE_AMOUNT:
      return linli_format_screen_yuan (g_ascii_strtoll (value, NULL, 10));
    default:
      return g_strdup (value);
    }
}

guint
linli_form_get_summary (LinliForm *self, const char *language, GStrv *labels, GStrv *values)
{
  g_autoptr (GStrvBuilder) label_builder = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) value_builder = g_strv_builder_new ();
  guint n = 0;

  g_return_val_if_fail (LINLI_IS_FORM (self), 0);
  g_return_val_if_fail (labels != NULL && values != NULL, 0);

  for (guint i = 0; i < self->item->fields->len; i++, n++)
    {
      const LinliField *spec = g_ptr_array_index (self->item->fields, i);
      g_autofree char *value = NULL;
      g_autofree char *message = NULL;
      g_autofree char *shown = NULL;

      linli_field_check (spec, linli_form_get_text (self, i), language, &value, &message);
      shown = shown_value (spec, value, language);
      g_strv_builder_add (label_builder, linli_localized_text_get (spec->label, language));
      g_strv_builder_add (value_builder, shown);
      if (value != NULL)
        explicit_bzero (value, strlen (value));
    }
  for (guint i = 0; i < self->item->documents->len; i++, n++)
    {
      const LinliDocumentSpec *spec = g_ptr_array_index (self->item->documents, i);
      GListModel *pages = G_LIST_MODEL (linli_session_get_pages (self->session, spec->name));
      guint n_pages = pages != NULL ? g_list_model_get_n_items (pages) : 0;
      g_autofree char *shown
          = n_pages == 0 && !spec->required
                ? g_strdup (_ ("(not given)"))
                : g_strdup_printf (ngettext ("%u page", "%u pages", n_pages), n_pages);

      g_strv_builder_add (label_builder, linli_localized_text_get (spec->title, language));
      g_strv_builder_add (value_builder, shown);
    }
  *labels = g_strv_builder_end (label_builder);
  *values = g_strv_builder_end (value_builder);
  return n;
}

void
linli_form_confirm (LinliForm *self)
{
  g_return_if_fail (LINLI_IS_FORM (self));
  g_clear_pointer (&self->confirmed_at, g_date_time_unref);
  self->confirmed_at = g_date_time_new_now_local ();
}

/* Returns: (transfer none) (nullable): when the resident confirmed the
 * summary, or NULL when not (or a value changed since). */
GDateTime *
linli_form_get_confirmed_at (LinliForm *self)
{
  g_return_val_if_fail (LINLI_IS_FORM (self), NULL);
  return self->confirmed_at;
}
