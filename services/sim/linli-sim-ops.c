/* linli-sim-ops.c — the operations of the kiosk <-> county platform contract
 * as the simulator implements them, and the control port's state changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identity numbers and names never reach a log line here: logs name the
 * operation and the outcome only (LinliSimServer adds the request id). */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-ops.h"

#include <stdio.h>
#include <string.h>

#include "linli-sim-util.h"

#define MAX_JSON_BODY   (256 * 1024)
#define MAX_PAGE_BYTES  (2 * 1024 * 1024)
#define MAX_PHOTO_BYTES (2 * 1024 * 1024)
#define MAX_TEXT_CHARS  2000

/* ---- small JSON helpers ---- */

static JsonObject *
localized (const char *zh, const char *en)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "zh", zh);
  if (en != NULL)
    json_object_set_string_member (object, "en", en);
  return object;
}

static void
set_nullable_string (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static LinliSimResponse *
respond (guint status, JsonObject *object)
{
  LinliSimResponse *response = linli_sim_response_new_object (status, object);

  json_object_unref (object);
  return response;
}

static LinliSimResponse *
internal_error (const char *operation, GError *error)
{
  g_warning ("%s: %s", operation, error ? error->message : "failed");
  return linli_sim_response_new_error ("INTERNAL_ERROR");
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
is_type (JsonNode *node, GType type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string member: FALSE when present with another type, or absent and
 * REQUIRED. *VALUE is NULL when absent or null. */
static gboolean
get_string (JsonObject *object, const char *name, gboolean required, const char **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required;
  if (!is_type (node, G_TYPE_STRING))
    return FALSE;
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject *object, const char *name, gboolean required, gint64 min, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required;
  if (!is_type (node, G_TYPE_INT64))
    return FALSE;
  *value = json_node_get_int (node);
  return *value >= min;
}

static gboolean
get_time (JsonObject *object, const char *name, gboolean required)
{
  const char *text;
  g_autoptr (GDateTime) time = NULL;

  if (!get_string (object, name, required, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  time = linli_sim_parse_time (text);
  return time != NULL;
}

static gboolean
one_of (const char *value, const char *const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

/* The JSON body of REQUEST as an object, or the answer refusing it. */
static LinliSimResponse *
parse_body (LinliSimRequest *request, JsonNode **root)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *type = soup_message_headers_get_content_type (request->headers, NULL);
  gsize size = request->body ? g_bytes_get_size (request->body) : 0;

  if (size > MAX_JSON_BODY)
    return linli_sim_response_new_error ("PAYLOAD_TOO_LARGE");
  if (g_strcmp0 (type, "application/json") != 0 || size == 0)
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL), (gssize) size,
                                   NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return linli_sim_response_new_error ("BAD_REQUEST");
  *root = json_node_ref (json_parser_get_root (parser));
  return NULL;
}

/* An integer query parameter in [MIN, MAX]; DEFAULT_VALUE when absent and
 * not REQUIRED. */
static LinliSimResponse *
query_int (LinliSimRequest *request,
           const char *name,
           gboolean required,
           gint64 min,
           gint64 max,
           gint64 default_value,
           gint64 *value)
{
  const char *text = request->query ? g_hash_table_lookup (request->query, name) : NULL;
  char *end = NULL;

  *value = default_value;
  if (text == NULL)
    return required ? linli_sim_response_new_error ("BAD_REQUEST") : NULL;
  *value = g_ascii_strtoll (text, &end, 10);
  if (*text == '\0' || end == NULL || *end != '\0' || *value < min || *value > max)
    return linli_sim_response_new_error ("BAD_REQUEST");
  return NULL;
}

static gboolean
matches_pattern (const char *value, const char *pattern)
{
  g_autoptr (GRegex) regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);

  return value != NULL && regex != NULL && g_regex_match (regex, value, 0, NULL);
}

#define RESIDENT_REF_PATTERN "^[A-Za-z0-9_-]{16,64}$"
#define ID_PATTERN           "^[A-Za-z0-9_-]{8,64}$"
#define ITEM_CODE_PATTERN    "^[0-9A-Za-z][0-9A-Za-z-]{3,63}$"
#define APPLICATION_PATTERN  "^[A-Z0-9]{8,32}$"
#define ACCOUNT_PATTERN      "^[0-9A-Za-z-]{4,32}$"

/* The resident REF names, if this kiosk looked them up and the ref has not
 * expired; RESIDENT_REF_EXPIRED otherwise (another kiosk's ref included). */
static LinliSimResponse *
resolve_ref (LinliSimRequest *request, const char *ref, gint64 *resident)
{
  g_autoptr (GError) error = NULL;

  if (!matches_pattern (ref, RESIDENT_REF_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  *resident
      = linli_sim_db_query_int (request->db, &error, -1,
                                "SELECT resident_id FROM resident_refs WHERE ref = ?"
                                " AND kiosk_id = ? AND expires_unix > ?",
                                "ssl", ref, request->kiosk_id, g_date_time_to_unix (request->now));
  if (error != NULL)
    return internal_error (request->operation, error);
  if (*resident < 0)
    return linli_sim_response_new_error ("RESIDENT_REF_EXPIRED");
  return NULL;
}

char *
linli_sim_ops_next_number (LinliSimDb *db,
                           const char *table,
                           const char *column,
                           const char *prefix,
                           GDateTime *day,
                           int digits,
                           GError **error)
{
  g_autofree char *date = g_date_time_format (day, "%Y%m%d");
  g_autofree char *stem = g_strconcat (prefix, date, NULL);
  g_autofree char *like = g_strconcat (stem, "%", NULL);
  g_autofree char *sql
      = g_strdup_printf ("SELECT max(%s) FROM %s WHERE %s LIKE ?", column, table, column);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *last = linli_sim_db_query_text (db, &local_error, sql, "s", like);
  gint64 next = 1;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (last != NULL && strlen (last) > strlen (stem))
    next = g_ascii_strtoll (last + strlen (stem), NULL, 10) + 1;
  return g_strdup_printf ("%s%0*" G_GINT64_FORMAT, stem, digits, next);
}

/* ---- kiosks ---- */

LinliSimResponse *
linli_sim_ops_check_kiosk (LinliSimDb *db, const char *kiosk_id)
{
  g_autoptr (GError) error = NULL;
  gint64 enabled = linli_sim_db_query_int (
      db, &error, -1, "SELECT enabled FROM kiosks WHERE kiosk_id = ?", "s", kiosk_id);

  if (error != NULL)
    return internal_error ("kiosk check", error);
  if (enabled < 0)
    return linli_sim_response_new_error ("KIOSK_NOT_REGISTERED");
  if (enabled == 0)
    return linli_sim_response_new_error ("KIOSK_DISABLED");
  return NULL;
}

gboolean
linli_sim_ops_register_kiosk (LinliSimDb *db, const char *kiosk_id, GDateTime *now, GError **error)
{
  g_autofree char *time = linli_sim_format_time (now);

  return linli_sim_db_run (db, error,
                           "INSERT OR IGNORE INTO kiosks (kiosk_id, name, enabled, registered_at)"
                           " VALUES (?, ?, 1, ?)",
                           "sss", kiosk_id, kiosk_id, time);
}

/* ---- catalog ---- */

static gboolean
item_allowed (const char *allowed_kiosks, const char *kiosk_id)
{
  g_auto (GStrv) ids = NULL;

  if (allowed_kiosks == NULL)
    return TRUE;
  ids = g_strsplit (allowed_kiosks, " ", -1);
  return g_strv_contains ((const char *const *) ids, kiosk_id);
}

static JsonNode *
build_catalog (LinliSimDb *db, const char *kiosk_id, GError **error)
{
  g_autoptr (sqlite3_stmt) meta = NULL;
  g_autoptr (sqlite3_stmt) categories = NULL;
  g_autoptr (sqlite3_stmt) items = NULL;
  g_autoptr (JsonObject) catalog = json_object_new ();
  JsonArray *category_list, *item_list;
  JsonNode *node;

  meta = linli_sim_db_query (db, error, "SELECT version, generated_at FROM catalog_meta", "");
  if (meta == NULL)
    return NULL;
  if (!linli_sim_db_step (db, meta, error))
    {
      if (error && *error == NULL)
        g_set_error_literal (error, LINLI_SIM_DB_ERROR, LINLI_SIM_DB_ERROR_FAILED,
                             "the catalog is empty (start the simulator with --seed)");
      return NULL;
    }
  /* Members in the order of the contract's Catalog. */
  json_object_set_string_member (catalog, "version", linli_sim_db_text (meta, 0));
  json_object_set_string_member (catalog, "generated_at", linli_sim_db_text (meta, 1));
  category_list = json_array_new ();
  item_list = json_array_new ();
  json_object_set_array_member (catalog, "categories", category_list);
  json_object_set_array_member (catalog, "items", item_list);

  categories = linli_sim_db_query (
      db, error, "SELECT definition FROM catalog_categories ORDER BY position", "");
  if (categories == NULL)
    return NULL;
  while (linli_sim_db_step (db, categories, error))
    {
      JsonNode *category = parse_json (linli_sim_db_text (categories, 0));

      if (category != NULL)
        json_array_add_element (category_list, category);
    }
  items = linli_sim_db_query (
      db, error, "SELECT definition, allowed_kiosks FROM catalog_items ORDER BY position", "");
  if (items == NULL)
    return NULL;
  while (linli_sim_db_step (db, items, error))
    {
      JsonNode *item;

      if (!item_allowed (linli_sim_db_text_or_null (items, 1), kiosk_id))
        continue;
      item = parse_json (linli_sim_db_text (items, 0));
      if (item != NULL)
        json_array_add_element (item_list, item);
    }
  if (error && *error)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, catalog);
  return node;
}

/* A strong ETag: a digest of the representation itself, so it changes
 * exactly when the body does. */
static char *
etag_of (const char *prefix, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *digest = linli_sim_sha256_hex (text, strlen (text));

  return g_strdup_printf ("\"%s-%.20s\"", prefix, digest);
}

char *
linli_sim_ops_catalog_etag (LinliSimDb *db, const char *kiosk_id, GError **error)
{
  g_autoptr (JsonNode) catalog = build_catalog (db, kiosk_id, error);

  return catalog ? etag_of ("cat", catalog) : NULL;
}

/* If-None-Match: a list of entity tags or "*", compared weakly (RFC 9110). */
static gboolean
etag_matches (SoupMessageHeaders *headers, const char *etag)
{
  const char *value = soup_message_headers_get_one (headers, "If-None-Match");
  g_auto (GStrv) tags = NULL;

  if (value == NULL)
    return FALSE;
  tags = g_strsplit (value, ",", -1);
  for (int i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

static LinliSimResponse *
cacheable (LinliSimRequest *request, JsonNode *node, const char *etag)
{
  LinliSimResponse *response;

  if (etag_matches (request->headers, etag))
    {
      json_node_unref (node);
      response = linli_sim_response_new (SOUP_STATUS_NOT_MODIFIED, NULL);
    }
  else
    response = linli_sim_response_new (SOUP_STATUS_OK, node);
  linli_sim_response_add_header (response, "ETag", etag);
  linli_sim_response_add_header (response, "Cache-Control", "no-cache");
  return response;
}

static LinliSimResponse *
get_catalog (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  JsonNode *catalog = build_catalog (request->db, request->kiosk_id, &error);
  g_autofree char *etag = NULL;

  if (catalog == NULL)
    return internal_error (request->operation, error);
  etag = etag_of ("cat", catalog);
  return cacheable (request, catalog, etag);
}

/* The item's definition as this kiosk may see it; or the refusal. */
static LinliSimResponse *
find_item (LinliSimRequest *request, const char *code, JsonNode **item)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!matches_pattern (code, ITEM_CODE_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  stmt = linli_sim_db_query (
      request->db, &error,
      "SELECT definition, allowed_kiosks FROM catalog_items WHERE item_code = ?", "s", code);
  if (stmt == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, stmt, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("ITEM_NOT_FOUND");
  if (!item_allowed (linli_sim_db_text_or_null (stmt, 1), request->kiosk_id))
    return linli_sim_response_new_error ("ITEM_NOT_ALLOWED");
  *item = parse_json (linli_sim_db_text (stmt, 0));
  if (*item == NULL || !JSON_NODE_HOLDS_OBJECT (*item))
    return internal_error (request->operation, NULL);
  return NULL;
}

static LinliSimResponse *
get_catalog_item (LinliSimRequest *request)
{
  JsonNode *item = NULL;
  LinliSimResponse *refused = find_item (request, request->params[0], &item);
  g_autofree char *etag = NULL;

  if (refused != NULL)
    return refused;
  etag = etag_of ("item", item);
  return cacheable (request, item, etag);
}

/* ---- residents ---- */

static JsonObject *
linked_accounts (LinliSimRequest *request, gint64 resident, GError **error)
{
  g_autoptr (JsonObject) accounts = json_object_new ();
  g_autoptr (sqlite3_stmt) person = NULL;
  g_autoptr (sqlite3_stmt) medical = NULL;
  g_autoptr (sqlite3_stmt) utilities = NULL;
  JsonArray *utility_list = json_array_new ();

  person = linli_sim_db_query (request->db, error,
                               "SELECT ss_status, pension_certification_due FROM residents"
                               " WHERE resident_id = ?",
                               "l", resident);
  if (person == NULL || !linli_sim_db_step (request->db, person, error))
    {
      json_array_unref (utility_list);
      return NULL;
    }
  if (linli_sim_db_text_or_null (person, 0) != NULL)
    {
      JsonObject *ss = json_object_new ();

      json_object_set_string_member (ss, "status", linli_sim_db_text (person, 0));
      set_nullable_string (ss, "pension_certification_due", linli_sim_db_text_or_null (person, 1));
      json_object_set_object_member (accounts, "social_security", ss);
    }
  else
    json_object_set_null_member (accounts, "social_security");

  medical = linli_sim_db_query (request->db, error,
                                "SELECT account_number, scheme, status FROM medical_accounts"
                                " WHERE resident_id = ?",
                                "l", resident);
  if (medical == NULL)
    {
      json_array_unref (utility_list);
      return NULL;
    }
  if (linli_sim_db_step (request->db, medical, error))
    {
      JsonObject *account = json_object_new ();
      g_autofree char *masked = linli_sim_mask_account (linli_sim_db_text (medical, 0));

      json_object_set_string_member (account, "account_masked", masked);
      json_object_set_string_member (account, "scheme", linli_sim_db_text (medical, 1));
      json_object_set_string_member (account, "status", linli_sim_db_text (medical, 2));
      json_object_set_object_member (accounts, "medical_insurance", account);
    }
  else
    json_object_set_null_member (accounts, "medical_insurance");

  json_object_set_array_member (accounts, "utilities", utility_list);
  utilities = linli_sim_db_query (request->db, error,
                                  "SELECT utility_type, account_number, provider, address"
                                  " FROM utility_accounts WHERE resident_id = ?"
                                  " ORDER BY utility_type, account_number",
                                  "l", resident);
  if (utilities == NULL)
    return NULL;
  while (linli_sim_db_step (request->db, utilities, error))
    {
      JsonObject *utility = json_object_new ();
      const char *address = linli_sim_db_text_or_null (utilities, 3);
      g_autofree char *masked = address ? linli_sim_mask_address (address) : NULL;

      json_object_set_string_member (utility, "type", linli_sim_db_text (utilities, 0));
      json_object_set_string_member (utility, "account_number", linli_sim_db_text (utilities, 1));
      json_object_set_string_member (utility, "provider", linli_sim_db_text (utilities, 2));
      set_nullable_string (utility, "address_masked", masked);
      json_array_add_object_element (utility_list, utility);
    }
  if (error && *error)
    return NULL;
  return g_steal_pointer (&accounts);
}

static LinliSimResponse *
lookup_resident (LinliSimRequest *request)
{
  static const char *const sources[] = { "id_card", "social_security_card", "staff_entry", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) person = NULL;
  LinliSimResponse *refused = parse_body (request, &root);
  JsonObject *body, *resident_json, *accounts;
  const char *number, *source, *valid_until, *staff_id;
  g_autofree char *ref = NULL;
  g_autofree char *created = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *display = NULL;
  g_autoptr (GDateTime) expiry = NULL;
  gint64 resident;

  if (refused != NULL)
    return refused;
  body = json_node_get_object (root);
  if (!get_string (body, "id_number", TRUE, &number) || !get_string (body, "source", TRUE, &source)
      || !one_of (source, sources) || !get_string (body, "card_valid_until", FALSE, &valid_until)
      || !get_string (body, "staff_id", FALSE, &staff_id))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (valid_until != NULL)
    {
      g_autoptr (GDateTime) date = linli_sim_parse_date (valid_until);

      if (date == NULL)
        return linli_sim_response_new_error ("BAD_REQUEST");
    }
  if (g_str_equal (source, "staff_entry") && staff_id == NULL)
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!linli_sim_id_number_valid (number, request->now))
    return linli_sim_response_new_error ("INVALID_ID_NUMBER");

  person = linli_sim_db_query (request->db, &error,
                               "SELECT resident_id, name, birth_date FROM residents"
                               " WHERE id_number = ?",
                               "s", number);
  if (person == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, person, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("RESIDENT_NOT_FOUND");
  resident = sqlite3_column_int64 (person, 0);
  display = linli_sim_mask_name (linli_sim_db_text (person, 1));

  /* Random, never derived from the number; bound to this kiosk. */
  {
    g_autofree char *token = linli_sim_random_token (22, LINLI_SIM_ALPHANUM);

    ref = g_strconcat ("r_", token, NULL);
  }
  expiry = g_date_time_add_seconds (request->now, request->settings->ref_ttl_s);
  created = linli_sim_format_time (request->now);
  expires = linli_sim_format_time (expiry);
  if (!linli_sim_db_run (request->db, &error,
                         "INSERT INTO resident_refs (ref, resident_id, kiosk_id, created_at,"
                         " expires_at, expires_unix) VALUES (?, ?, ?, ?, ?, ?)",
                         "slsssl", ref, resident, request->kiosk_id, created, expires,
                         g_date_time_to_unix (expiry)))
    return internal_error (request->operation, error);
  accounts = linked_accounts (request, resident, &error);
  if (accounts == NULL)
    return internal_error (request->operation, error);

  resident_json = json_object_new ();
  json_object_set_string_member (resident_json, "resident_ref", ref);
  json_object_set_string_member (resident_json, "ref_expires_at", expires);
  json_object_set_string_member (resident_json, "display_name", display);
  json_object_set_string_member (resident_json, "age_band",
                                 linli_sim_age_band (linli_sim_db_text (person, 2), request->now));
  json_object_set_object_member (resident_json, "accounts", accounts);
  return respond (SOUP_STATUS_OK, resident_json);
}

/* ---- social security ---- */

static LinliSimResponse *
social_security_status (LinliSimRequest *request, gint64 resident, char **status, gint64 *before)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = linli_sim_db_query (request->db, &error,
                                                      "SELECT ss_status, ss_months_before"
                                                      " FROM residents WHERE resident_id = ?",
                                                      "l", resident);

  if (stmt == NULL || !linli_sim_db_step (request->db, stmt, &error))
    return internal_error (request->operation, error);
  *status = g_strdup (linli_sim_db_text_or_null (stmt, 0));
  *before = sqlite3_column_int64 (stmt, 1);
  return NULL;
}

static LinliSimResponse *
get_contribution_record (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) months = NULL;
  g_autofree char *status = NULL;
  g_autofree char *like = NULL;
  g_autofree char *year_end = NULL;
  LinliSimResponse *refused;
  JsonObject *record;
  JsonArray *list;
  gint64 resident, year, before = 0, personal = 0, employer = 0, paid_months;

  if ((refused = resolve_ref (request, request->params[0], &resident))
      || (refused = query_int (request, "year", TRUE, 1990, 2100, 0, &year))
      || (refused = social_security_status (request, resident, &status, &before)))
    return refused;
  if (status == NULL)
    return linli_sim_response_new_error ("ACCOUNT_NOT_FOUND");

  like = g_strdup_printf ("%04" G_GINT64_FORMAT "-%%", year);
  year_end = g_strdup_printf ("%04" G_GINT64_FORMAT "-12", year);
  months = linli_sim_db_query (request->db, &error,
                               "SELECT month, base_fen, personal_fen, employer_fen, status,"
                               " employer_name FROM contributions"
                               " WHERE resident_id = ? AND month LIKE ? ORDER BY month",
                               "ls", resident, like);
  if (months == NULL)
    return internal_error (request->operation, error);
  list = json_array_new ();
  while (linli_sim_db_step (request->db, months, &error))
    {
      JsonObject *month = json_object_new ();
      const char *month_status = linli_sim_db_text (months, 4);

      json_object_set_string_member (month, "month", linli_sim_db_text (months, 0));
      json_object_set_int_member (month, "base_fen", sqlite3_column_int64 (months, 1));
      json_object_set_int_member (month, "personal_fen", sqlite3_column_int64 (months, 2));
      json_object_set_int_member (month, "employer_fen", sqlite3_column_int64 (months, 3));
      json_object_set_string_member (month, "status", month_status);
      set_nullable_string (month, "employer_name", linli_sim_db_text_or_null (months, 5));
      if (!g_str_equal (month_status, "unpaid"))
        {
          personal += sqlite3_column_int64 (months, 2);
          employer += sqlite3_column_int64 (months, 3);
        }
      json_array_add_object_element (list, month);
    }
  if (error != NULL)
    {
      json_array_unref (list);
      return internal_error (request->operation, error);
    }
  paid_months = linli_sim_db_query_int (request->db, &error, 0,
                                        "SELECT count(*) FROM contributions WHERE resident_id = ?"
                                        " AND status != 'unpaid' AND month <= ?",
                                        "ls", resident, year_end);
  record = json_object_new ();
  json_object_set_int_member (record, "year", year);
  json_object_set_array_member (record, "months", list);
  json_object_set_int_member (record, "total_personal_fen", personal);
  json_object_set_int_member (record, "total_employer_fen", employer);
  json_object_set_int_member (record, "cumulative_months", before + paid_months);
  return respond (SOUP_STATUS_OK, record);
}

static int
months_since (const char *since, GDateTime *now)
{
  int year, month;

  if (since == NULL || sscanf (since, "%4d-%2d", &year, &month) != 2)
    return 0;
  return MAX (0, (g_date_time_get_year (now) - year) * 12 + g_date_time_get_month (now) - month);
}

static LinliSimResponse *
get_insured_certificate (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) person = NULL;
  g_autoptr (sqlite3_stmt) lines = NULL;
  g_autoptr (GDateTime) valid = NULL;
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *valid_text = NULL;
  g_autofree char *masked = NULL;
  LinliSimResponse *refused;
  JsonObject *certificate;
  JsonArray *list;
  const char *status;
  gint64 resident, paid_months;

  if ((refused = resolve_ref (request, request->params[0], &resident)))
    return refused;
  person = linli_sim_db_query (request->db, &error,
                               "SELECT name, id_number, ss_status, ss_months_before FROM residents"
                               " WHERE resident_id = ?",
                               "l", resident);
  if (person == NULL || !linli_sim_db_step (request->db, person, &error))
    return internal_error (request->operation, error);
  status = linli_sim_db_text_or_null (person, 2);
  if (status == NULL || g_str_equal (status, "not_insured"))
    return linli_sim_response_new_error ("NOT_ELIGIBLE");
  paid_months = sqlite3_column_int64 (person, 3)
                + linli_sim_db_query_int (request->db, &error, 0,
                                          "SELECT count(*) FROM contributions WHERE resident_id = ?"
                                          " AND status != 'unpaid'",
                                          "l", resident);

  number = linli_sim_ops_next_number (request->db, "issued_certificates", "certificate_number",
                                      "CBZM330102", request->now, 4, &error);
  if (number == NULL)
    return internal_error (request->operation, error);
  code = linli_sim_random_token (10, LINLI_SIM_UPPERNUM);
  issued = linli_sim_format_time (request->now);
  valid = g_date_time_add_days (request->now, 90);
  valid_text = linli_sim_format_date (valid);
  /* The platform records each certificate it issues (the verification
   * page checks the code against it). */
  if (!linli_sim_db_run (request->db, &error,
                         "INSERT INTO issued_certificates (certificate_number, resident_id,"
                         " kiosk_id, verification_code, issued_at, valid_until)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         "slssss", number, resident, request->kiosk_id, code, issued, valid_text))
    return internal_error (request->operation, error);

  lines
      = linli_sim_db_query (request->db, &error,
                            "SELECT insurance, status, since FROM insurances WHERE resident_id = ?"
                            " ORDER BY CASE insurance WHEN 'pension' THEN 0 WHEN 'medical' THEN 1"
                            " WHEN 'unemployment' THEN 2 WHEN 'work_injury' THEN 3 ELSE 4 END",
                            "l", resident);
  if (lines == NULL)
    return internal_error (request->operation, error);
  list = json_array_new ();
  while (linli_sim_db_step (request->db, lines, &error))
    {
      JsonObject *line = json_object_new ();
      const char *insurance = linli_sim_db_text (lines, 0);
      const char *line_status = linli_sim_db_text (lines, 1);
      int months = g_str_equal (insurance, "pension") || !g_str_equal (line_status, "insured")
                       ? (int) paid_months
                       : months_since (linli_sim_db_text (lines, 2), request->now);

      json_object_set_string_member (line, "insurance", insurance);
      json_object_set_string_member (line, "status", line_status);
      json_object_set_string_member (line, "since", linli_sim_db_text (lines, 2));
      json_object_set_int_member (line, "cumulative_months", months);
      json_array_add_object_element (list, line);
    }
  masked = linli_sim_mask_id_number (linli_sim_db_text (person, 1));
  certificate = json_object_new ();
  json_object_set_string_member (certificate, "certificate_number", number);
  json_object_set_string_member (certificate, "verification_code", code);
  json_object_set_string_member (certificate, "verify_url",
                                 "https://platform.sim.linli.example/verify");
  json_object_set_string_member (certificate, "issued_at", issued);
  json_object_set_string_member (certificate, "valid_until", valid_text);
  json_object_set_string_member (certificate, "name", linli_sim_db_text (person, 0));
  json_object_set_string_member (certificate, "id_number_masked", masked);
  json_object_set_array_member (certificate, "insurances", list);
  json_object_set_string_member (certificate, "issuer", "示例县社会保险事业管理中心");
  return respond (SOUP_STATUS_OK, certificate);
}

/* ---- pension certification ---- */

/* The first part named NAME, or NULL. */
static GBytes *
find_part (SoupMultipart *multipart, const char *name, SoupMessageHeaders **part_headers)
{
  for (int i = 0; multipart && i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *body = NULL;
      g_autoptr (GHashTable) params = NULL;

      if (!soup_multipart_get_part (multipart, i, &headers, &body))
        continue;
      if (soup_message_headers_get_content_disposition (headers, NULL, &params)
          && g_strcmp0 (g_hash_table_lookup (params, "name"), name) == 0)
        {
          if (part_headers != NULL)
            *part_headers = headers;
          return body;
        }
    }
  return NULL;
}

static JsonObject *
json_part (SoupMultipart *multipart, const char *name)
{
  GBytes *bytes = find_part (multipart, name, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (bytes == NULL || g_bytes_get_size (bytes) > MAX_JSON_BODY
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
looks_like_jpeg (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return size >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

static gboolean
looks_like_pdf (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return size >= 5 && memcmp (data, "%PDF-", 5) == 0;
}

static JsonObject *
certification_json (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  const char *result = linli_sim_db_text (stmt, 1);

  json_object_set_string_member (object, "certification_id", linli_sim_db_text (stmt, 0));
  json_object_set_string_member (object, "result", result);
  if (g_str_equal (result, "rejected"))
    json_object_set_object_member (
        object, "reason",
        localized (linli_sim_db_text (stmt, 2), linli_sim_db_text_or_null (stmt, 3)));
  json_object_set_string_member (object, "received_at", linli_sim_db_text (stmt, 4));
  set_nullable_string (object, "decided_at", linli_sim_db_text_or_null (stmt, 5));
  set_nullable_string (object, "valid_until", linli_sim_db_text_or_null (stmt, 6));
  return object;
}

#define CERTIFICATION_COLUMNS                                                              \
  "certification_id, result, reason_zh, reason_en, received_at, decided_at, valid_until, " \
  "decide_unix, resident_id"

static LinliSimResponse *
submit_pension_certification (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) certification = NULL;
  g_autoptr (sqlite3_stmt) person = NULL;
  g_autoptr (sqlite3_stmt) stored = NULL;
  g_autoptr (GDateTime) given = NULL;
  g_autoptr (GDateTime) captured = NULL;
  g_autofree char *id = NULL;
  g_autofree char *received = NULL;
  g_autofree char *decided = NULL;
  g_autofree char *valid_until = NULL;
  g_autofree char *digest = NULL;
  LinliSimResponse *refused;
  JsonObject *consent = NULL;
  JsonNode *consent_node;
  const char *given_at = NULL, *text_version = NULL, *captured_at = NULL, *assisted_by = NULL;
  const char *rule, *result;
  GBytes *photo;
  gint64 resident, decide_unix = 0;

  if ((refused = resolve_ref (request, request->params[0], &resident)))
    return refused;
  certification = json_part (request->multipart, "certification");
  photo = find_part (request->multipart, "photo", NULL);
  if (certification == NULL || photo == NULL)
    return linli_sim_response_new_error ("BAD_REQUEST");
  consent_node = json_object_get_member (certification, "consent");
  if (consent_node != NULL && JSON_NODE_HOLDS_OBJECT (consent_node))
    consent = json_node_get_object (consent_node);
  if (!get_string (certification, "captured_at", TRUE, &captured_at)
      || !get_string (certification, "assisted_by", FALSE, &assisted_by)
      || (captured = linli_sim_parse_time (captured_at)) == NULL)
    return linli_sim_response_new_error ("BAD_REQUEST");
  /* No consent, or one given after the photo was taken, is no consent. */
  if (consent == NULL || !get_string (consent, "given_at", TRUE, &given_at)
      || !get_string (consent, "text_version", TRUE, &text_version)
      || (given = linli_sim_parse_time (given_at)) == NULL
      || g_date_time_compare (given, captured) > 0)
    return linli_sim_response_new_error ("CONSENT_REQUIRED");
  if (g_bytes_get_size (photo) > MAX_PHOTO_BYTES)
    return linli_sim_response_new_error ("PAYLOAD_TOO_LARGE");
  if (!looks_like_jpeg (photo) || g_bytes_get_size (photo) < 100)
    return linli_sim_response_new_error ("PHOTO_UNUSABLE");

  person = linli_sim_db_query (request->db, &error,
                               "SELECT ss_status, certification_rule FROM residents"
                               " WHERE resident_id = ?",
                               "l", resident);
  if (person == NULL || !linli_sim_db_step (request->db, person, &error))
    return internal_error (request->operation, error);
  if (g_strcmp0 (linli_sim_db_text_or_null (person, 0), "retired") != 0)
    return linli_sim_response_new_error ("NOT_ELIGIBLE");

  /* The simulator's rule, never face recognition: "accept" decides at
   * once, "reject" rejects at once, "review" stays pending for
   * --certification-delay seconds and is then accepted. */
  rule = linli_sim_db_text (person, 1);
  received = linli_sim_format_time (request->now);
  if (g_str_equal (rule, "reject"))
    {
      result = "rejected";
      decided = g_strdup (received);
    }
  else if (g_str_equal (rule, "accept"))
    {
      g_autoptr (GDateTime) next_year = g_date_time_add_years (request->now, 1);
      g_autoptr (GDateTime) until = g_date_time_add_days (next_year, -1);

      result = "accepted";
      decided = g_strdup (received);
      valid_until = linli_sim_format_date (until);
    }
  else
    {
      result = "pending";
      decide_unix = g_date_time_to_unix (request->now) + request->settings->certification_delay_s;
    }
  id = linli_sim_ops_next_number (request->db, "pension_certifications", "certification_id", "RZ",
                                  request->now, 5, &error);
  if (id == NULL)
    return internal_error (request->operation, error);
  digest = linli_sim_sha256_hex (g_bytes_get_data (photo, NULL), g_bytes_get_size (photo));
  if (!linli_sim_db_run (
          request->db, &error,
          "INSERT INTO pension_certifications (certification_id, kiosk_id,"
          " idempotency_key, resident_id, result, reason_zh, reason_en, received_at,"
          " decide_unix, decided_at, valid_until, photo_size, photo_sha256,"
          " consent_given_at, consent_text_version, captured_at, assisted_by)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?, ?)",
          "sssls"
          "sssls"
          "slsssss",
          id, request->kiosk_id, request->idempotency_key, resident, result,
          g_str_equal (result, "rejected") ? "照片与档案照片比对未通过，请到人工窗口认证。" : NULL,
          g_str_equal (result, "rejected")
              ? "The photo did not match our records. Please certify at a staffed "
                "counter."
              : NULL,
          received, decide_unix, decided, valid_until, (gint64) g_bytes_get_size (photo), digest,
          given_at, text_version, captured_at, assisted_by))
    return internal_error (request->operation, error);
  if (valid_until != NULL
      && !linli_sim_db_run (request->db, &error,
                            "UPDATE residents SET pension_certification_due = ?"
                            " WHERE resident_id = ?",
                            "sl", valid_until, resident))
    return internal_error (request->operation, error);
  stored = linli_sim_db_query (request->db, &error,
                               "SELECT " CERTIFICATION_COLUMNS
                               " FROM pension_certifications WHERE certification_id = ?",
                               "s", id);
  if (stored == NULL || !linli_sim_db_step (request->db, stored, &error))
    return internal_error (request->operation, error);
  return respond (g_str_equal (result, "pending") ? SOUP_STATUS_ACCEPTED : SOUP_STATUS_OK,
                  certification_json (stored));
}

static LinliSimResponse *
get_pension_certification (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *id = request->params[0];
  const char *sql
      = "SELECT " CERTIFICATION_COLUMNS " FROM pension_certifications WHERE certification_id = ?";

  if (!matches_pattern (id, ID_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  stmt = linli_sim_db_query (request->db, &error, sql, "s", id);
  if (stmt == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, stmt, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("CERTIFICATION_NOT_FOUND");
  /* A pending review ends (accepted) once its delay has passed. */
  if (g_str_equal (linli_sim_db_text (stmt, 1), "pending")
      && sqlite3_column_int64 (stmt, 7) <= g_date_time_to_unix (request->now))
    {
      g_autoptr (GDateTime) decided
          = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 7));
      g_autoptr (GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
      g_autoptr (GDateTime) decided_cst = g_date_time_to_timezone (decided, cst);
      g_autoptr (GDateTime) next_year = g_date_time_add_years (decided_cst, 1);
      g_autoptr (GDateTime) until = g_date_time_add_days (next_year, -1);
      g_autofree char *decided_text = linli_sim_format_time (decided_cst);
      g_autofree char *until_text = linli_sim_format_date (until);
      gint64 resident = sqlite3_column_int64 (stmt, 8);

      g_clear_pointer (&stmt, sqlite3_finalize);
      if (!linli_sim_db_begin (request->db, &error)
          || !linli_sim_db_run (request->db, &error,
                                "UPDATE pension_certifications SET result = 'accepted',"
                                " decided_at = ?, valid_until = ? WHERE certification_id = ?",
                                "sss", decided_text, until_text, id)
          || !linli_sim_db_run (request->db, &error,
                                "UPDATE residents SET pension_certification_due = ?"
                                " WHERE resident_id = ?",
                                "sl", until_text, resident)
          || !linli_sim_db_commit (request->db, &error))
        {
          linli_sim_db_rollback (request->db);
          return internal_error (request->operation, error);
        }
      stmt = linli_sim_db_query (request->db, &error, sql, "s", id);
      if (stmt == NULL || !linli_sim_db_step (request->db, stmt, &error))
        return internal_error (request->operation, error);
    }
  return respond (SOUP_STATUS_OK, certification_json (stmt));
}

/* ---- medical insurance ---- */

static LinliSimResponse *
get_medical_account (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) account = NULL;
  g_autoptr (sqlite3_stmt) records = NULL;
  g_autofree char *masked = NULL;
  LinliSimResponse *refused;
  JsonObject *object;
  JsonArray *list;
  gint64 resident, limit;

  if ((refused = resolve_ref (request, request->params[0], &resident))
      || (refused = query_int (request, "limit", FALSE, 1, 50, 10, &limit)))
    return refused;
  account = linli_sim_db_query (request->db, &error,
                                "SELECT account_number, scheme, balance_fen, as_of"
                                " FROM medical_accounts WHERE resident_id = ?",
                                "l", resident);
  if (account == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, account, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("ACCOUNT_NOT_FOUND");
  records = linli_sim_db_query (request->db, &error,
                                "SELECT date, kind, amount_fen, institution FROM medical_records"
                                " WHERE account_number = ? ORDER BY date DESC, record_id DESC"
                                " LIMIT ?",
                                "sl", linli_sim_db_text (account, 0), limit);
  if (records == NULL)
    return internal_error (request->operation, error);
  list = json_array_new ();
  while (linli_sim_db_step (request->db, records, &error))
    {
      JsonObject *record = json_object_new ();

      json_object_set_string_member (record, "date", linli_sim_db_text (records, 0));
      json_object_set_string_member (record, "kind", linli_sim_db_text (records, 1));
      json_object_set_int_member (record, "amount_fen", sqlite3_column_int64 (records, 2));
      set_nullable_string (record, "institution", linli_sim_db_text_or_null (records, 3));
      json_array_add_object_element (list, record);
    }
  masked = linli_sim_mask_account (linli_sim_db_text (account, 0));
  object = json_object_new ();
  json_object_set_string_member (object, "account_masked", masked);
  json_object_set_string_member (object, "scheme", linli_sim_db_text (account, 1));
  json_object_set_int_member (object, "balance_fen", sqlite3_column_int64 (account, 2));
  json_object_set_string_member (object, "as_of", linli_sim_db_text (account, 3));
  json_object_set_array_member (object, "records", list);
  return respond (SOUP_STATUS_OK, object);
}

static LinliSimResponse *
get_medical_contribution_due (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) due = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *deadline = NULL;
  LinliSimResponse *refused;
  JsonObject *object;
  gint64 resident, year;

  if ((refused = resolve_ref (request, request->params[0], &resident))
      || (refused = query_int (request, "year", FALSE, 2000, 2100,
                               linli_sim_open_insurance_year (request->now), &year)))
    return refused;
  scheme = linli_sim_db_query_text (request->db, &error,
                                    "SELECT scheme FROM medical_accounts WHERE resident_id = ?",
                                    "l", resident);
  if (error != NULL)
    return internal_error (request->operation, error);
  if (scheme == NULL)
    return linli_sim_response_new_error ("ACCOUNT_NOT_FOUND");
  due = linli_sim_db_query (request->db, &error,
                            "SELECT amount_fen, deadline, status, payable_id"
                            " FROM medical_contributions WHERE resident_id = ? AND year = ?",
                            "ll", resident, year);
  if (due == NULL)
    return internal_error (request->operation, error);
  object = json_object_new ();
  json_object_set_int_member (object, "year", year);
  if (linli_sim_db_step (request->db, due, &error) && g_str_equal (scheme, "resident"))
    {
      gboolean paid = g_str_equal (linli_sim_db_text (due, 2), "paid");

      json_object_set_int_member (object, "amount_due_fen",
                                  paid ? 0 : sqlite3_column_int64 (due, 0));
      json_object_set_string_member (object, "deadline", linli_sim_db_text (due, 1));
      json_object_set_string_member (object, "status", paid ? "paid" : "due");
      set_nullable_string (object, "payable_id", paid ? NULL : linli_sim_db_text (due, 3));
      return respond (SOUP_STATUS_OK, object);
    }
  if (error != NULL)
    {
      json_object_unref (object);
      return internal_error (request->operation, error);
    }
  /* The employee scheme (or a year without a contribution) owes nothing. */
  deadline = g_strdup_printf ("%04" G_GINT64_FORMAT "-12-31", year - 1);
  json_object_set_int_member (object, "amount_due_fen", 0);
  json_object_set_string_member (object, "deadline", deadline);
  json_object_set_string_member (object, "status", "not_applicable");
  json_object_set_null_member (object, "payable_id");
  return respond (SOUP_STATUS_OK, object);
}

/* ---- utilities ---- */

static const char *const utility_types[] = { "water", "electricity", "gas", "heating", NULL };

static LinliSimResponse *
list_utility_bills (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) account = NULL;
  g_autoptr (sqlite3_stmt) bills = NULL;
  g_autofree char *today = linli_sim_format_date (request->now);
  const char *type = request->params[0];
  const char *number = request->params[1];
  JsonObject *object;
  JsonArray *list;

  if (!one_of (type, utility_types) || !matches_pattern (number, ACCOUNT_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  account
      = linli_sim_db_query (request->db, &error,
                            "SELECT provider, holder_name, address, prepaid_balance_fen"
                            " FROM utility_accounts WHERE utility_type = ? AND account_number = ?",
                            "ss", type, number);
  if (account == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, account, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("ACCOUNT_NOT_FOUND");
  /* Unpaid first (oldest first), then the last 12 paid (newest first). */
  bills
      = linli_sim_db_query (request->db, &error,
                            "SELECT * FROM (SELECT bill_id, period_start, period_end, usage, unit,"
                            "  amount_fen, late_fee_fen, due_date, status, 0 AS grp,"
                            "  julianday(period_start) AS sk"
                            "  FROM bills WHERE utility_type = ?1 AND account_number = ?2"
                            "  AND status = 'unpaid')"
                            " UNION ALL SELECT * FROM (SELECT bill_id, period_start, period_end,"
                            "  usage, unit, amount_fen, late_fee_fen, due_date, status, 1,"
                            "  -julianday(period_start) FROM bills WHERE utility_type = ?1"
                            "  AND account_number = ?2 AND status = 'paid'"
                            "  ORDER BY period_start DESC LIMIT 12)"
                            " ORDER BY grp, sk",
                            "ss", type, number);
  if (bills == NULL)
    return internal_error (request->operation, error);
  list = json_array_new ();
  while (linli_sim_db_step (request->db, bills, &error))
    {
      JsonObject *bill = json_object_new ();
      const char *status = linli_sim_db_text (bills, 8);

      if (g_str_equal (status, "unpaid") && strcmp (linli_sim_db_text (bills, 7), today) < 0)
        status = "overdue";
      json_object_set_string_member (bill, "bill_id", linli_sim_db_text (bills, 0));
      json_object_set_string_member (bill, "period_start", linli_sim_db_text (bills, 1));
      json_object_set_string_member (bill, "period_end", linli_sim_db_text (bills, 2));
      if (sqlite3_column_type (bills, 3) != SQLITE_NULL)
        json_object_set_double_member (bill, "usage", sqlite3_column_double (bills, 3));
      else
        json_object_set_null_member (bill, "usage");
      set_nullable_string (bill, "unit", linli_sim_db_text_or_null (bills, 4));
      json_object_set_int_member (bill, "amount_fen", sqlite3_column_int64 (bills, 5));
      if (sqlite3_column_type (bills, 6) != SQLITE_NULL)
        json_object_set_int_member (bill, "late_fee_fen", sqlite3_column_int64 (bills, 6));
      json_object_set_string_member (bill, "due_date", linli_sim_db_text (bills, 7));
      json_object_set_string_member (bill, "status", status);
      json_array_add_object_element (list, bill);
    }
  if (error != NULL)
    {
      json_array_unref (list);
      return internal_error (request->operation, error);
    }
  object = json_object_new ();
  json_object_set_string_member (object, "utility_type", type);
  json_object_set_string_member (object, "account_number", number);
  json_object_set_string_member (object, "provider", linli_sim_db_text (account, 0));
  if (linli_sim_db_text_or_null (account, 1) != NULL)
    {
      g_autofree char *holder = linli_sim_mask_name (linli_sim_db_text (account, 1));

      json_object_set_string_member (object, "holder_masked", holder);
    }
  else
    json_object_set_null_member (object, "holder_masked");
  if (linli_sim_db_text_or_null (account, 2) != NULL)
    {
      g_autofree char *address = linli_sim_mask_address (linli_sim_db_text (account, 2));

      json_object_set_string_member (object, "address_masked", address);
    }
  else
    json_object_set_null_member (object, "address_masked");
  if (sqlite3_column_type (account, 3) != SQLITE_NULL)
    json_object_set_int_member (object, "prepaid_balance_fen", sqlite3_column_int64 (account, 3));
  json_object_set_array_member (object, "bills", list);
  return respond (SOUP_STATUS_OK, object);
}

/* ---- payments ---- */

#define ORDER_COLUMNS                                                                     \
  "order_id, state, amount_fen, description_zh, description_en, qr_payload, created_at, " \
  "expires_at, paid_at, transaction_id, expires_unix"

static JsonObject *
order_json (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "order_id", linli_sim_db_text (stmt, 0));
  json_object_set_string_member (object, "state", linli_sim_db_text (stmt, 1));
  json_object_set_int_member (object, "amount_fen", sqlite3_column_int64 (stmt, 2));
  json_object_set_object_member (
      object, "description",
      localized (linli_sim_db_text (stmt, 3), linli_sim_db_text_or_null (stmt, 4)));
  json_object_set_string_member (object, "qr_payload", linli_sim_db_text (stmt, 5));
  json_object_set_string_member (object, "created_at", linli_sim_db_text (stmt, 6));
  json_object_set_string_member (object, "expires_at", linli_sim_db_text (stmt, 7));
  set_nullable_string (object, "paid_at", linli_sim_db_text_or_null (stmt, 8));
  set_nullable_string (object, "transaction_id", linli_sim_db_text_or_null (stmt, 9));
  return object;
}

static void
describe_bill (
    const char *type, const char *period_start, const char *period_end, char **zh, char **en)
{
  static const char *const names_zh[] = { "水费", "电费", "燃气费", "供暖费" };
  static const char *const names_en[]
      = { "Water bill", "Electricity bill", "Gas bill", "Heating bill" };
  static const char *const months_en[]
      = { "January", "February", "March",     "April",   "May",      "June",
          "July",    "August",   "September", "October", "November", "December" };
  int index = 3, year = 0, month = 1, end_year = 0;

  for (int i = 0; i < 4; i++)
    if (g_strcmp0 (type, utility_types[i]) == 0)
      index = i;
  sscanf (period_start, "%4d-%2d", &year, &month);
  sscanf (period_end, "%4d", &end_year);
  month = CLAMP (month, 1, 12);
  if (end_year != year)
    {
      *zh = g_strdup_printf ("%s %d-%d采暖季", names_zh[index], year, end_year);
      *en = g_strdup_printf ("%s, %d-%d season", names_en[index], year, end_year);
    }
  else
    {
      *zh = g_strdup_printf ("%s %d年%d月", names_zh[index], year, month);
      *en = g_strdup_printf ("%s, %s %d", names_en[index], months_en[month - 1], year);
    }
}

static LinliSimResponse *
create_payment_order (LinliSimRequest *request)
{
  static const char *const kinds[] = { "utility_bill", "medical_contribution", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) payable = NULL;
  g_autoptr (sqlite3_stmt) stored = NULL;
  g_autoptr (GDateTime) expiry = NULL;
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  g_autofree char *order_id = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *created = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *location = NULL;
  LinliSimResponse *refused = parse_body (request, &root);
  LinliSimResponse *response;
  JsonObject *body;
  const char *kind, *payable_id, *ref;
  gint64 expected = -1, amount, resident = 0;

  if (refused != NULL)
    return refused;
  body = json_node_get_object (root);
  if (!get_string (body, "payable_kind", TRUE, &kind) || !one_of (kind, kinds)
      || !get_string (body, "payable_id", TRUE, &payable_id)
      || !get_int (body, "expected_amount_fen", TRUE, 0, &expected)
      || !get_string (body, "resident_ref", FALSE, &ref))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (ref != NULL && (refused = resolve_ref (request, ref, &resident)))
    return refused;

  if (g_str_equal (kind, "utility_bill"))
    payable
        = linli_sim_db_query (request->db, &error,
                              "SELECT amount_fen, status, utility_type, period_start, period_end"
                              " FROM bills WHERE bill_id = ?",
                              "s", payable_id);
  else
    payable = linli_sim_db_query (request->db, &error,
                                  "SELECT amount_fen, status, year FROM medical_contributions"
                                  " WHERE payable_id = ?",
                                  "s", payable_id);
  if (payable == NULL)
    return internal_error (request->operation, error);
  if (!linli_sim_db_step (request->db, payable, &error))
    return error ? internal_error (request->operation, error)
                 : linli_sim_response_new_error ("ACCOUNT_NOT_FOUND");
  if (g_str_equal (linli_sim_db_text (payable, 1), "paid"))
    return linli_sim_response_new_error ("ALREADY_PAID");
  amount = sqlite3_column_int64 (payable, 0);
  /* The resident never pays an amount they were not shown. */
  if (amount != expected)
    return linli_sim_response_new_error ("AMOUNT_MISMATCH");
  if (g_str_equal (kind, "utility_bill"))
    describe_bill (linli_sim_db_text (payable, 2), linli_sim_db_text (payable, 3),
                   linli_sim_db_text (payable, 4), &zh, &en);
  else
    {
      zh = g_strdup_printf ("城乡居民医保 %d年度", sqlite3_column_int (payable, 2));
      en = g_strdup_printf ("Residents' medical insurance, %d", sqlite3_column_int (payable, 2));
    }

  order_id = linli_sim_ops_next_number (request->db, "payment_orders", "order_id", "PO",
                                        request->now, 6, &error);
  if (order_id == NULL)
    return internal_error (request->operation, error);
  qr = g_strconcat ("https://pay.sim.linli.example/q/", order_id, NULL);
  expiry = g_date_time_add_seconds (request->now, request->settings->payment_ttl_s);
  created = linli_sim_format_time (request->now);
  expires = linli_sim_format_time (expiry);
  if (!linli_sim_db_run (request->db, &error,
                         "INSERT INTO payment_orders (order_id, kiosk_id, idempotency_key,"
                         " payable_kind, payable_id, resident_id, amount_fen, description_zh,"
                         " description_en, qr_payload, state, created_at, expires_at, expires_unix)"
                         " VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?, 'pending', ?, ?, ?)",
                         "sssssllsssssl", order_id, request->kiosk_id, request->idempotency_key,
                         kind, payable_id, resident, amount, zh, en, qr, created, expires,
                         g_date_time_to_unix (expiry)))
    return internal_error (request->operation, error);
  stored = linli_sim_db_query (request->db, &error,
                               "SELECT " ORDER_COLUMNS " FROM payment_orders WHERE order_id = ?",
                               "s", order_id);
  if (stored == NULL || !linli_sim_db_step (request->db, stored, &error))
    return internal_error (request->operation, error);
  response = respond (SOUP_STATUS_CREATED, order_json (stored));
  location = g_strconcat (LINLI_SIM_BASE_PATH "/payments/", order_id, NULL);
  linli_sim_response_add_header (response, "Location", location);
  return response;
}

/* The order ORDER_ID of KIOSK_ID (NULL: any kiosk), its state brought up to
 * date (pending past its expiry is expired); or the refusal. */
static LinliSimResponse *
load_order (LinliSimDb *db,
            const char *kiosk_id,
            const char *order_id,
            GDateTime *now,
            const char *operation,
            sqlite3_stmt **order)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *sql = "SELECT " ORDER_COLUMNS " FROM payment_orders WHERE order_id = ?"
                    " AND (?2 IS NULL OR kiosk_id = ?2)";

  if (!matches_pattern (order_id, ID_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!linli_sim_db_run (db, &error,
                         "UPDATE payment_orders SET state = 'expired' WHERE order_id = ?"
                         " AND state = 'pending' AND expires_unix <= ?",
                         "sl", order_id, g_date_time_to_unix (now)))
    return internal_error (operation, error);
  stmt = linli_sim_db_query (db, &error, sql, "ss", order_id, kiosk_id);
  if (stmt == NULL)
    return internal_error (operation, error);
  if (!linli_sim_db_step (db, stmt, &error))
    return error ? internal_error (operation, error)
                 : linli_sim_response_new_error ("ORDER_NOT_FOUND");
  *order = g_steal_pointer (&stmt);
  return NULL;
}

static LinliSimResponse *
get_payment_order (LinliSimRequest *request)
{
  g_autoptr (sqlite3_stmt) order = NULL;
  LinliSimResponse *refused = load_order (request->db, request->kiosk_id, request->params[0],
                                          request->now, request->operation, &order);

  return refused ? refused : respond (SOUP_STATUS_OK, order_json (order));
}

static LinliSimResponse *
cancel_payment_order (LinliSimRequest *request)
{
  g_autoptr (sqlite3_stmt) order = NULL;
  g_autoptr (GError) error = NULL;
  const char *id = request->params[0];
  LinliSimResponse *refused
      = load_order (request->db, request->kiosk_id, id, request->now, request->operation, &order);
  const char *state;

  if (refused != NULL)
    return refused;
  state = linli_sim_db_text (order, 1);
  if (g_str_equal (state, "paid"))
    return linli_sim_response_new_error ("ORDER_NOT_CANCELLABLE");
  if (!g_str_equal (state, "pending"))
    return respond (SOUP_STATUS_OK, order_json (order));
  g_clear_pointer (&order, sqlite3_finalize);
  if (!linli_sim_db_run (request->db, &error,
                         "UPDATE payment_orders SET state = 'cancelled' WHERE order_id = ?", "s",
                         id))
    return internal_error (request->operation, error);
  refused
      = load_order (request->db, request->kiosk_id, id, request->now, request->operation, &order);
  return refused ? refused : respond (SOUP_STATUS_OK, order_json (order));
}

LinliSimResponse *
linli_sim_ops_pay_order (LinliSimDb *db, const char *order_id, GDateTime *now)
{
  g_autoptr (sqlite3_stmt) order = NULL;
  g_autoptr (sqlite3_stmt) payable = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *paid_at = linli_sim_format_time (now);
  g_autofree char *token = linli_sim_random_token (12, "0123456789");
  g_autofree char *transaction = g_strconcat ("SIMTX", token, NULL);
  LinliSimResponse *refused = load_order (db, NULL, order_id, now, "pay", &order);
  g_autofree char *kind = NULL;
  g_autofree char *payable_id = NULL;

  if (refused != NULL)
    return refused;
  if (!g_str_equal (linli_sim_db_text (order, 1), "pending"))
    return linli_sim_response_new_error (g_str_equal (linli_sim_db_text (order, 1), "paid")
                                             ? "ALREADY_PAID"
                                             : "ORDER_NOT_CANCELLABLE");
  g_clear_pointer (&order, sqlite3_finalize);
  payable = linli_sim_db_query (db, &error,
                                "SELECT payable_kind, payable_id FROM payment_orders"
                                " WHERE order_id = ?",
                                "s", order_id);
  if (payable == NULL || !linli_sim_db_step (db, payable, &error))
    return internal_error ("pay", error);
  kind = g_strdup (linli_sim_db_text (payable, 0));
  payable_id = g_strdup (linli_sim_db_text (payable, 1));
  /* The order and what it pays, together. */
  if (!linli_sim_db_begin (db, &error)
      || !linli_sim_db_run (db, &error,
                            "UPDATE payment_orders SET state = 'paid', paid_at = ?,"
                            " transaction_id = ? WHERE order_id = ?",
                            "sss", paid_at, transaction, order_id)
      || !linli_sim_db_run (db, &error,
                            g_str_equal (kind, "utility_bill")
                                ? "UPDATE bills SET status = 'paid', paid_at = ? WHERE bill_id = ?"
                                : "UPDATE medical_contributions SET status = 'paid', paid_at = ?"
                                  " WHERE payable_id = ?",
                            "ss", paid_at, payable_id)
      || !linli_sim_db_commit (db, &error))
    {
      linli_sim_db_rollback (db);
      return internal_error ("pay", error);
    }
  g_message ("control: order %s paid", order_id);
  refused = load_order (db, NULL, order_id, now, "pay", &order);
  return refused ? refused : respond (SOUP_STATUS_OK, order_json (order));
}

LinliSimResponse *
linli_sim_ops_expire_order (LinliSimDb *db, const char *order_id, GDateTime *now)
{
  g_autoptr (sqlite3_stmt) order = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *time = linli_sim_format_time (now);
  LinliSimResponse *refused;

  if (!linli_sim_db_run (db, &error,
                         "UPDATE payment_orders SET expires_unix = min(expires_unix, ?),"
                         " expires_at = CASE WHEN expires_unix > ? THEN ? ELSE expires_at END"
                         " WHERE order_id = ? AND state = 'pending'",
                         "llss", g_date_time_to_unix (now), g_date_time_to_unix (now), time,
                         order_id))
    return internal_error ("expire", error);
  refused = load_order (db, NULL, order_id, now, "expire", &order);
  return refused ? refused : respond (SOUP_STATUS_OK, order_json (order));
}

/* ---- applications ---- */

static const char *const application_statuses[]
    = { "received", "accepted",  "in_progress", "needs_more", "approved",
        "rejected", "completed", "withdrawn",   NULL };

#define APPLICATION_COLUMNS                                                       \
  "a.application_number, a.item_code, c.definition, a.status, a.status_text_zh, " \
  "a.status_text_en, a.submitted_at, a.updated_at, a.expected_by, e.grade, e.evaluated_at"

#define APPLICATION_FROM                                                        \
  " FROM applications a LEFT JOIN catalog_items c ON c.item_code = a.item_code" \
  " LEFT JOIN evaluations e ON e.application_number = a.application_number"

static JsonObject *
application_json (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  g_autoptr (JsonNode) item = parse_json (linli_sim_db_text_or_null (stmt, 2));
  JsonObject *title = NULL;
  const char *status = linli_sim_db_text (stmt, 3);
  gboolean evaluated = linli_sim_db_text_or_null (stmt, 9) != NULL;

  json_object_set_string_member (object, "application_number", linli_sim_db_text (stmt, 0));
  json_object_set_string_member (object, "item_code", linli_sim_db_text (stmt, 1));
  if (item != NULL && JSON_NODE_HOLDS_OBJECT (item)
      && json_object_has_member (json_node_get_object (item), "title"))
    title = json_object_ref (json_object_get_object_member (json_node_get_object (item), "title"));
  json_object_set_object_member (object, "title",
                                 title ? title : localized (linli_sim_db_text (stmt, 1), NULL));
  json_object_set_string_member (object, "status", status);
  json_object_set_object_member (
      object, "status_text",
      localized (linli_sim_db_text (stmt, 4), linli_sim_db_text_or_null (stmt, 5)));
  json_object_set_string_member (object, "submitted_at", linli_sim_db_text (stmt, 6));
  json_object_set_string_member (object, "updated_at", linli_sim_db_text (stmt, 7));
  set_nullable_string (object, "expected_by", linli_sim_db_text_or_null (stmt, 8));
  json_object_set_boolean_member (object, "evaluable",
                                  !evaluated && !g_str_equal (status, "withdrawn"));
  if (evaluated)
    {
      JsonObject *evaluation = json_object_new ();

      json_object_set_string_member (evaluation, "application_number", linli_sim_db_text (stmt, 0));
      json_object_set_string_member (evaluation, "grade", linli_sim_db_text (stmt, 9));
      json_object_set_string_member (evaluation, "evaluated_at", linli_sim_db_text (stmt, 10));
      json_object_set_object_member (object, "evaluation", evaluation);
    }
  return object;
}

static LinliSimResponse *
load_application (LinliSimDb *db, const char *number, const char *operation, JsonObject **object)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!matches_pattern (number, APPLICATION_PATTERN))
    return linli_sim_response_new_error ("BAD_REQUEST");
  stmt = linli_sim_db_query (
      db, &error, "SELECT " APPLICATION_COLUMNS APPLICATION_FROM " WHERE a.application_number = ?",
      "s", number);
  if (stmt == NULL)
    return internal_error (operation, error);
  if (!linli_sim_db_step (db, stmt, &error))
    return error ? internal_error (operation, error)
                 : linli_sim_response_new_error ("APPLICATION_NOT_FOUND");
  *object = application_json (stmt);
  return NULL;
}

typedef struct
{
  const char *code;
  const char *zh; /* %s: the field's label */
  const char *en;
} FieldRule;

static const FieldRule field_rules[] = {
  { "REQUIRED", "请填写“%s”。", "Please fill in “%s”." },
  { "TYPE", "“%s”的内容不对，请重新填写。", "Please fill in “%s” again." },
  { "PATTERN", "“%s”的格式不对，请核对。", "Please check “%s”: it is not in the right form." },
  { "MIN", "“%s”的数值太小。", "“%s” is too small." },
  { "MAX", "“%s”的数值太大。", "“%s” is too large." },
  { "MIN_LENGTH", "“%s”太短了。", "“%s” is too short." },
  { "MAX_LENGTH", "“%s”太长了。", "“%s” is too long." },
  { "CHOICE", "请从“%s”的选项中选择。", "Please choose one of the options for “%s”." },
};

/* TEMPLATE with its "%s" replaced by LABEL (no printf: the templates are
 * data). */
static char *
fill_label (const char *template, const char *label)
{
  g_auto (GStrv) halves = g_strsplit (template, "%s", 2);

  return g_strjoinv (label, halves);
}

static void
add_field_error (JsonArray *errors, JsonObject *spec, const char *name, const char *code)
{
  JsonObject *label = NULL;
  JsonObject *error = json_object_new ();
  const char *zh = name, *en = name;

  if (spec != NULL && json_object_has_member (spec, "label"))
    label = json_object_get_object_member (spec, "label");
  if (label != NULL)
    {
      zh = json_object_get_string_member_with_default (label, "zh", name);
      en = json_object_get_string_member_with_default (label, "en", zh);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (field_rules); i++)
    if (g_str_equal (field_rules[i].code, code))
      {
        g_autofree char *message = fill_label (field_rules[i].zh, zh);
        g_autofree char *message_en = fill_label (field_rules[i].en, en);

        json_object_set_string_member (error, "field", name);
        json_object_set_string_member (error, "code", code);
        json_object_set_string_member (error, "message", message);
        json_object_set_string_member (error, "message_en", message_en);
      }
  json_array_add_object_element (errors, error);
}

static gboolean
has_number (JsonObject *spec, const char *name, gint64 *value)
{
  JsonNode *node = json_object_get_member (spec, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  *value = json_node_get_value_type (node) == G_TYPE_DOUBLE ? (gint64) json_node_get_double (node)
                                                            : json_node_get_int (node);
  return TRUE;
}

/* The rule a text value breaks, or NULL. */
static const char *
check_text (JsonObject *spec, const char *type, const char *value, GDateTime *now)
{
  glong length = g_utf8_strlen (value, -1);
  gint64 limit;
  const char *pattern = json_object_get_string_member_with_default (spec, "pattern", NULL);

  if (!g_utf8_validate (value, -1, NULL) || length > MAX_TEXT_CHARS)
    return "MAX_LENGTH";
  if (has_number (spec, "min_length", &limit) && length < limit)
    return "MIN_LENGTH";
  if (has_number (spec, "max_length", &limit) && length > limit)
    return "MAX_LENGTH";
  if (pattern == NULL && g_str_equal (type, "phone"))
    pattern = "^1[3-9][0-9]{9}$";
  if (pattern != NULL)
    {
      g_autofree char *whole = g_strdup_printf ("^(?:%s)$", pattern);

      if (!matches_pattern (value, whole))
        return "PATTERN";
    }
  if (g_str_equal (type, "id_number") && !linli_sim_id_number_valid (value, now))
    return "PATTERN";
  if (g_str_equal (type, "date"))
    {
      g_autoptr (GDateTime) date = linli_sim_parse_date (value);
      const char *min = json_object_get_string_member_with_default (spec, "min_date", NULL);
      const char *max = json_object_get_string_member_with_default (spec, "max_date", NULL);

      if (date == NULL)
        return "PATTERN";
      /* ISO dates compare as text. */
      if (min != NULL && strcmp (value, min) < 0)
        return "MIN";
      if (max != NULL && strcmp (value, max) > 0)
        return "MAX";
    }
  if (g_str_equal (type, "choice"))
    {
      JsonArray *choices = json_object_has_member (spec, "choices")
                               ? json_object_get_array_member (spec, "choices")
                               : NULL;

      for (guint i = 0; choices && i < json_array_get_length (choices); i++)
        if (g_strcmp0 (json_object_get_string_member_with_default (
                           json_array_get_object_element (choices, i), "value", NULL),
                       value)
            == 0)
          return NULL;
      return "CHOICE";
    }
  return NULL;
}

/* Each field's value against the item's rules (the kiosk checked them
 * too; the platform checks again). */
static JsonArray *
validate_fields (JsonArray *specs, JsonObject *values, GDateTime *now)
{
  JsonArray *errors = json_array_new ();

  for (guint i = 0; specs && i < json_array_get_length (specs); i++)
    {
      JsonObject *spec = json_array_get_object_element (specs, i);
      const char *name = json_object_get_string_member_with_default (spec, "name", "");
      const char *type = json_object_get_string_member_with_default (spec, "type", "text");
      gboolean required = json_object_get_boolean_member_with_default (spec, "required", FALSE);
      JsonNode *value = json_object_get_member (values, name);
      const char *broken = NULL;
      gint64 limit;

      if (value == NULL || JSON_NODE_HOLDS_NULL (value)
          || (is_type (value, G_TYPE_STRING) && *json_node_get_string (value) == '\0'))
        {
          if (required)
            add_field_error (errors, spec, name, "REQUIRED");
          continue;
        }
      if (g_str_equal (type, "integer") || g_str_equal (type, "amount"))
        {
          if (!is_type (value, G_TYPE_INT64))
            broken = "TYPE";
          else if (has_number (spec, "min", &limit) && json_node_get_int (value) < limit)
            broken = "MIN";
          else if (has_number (spec, "max", &limit) && json_node_get_int (value) > limit)
            broken = "MAX";
        }
      else if (g_str_equal (type, "boolean"))
        broken = is_type (value, G_TYPE_BOOLEAN) ? NULL : "TYPE";
      else if (!is_type (value, G_TYPE_STRING))
        broken = "TYPE";
      else
        broken = check_text (spec, type, json_node_get_string (value), now);
      if (broken != NULL)
        add_field_error (errors, spec, name, broken);
    }
  return errors;
}

static JsonObject *
find_document (JsonArray *documents, const char *name)
{
  for (guint i = 0; documents && i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (document, "name", NULL), name)
          == 0)
        return document;
    }
  return NULL;
}

/* The manifest against the item's documents and the page parts. */
static LinliSimResponse *
check_documents (JsonArray *specs, JsonNode *manifest_node, GPtrArray *pages)
{
  JsonArray *manifest;
  gint64 total = 0;

  if (manifest_node == NULL || !JSON_NODE_HOLDS_ARRAY (manifest_node))
    return linli_sim_response_new_error ("BAD_REQUEST");
  manifest = json_node_get_array (manifest_node);
  if (json_array_get_length (manifest) > 20)
    return linli_sim_response_new_error ("BAD_REQUEST");
  for (guint i = 0; i < json_array_get_length (manifest); i++)
    {
      JsonNode *node = json_array_get_element (manifest, i);
      JsonObject *entry, *spec;
      const char *name;
      gint64 count = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return linli_sim_response_new_error ("BAD_REQUEST");
      entry = json_node_get_object (node);
      if (!get_string (entry, "name", TRUE, &name) || !get_int (entry, "pages", TRUE, 1, &count)
          || count > 50 || (spec = find_document (specs, name)) == NULL)
        return linli_sim_response_new_error ("BAD_REQUEST");
      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (json_object_get_string_member_with_default (
                           json_array_get_object_element (manifest, k), "name", NULL),
                       name)
            == 0)
          return linli_sim_response_new_error ("BAD_REQUEST");
      if (count < json_object_get_int_member_with_default (spec, "pages_min", 1))
        return linli_sim_response_new_error ("DOCUMENT_MISSING");
      if (count > json_object_get_int_member_with_default (spec, "pages_max", 50))
        return linli_sim_response_new_error ("BAD_REQUEST");
      total += count;
    }
  for (guint i = 0; specs && i < json_array_get_length (specs); i++)
    {
      JsonObject *spec = json_array_get_object_element (specs, i);
      const char *name = json_object_get_string_member_with_default (spec, "name", "");

      if (json_object_get_boolean_member_with_default (spec, "required", FALSE)
          && find_document (manifest, name) == NULL)
        return linli_sim_response_new_error ("DOCUMENT_MISSING");
    }
  if ((gint64) pages->len < total)
    return linli_sim_response_new_error ("DOCUMENT_MISSING");
  if ((gint64) pages->len > total)
    return linli_sim_response_new_error ("BAD_REQUEST");
  return NULL;
}

typedef struct
{
  GBytes *body;
  const char *content_type;
} Page;

static GPtrArray *
collect_pages (SoupMultipart *multipart)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *body = NULL;
      g_autoptr (GHashTable) params = NULL;

      if (soup_multipart_get_part (multipart, i, &headers, &body)
          && soup_message_headers_get_content_disposition (headers, NULL, &params)
          && g_strcmp0 (g_hash_table_lookup (params, "name"), "pages") == 0)
        {
          Page *page = g_new0 (Page, 1);

          page->body = body;
          page->content_type = soup_message_headers_get_content_type (headers, NULL);
          g_ptr_array_add (pages, page);
        }
    }
  return pages;
}

static LinliSimResponse *
create_application (LinliSimRequest *request)
{
  static const char *const roles[] = { "resident", "staff", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) application = json_part (request->multipart, "application");
  g_autoptr (JsonNode) item = NULL;
  g_autoptr (GPtrArray) pages = NULL;
  g_autoptr (JsonArray) field_errors = NULL;
  g_autoptr (GDateTime) expected = NULL;
  g_autofree char *number = NULL;
  g_autofree char *submitted = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *fields_json = NULL;
  g_autofree char *documents_json = NULL;
  g_autofree char *location = NULL;
  LinliSimResponse *refused, *response;
  JsonObject *item_object, *submitted_by, *result;
  JsonNode *fields_node, *documents_node, *by_node;
  JsonArray *field_specs = NULL, *document_specs = NULL;
  const char *item_code, *ref, *role, *staff_id, *catalog_etag, *confirmed_at;
  gint64 resident, pages_bytes = 0;
  guint seq = 0;

  if (application == NULL)
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!get_string (application, "item_code", TRUE, &item_code)
      || !get_string (application, "resident_ref", TRUE, &ref)
      || !get_string (application, "catalog_etag", FALSE, &catalog_etag)
      || !get_string (application, "confirmed_at", FALSE, &confirmed_at)
      || !get_time (application, "confirmed_at", FALSE))
    return linli_sim_response_new_error ("BAD_REQUEST");
  by_node = json_object_get_member (application, "submitted_by");
  if (by_node == NULL || !JSON_NODE_HOLDS_OBJECT (by_node))
    return linli_sim_response_new_error ("BAD_REQUEST");
  submitted_by = json_node_get_object (by_node);
  if (!get_string (submitted_by, "role", TRUE, &role) || !one_of (role, roles)
      || !get_string (submitted_by, "staff_id", FALSE, &staff_id)
      || (g_str_equal (role, "staff") && staff_id == NULL))
    return linli_sim_response_new_error ("BAD_REQUEST");
  fields_node = json_object_get_member (application, "fields");
  documents_node = json_object_get_member (application, "documents");
  if (fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node))
    return linli_sim_response_new_error ("BAD_REQUEST");

  if ((refused = find_item (request, item_code, &item)))
    return refused;
  if ((refused = resolve_ref (request, ref, &resident)))
    return refused;
  item_object = json_node_get_object (item);
  if (g_strcmp0 (json_object_get_string_member_with_default (item_object, "flow", NULL),
                 "application")
      != 0)
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!json_object_get_boolean_member_with_default (item_object, "enabled", TRUE)
      || (json_object_get_boolean_member_with_default (item_object, "assisted_only", FALSE)
          && g_str_equal (role, "resident")))
    return linli_sim_response_new_error ("ITEM_NOT_ALLOWED");
  if (json_object_has_member (item_object, "fields"))
    field_specs = json_object_get_array_member (item_object, "fields");
  if (json_object_has_member (item_object, "documents"))
    document_specs = json_object_get_array_member (item_object, "documents");

  field_errors = validate_fields (field_specs, json_node_get_object (fields_node), request->now);
  if (json_array_get_length (field_errors) > 0)
    return linli_sim_response_new_validation (g_steal_pointer (&field_errors));
  pages = collect_pages (request->multipart);
  if ((refused = check_documents (document_specs, documents_node, pages)))
    return refused;
  for (guint i = 0; i < pages->len; i++)
    {
      Page *page = g_ptr_array_index (pages, i);

      if (g_bytes_get_size (page->body) > MAX_PAGE_BYTES)
        return linli_sim_response_new_error ("PAYLOAD_TOO_LARGE");
      if (!(g_strcmp0 (page->content_type, "image/jpeg") == 0 && looks_like_jpeg (page->body))
          && !(g_strcmp0 (page->content_type, "application/pdf") == 0
               && looks_like_pdf (page->body)))
        return linli_sim_response_new_error ("BAD_REQUEST");
      pages_bytes += (gint64) g_bytes_get_size (page->body);
    }

  number = linli_sim_ops_next_number (request->db, "applications", "application_number", "BJ330102",
                                      request->now, 4, &error);
  if (number == NULL)
    return internal_error (request->operation, error);
  submitted = linli_sim_format_time (request->now);
  expected = g_date_time_add_days (request->now, 14);
  expected_text = linli_sim_format_date (expected);
  fields_json = json_to_string (fields_node, FALSE);
  documents_json = json_to_string (documents_node, FALSE);
  if (!linli_sim_db_run (
          request->db, &error,
          "INSERT INTO applications (application_number, kiosk_id, idempotency_key,"
          " channel, item_code, resident_id, fields_json, documents_json, page_count,"
          " pages_bytes, submitted_by, staff_id, catalog_etag, confirmed_at, status,"
          " status_text_zh, status_text_en, submitted_at, updated_at, expected_by)"
          " VALUES (?, ?, ?, 'kiosk', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?,"
          " ?, ?, ?)",
          "ssssl"
          "ssil"
          "ssss"
          "ss"
          "sss",
          number, request->kiosk_id, request->idempotency_key, item_code, resident, fields_json,
          documents_json, (int) pages->len, pages_bytes, role, staff_id, catalog_etag, confirmed_at,
          "已收到您的申请，工作人员将在2个工作日内受理。",
          "Your application was received and will be taken in within 2 working "
          "days.",
          submitted, submitted, expected_text))
    return internal_error (request->operation, error);
  /* Which page belongs to which document: in manifest order. */
  for (guint d = 0; d < json_array_get_length (json_node_get_array (documents_node)); d++)
    {
      JsonObject *entry = json_array_get_object_element (json_node_get_array (documents_node), d);
      gint64 count = json_object_get_int_member (entry, "pages");

      for (gint64 p = 0; p < count; p++, seq++)
        {
          Page *page = g_ptr_array_index (pages, seq);
          g_autofree char *digest = linli_sim_sha256_hex (g_bytes_get_data (page->body, NULL),
                                                          g_bytes_get_size (page->body));

          if (!linli_sim_db_run (request->db, &error,
                                 "INSERT INTO application_pages (application_number, seq,"
                                 " document, content_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                                 "sissls", number, (int) seq,
                                 json_object_get_string_member (entry, "name"), page->content_type,
                                 (gint64) g_bytes_get_size (page->body), digest))
            return internal_error (request->operation, error);
        }
    }
  if ((refused = load_application (request->db, number, request->operation, &result)))
    return refused;
  response = respond (SOUP_STATUS_CREATED, result);
  location = g_strconcat (LINLI_SIM_BASE_PATH "/applications/", number, NULL);
  linli_sim_response_add_header (response, "Location", location);
  return response;
}

static LinliSimResponse *
get_application (LinliSimRequest *request)
{
  JsonObject *object = NULL;
  LinliSimResponse *refused
      = load_application (request->db, request->params[0], request->operation, &object);

  return refused ? refused : respond (SOUP_STATUS_OK, object);
}

static LinliSimResponse *
list_resident_applications (LinliSimRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *status = request->query ? g_hash_table_lookup (request->query, "status") : NULL;
  LinliSimResponse *refused;
  JsonObject *object;
  JsonArray *list;
  gint64 resident, limit;

  if ((refused = resolve_ref (request, request->params[0], &resident))
      || (refused = query_int (request, "limit", FALSE, 1, 50, 20, &limit)))
    return refused;
  if (status != NULL && !one_of (status, application_statuses))
    return linli_sim_response_new_error ("BAD_REQUEST");
  stmt = linli_sim_db_query (request->db, &error,
                             "SELECT " APPLICATION_COLUMNS APPLICATION_FROM
                             " WHERE a.resident_id = ? AND (?2 IS NULL OR a.status = ?2)"
                             " ORDER BY a.submitted_at DESC, a.application_number DESC LIMIT ?3",
                             "lsl", resident, status, limit);
  if (stmt == NULL)
    return internal_error (request->operation, error);
  list = json_array_new ();
  while (linli_sim_db_step (request->db, stmt, &error))
    json_array_add_object_element (list, application_json (stmt));
  if (error != NULL)
    {
      json_array_unref (list);
      return internal_error (request->operation, error);
    }
  object = json_object_new ();
  json_object_set_array_member (object, "applications", list);
  return respond (SOUP_STATUS_OK, object);
}

LinliSimResponse *
linli_sim_ops_set_application_status (LinliSimDb *db,
                                      const char *number,
                                      GBytes *body,
                                      GDateTime *now)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *updated = linli_sim_format_time (now);
  JsonObject *object, *text = NULL, *result = NULL;
  LinliSimResponse *refused;
  const char *status;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return linli_sim_response_new_error ("BAD_REQUEST");
  object = json_node_get_object (json_parser_get_root (parser));
  if (!get_string (object, "status", TRUE, &status) || !one_of (status, application_statuses))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (json_object_has_member (object, "status_text"))
    text = json_object_get_object_member (object, "status_text");
  if ((refused = load_application (db, number, "set-status", &result)))
    return refused;
  json_object_unref (result);
  if (!linli_sim_db_run (
          db, &error,
          "UPDATE applications SET status = ?, updated_at = ?,"
          " status_text_zh = coalesce(?, status_text_zh),"
          " status_text_en = CASE WHEN ?3 IS NULL THEN status_text_en ELSE ? END"
          " WHERE application_number = ?",
          "sssss", status, updated,
          text ? json_object_get_string_member_with_default (text, "zh", NULL) : NULL,
          text ? json_object_get_string_member_with_default (text, "en", NULL) : NULL, number))
    return internal_error ("set-status", error);
  if ((refused = load_application (db, number, "set-status", &result)))
    return refused;
  return respond (SOUP_STATUS_OK, result);
}

/* ---- evaluation ---- */

static LinliSimResponse *
submit_evaluation (LinliSimRequest *request)
{
  static const char *const grades[]
      = { "very_satisfied", "satisfied",         "basically_satisfied",
          "dissatisfied",   "very_dissatisfied", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *evaluated = linli_sim_format_time (request->now);
  g_autofree char *reasons_json = NULL;
  const char *number = request->params[0];
  LinliSimResponse *refused;
  JsonObject *body, *application = NULL, *evaluation;
  JsonNode *reasons;
  const char *grade, *comment;

  if ((refused = load_application (request->db, number, request->operation, &application)))
    return refused;
  if (json_object_has_member (application, "evaluation"))
    {
      json_object_unref (application);
      return linli_sim_response_new_error ("ALREADY_EVALUATED");
    }
  json_object_unref (application);
  if ((refused = parse_body (request, &root)))
    return refused;
  body = json_node_get_object (root);
  reasons = json_object_get_member (body, "reasons");
  if (!get_string (body, "grade", TRUE, &grade) || !one_of (grade, grades)
      || !get_string (body, "comment", FALSE, &comment)
      || (reasons != NULL && !JSON_NODE_HOLDS_NULL (reasons) && !JSON_NODE_HOLDS_ARRAY (reasons)))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (reasons != NULL && JSON_NODE_HOLDS_ARRAY (reasons))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (reasons)); i++)
      if (!is_type (json_array_get_element (json_node_get_array (reasons), i), G_TYPE_STRING))
        return linli_sim_response_new_error ("BAD_REQUEST");
  if ((comment != NULL && g_utf8_strlen (comment, -1) > 200)
      || (reasons != NULL && JSON_NODE_HOLDS_ARRAY (reasons)
          && json_array_get_length (json_node_get_array (reasons)) > 10))
    {
      JsonArray *errors = json_array_new ();
      g_autoptr (JsonObject) spec = json_object_new ();
      gboolean long_comment = comment != NULL && g_utf8_strlen (comment, -1) > 200;

      json_object_set_object_member (spec, "label",
                                     long_comment ? localized ("意见", "Comment")
                                                  : localized ("原因", "Reasons"));
      add_field_error (errors, spec, long_comment ? "comment" : "reasons",
                       long_comment ? "MAX_LENGTH" : "MAX");
      return linli_sim_response_new_validation (errors);
    }
  reasons_json = reasons && JSON_NODE_HOLDS_ARRAY (reasons) ? json_to_string (reasons, FALSE)
                                                            : g_strdup ("[]");
  if (!linli_sim_db_run (
          request->db, &error,
          "INSERT INTO evaluations (application_number, kiosk_id, idempotency_key,"
          " grade, comment, reasons_json, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          "sssssss", number, request->kiosk_id, request->idempotency_key, grade, comment,
          reasons_json, evaluated))
    return internal_error (request->operation, error);
  evaluation = json_object_new ();
  json_object_set_string_member (evaluation, "application_number", number);
  json_object_set_string_member (evaluation, "grade", grade);
  json_object_set_string_member (evaluation, "evaluated_at", evaluated);
  return respond (SOUP_STATUS_CREATED, evaluation);
}

