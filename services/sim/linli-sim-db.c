/* linli-sim-db.c — the simulator's SQLite database: schema, migrations and
 * statement helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-db.h"

#include <string.h>

struct _LinliSimDb
{
  GObject parent_instance;
  sqlite3 *handle;
};

G_DEFINE_TYPE (LinliSimDb, linli_sim_db, G_TYPE_OBJECT)

/* Spelled out: clang-format would put spaces into G_DEFINE_QUARK's name. */
GQuark
linli_sim_db_error_quark (void)
{
  return g_quark_from_static_string ("linli-sim-db-error-quark");
}

/* Version 1: every table of the contract's world. Times are RFC 3339 text
 * in +08:00 (what the API returns); *_unix columns hold the same instant for
 * comparisons. Kept in step with docs/platform-sim.md. */
static const char migration_1[]
    = "CREATE TABLE kiosks ("
      "  kiosk_id TEXT PRIMARY KEY,"
      "  name TEXT,"
      "  enabled INTEGER NOT NULL DEFAULT 1,"
      "  registered_at TEXT NOT NULL);"
      "CREATE TABLE residents ("
      "  resident_id INTEGER PRIMARY KEY,"
      "  id_number TEXT NOT NULL UNIQUE,"
      "  name TEXT NOT NULL,"
      "  gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),"
      "  nation TEXT NOT NULL,"
      "  birth_date TEXT NOT NULL,"
      "  card_valid_until TEXT," /* NULL: long-term card (长期) */
      "  address TEXT,"
      "  ss_status TEXT CHECK (ss_status IN ('insured', 'suspended', 'retired', 'terminated',"
      "    'not_insured')),"                           /* NULL: no social-security account */
      "  ss_months_before INTEGER NOT NULL DEFAULT 0," /* months paid before the seeded records */
      "  pension_certification_due TEXT,"
      "  certification_rule TEXT NOT NULL DEFAULT 'review'"
      "    CHECK (certification_rule IN ('review', 'accept', 'reject')),"
      "  note TEXT);"
      "CREATE TABLE resident_refs ("
      "  ref TEXT PRIMARY KEY,"
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  kiosk_id TEXT NOT NULL,"
      "  created_at TEXT NOT NULL,"
      "  expires_at TEXT NOT NULL,"
      "  expires_unix INTEGER NOT NULL);"
      "CREATE TABLE insurances ("
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  insurance TEXT NOT NULL,"
      "  status TEXT NOT NULL,"
      "  since TEXT NOT NULL,"
      "  PRIMARY KEY (resident_id, insurance));"
      "CREATE TABLE contributions ("
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  month TEXT NOT NULL,"
      "  base_fen INTEGER NOT NULL,"
      "  personal_fen INTEGER NOT NULL,"
      "  employer_fen INTEGER NOT NULL,"
      "  status TEXT NOT NULL CHECK (status IN ('paid', 'unpaid', 'back_paid')),"
      "  employer_name TEXT,"
      "  PRIMARY KEY (resident_id, month));"
      "CREATE TABLE medical_accounts ("
      "  account_number TEXT PRIMARY KEY,"
      "  resident_id INTEGER NOT NULL UNIQUE REFERENCES residents,"
      "  scheme TEXT NOT NULL CHECK (scheme IN ('employee', 'resident')),"
      "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'lapsed')),"
      "  balance_fen INTEGER NOT NULL,"
      "  as_of TEXT NOT NULL);"
      "CREATE TABLE medical_records ("
      "  record_id INTEGER PRIMARY KEY,"
      "  account_number TEXT NOT NULL REFERENCES medical_accounts,"
      "  date TEXT NOT NULL,"
      "  kind TEXT NOT NULL,"
      "  amount_fen INTEGER NOT NULL,"
      "  institution TEXT);"
      "CREATE TABLE medical_contributions ("
      "  payable_id TEXT PRIMARY KEY,"
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  year INTEGER NOT NULL,"
      "  amount_fen INTEGER NOT NULL,"
      "  deadline TEXT NOT NULL,"
      "  status TEXT NOT NULL CHECK (status IN ('due', 'paid')),"
      "  paid_at TEXT,"
      "  UNIQUE (resident_id, year));"
      "CREATE TABLE utility_accounts ("
      "  utility_type TEXT NOT NULL,"
      "  account_number TEXT NOT NULL,"
      "  provider TEXT NOT NULL,"
      "  resident_id INTEGER REFERENCES residents," /* NULL: nobody seeded holds it */
      "  holder_name TEXT,"
      "  address TEXT,"
      "  prepaid_balance_fen INTEGER,"
      "  PRIMARY KEY (utility_type, account_number));"
      "CREATE TABLE bills ("
      "  bill_id TEXT PRIMARY KEY,"
      "  utility_type TEXT NOT NULL,"
      "  account_number TEXT NOT NULL,"
      "  period_start TEXT NOT NULL,"
      "  period_end TEXT NOT NULL,"
      "  usage REAL,"
      "  unit TEXT,"
      "  amount_fen INTEGER NOT NULL,"
      "  late_fee_fen INTEGER,"
      "  due_date TEXT NOT NULL,"
      "  status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid')),"
      "  paid_at TEXT,"
      "  FOREIGN KEY (utility_type, account_number) REFERENCES utility_accounts);"
      "CREATE TABLE issued_certificates ("
      "  certificate_number TEXT PRIMARY KEY,"
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  kiosk_id TEXT NOT NULL,"
      "  verification_code TEXT NOT NULL,"
      "  issued_at TEXT NOT NULL,"
      "  valid_until TEXT NOT NULL);"
      "CREATE TABLE payment_orders ("
      "  order_id TEXT PRIMARY KEY,"
      "  kiosk_id TEXT NOT NULL,"
      "  idempotency_key TEXT NOT NULL,"
      "  payable_kind TEXT NOT NULL,"
      "  payable_id TEXT NOT NULL,"
      "  resident_id INTEGER REFERENCES residents,"
      "  amount_fen INTEGER NOT NULL,"
      "  description_zh TEXT NOT NULL,"
      "  description_en TEXT,"
      "  qr_payload TEXT NOT NULL,"
      "  state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'expired', 'cancelled')),"
      "  created_at TEXT NOT NULL,"
      "  expires_at TEXT NOT NULL,"
      "  expires_unix INTEGER NOT NULL,"
      "  paid_at TEXT,"
      "  transaction_id TEXT,"
      "  UNIQUE (kiosk_id, idempotency_key));"
      "CREATE TABLE applications ("
      "  application_number TEXT PRIMARY KEY,"
      "  kiosk_id TEXT,"        /* NULL: filed at a counter or on the web */
      "  idempotency_key TEXT," /* NULL likewise */
      "  channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'counter', 'web')),"
      "  item_code TEXT NOT NULL,"
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  fields_json TEXT NOT NULL,"
      "  documents_json TEXT NOT NULL,"
      "  page_count INTEGER NOT NULL DEFAULT 0,"
      "  pages_bytes INTEGER NOT NULL DEFAULT 0,"
      "  submitted_by TEXT NOT NULL CHECK (submitted_by IN ('resident', 'staff')),"
      "  staff_id TEXT,"
      "  catalog_etag TEXT,"
      "  confirmed_at TEXT,"
      "  status TEXT NOT NULL,"
      "  status_text_zh TEXT NOT NULL,"
      "  status_text_en TEXT,"
      "  submitted_at TEXT NOT NULL,"
      "  updated_at TEXT NOT NULL,"
      "  expected_by TEXT,"
      "  UNIQUE (kiosk_id, idempotency_key));"
      /* Only the size and digest of each page: the simulator needs no images. */
      "CREATE TABLE application_pages ("
      "  application_number TEXT NOT NULL REFERENCES applications,"
      "  seq INTEGER NOT NULL,"
      "  document TEXT NOT NULL,"
      "  content_type TEXT NOT NULL,"
      "  size INTEGER NOT NULL,"
      "  sha256 TEXT NOT NULL,"
      "  PRIMARY KEY (application_number, seq));"
      "CREATE TABLE pension_certifications ("
      "  certification_id TEXT PRIMARY KEY,"
      "  kiosk_id TEXT NOT NULL,"
      "  idempotency_key TEXT NOT NULL,"
      "  resident_id INTEGER NOT NULL REFERENCES residents,"
      "  result TEXT NOT NULL CHECK (result IN ('accepted', 'rejected', 'pending')),"
      "  reason_zh TEXT,"
      "  reason_en TEXT,"
      "  received_at TEXT NOT NULL,"
      "  decide_unix INTEGER," /* when a pending one becomes accepted */
      "  decided_at TEXT,"
      "  valid_until TEXT,"
      "  photo_size INTEGER NOT NULL,"
      "  photo_sha256 TEXT NOT NULL,"
      "  consent_given_at TEXT NOT NULL,"
      "  consent_text_version TEXT NOT NULL,"
      "  captured_at TEXT NOT NULL,"
      "  assisted_by TEXT,"
      "  UNIQUE (kiosk_id, idempotency_key));"
      "CREATE TABLE evaluations ("
      "  application_number TEXT PRIMARY KEY REFERENCES applications,"
      "  kiosk_id TEXT NOT NULL,"
      "  idempotency_key TEXT NOT NULL,"
      "  grade TEXT NOT NULL,"
      "  comment TEXT,"
      "  reasons_json TEXT NOT NULL,"
      "  evaluated_at TEXT NOT NULL,"
      "  UNIQUE (kiosk_id, idempotency_key));"
      "CREATE TABLE heartbeats ("
      "  heartbeat_id INTEGER PRIMARY KEY,"
      "  kiosk_id TEXT NOT NULL,"
      "  received_at TEXT NOT NULL,"
      "  sent_at TEXT NOT NULL,"
      "  version TEXT NOT NULL,"
      "  uptime_s INTEGER NOT NULL,"
      "  catalog_etag TEXT,"
      "  paper TEXT NOT NULL,"
      "  outbox_depth INTEGER NOT NULL,"
      "  outbox_oldest_at TEXT,"
      "  body TEXT NOT NULL);"
      /* status 'in_progress': claimed by a request still running (never
   * survives a restart); 'completed': the effect is committed and
   * response is what a replay returns. */
      "CREATE TABLE idempotency_keys ("
      "  kiosk_id TEXT NOT NULL,"
      "  key TEXT NOT NULL,"
      "  operation TEXT NOT NULL,"
      "  body_hash TEXT NOT NULL,"
      "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),"
      "  response_status INTEGER,"
      "  response TEXT,"
      "  created TEXT NOT NULL,"
      "  completed TEXT,"
      "  PRIMARY KEY (kiosk_id, key));"
      "CREATE TABLE catalog_meta ("
      "  id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  version TEXT NOT NULL,"
      "  revision INTEGER NOT NULL,"
      "  generated_at TEXT NOT NULL);"
      "CREATE TABLE catalog_categories ("
      "  code TEXT PRIMARY KEY,"
      "  position INTEGER NOT NULL,"
      "  definition TEXT NOT NULL);" /* the Category JSON */
      "CREATE TABLE catalog_items ("
      "  item_code TEXT PRIMARY KEY,"
      "  position INTEGER NOT NULL,"
      "  flow TEXT NOT NULL,"
      "  allowed_kiosks TEXT,"       /* NULL: every kiosk; else ids separated by spaces */
      "  definition TEXT NOT NULL);" /* the CatalogItem JSON */
      "CREATE TABLE maintenance ("
      "  id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  starts TEXT NOT NULL,"
      "  ends TEXT NOT NULL,"
      "  message_zh TEXT NOT NULL,"
      "  message_en TEXT);"
      "CREATE INDEX bills_account ON bills (utility_type, account_number);"
      "CREATE INDEX applications_resident ON applications (resident_id, submitted_at);"
      "CREATE INDEX medical_records_account ON medical_records (account_number, date);";

