/* linli-application.c — applications (办件), their evaluation (好差评), and
 * the form the kiosk files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-application.h"

#include <libsoup/soup.h>
#include <string.h>

#include "linli-platform-error.h"
#include "linli-platform-error-private.h"

static const char *const status_names[] = {
  "received", "accepted",  "in_progress", "needs_more", "approved",
  "rejected", "completed", "withdrawn",   NULL,
};
static const char *const grade_names[] = {
  "very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied", NULL,
};
static const char *const role_names[] = { "resident", "staff", NULL };

const char *
linli_application_status_to_string (LinliApplicationStatus status)
{
  return linli_json_enum_to_string (status_names, (int) status);
}

gboolean
linli_application_status_from_string (const char *name, LinliApplicationStatus *status)
{
  int index = linli_json_enum_from_string (status_names, name);

  if (index < 0)
    return FALSE;
  *status = (LinliApplicationStatus) index;
  return TRUE;
}

const char *
linli_evaluation_grade_to_string (LinliEvaluationGrade grade)
{
  return linli_json_enum_to_string (grade_names, (int) grade);
}

const char *
linli_submitter_role_to_string (LinliSubmitterRole role)
{
  return linli_json_enum_to_string (role_names, (int) role);
}

/* ---- Evaluation ------------------------------------------------------------ */

static void
evaluation_clear (gpointer data)
{
  LinliEvaluation *self = data;

  g_free (self->application_number);
  g_clear_pointer (&self->evaluated_at, g_date_time_unref);
}

LINLI_DEFINE_MODEL (LinliEvaluation, linli_evaluation, evaluation_clear)

static LinliEvaluation *
parse_evaluation (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliEvaluation) self = g_atomic_rc_box_new0 (LinliEvaluation);
  JsonObject *object;
  int grade = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "application_number", LINLI_JSON_REQUIRED,
                                  linli_check_application_number, "an application number",
                                  &self->application_number, error)
      || !linli_json_get_enum (object, path, "grade", LINLI_JSON_REQUIRED, grade_names, &grade,
                               error)
      || !linli_json_get_datetime (object, path, "evaluated_at", LINLI_JSON_REQUIRED,
                                   &self->evaluated_at, error))
    return NULL;
  self->grade = (LinliEvaluationGrade) grade;
  return g_steal_pointer (&self);
}

LinliEvaluation *
linli_evaluation_new_from_json (JsonNode *node, GError **error)
{
  return parse_evaluation (node, NULL, error);
}

static gboolean
check_reason (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length < 1 || length > 32)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '_')
      return FALSE;
  return TRUE;
}

static char *
generate (JsonNode *root, gsize *length)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

GBytes *
linli_platform_encode_evaluation (LinliEvaluationGrade grade,
                                  const char *comment,
                                  const char *const *reasons,
                                  char **content_type,
                                  GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *grade_name = linli_evaluation_grade_to_string (grade);
  gsize length;
  char *text;

  if (grade_name == NULL)
    return linli_platform_set_rejected (error, "evaluation: unknown grade"), NULL;
  if (comment != NULL
      && (!g_utf8_validate (comment, -1, NULL) || g_utf8_strlen (comment, -1) > 200))
    return linli_platform_set_rejected (error, "evaluation: comment longer than 200 characters"),
           NULL;
  if (reasons != NULL && g_strv_length ((char **) reasons) > 10)
    return linli_platform_set_rejected (error, "evaluation: more than 10 reasons"), NULL;
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    if (!check_reason (reasons[i]))
      return linli_platform_set_rejected (error, "evaluation: a reason is not a reason code"), NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "grade");
  json_builder_add_string_value (builder, grade_name);
  json_builder_set_member_name (builder, "comment");
  if (comment != NULL && comment[0] != '\0')
    json_builder_add_string_value (builder, comment);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, reasons[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = generate (root, &length);
  if (content_type != NULL)
    *content_type = g_strdup ("application/json");
  return g_bytes_new_take (text, length);
}

/* ---- Application ------------------------------------------------------- */

