/* linli-catalog.c — the platform's service catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond each member's own rules, the catalog must make sense as a whole,
 * because the kiosk builds its screens from it: codes are unique, every
 * item's category exists, a choice field has choices, a document's page
 * range is a range, a pattern compiles.
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-catalog.h"

#include <string.h>

#include "linli-platform-error.h"

static const char *const flow_names[] = {
  "info", "certificate", "payment", "certification", "application", "status", NULL,
};
static const char *const field_type_names[] = {
  "text", "multiline", "integer", "amount", "date", "choice", "phone", "id_number", "boolean", NULL,
};
static const char *const trust_level_names[] = {
  "reference",
  "staff_verified",
  "original_required",
  NULL,
};

const char *
linli_flow_to_string (LinliFlow flow)
{
  return linli_json_enum_to_string (flow_names, (int) flow);
}

const char *
linli_field_type_to_string (LinliFieldType type)
{
  return linli_json_enum_to_string (field_type_names, (int) type);
}

const char *
linli_trust_level_to_string (LinliTrustLevel level)
{
  return linli_json_enum_to_string (trust_level_names, (int) level);
}

/* ---- Freeing ------------------------------------------------------------- */

static void
choice_free (gpointer data)
{
  LinliChoice *choice = data;

  g_free (choice->value);
  linli_localized_text_free (choice->label);
  g_free (choice);
}

static void
field_free (gpointer data)
{
  LinliField *field = data;

  g_free (field->name);
  linli_localized_text_free (field->label);
  linli_localized_text_free (field->help);
  linli_localized_text_free (field->spoken);
  g_free (field->pattern);
  g_free (field->min_date);
  g_free (field->max_date);
  g_clear_pointer (&field->choices, g_ptr_array_unref);
  g_free (field);
}

static void
document_free (gpointer data)
{
  LinliDocumentSpec *document = data;

  g_free (document->name);
  linli_localized_text_free (document->title);
  linli_localized_text_free (document->spoken);
  g_free (document);
}

static void
category_free (gpointer data)
{
  LinliCategory *category = data;

  g_free (category->code);
  linli_localized_text_free (category->title);
  linli_localized_text_free (category->spoken);
  g_free (category->icon);
  g_free (category);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliChoice, choice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliField, field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliDocumentSpec, document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliCategory, category_free)

static void
catalog_item_clear (gpointer data)
{
  LinliCatalogItem *self = data;

  g_free (self->item_code);
  g_free (self->category);
  linli_localized_text_free (self->title);
  linli_localized_text_free (self->spoken);
  linli_localized_text_free (self->description);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_free (self->receipt_template);
  g_free (self->utility_type);
}

LinliCatalogItem *
linli_catalog_item_ref (LinliCatalogItem *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
linli_catalog_item_unref (LinliCatalogItem *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, catalog_item_clear);
}

static void
catalog_clear (gpointer data)
{
  LinliCatalog *self = data;

  g_free (self->version);
  g_clear_pointer (&self->generated_at, g_date_time_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->ignored_item_codes, g_ptr_array_unref);
  g_free (self->etag);
}

LinliCatalog *
linli_catalog_ref (LinliCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
linli_catalog_unref (LinliCatalog *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, catalog_clear);
}

G_DEFINE_BOXED_TYPE (LinliCatalog, linli_catalog, linli_catalog_ref, linli_catalog_unref)
G_DEFINE_BOXED_TYPE (LinliCatalogItem,
                     linli_catalog_item,
                     linli_catalog_item_ref,
                     linli_catalog_item_unref)

/* ---- Checks ---------------------------------------------------------------- */

