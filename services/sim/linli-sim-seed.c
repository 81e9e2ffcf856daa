/* linli-sim-seed.c — fills the simulator's database from the seed JSON files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-seed.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "linli-sim-ops.h"
#include "linli-sim-util.h"

#define RESOURCE_PREFIX "/org/linli/platform-sim/seed/"

typedef struct
{
  LinliSimDb *db;
  GDateTime *now;
  GDateTime *today; /* midnight */
} Seed;

static JsonNode *
load_resource (const char *name, GError **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);
  g_autoptr (GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (bytes == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static const char *
str (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
num (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

static JsonObject *
obj (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
arr (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static char *
to_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* "+40d", "-3d" (days from today) or "YYYY-MM-DD"; NULL stays NULL. */
static char *
relative_date (Seed *seed, const char *text)
{
  char *end = NULL;
  gint64 days;
  g_autoptr (GDateTime) date = NULL;

  if (text == NULL)
    return NULL;
  if (text[0] != '+' && text[0] != '-')
    return g_strdup (text);
  days = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != 'd')
    return g_strdup (text);
  date = g_date_time_add_days (seed->today, (int) days);
  return linli_sim_format_date (date);
}

static GDateTime *
month_start (Seed *seed, int months_ago)
{
  g_autoptr (GDateTime) first
      = g_date_time_add_days (seed->today, 1 - g_date_time_get_day_of_month (seed->today));

  return g_date_time_add_months (first, -months_ago);
}

static gboolean
seed_kiosks (Seed *seed, JsonArray *kiosks, GError **error)
{
  g_autofree char *now = linli_sim_format_time (seed->now);

  for (guint i = 0; kiosks && i < json_array_get_length (kiosks); i++)
    {
      JsonObject *kiosk = json_array_get_object_element (kiosks, i);
      gboolean enabled = json_object_get_boolean_member_with_default (kiosk, "enabled", TRUE);

      if (!linli_sim_db_run (seed->db, error,
                             "INSERT OR IGNORE INTO kiosks (kiosk_id, name, enabled, registered_at)"
                             " VALUES (?, ?, ?, ?)",
                             "ssis", str (kiosk, "kiosk_id"), str (kiosk, "name"), enabled ? 1 : 0,
                             now))
        return FALSE;
    }
  return TRUE;
}

static gboolean
in_list (JsonArray *list, const char *month)
{
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    if (g_strcmp0 (json_array_get_string_element (list, i), month) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
seed_contributions (Seed *seed, gint64 resident, JsonObject *spec, GError **error)
{
  const char *from = str (spec, "from");
  const char *to = str (spec, "to");
  int year, month, end_year, end_month, first_year;
  gint64 base = num (spec, "base_fen", 300000);
  gint64 step = num (spec, "base_step_fen", 0);
  gboolean flexible;
  JsonArray *unpaid = arr (spec, "unpaid");
  JsonArray *back_paid = arr (spec, "back_paid");

  if (spec == NULL)
    return TRUE;
  flexible = json_object_get_boolean_member_with_default (spec, "flexible", FALSE);
  if (from == NULL || sscanf (from, "%4d-%2d", &year, &month) != 2)
    return TRUE;
  if (g_strcmp0 (to, "last") == 0)
    {
      g_autoptr (GDateTime) last = month_start (seed, 1);

      end_year = g_date_time_get_year (last);
      end_month = g_date_time_get_month (last);
    }
  else if (to == NULL || sscanf (to, "%4d-%2d", &end_year, &end_month) != 2)
    return TRUE;
  first_year = year;
  while (year < end_year || (year == end_year && month <= end_month))
    {
      char label[8];
      gint64 month_base = base + step * (year - first_year);
      /* Employees pay 8 %, the employer 16 %; flexible employment pays
       * 20 % alone. */
      gint64 personal = flexible ? month_base * 20 / 100 : month_base * 8 / 100;
      gint64 employer = flexible ? 0 : month_base * 16 / 100;
      const char *status = "paid";

      g_snprintf (label, sizeof label, "%04d-%02d", year, month);
      if (in_list (unpaid, label))
        status = "unpaid";
      else if (in_list (back_paid, label))
        status = "back_paid";
      if (!linli_sim_db_run (
              seed->db, error,
              "INSERT INTO contributions (resident_id, month, base_fen, personal_fen,"
              " employer_fen, status, employer_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
              "lslllss", resident, label, month_base, personal, employer, status,
              str (spec, "employer")))
        return FALSE;
      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }
  return TRUE;
}

static gboolean
seed_medical (Seed *seed, gint64 resident, JsonObject *medical, GError **error)
{
  JsonArray *records = arr (medical, "records");
  g_autofree char *as_of = NULL;
  g_autoptr (GDateTime) morning = g_date_time_add_hours (seed->today, 6);

  if (medical == NULL)
    return TRUE;
  as_of = linli_sim_format_time (morning);
  if (!linli_sim_db_run (
          seed->db, error,
          "INSERT INTO medical_accounts (account_number, resident_id, scheme, status,"
          " balance_fen, as_of) VALUES (?, ?, ?, ?, ?, ?)",
          "slssls", str (medical, "account"), resident, str (medical, "scheme"),
          str (medical, "status"), num (medical, "balance_fen", 0), as_of))
    return FALSE;
  for (guint i = 0; records && i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      g_autoptr (GDateTime) day
          = g_date_time_add_days (seed->today, -(int) num (record, "days_ago", 0));
      g_autofree char *date = linli_sim_format_date (day);

      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO medical_records (account_number, date, kind, amount_fen,"
                             " institution) VALUES (?, ?, ?, ?, ?)",
                             "sssls", str (medical, "account"), date, str (record, "kind"),
                             num (record, "amount_fen", 0), str (record, "institution")))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seed_medical_contributions (Seed *seed, gint64 resident, JsonArray *dues, GError **error)
{
  int open_year = linli_sim_open_insurance_year (seed->now);

  for (guint i = 0; dues && i < json_array_get_length (dues); i++)
    {
      JsonObject *due = json_array_get_object_element (dues, i);
      int year = open_year + (int) num (due, "year_offset", 0);
      g_autofree char *token = linli_sim_random_token (8, LINLI_SIM_ALPHANUM);
      g_autofree char *payable = g_strdup_printf ("MC%d-%s", year, token);
      g_autofree char *deadline = NULL;
      g_autofree char *paid_at = NULL;

      /* Collected from September to December of the year before; the year
       * itself when the seed runs before September. */
      if (year > g_date_time_get_year (seed->now))
        deadline = g_strdup_printf ("%d-12-31", year - 1);
      else
        deadline = g_strdup_printf ("%d-06-30", year);
      if (g_strcmp0 (str (due, "status"), "paid") == 0)
        paid_at = g_strdup_printf ("%d-11-15T10:20:00+08:00", year - 1);
      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO medical_contributions (payable_id, resident_id, year,"
                             " amount_fen, deadline, status, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             "sliisss", payable, resident, year, (int) num (due, "amount_fen", 0),
                             deadline, str (due, "status"), paid_at))
        return FALSE;
    }
  return TRUE;
}

static const char *
bill_prefix (const char *type)
{
  if (g_strcmp0 (type, "water") == 0)
    return "WB";
  if (g_strcmp0 (type, "electricity") == 0)
    return "EB";
  if (g_strcmp0 (type, "gas") == 0)
    return "GB";
  return "HB";
}

static gboolean
seed_bill (Seed *seed, JsonObject *utility, JsonObject *bill, GError **error)
{
  const char *type = str (utility, "type");
  const char *account = str (utility, "account");
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  g_autoptr (GDateTime) due = NULL;
  g_autofree char *bill_id = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *paid_at = NULL;
  gboolean paid = g_strcmp0 (str (bill, "status"), "paid") == 0;

  if (json_object_get_boolean_member_with_default (bill, "season", FALSE))
    {
      /* The heating season around today: November to March. */
      int month = g_date_time_get_month (seed->today);
      int year = g_date_time_get_year (seed->today) - (month <= 3 ? 1 : 0);
      g_autoptr (GTimeZone) cst = g_time_zone_new_offset (8 * 3600);

      start = g_date_time_new (cst, year, 11, 1, 0, 0, 0);
      end = g_date_time_new (cst, year + 1, 3, 31, 0, 0, 0);
      due = g_date_time_new (cst, year, 12, 31, 0, 0, 0);
      bill_id = g_strdup_printf ("%s%d-%s", bill_prefix (type), year, account);
    }
  else
    {
      g_autoptr (GDateTime) next = NULL;
      g_autoptr (GDateTime) after_next = NULL;

      start = month_start (seed, (int) num (bill, "months_ago", 1));
      next = g_date_time_add_months (start, 1);
      end = g_date_time_add_days (next, -1);
      /* Due at the end of the month after the period. */
      after_next = g_date_time_add_months (start, 2);
      due = g_date_time_add_days (after_next, -1);
      bill_id = g_strdup_printf ("%s%04d%02d-%s", bill_prefix (type), g_date_time_get_year (start),
                                 g_date_time_get_month (start), account);
    }
  start_text = linli_sim_format_date (start);
  end_text = linli_sim_format_date (end);
  due_text = linli_sim_format_date (due);
  if (paid)
    {
      g_autoptr (GDateTime) paid_day = g_date_time_add_days (end, 12);
      g_autoptr (GDateTime) paid_time = g_date_time_add_hours (paid_day, 10);

      paid_at = linli_sim_format_time (paid_time);
    }
  return linli_sim_db_run (
      seed->db, error,
      "INSERT INTO bills (bill_id, utility_type, account_number, period_start,"
      " period_end, usage, unit, amount_fen, late_fee_fen, due_date, status,"
      " paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "sssssdslNsss", bill_id, type, account, start_text, end_text,
      json_object_has_member (bill, "usage") ? json_object_get_double_member (bill, "usage") : 0.0,
      str (bill, "unit"), num (bill, "amount_fen", 0), num (bill, "late_fee_fen", -1), due_text,
      paid ? "paid" : "unpaid", paid_at);
}

static gboolean
seed_utilities (
    Seed *seed, gint64 resident, const char *holder, JsonArray *utilities, GError **error)
{
  for (guint i = 0; utilities && i < json_array_get_length (utilities); i++)
    {
      JsonObject *utility = json_array_get_object_element (utilities, i);
      JsonArray *bills = arr (utility, "bills");
      const char *name = holder ? holder : str (utility, "holder");

      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO utility_accounts (utility_type, account_number, provider,"
                             " resident_id, holder_name, address, prepaid_balance_fen)"
                             " VALUES (?, ?, ?, nullif(?, 0), ?, ?, ?)",
                             "ssslssN", str (utility, "type"), str (utility, "account"),
                             str (utility, "provider"), resident, name, str (utility, "address"),
                             num (utility, "prepaid_balance_fen", -1)))
        return FALSE;
      for (guint b = 0; bills && b < json_array_get_length (bills); b++)
        if (!seed_bill (seed, utility, json_array_get_object_element (bills, b), error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
seed_applications (Seed *seed, gint64 resident, JsonArray *applications, GError **error)
{
  for (guint i = 0; applications && i < json_array_get_length (applications); i++)
    {
      JsonObject *application = json_array_get_object_element (applications, i);
      int days_ago = (int) num (application, "days_ago", 1);
      JsonObject *text = obj (application, "status_text");
      g_autoptr (GDateTime) day = g_date_time_add_days (seed->today, -days_ago);
      g_autoptr (GDateTime) submitted = g_date_time_add_hours (day, 10);
      g_autoptr (GDateTime) updated = g_date_time_add_days (submitted, MIN (days_ago, 2));
      g_autoptr (GDateTime) expected = g_date_time_add_days (day, 20);
      g_autofree char *number = linli_sim_ops_next_number (
          seed->db, "applications", "application_number", "BJ330102", day, 4, error);
      g_autofree char *submitted_text = linli_sim_format_time (submitted);
      g_autofree char *updated_text = linli_sim_format_time (updated);
      g_autofree char *expected_text = linli_sim_format_date (expected);

      if (number == NULL)
        return FALSE;
      if (!linli_sim_db_run (
              seed->db, error,
              "INSERT INTO applications (application_number, channel, item_code,"
              " resident_id, fields_json, documents_json, submitted_by, status,"
              " status_text_zh, status_text_en, submitted_at, updated_at, expected_by)"
              " VALUES (?, ?, ?, ?, '{}', '[]', 'staff', ?, ?, ?, ?, ?, ?)",
              "ssslssssss", number, str (application, "channel"), str (application, "item_code"),
              resident, str (application, "status"), str (text, "zh"), str (text, "en"),
              submitted_text, updated_text, expected_text))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seed_resident (Seed *seed, JsonObject *person, GError **error)
{
  const char *id17 = str (person, "id17");
  char check = linli_sim_id_check_char (id17);
  g_autofree char *number = NULL;
  JsonObject *ss = obj (person, "social_security");
  JsonArray *insurances = arr (person, "insurances");
  g_autofree char *due = NULL;
  gint64 resident;

  if (id17 == NULL || strlen (id17) != 17 || check == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "seed: a resident's id17 is not 17 digits");
      return FALSE;
    }
  number = g_strdup_printf ("%s%c", id17, check);
  due = relative_date (seed, str (ss, "pension_certification_due"));
  if (!linli_sim_db_run (seed->db, error,
                         "INSERT INTO residents (id_number, name, gender, nation, birth_date,"
                         " card_valid_until, address, ss_status, ss_months_before,"
                         " pension_certification_due, certification_rule, note)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "ssssssssisss", number, str (person, "name"), str (person, "gender"),
                         str (person, "nation"), str (person, "birth_date"),
                         str (person, "card_valid_until"), str (person, "address"),
                         str (ss, "status"), (int) num (ss, "months_before", 0), due,
                         str (person, "certification") ? str (person, "certification") : "review",
                         str (person, "note")))
    return FALSE;
  resident = linli_sim_db_query_int (seed->db, error, -1, "SELECT last_insert_rowid ()", "");
  for (guint i = 0; insurances && i < json_array_get_length (insurances); i++)
    {
      JsonObject *line = json_array_get_object_element (insurances, i);

      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO insurances (resident_id, insurance, status, since)"
                             " VALUES (?, ?, ?, ?)",
                             "lsss", resident, str (line, "insurance"), str (line, "status"),
                             str (line, "since")))
        return FALSE;
    }
  return seed_contributions (seed, resident, obj (ss, "contributions"), error)
         && seed_medical (seed, resident, obj (person, "medical"), error)
         && seed_medical_contributions (seed, resident, arr (person, "medical_contributions"),
                                        error)
         && seed_utilities (seed, resident, str (person, "name"), arr (person, "utilities"), error)
         && seed_applications (seed, resident, arr (person, "applications"), error);
}

static gboolean
seed_catalog (Seed *seed, JsonObject *catalog, GError **error)
{
  JsonArray *categories = arr (catalog, "categories");
  JsonArray *items = arr (catalog, "items");
  g_autofree char *now = linli_sim_format_time (seed->now);
  g_autofree char *version = g_date_time_format (seed->now, "%Y-%m-%d.1");

  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonNode *node = json_array_get_element (categories, i);
      g_autofree char *definition = to_json (node);

      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO catalog_categories (code, position, definition)"
                             " VALUES (?, ?, ?)",
                             "sis", str (json_node_get_object (node), "code"), (int) i, definition))
        return FALSE;
    }
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      g_autoptr (JsonNode) node = json_node_copy (json_array_get_element (items, i));
      JsonObject *item = json_node_get_object (node);
      JsonArray *allowed = arr (item, "allowed_kiosks");
      g_autofree char *allowed_text = NULL;
      g_autofree char *definition = NULL;

      if (allowed != NULL)
        {
          GString *list = g_string_new (NULL);

          for (guint k = 0; k < json_array_get_length (allowed); k++)
            g_string_append_printf (list, "%s%s", k ? " " : "",
                                    json_array_get_string_element (allowed, k));
          allowed_text = g_string_free (list, FALSE);
          json_object_remove_member (item, "allowed_kiosks");
        }
      definition = to_json (node);
      if (!linli_sim_db_run (seed->db, error,
                             "INSERT INTO catalog_items (item_code, position, flow, allowed_kiosks,"
                             " definition) VALUES (?, ?, ?, ?, ?)",
                             "sisss", str (item, "item_code"), (int) i, str (item, "flow"),
                             allowed_text, definition))
        return FALSE;
    }
  return linli_sim_db_run (
      seed->db, error,
      "INSERT OR REPLACE INTO catalog_meta (id, version, revision, generated_at)"
      " VALUES (1, ?, 1, ?)",
      "ss", version, now);
}

static gboolean
seed_all (Seed *seed, JsonObject *root, JsonObject *catalog, GError **error)
{
  JsonArray *residents = arr (root, "residents");

  if (!seed_kiosks (seed, arr (root, "kiosks"), error))
    return FALSE;
  for (guint i = 0; residents && i < json_array_get_length (residents); i++)
    if (!seed_resident (seed, json_array_get_object_element (residents, i), error))
      return FALSE;
  return seed_utilities (seed, 0, NULL, arr (root, "unlinked_utilities"), error)
         && seed_catalog (seed, catalog, error);
}

gboolean
linli_sim_seed (LinliSimDb *db, GDateTime *now, GError **error)
{
  g_autoptr (JsonNode) people = NULL;
  g_autoptr (JsonNode) catalog = NULL;
  g_autoptr (GDateTime) today = NULL;
  JsonObject *root;
  JsonArray *residents;
  Seed seed = { db, now, NULL };
  gint64 existing = linli_sim_db_query_int (db, error, -1, "SELECT count(*) FROM residents", "");

  if (existing < 0)
    return FALSE;
  if (existing > 0)
    {
      g_message ("database already seeded (%" G_GINT64_FORMAT " residents); left as it is",
                 existing);
      return TRUE;
    }
  people = load_resource ("residents.json", error);
  catalog = load_resource ("catalog.json", error);
  if (people == NULL || catalog == NULL)
    return FALSE;
  today
      = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                         g_date_time_get_month (now), g_date_time_get_day_of_month (now), 0, 0, 0);
  seed.today = today;
  root = json_node_get_object (people);
  residents = arr (root, "residents");

  if (!linli_sim_db_begin (db, error))
    return FALSE;
  if (!seed_all (&seed, root, json_node_get_object (catalog), error))
    {
      linli_sim_db_rollback (db);
      return FALSE;
    }
  if (!linli_sim_db_commit (db, error))
    return FALSE;
  g_message ("seeded %u fictitious residents and the catalog",
             residents ? json_array_get_length (residents) : 0);
  return TRUE;
}