/* ---- heartbeat ---- */

static gboolean
valid_devices (JsonNode *node)
{
  static const char *const kinds[]
      = { "id_reader", "card_reader", "printer", "camera", "voice", NULL };
  static const char *const states[] = { "absent", "ready", "busy", "fault", NULL };
  JsonArray *devices;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  devices = json_node_get_array (node);
  if (json_array_get_length (devices) > 20)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonNode *element = json_array_get_element (devices, i);
      JsonObject *device;
      const char *kind, *name, *state, *detail;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return FALSE;
      device = json_node_get_object (element);
      if (!get_string (device, "kind", TRUE, &kind) || !one_of (kind, kinds)
          || !get_string (device, "name", TRUE, &name)
          || !get_string (device, "state", TRUE, &state) || !one_of (state, states)
          || !get_string (device, "detail", FALSE, &detail)
          || (detail != NULL && g_utf8_strlen (detail, -1) > 200))
        return FALSE;
    }
  return TRUE;
}

static gboolean
valid_counters (JsonNode *node)
{
  static const char *const names[] = { "sessions",
                                       "identifications",
                                       "payments_created",
                                       "payments_paid",
                                       "applications_submitted",
                                       "certifications_submitted",
                                       "evaluations_submitted",
                                       "receipts_printed",
                                       "errors" };
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (!get_int (json_node_get_object (node), names[i], TRUE, 0, &value))
      return FALSE;
  return TRUE;
}