static gboolean
check_category_code (const char *text)
{
  gsize length = strlen (text);

  if (length < 2 || length > 32 || !g_ascii_islower (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_receipt_template (const char *text)
{
  gsize length = strlen (text);

  if (length < 2 || length > 48 || !g_ascii_islower (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_icon (const char *text)
{
  return strlen (text) <= 64 && check_category_code (text);
}

static gboolean
check_pattern (const char *text)
{
  g_autoptr (GRegex) regex = NULL;

  if (strlen (text) > 512)
    return FALSE;
  /* The kiosk checks the value with GRegex before submitting: a pattern it
   * cannot compile would make the field impossible to fill. */
  regex = g_regex_new (text, G_REGEX_OPTIMIZE, 0, NULL);
  return regex != NULL;
}

/* ---- Parsing --------------------------------------------------------------- */

static LinliChoice *
parse_choice (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliChoice) choice = g_new0 (LinliChoice, 1);
  JsonObject *object;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_string (object, path, "value", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                                 &choice->value, error)
      || !linli_json_get_text (object, path, "label", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &choice->label, error))
    return NULL;
  return g_steal_pointer (&choice);
}

static LinliField *
parse_field (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliField) field = g_new0 (LinliField, 1);
  JsonObject *object;
  JsonArray *choices = NULL;
  int type = 0;

  field->min_length = -1;
  field->max_length = -1;
  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "name", LINLI_JSON_REQUIRED, linli_check_name_key,
                                  "a field name", &field->name, error)
      || !linli_json_get_enum (object, path, "type", LINLI_JSON_REQUIRED, field_type_names, &type,
                               error)
      || !linli_json_get_text (object, path, "label", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &field->label, error)
      || !linli_json_get_text (object, path, "help", LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &field->help, error)
      || !linli_json_get_text (object, path, "spoken", LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &field->spoken, error)
      || !linli_json_get_boolean (object, path, "required", LINLI_JSON_REQUIRED, &field->required,
                                  NULL, error)
      || !linli_json_get_checked (object, path, "pattern", LINLI_JSON_NULLABLE, check_pattern,
                                  "a regular expression the kiosk can use", &field->pattern, error)
      || !linli_json_get_int (object, path, "min_length", LINLI_JSON_NULLABLE, 0, 2000,
                              &field->min_length, NULL, error)
      || !linli_json_get_int (object, path, "max_length", LINLI_JSON_NULLABLE, 1, 2000,
                              &field->max_length, NULL, error)
      || !linli_json_get_number (object, path, "min", LINLI_JSON_NULLABLE, -1e15, 1e15, &field->min,
                                 &field->has_min, error)
      || !linli_json_get_number (object, path, "max", LINLI_JSON_NULLABLE, -1e15, 1e15, &field->max,
                                 &field->has_max, error)
      || !linli_json_get_date (object, path, "min_date", LINLI_JSON_NULLABLE, &field->min_date,
                               error)
      || !linli_json_get_date (object, path, "max_date", LINLI_JSON_NULLABLE, &field->max_date,
                               error)
      || !linli_json_get_array (object, path, "choices", LINLI_JSON_NULLABLE, 100, &choices, error))
    return NULL;
  field->type = (LinliFieldType) type;

  if (field->min_length >= 0 && field->max_length >= 0 && field->min_length > field->max_length)
    return linli_json_set_invalid (error, path, "min_length", "greater than max_length"), NULL;
  if (field->has_min && field->has_max && field->min > field->max)
    return linli_json_set_invalid (error, path, "min", "greater than max"), NULL;
  if (field->min_date != NULL && field->max_date != NULL
      && strcmp (field->min_date, field->max_date) > 0)
    return linli_json_set_invalid (error, path, "min_date", "after max_date"), NULL;

  if (choices != NULL)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      field->choices = g_ptr_array_new_with_free_func (choice_free);
      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          g_autofree char *where = linli_json_path_index (path, "choices", i);
          LinliChoice *choice = parse_choice (json_array_get_element (choices, i), where, error);

          if (choice == NULL)
            return NULL;
          g_ptr_array_add (field->choices, choice);
          if (!g_hash_table_add (seen, choice->value))
            return linli_json_set_invalid (error, where, "value", "given twice"), NULL;
        }
    }
  if (field->type == LINLI_FIELD_TYPE_CHOICE
      && (field->choices == NULL || field->choices->len == 0))
    return linli_json_set_invalid (error, path, "choices", "missing for a choice field"), NULL;
  return g_steal_pointer (&field);
}

static LinliDocumentSpec *
parse_document (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliDocumentSpec) document = g_new0 (LinliDocumentSpec, 1);
  JsonObject *object;
  gint64 pages_min = 0, pages_max = 0, max_bytes = LINLI_DOCUMENT_DEFAULT_MAX_BYTES;
  gboolean has_max_bytes = FALSE;
  int trust = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "name", LINLI_JSON_REQUIRED, linli_check_name_key,
                                  "a document name", &document->name, error)
      || !linli_json_get_text (object, path, "title", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &document->title, error)
      || !linli_json_get_text (object, path, "spoken", LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &document->spoken, error)
      || !linli_json_get_int (object, path, "pages_min", LINLI_JSON_REQUIRED, 1, 50, &pages_min,
                              NULL, error)
      || !linli_json_get_int (object, path, "pages_max", LINLI_JSON_REQUIRED, 1, 50, &pages_max,
                              NULL, error)
      || !linli_json_get_int (object, path, "max_bytes", LINLI_JSON_OPTIONAL, 65536, 16777216,
                              &max_bytes, &has_max_bytes, error)
      || !linli_json_get_boolean (object, path, "required", LINLI_JSON_REQUIRED,
                                  &document->required, NULL, error)
      || !linli_json_get_enum (object, path, "trust_level", LINLI_JSON_REQUIRED, trust_level_names,
                               &trust, error))
    return NULL;
  if (pages_min > pages_max)
    return linli_json_set_invalid (error, path, "pages_min", "greater than pages_max"), NULL;
  document->pages_min = (int) pages_min;
  document->pages_max = (int) pages_max;
  document->max_bytes = has_max_bytes ? max_bytes : LINLI_DOCUMENT_DEFAULT_MAX_BYTES;
  document->trust_level = (LinliTrustLevel) trust;
  return g_steal_pointer (&document);
}