static void
application_clear (gpointer data)
{
  LinliApplication *self = data;

  g_free (self->application_number);
  g_free (self->item_code);
  linli_localized_text_free (self->title);
  linli_localized_text_free (self->status_text);
  g_clear_pointer (&self->submitted_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_free (self->expected_by);
  g_clear_pointer (&self->evaluation, linli_evaluation_unref);
}

LINLI_DEFINE_MODEL (LinliApplication, linli_application, application_clear)

static LinliApplication *
parse_application (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliApplication) self = g_atomic_rc_box_new0 (LinliApplication);
  JsonObject *object;
  JsonNode *evaluation;
  int status = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "application_number", LINLI_JSON_REQUIRED,
                                  linli_check_application_number, "an application number",
                                  &self->application_number, error)
      || !linli_json_get_checked (object, path, "item_code", LINLI_JSON_REQUIRED,
                                  linli_check_item_code, "an item code", &self->item_code, error)
      || !linli_json_get_text (object, path, "title", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                               &self->title, error)
      || !linli_json_get_enum (object, path, "status", LINLI_JSON_REQUIRED, status_names, &status,
                               error)
      || !linli_json_get_text (object, path, "status_text",
                               LINLI_JSON_REQUIRED | LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &self->status_text, error)
      || !linli_json_get_datetime (object, path, "submitted_at", LINLI_JSON_REQUIRED,
                                   &self->submitted_at, error)
      || !linli_json_get_datetime (object, path, "updated_at", LINLI_JSON_REQUIRED,
                                   &self->updated_at, error)
      || !linli_json_get_date (object, path, "expected_by", LINLI_JSON_NULLABLE, &self->expected_by,
                               error)
      || !linli_json_get_boolean (object, path, "evaluable", LINLI_JSON_OPTIONAL, &self->evaluable,
                                  NULL, error))
    return NULL;
  self->status = (LinliApplicationStatus) status;
  if (g_date_time_compare (self->updated_at, self->submitted_at) < 0)
    return linli_json_set_invalid (error, path, "updated_at", "before submitted_at"), NULL;

  evaluation = json_object_get_member (object, "evaluation");
  if (evaluation != NULL)
    {
      g_autofree char *where = linli_json_path_member (path, "evaluation");

      self->evaluation = parse_evaluation (evaluation, where, error);
      if (self->evaluation == NULL)
        return NULL;
      if (g_strcmp0 (self->evaluation->application_number, self->application_number) != 0)
        return linli_json_set_invalid (error, where, "application_number",
                                       "not the application's number"),
               NULL;
    }
  return g_steal_pointer (&self);
}

LinliApplication *
linli_application_new_from_json (JsonNode *node, GError **error)
{
  return parse_application (node, NULL, error);
}

static void
application_list_clear (gpointer data)
{
  LinliApplicationList *self = data;

  g_clear_pointer (&self->applications, g_ptr_array_unref);
}

LINLI_DEFINE_MODEL (LinliApplicationList, linli_application_list, application_list_clear)

LinliApplicationList *
linli_application_list_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliApplicationList) self = g_atomic_rc_box_new0 (LinliApplicationList);
  JsonObject *object;
  JsonArray *applications = NULL;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_array (object, NULL, "applications", LINLI_JSON_REQUIRED, 50,
                                &applications, error))
    return NULL;
  self->applications = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_application_unref);
  for (guint i = 0; i < json_array_get_length (applications); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "applications", i);
      LinliApplication *application
          = parse_application (json_array_get_element (applications, i), where, error);

      if (application == NULL)
        return NULL;
      g_ptr_array_add (self->applications, application);
    }
  return g_steal_pointer (&self);
}

/* ---- The form -------------------------------------------------------------- */

#define MAX_DOCUMENTS      20
#define MAX_PAGES          100
#define MAX_DOCUMENT_PAGES 50
#define MAX_JPEG_PAGE      (2u << 20)
#define MAX_PDF_PAGE       (8u << 20)
#define MAX_UPLOAD         (16u << 20)
#define MAX_FIELDS         100

typedef struct
{
  char *name;
  char *content_type;
  GPtrArray *pages; /* GBytes * */
} FormDocument;

struct _LinliApplicationForm
{
  char *item_code;
  char *resident_ref;
  char *catalog_etag;
  LinliSubmitterRole role;
  char *staff_id;
  GDateTime *confirmed_at;
  JsonNode *fields; /* an object */
  GPtrArray *documents;
  char *invalid; /* the first setter call that broke a rule, for the log */
};

static void
form_document_free (gpointer data)
{
  FormDocument *document = data;

  g_free (document->name);
  g_free (document->content_type);
  g_ptr_array_unref (document->pages);
  g_free (document);
}

LinliApplicationForm *
linli_application_form_new (const char *item_code, const char *resident_ref)
{
  LinliApplicationForm *form = g_new0 (LinliApplicationForm, 1);

  form->item_code = g_strdup (item_code);
  form->resident_ref = g_strdup (resident_ref);
  form->role = LINLI_SUBMITTER_RESIDENT;
  {
    g_autoptr (JsonObject) fields = json_object_new ();

    form->fields = json_node_init_object (json_node_alloc (), fields);
  }
  form->documents = g_ptr_array_new_with_free_func (form_document_free);
  return form;
}