static LinliSimResponse *
send_heartbeat (LinliSimRequest *request)
{
  static const char *const papers[] = { "ok", "low", "out", "unknown", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) maintenance = NULL;
  g_autofree char *received = linli_sim_format_time (request->now);
  g_autofree char *etag = NULL;
  LinliSimResponse *refused = parse_body (request, &root);
  JsonObject *body, *outbox = NULL, *ack;
  JsonNode *outbox_node;
  const char *kiosk_id, *version, *sent_at, *paper, *catalog_etag, *oldest_at = NULL;
  gint64 uptime = 0, depth = 0;

  if (refused != NULL)
    return refused;
  body = json_node_get_object (root);
  outbox_node = json_object_get_member (body, "outbox");
  if (outbox_node != NULL && JSON_NODE_HOLDS_OBJECT (outbox_node))
    outbox = json_node_get_object (outbox_node);
  if (!get_string (body, "kiosk_id", TRUE, &kiosk_id)
      || !get_string (body, "version", TRUE, &version)
      || !get_string (body, "sent_at", TRUE, &sent_at) || !get_time (body, "sent_at", TRUE)
      || !get_int (body, "uptime_s", TRUE, 0, &uptime)
      || !get_string (body, "catalog_etag", FALSE, &catalog_etag)
      || !valid_devices (json_object_get_member (body, "devices"))
      || !get_string (body, "paper", TRUE, &paper) || !one_of (paper, papers) || outbox == NULL
      || !get_int (outbox, "depth", TRUE, 0, &depth)
      || !get_string (outbox, "oldest_at", FALSE, &oldest_at)
      || !get_time (outbox, "oldest_at", FALSE)
      || !valid_counters (json_object_get_member (body, "counters")))
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!g_str_equal (kiosk_id, request->kiosk_id))
    return linli_sim_response_new_error ("KIOSK_ID_MISMATCH");
  {
    g_autofree char *text = json_to_string (root, FALSE);

    if (!linli_sim_db_run (request->db, &error,
                           "INSERT INTO heartbeats (kiosk_id, received_at, sent_at, version,"
                           " uptime_s, catalog_etag, paper, outbox_depth, outbox_oldest_at, body)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           "sssslsslss", kiosk_id, received, sent_at, version, uptime, catalog_etag,
                           paper, depth, oldest_at, text))
      return internal_error (request->operation, error);
  }
  etag = linli_sim_ops_catalog_etag (request->db, request->kiosk_id, &error);
  if (etag == NULL)
    return internal_error (request->operation, error);
  maintenance = linli_sim_db_query (
      request->db, &error, "SELECT starts, ends, message_zh, message_en FROM maintenance", "");
  if (maintenance == NULL)
    return internal_error (request->operation, error);
  ack = json_object_new ();
  json_object_set_string_member (ack, "server_time", received);
  json_object_set_string_member (ack, "catalog_etag", etag);
  if (linli_sim_db_step (request->db, maintenance, &error))
    {
      JsonObject *announced = json_object_new ();

      json_object_set_string_member (announced, "from", linli_sim_db_text (maintenance, 0));
      json_object_set_string_member (announced, "until", linli_sim_db_text (maintenance, 1));
      json_object_set_object_member (announced, "message",
                                     localized (linli_sim_db_text (maintenance, 2),
                                                linli_sim_db_text_or_null (maintenance, 3)));
      json_object_set_object_member (ack, "maintenance", announced);
    }
  else
    json_object_set_null_member (ack, "maintenance");
  return respond (SOUP_STATUS_OK, ack);
}