static const char *const migrations[] = {
  migration_1,
};

int
linli_sim_db_schema_version (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

static gboolean
set_error (LinliSimDb *self, GError **error, const char *what)
{
  g_set_error (error, LINLI_SIM_DB_ERROR, LINLI_SIM_DB_ERROR_FAILED, "%s: %s", what,
               sqlite3_errmsg (self->handle));
  return FALSE;
}

static gboolean
exec (LinliSimDb *self, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, LINLI_SIM_DB_ERROR, LINLI_SIM_DB_ERROR_FAILED, "%s",
                   message ? message : "sqlite3_exec failed");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (LinliSimDb *self, GError **error)
{
  int version = (int) linli_sim_db_query_int (self, error, -1, "PRAGMA user_version", "");

  if (version < 0)
    return FALSE;
  if (version > linli_sim_db_schema_version ())
    {
      g_set_error (error, LINLI_SIM_DB_ERROR, LINLI_SIM_DB_ERROR_VERSION,
                   "database schema version %d is newer than this simulator's (%d)", version,
                   linli_sim_db_schema_version ());
      return FALSE;
    }
  /* One transaction per step: a killed migration leaves the previous
   * version intact. */
  for (int v = version; v < linli_sim_db_schema_version (); v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!linli_sim_db_begin (self, error))
        return FALSE;
      if (!exec (self, migrations[v], error) || !exec (self, bump, error))
        {
          linli_sim_db_rollback (self);
          return FALSE;
        }
      if (!linli_sim_db_commit (self, error))
        return FALSE;
      g_debug ("database migrated to schema version %d", v + 1);
    }
  return TRUE;
}