static LinliCategory *
parse_category (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliCategory) category = g_new0 (LinliCategory, 1);
  JsonObject *object;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "code", LINLI_JSON_REQUIRED, check_category_code,
                                  "a category code", &category->code, error)
      || !linli_json_get_text (object, path, "title", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &category->title, error)
      || !linli_json_get_text (object, path, "spoken", LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &category->spoken, error)
      || !linli_json_get_checked (object, path, "icon", LINLI_JSON_NULLABLE, check_icon,
                                  "an icon name", &category->icon, error)
      || !linli_json_get_int (object, path, "order", LINLI_JSON_REQUIRED, 0, G_MAXINT32,
                              &category->order, NULL, error))
    return NULL;
  return g_steal_pointer (&category);
}

static const char *const payable_kinds[] = { "utility_bill", "medical_contribution", NULL };
static const char *const utility_types[] = { "water", "electricity", "gas", "heating", NULL };

/* CatalogItem.payable: what a payment item pays. */
static gboolean
parse_payable (JsonObject *object, const char *path, LinliCatalogItem *item, GError **error)
{
  JsonObject *payable = NULL;
  g_autofree char *where = NULL;
  int kind, type;

  if (!linli_json_get_object (object, path, "payable", LINLI_JSON_OPTIONAL, &payable, error))
    return FALSE;
  if (payable == NULL)
    return TRUE;
  where = linli_json_path_member (path, "payable");
  if (!linli_json_get_enum (payable, where, "kind", LINLI_JSON_REQUIRED, payable_kinds, &kind,
                            error))
    return FALSE;
  item->has_payable = TRUE;
  item->payable_kind = kind == 0 ? LINLI_PAYABLE_UTILITY_BILL : LINLI_PAYABLE_MEDICAL_CONTRIBUTION;
  if (item->payable_kind != LINLI_PAYABLE_UTILITY_BILL)
    return TRUE;
  if (!linli_json_get_enum (payable, where, "utility_type", LINLI_JSON_REQUIRED, utility_types,
                            &type, error))
    return FALSE;
  item->utility_type = g_strdup (utility_types[type]);
  return TRUE;
}

/* *unknown_flow is set (and NULL returned without an error) when the item
 * is valid but uses a flow this kiosk does not have, if @unknown_flow is
 * not NULL; otherwise that is an error. */
static LinliCatalogItem *
parse_item (JsonNode *node, const char *path, gboolean *unknown_flow, GError **error)
{
  g_autoptr (LinliCatalogItem) item = g_atomic_rc_box_new0 (LinliCatalogItem);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) documents_seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  JsonArray *fields = NULL, *documents = NULL;
  g_autofree char *flow = NULL;
  int flow_index;

  item->requires_identity = TRUE;
  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "item_code", LINLI_JSON_REQUIRED,
                                  linli_check_item_code, "an item code", &item->item_code, error)
      || !linli_json_get_checked (object, path, "category", LINLI_JSON_REQUIRED,
                                  check_category_code, "a category code", &item->category, error)
      || !linli_json_get_text (object, path, "title", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &item->title, error)
      || !linli_json_get_text (object, path, "spoken", LINLI_JSON_REQUIRED | LINLI_JSON_MULTILINE,
                               LINLI_JSON_MAX_TEXT, &item->spoken, error)
      || !linli_json_get_text (object, path, "description", LINLI_JSON_MULTILINE,
                               LINLI_JSON_MAX_TEXT, &item->description, error)
      || !linli_json_get_string (object, path, "flow", LINLI_JSON_REQUIRED, 64, &flow, error)
      || !linli_json_get_array (object, path, "fields", LINLI_JSON_REQUIRED, 40, &fields, error)
      || !linli_json_get_array (object, path, "documents", LINLI_JSON_REQUIRED, 20, &documents,
                                error)
      || !linli_json_get_checked (object, path, "receipt_template", LINLI_JSON_REQUIRED,
                                  check_receipt_template, "a receipt template name",
                                  &item->receipt_template, error)
      || !linli_json_get_boolean (object, path, "enabled", LINLI_JSON_REQUIRED, &item->enabled,
                                  NULL, error)
      || !linli_json_get_boolean (object, path, "assisted_only", LINLI_JSON_OPTIONAL,
                                  &item->assisted_only, NULL, error)
      || !linli_json_get_boolean (object, path, "requires_identity", LINLI_JSON_OPTIONAL,
                                  &item->requires_identity, NULL, error)
      || !parse_payable (object, path, item, error))
    return NULL;

  item->fields = g_ptr_array_new_with_free_func (field_free);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      g_autofree char *where = linli_json_path_index (path, "fields", i);
      LinliField *field = parse_field (json_array_get_element (fields, i), where, error);

      if (field == NULL)
        return NULL;
      g_ptr_array_add (item->fields, field);
      if (!g_hash_table_add (names, field->name))
        return linli_json_set_invalid (error, where, "name", "given twice"), NULL;
    }
  item->documents = g_ptr_array_new_with_free_func (document_free);
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      g_autofree char *where = linli_json_path_index (path, "documents", i);
      LinliDocumentSpec *document
          = parse_document (json_array_get_element (documents, i), where, error);

      if (document == NULL)
        return NULL;
      g_ptr_array_add (item->documents, document);
      if (!g_hash_table_add (documents_seen, document->name))
        return linli_json_set_invalid (error, where, "name", "given twice"), NULL;
    }

  /* Last, so that an item with a new flow is still checked as a whole. */
  flow_index = linli_json_enum_from_string (flow_names, flow);
  if (flow_index < 0)
    {
      if (unknown_flow != NULL)
        {
          *unknown_flow = TRUE;
          return NULL;
        }
      return linli_json_set_invalid (error, path, "flow", "not a flow this kiosk knows"), NULL;
    }
  item->flow = (LinliFlow) flow_index;
  return g_steal_pointer (&item);
}