/* ---- control: kiosks, catalog, maintenance, refs ---- */

LinliSimResponse *
linli_sim_ops_put_kiosk (LinliSimDb *db, const char *kiosk_id, GBytes *body, GDateTime *now)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *time = linli_sim_format_time (now);
  JsonObject *object, *result;
  gboolean enabled = TRUE;

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                       (gssize) g_bytes_get_size (body), NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return linli_sim_response_new_error ("BAD_REQUEST");
      object = json_node_get_object (json_parser_get_root (parser));
      enabled = json_object_get_boolean_member_with_default (object, "enabled", TRUE);
    }
  if (!linli_sim_db_run (db, &error,
                         "INSERT INTO kiosks (kiosk_id, name, enabled, registered_at)"
                         " VALUES (?1, ?1, ?2, ?3) ON CONFLICT (kiosk_id) DO UPDATE"
                         " SET enabled = excluded.enabled",
                         "sis", kiosk_id, enabled ? 1 : 0, time))
    return internal_error ("kiosk", error);
  g_message ("control: kiosk %s %s", kiosk_id, enabled ? "enabled" : "disabled");
  result = json_object_new ();
  json_object_set_string_member (result, "kiosk_id", kiosk_id);
  json_object_set_boolean_member (result, "enabled", enabled);
  return respond (SOUP_STATUS_OK, result);
}