LinliSimDb *
linli_sim_db_open (const char *path, GError **error)
{
  g_autoptr (LinliSimDb) self = g_object_new (LINLI_TYPE_SIM_DB, NULL);

  if (sqlite3_open_v2 (path, &self->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, LINLI_SIM_DB_ERROR, LINLI_SIM_DB_ERROR_FAILED, "cannot open %s: %s", path,
                   self->handle ? sqlite3_errmsg (self->handle) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->handle, 5000);
  /* WAL with synchronous=NORMAL: a transaction is atomic and survives the
   * simulator being killed (the OS holds the log); only a power cut may
   * lose the last ones, which a test never does to the simulator. */
  if (!exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = NORMAL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error) || !migrate (self, error))
    return NULL;
  if (!linli_sim_db_run (self, error, "DELETE FROM idempotency_keys WHERE status = 'in_progress'",
                         ""))
    return NULL;
  if (linli_sim_db_changes (self) > 0)
    g_message ("dropped %" G_GINT64_FORMAT " idempotency claims of requests that never completed",
               linli_sim_db_changes (self));
  return g_steal_pointer (&self);
}

static gboolean
bind_va (LinliSimDb *self, sqlite3_stmt *stmt, const char *format, va_list args, GError **error)
{
  int rc = SQLITE_OK;

  for (int i = 0; format[i] != '\0' && rc == SQLITE_OK; i++)
    {
      switch (format[i])
        {
        case 's':
          {
            const char *text = va_arg (args, const char *);

            rc = text ? sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_TRANSIENT)
                      : sqlite3_bind_null (stmt, i + 1);
            break;
          }
        case 'i':
          rc = sqlite3_bind_int (stmt, i + 1, va_arg (args, int));
          break;
        case 'l':
          rc = sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;
        case 'N':
          {
            gint64 value = va_arg (args, gint64);

            rc = value < 0 ? sqlite3_bind_null (stmt, i + 1)
                           : sqlite3_bind_int64 (stmt, i + 1, value);
            break;
          }
        case 'd':
          rc = sqlite3_bind_double (stmt, i + 1, va_arg (args, double));
          break;
        case 'b':
          {
            GBytes *bytes = va_arg (args, GBytes *);
            gsize size = 0;
            const void *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

            rc = bytes ? sqlite3_bind_blob64 (stmt, i + 1, data ? data : "", size, SQLITE_TRANSIENT)
                       : sqlite3_bind_null (stmt, i + 1);
            break;
          }
        default:
          g_assert_not_reached ();
        }
    }
  if (rc != SQLITE_OK)
    return set_error (self, error, "bind");
  return TRUE;
}