void
linli_application_form_free (LinliApplicationForm *form)
{
  if (form == NULL)
    return;
  g_free (form->item_code);
  linli_platform_wipe_string (&form->resident_ref);
  g_free (form->catalog_etag);
  g_free (form->staff_id);
  g_clear_pointer (&form->confirmed_at, g_date_time_unref);
  linli_json_node_wipe (form->fields);
  json_node_unref (form->fields);
  g_ptr_array_unref (form->documents);
  g_free (form->invalid);
  g_free (form);
}

static void
form_invalid (LinliApplicationForm *form, const char *why)
{
  if (form->invalid == NULL)
    form->invalid = g_strdup (why);
}

void
linli_application_form_set_catalog_etag (LinliApplicationForm *form, const char *etag)
{
  g_return_if_fail (form != NULL);
  g_free (form->catalog_etag);
  form->catalog_etag = g_strdup (etag);
}

void
linli_application_form_set_submitted_by (LinliApplicationForm *form,
                                         LinliSubmitterRole role,
                                         const char *staff_id)
{
  g_return_if_fail (form != NULL);
  form->role = role;
  g_free (form->staff_id);
  form->staff_id = g_strdup (staff_id);
}

void
linli_application_form_set_confirmed_at (LinliApplicationForm *form, GDateTime *confirmed_at)
{
  g_return_if_fail (form != NULL);
  g_clear_pointer (&form->confirmed_at, g_date_time_unref);
  if (confirmed_at != NULL)
    form->confirmed_at = g_date_time_ref (confirmed_at);
}

static JsonObject *
form_field_slot (LinliApplicationForm *form, const char *name)
{
  JsonObject *fields = json_node_get_object (form->fields);

  if (!linli_check_name_key (name))
    {
      form_invalid (form, "a field name is not a contract name");
      return NULL;
    }
  if (!json_object_has_member (fields, name) && json_object_get_size (fields) >= MAX_FIELDS)
    {
      form_invalid (form, "too many fields");
      return NULL;
    }
  if (json_object_has_member (fields, name))
    {
      linli_json_node_wipe (json_object_get_member (fields, name));
      json_object_remove_member (fields, name);
    }
  return fields;
}

void
linli_application_form_set_string (LinliApplicationForm *form, const char *name, const char *value)
{
  JsonObject *fields;

  g_return_if_fail (form != NULL);
  if (value == NULL || !g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) > 2000)
    {
      form_invalid (form, "a text value is not UTF-8 or longer than 2000 characters");
      return;
    }
  fields = form_field_slot (form, name);
  if (fields != NULL)
    json_object_set_string_member (fields, name, value);
}

void
linli_application_form_set_int (LinliApplicationForm *form, const char *name, gint64 value)
{
  JsonObject *fields;

  g_return_if_fail (form != NULL);
  fields = form_field_slot (form, name);
  if (fields != NULL)
    json_object_set_int_member (fields, name, value);
}

void
linli_application_form_set_boolean (LinliApplicationForm *form, const char *name, gboolean value)
{
  JsonObject *fields;

  g_return_if_fail (form != NULL);
  fields = form_field_slot (form, name);
  if (fields != NULL)
    json_object_set_boolean_member (fields, name, value);
}

void
linli_application_form_add_document (LinliApplicationForm *form,
                                     const char *name,
                                     const char *content_type,
                                     GBytes *const *pages,
                                     guint n_pages)
{
  FormDocument *document;

  g_return_if_fail (form != NULL);
  if (!linli_check_name_key (name))
    {
      form_invalid (form, "a document name is not a contract name");
      return;
    }
  if (g_strcmp0 (content_type, "image/jpeg") != 0
      && g_strcmp0 (content_type, "application/pdf") != 0)
    {
      form_invalid (form, "a document is neither JPEG nor PDF");
      return;
    }
  if (n_pages < 1 || n_pages > MAX_DOCUMENT_PAGES)
    {
      form_invalid (form, "a document has no pages or more than 50");
      return;
    }
  document = g_new0 (FormDocument, 1);
  document->name = g_strdup (name);
  document->content_type = g_strdup (content_type);
  document->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < n_pages; i++)
    g_ptr_array_add (document->pages, g_bytes_ref (pages[i]));
  g_ptr_array_add (form->documents, document);
}