LinliSimResponse *
linli_sim_ops_delete_kiosk (LinliSimDb *db, const char *kiosk_id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *result;

  if (!linli_sim_db_run (db, &error, "DELETE FROM kiosks WHERE kiosk_id = ?", "s", kiosk_id))
    return internal_error ("kiosk", error);
  g_message ("control: kiosk %s unregistered", kiosk_id);
  result = json_object_new ();
  json_object_set_string_member (result, "kiosk_id", kiosk_id);
  json_object_set_boolean_member (result, "registered", FALSE);
  return respond (SOUP_STATUS_OK, result);
}

LinliSimResponse *
linli_sim_ops_publish_catalog (LinliSimDb *db, GDateTime *now)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *time = linli_sim_format_time (now);
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *etag = NULL;
  JsonObject *result;

  if (!linli_sim_db_run (db, &error,
                         "UPDATE catalog_meta SET revision = revision + 1,"
                         " version = ? || '.' || (revision + 1), generated_at = ?",
                         "ss", date, time))
    return internal_error ("publish", error);
  etag = linli_sim_ops_catalog_etag (db, "", &error);
  if (etag == NULL)
    return internal_error ("publish", error);
  g_message ("control: catalog published");
  result = json_object_new ();
  json_object_set_string_member (result, "etag", etag);
  return respond (SOUP_STATUS_OK, result);
}