static sqlite3_stmt *
query_va (LinliSimDb *self, GError **error, const char *sql, const char *format, va_list args)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (self, error, "prepare");
      return NULL;
    }
  if (!bind_va (self, stmt, format, args, error))
    return NULL;
  return g_steal_pointer (&stmt);
}

sqlite3_stmt *
linli_sim_db_query (LinliSimDb *self, GError **error, const char *sql, const char *format, ...)
{
  va_list args;
  sqlite3_stmt *stmt;

  va_start (args, format);
  stmt = query_va (self, error, sql, format, args);
  va_end (args);
  return stmt;
}

gboolean
linli_sim_db_step (LinliSimDb *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    set_error (self, error, "step");
  return FALSE;
}

gboolean
linli_sim_db_run (LinliSimDb *self, GError **error, const char *sql, const char *format, ...)
{
  va_list args;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  va_start (args, format);
  stmt = query_va (self, error, sql, format, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    return set_error (self, error, "step");
  return TRUE;
}

gint64
linli_sim_db_query_int (LinliSimDb *self,
                        GError **error,
                        gint64 default_value,
                        const char *sql,
                        const char *format,
                        ...)
{
  va_list args;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GError) local_error = NULL;

  va_start (args, format);
  stmt = query_va (self, error, sql, format, args);
  va_end (args);
  if (stmt == NULL)
    return default_value;
  if (linli_sim_db_step (self, stmt, &local_error) && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    return sqlite3_column_int64 (stmt, 0);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return default_value;
}

char *
linli_sim_db_query_text (LinliSimDb *self, GError **error, const char *sql, const char *format, ...)
{
  va_list args;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  va_start (args, format);
  stmt = query_va (self, error, sql, format, args);
  va_end (args);
  if (stmt == NULL)
    return NULL;
  if (linli_sim_db_step (self, stmt, error))
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

gint64
linli_sim_db_changes (LinliSimDb *self)
{
  return sqlite3_changes64 (self->handle);
}

gboolean
linli_sim_db_begin (LinliSimDb *self, GError **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
linli_sim_db_commit (LinliSimDb *self, GError **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  linli_sim_db_rollback (self);
  return FALSE;
}

void
linli_sim_db_rollback (LinliSimDb *self)
{
  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

const char *
linli_sim_db_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

const char *
linli_sim_db_text_or_null (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
linli_sim_db_finalize (GObject *object)
{
  LinliSimDb *self = LINLI_SIM_DB (object);

  if (self->handle != NULL)
    {
      /* A clean exit folds the log back into the file. */
      sqlite3_exec (self->handle, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      sqlite3_close_v2 (self->handle);
    }
  G_OBJECT_CLASS (linli_sim_db_parent_class)->finalize (object);
}

static void
linli_sim_db_class_init (LinliSimDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_sim_db_finalize;
}

static void
linli_sim_db_init (LinliSimDb *self)
{
}