static gboolean
page_looks_right (GBytes *page, const char *content_type, const char **why)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (page, &size);

  if (g_str_equal (content_type, "image/jpeg"))
    {
      if (size < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
        return (*why = "a page is not a JPEG image"), FALSE;
      if (size > MAX_JPEG_PAGE)
        return (*why = "a JPEG page is larger than 2 MiB"), FALSE;
    }
  else
    {
      if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
        return (*why = "a page is not a PDF document"), FALSE;
      if (size > MAX_PDF_PAGE)
        return (*why = "a PDF page is larger than 8 MiB"), FALSE;
    }
  return TRUE;
}

GBytes *
linli_platform_encode_application (LinliApplicationForm *form, char **content_type, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SoupMultipart) multipart = NULL;
  g_autoptr (SoupMessageHeaders) json_headers = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (GBytes) json_part = NULL;
  g_autoptr (GHashTable) disposition = NULL;
  GBytes *body = NULL;
  gsize total = 0, length = 0;
  guint n_pages = 0;
  char *text;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);

  if (form->invalid != NULL)
    return linli_platform_set_rejected (error, form->invalid), NULL;
  if (!linli_check_item_code (form->item_code))
    return linli_platform_set_rejected (error, "application: not an item code"), NULL;
  if (!linli_check_resident_ref (form->resident_ref))
    return linli_platform_set_rejected (error, "application: not a resident_ref"), NULL;
  if (form->role == LINLI_SUBMITTER_STAFF && (form->staff_id == NULL || form->staff_id[0] == '\0'))
    return linli_platform_set_rejected (error, "application: staff submission without a staff id"),
           NULL;
  if (form->catalog_etag != NULL && strlen (form->catalog_etag) > 256)
    return linli_platform_set_rejected (error, "application: catalog ETag too long"), NULL;
  if (form->documents->len > MAX_DOCUMENTS)
    return linli_platform_set_rejected (error, "application: more than 20 documents"), NULL;
  for (guint i = 0; i < form->documents->len; i++)
    {
      FormDocument *document = form->documents->pdata[i];

      for (guint j = 0; j < document->pages->len; j++)
        {
          const char *why = NULL;

          if (!page_looks_right (document->pages->pdata[j], document->content_type, &why))
            return linli_platform_set_rejected (error, why), NULL;
          total += g_bytes_get_size (document->pages->pdata[j]);
          n_pages++;
        }
    }
  if (n_pages > MAX_PAGES)
    return linli_platform_set_rejected (error, "application: more than 100 pages"), NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "item_code");
  json_builder_add_string_value (builder, form->item_code);
  json_builder_set_member_name (builder, "catalog_etag");
  if (form->catalog_etag != NULL)
    json_builder_add_string_value (builder, form->catalog_etag);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "resident_ref");
  json_builder_add_string_value (builder, form->resident_ref);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, json_node_copy (form->fields));
  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < form->documents->len; i++)
    {
      FormDocument *document = form->documents->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, document->name);
      json_builder_set_member_name (builder, "pages");
      json_builder_add_int_value (builder, document->pages->len);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "submitted_by");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, linli_submitter_role_to_string (form->role));
  json_builder_set_member_name (builder, "staff_id");
  if (form->staff_id != NULL)
    json_builder_add_string_value (builder, form->staff_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  if (form->confirmed_at != NULL)
    {
      g_autofree char *confirmed = linli_json_format_datetime (form->confirmed_at);

      json_builder_set_member_name (builder, "confirmed_at");
      json_builder_add_string_value (builder, confirmed);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = generate (root, &length);
  linli_json_node_wipe (root);
  json_part = linli_platform_bytes_new_wiped (text, length);
  if (length > 256 * 1024)
    return linli_platform_set_rejected (error, "application: JSON part larger than 256 KiB"), NULL;
  if (total + length > MAX_UPLOAD)
    return linli_platform_set_rejected (error, "application: upload larger than 16 MiB"), NULL;

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  json_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  disposition = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (disposition, (gpointer) "name", (gpointer) "application");
  soup_message_headers_set_content_disposition (json_headers, "form-data", disposition);
  soup_message_headers_set_content_type (json_headers, "application/json", NULL);
  soup_multipart_append_part (multipart, json_headers, json_part);
  for (guint i = 0, page = 0; i < form->documents->len; i++)
    {
      FormDocument *document = form->documents->pdata[i];

      for (guint j = 0; j < document->pages->len; j++)
        {
          g_autofree char *filename = g_strdup_printf (
              "page-%03u.%s", ++page,
              g_str_equal (document->content_type, "image/jpeg") ? "jpg" : "pdf");

          soup_multipart_append_form_file (multipart, "pages", filename, document->content_type,
                                           document->pages->pdata[j]);
        }
    }
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  return body;
}