LinliSimResponse *
linli_sim_ops_put_maintenance (LinliSimDb *db, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object, *message = NULL;
  const char *from, *until;

  if (body == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return linli_sim_response_new_error ("BAD_REQUEST");
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "message")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "message")))
    message = json_object_get_object_member (object, "message");
  if (!get_string (object, "from", TRUE, &from) || !get_string (object, "until", TRUE, &until)
      || !get_time (object, "from", TRUE) || !get_time (object, "until", TRUE) || message == NULL
      || json_object_get_string_member_with_default (message, "zh", NULL) == NULL)
    return linli_sim_response_new_error ("BAD_REQUEST");
  if (!linli_sim_db_run (db, &error,
                         "INSERT OR REPLACE INTO maintenance (id, starts, ends, message_zh,"
                         " message_en) VALUES (1, ?, ?, ?, ?)",
                         "ssss", from, until,
                         json_object_get_string_member_with_default (message, "zh", NULL),
                         json_object_get_string_member_with_default (message, "en", NULL)))
    return internal_error ("maintenance", error);
  return respond (SOUP_STATUS_OK, json_object_ref (object));
}

LinliSimResponse *
linli_sim_ops_delete_maintenance (LinliSimDb *db)
{
  g_autoptr (GError) error = NULL;

  if (!linli_sim_db_run (db, &error, "DELETE FROM maintenance", ""))
    return internal_error ("maintenance", error);
  return respond (SOUP_STATUS_OK, json_object_new ());
}