LinliCatalogItem *
linli_catalog_item_new_from_json (JsonNode *node, GError **error)
{
  return parse_item (node, NULL, NULL, error);
}

const LinliField *
linli_catalog_item_lookup_field (LinliCatalogItem *self, const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->fields->len; i++)
    {
      const LinliField *field = self->fields->pdata[i];

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }
  return NULL;
}

LinliCatalog *
linli_catalog_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliCatalog) catalog = g_atomic_rc_box_new0 (LinliCatalog);
  g_autoptr (GHashTable) category_codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) item_codes = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  JsonArray *categories = NULL, *items = NULL;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_string (object, NULL, "version", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_CODE,
                                 &catalog->version, error)
      || !linli_json_get_datetime (object, NULL, "generated_at", LINLI_JSON_REQUIRED,
                                   &catalog->generated_at, error)
      || !linli_json_get_array (object, NULL, "categories", LINLI_JSON_REQUIRED, 50, &categories,
                                error)
      || !linli_json_get_array (object, NULL, "items", LINLI_JSON_REQUIRED, 500, &items, error))
    return NULL;

  catalog->categories = g_ptr_array_new_with_free_func (category_free);
  for (guint i = 0; i < json_array_get_length (categories); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "categories", i);
      LinliCategory *category
          = parse_category (json_array_get_element (categories, i), where, error);

      if (category == NULL)
        return NULL;
      g_ptr_array_add (catalog->categories, category);
      if (!g_hash_table_add (category_codes, category->code))
        return linli_json_set_invalid (error, where, "code", "given twice"), NULL;
    }

  catalog->items = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_catalog_item_unref);
  catalog->ignored_item_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "items", i);
      gboolean unknown_flow = FALSE;
      LinliCatalogItem *item
          = parse_item (json_array_get_element (items, i), where, &unknown_flow, error);

      if (unknown_flow)
        {
          /* Checked whole, so item_code is there. */
          JsonObject *skipped = json_node_get_object (json_array_get_element (items, i));

          g_ptr_array_add (catalog->ignored_item_codes,
                           g_strdup (json_object_get_string_member (skipped, "item_code")));
          continue;
        }
      if (item == NULL)
        return NULL;
      g_ptr_array_add (catalog->items, item);
      if (!g_hash_table_add (item_codes, item->item_code))
        return linli_json_set_invalid (error, where, "item_code", "given twice"), NULL;
      if (!g_hash_table_contains (category_codes, item->category))
        return linli_json_set_invalid (error, where, "category", "not a category of the catalog"),
               NULL;
    }
  return g_steal_pointer (&catalog);
}

LinliCatalogItem *
linli_catalog_lookup_item (LinliCatalog *self, const char *item_code)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->items->len; i++)
    {
      LinliCatalogItem *item = self->items->pdata[i];

      if (g_strcmp0 (item->item_code, item_code) == 0)
        return item;
    }
  return NULL;
}

void
linli_catalog_set_etag (LinliCatalog *self, const char *etag)
{
  g_return_if_fail (self != NULL);
  g_free (self->etag);
  self->etag = g_strdup (etag);
}