LinliSimResponse *
linli_sim_ops_expire_resident_refs (LinliSimDb *db)
{
  g_autoptr (GError) error = NULL;
  JsonObject *result;

  if (!linli_sim_db_run (db, &error, "UPDATE resident_refs SET expires_unix = 0", ""))
    return internal_error ("expire refs", error);
  result = json_object_new ();
  json_object_set_int_member (result, "expired", linli_sim_db_changes (db));
  return respond (SOUP_STATUS_OK, result);
}

/* ---- routes ---- */

static const LinliSimRoute routes[] = {
  { "GET", "/catalog", "getCatalog", get_catalog, 0 },
  { "GET", "/catalog/items/{}", "getCatalogItem", get_catalog_item, 0 },
  { "POST", "/residents/lookup", "lookupResident", lookup_resident, LINLI_SIM_ROUTE_JSON_BODY },
  { "GET", "/residents/{}/social-security/contributions", "getContributionRecord",
    get_contribution_record, 0 },
  { "GET", "/residents/{}/social-security/insured-certificate", "getInsuredCertificate",
    get_insured_certificate, 0 },
  { "POST", "/residents/{}/social-security/pension-certifications", "submitPensionCertification",
    submit_pension_certification, LINLI_SIM_ROUTE_MULTIPART | LINLI_SIM_ROUTE_IDEMPOTENT },
  { "GET", "/pension-certifications/{}", "getPensionCertification", get_pension_certification, 0 },
  { "GET", "/residents/{}/medical-insurance", "getMedicalInsuranceAccount", get_medical_account,
    0 },
  { "GET", "/residents/{}/medical-insurance/contribution-due", "getMedicalContributionDue",
    get_medical_contribution_due, 0 },
  { "GET", "/utilities/{}/accounts/{}/bills", "listUtilityBills", list_utility_bills, 0 },
  { "POST", "/payments", "createPaymentOrder", create_payment_order,
    LINLI_SIM_ROUTE_JSON_BODY | LINLI_SIM_ROUTE_IDEMPOTENT },
  { "GET", "/payments/{}", "getPaymentOrder", get_payment_order, 0 },
  { "POST", "/payments/{}/cancel", "cancelPaymentOrder", cancel_payment_order, 0 },
  { "POST", "/applications", "createApplication", create_application,
    LINLI_SIM_ROUTE_MULTIPART | LINLI_SIM_ROUTE_IDEMPOTENT },
  { "GET", "/applications/{}", "getApplication", get_application, 0 },
  { "GET", "/residents/{}/applications", "listResidentApplications", list_resident_applications,
    0 },
  { "POST", "/applications/{}/evaluation", "submitEvaluation", submit_evaluation,
    LINLI_SIM_ROUTE_JSON_BODY | LINLI_SIM_ROUTE_IDEMPOTENT },
  { "POST", "/heartbeat", "sendHeartbeat", send_heartbeat, LINLI_SIM_ROUTE_JSON_BODY },
};

const LinliSimRoute *
linli_sim_ops_get_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

const LinliSimRoute *
linli_sim_ops_find_route (const char *method, const char *path, char ***params)
{
  g_auto (GStrv) segments = g_strsplit (path, "/", -1);

  *params = NULL;
  for (gsize r = 0; r < G_N_ELEMENTS (routes); r++)
    {
      g_auto (GStrv) pattern = g_strsplit (routes[r].pattern, "/", -1);
      g_autoptr (GStrvBuilder) captured = g_strv_builder_new ();
      gboolean match;
      guint i;

      if (!g_str_equal (routes[r].method, method)
          || g_strv_length (pattern) != g_strv_length (segments))
        continue;
      match = TRUE;
      for (i = 0; pattern[i] != NULL && match; i++)
        {
          if (g_str_equal (pattern[i], "{}"))
            {
              match = segments[i][0] != '\0';
              g_strv_builder_add (captured, segments[i]);
            }
          else
            match = g_str_equal (pattern[i], segments[i]);
        }
      if (match)
        {
          *params = g_strv_builder_end (captured);
          return &routes[r];
        }
    }
  return NULL;
}
