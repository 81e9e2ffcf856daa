/* outbox-testing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "outbox-testing.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

LinliPlatform *
outbox_testing_platform (GError **error)
{
  static const char *const names[]
      = { "LINLI_PLATFORM_URL", "LINLI_PLATFORM_CA",       "LINLI_PLATFORM_CERT",
          "LINLI_PLATFORM_KEY", "LINLI_PLATFORM_KIOSK_ID", "LINLI_SIM_CONTROL",
          "LINLI_SIM_DB" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_getenv (names[i]) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "%s is not set: run under tests/rigs/platform-rig.sh", names[i]);
        return NULL;
      }
  return linli_platform_new (g_getenv ("LINLI_PLATFORM_URL"), g_getenv ("LINLI_PLATFORM_KIOSK_ID"),
                             g_getenv ("LINLI_PLATFORM_CA"), g_getenv ("LINLI_PLATFORM_CERT"),
                             g_getenv ("LINLI_PLATFORM_KEY"), error);
}

void
outbox_testing_wait (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

char *
outbox_testing_resident_ref (LinliPlatform *platform, const char *id_number, GError **error)
{
  g_autoptr (LinliResident) resident = NULL;
  Wait wait = { 0 };

  linli_platform_lookup_resident_async (platform, id_number, LINLI_LOOKUP_SOURCE_ID_CARD, NULL,
                                        NULL, NULL, on_done, &wait);
  outbox_testing_wait (&wait.done);
  resident = linli_platform_lookup_resident_finish (platform, wait.result, error);
  g_object_unref (wait.result);
  if (resident == NULL)
    return NULL;
  return g_strdup (resident->resident_ref);
}

/* The simulator checks that a photo or a page starts like a JPEG. */
static GBytes *
fake_jpeg (gsize size, const char *fill)
{
  gsize length = MAX (size, 4);
  guint8 *data = g_malloc (length);
  gsize fill_length = strlen (fill);

  data[0] = 0xFF;
  data[1] = 0xD8;
  data[2] = 0xFF;
  data[3] = 0xE0;
  for (gsize i = 4; i < length; i++)
    data[i] = (guint8) fill[(i - 4) % fill_length];
  return g_bytes_new_take (data, length);
}

GBytes *
outbox_testing_application (const char *resident_ref,
                            const char *destination,
                            gsize page_size,
                            const char *page_fill,
                            char **content_type,
                            GError **error)
{
  g_autoptr (LinliApplicationForm) form
      = linli_application_form_new (OUTBOX_TESTING_ITEM, resident_ref);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) start = g_date_time_add_days (now, 7);
  g_autofree char *start_date = g_date_time_format (start, "%Y-%m-%d");
  g_autoptr (GBytes) page = fake_jpeg (page_size, page_fill);

  linli_application_form_set_submitted_by (form, LINLI_SUBMITTER_STAFF, "STAFF-0001");
  linli_application_form_set_confirmed_at (form, now);
  linli_application_form_set_string (form, "destination", destination);
  linli_application_form_set_string (form, "reason", "long_term_residence");
  linli_application_form_set_string (form, "start_date", start_date);
  linli_application_form_set_string (form, "phone", "13800000000");
  linli_application_form_add_document (form, "residence_proof", "image/jpeg", &page, 1);
  return linli_platform_encode_application (form, content_type, error);
}

GBytes *
outbox_testing_certification (gsize photo_size, char **content_type, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GBytes) photo = fake_jpeg (MAX (photo_size, 100), "photo ");

  return linli_platform_encode_pension_certification (now, "2024-01", now, "STAFF-0001", photo,
                                                      content_type, error);
}

gboolean
outbox_testing_flush (LinliOutbox *outbox, GError **error)
{
  Wait wait = { 0 };
  gboolean ok;

  linli_outbox_flush_async (outbox, NULL, on_done, &wait);
  outbox_testing_wait (&wait.done);
  ok = linli_outbox_flush_finish (outbox, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static gboolean
control (const char *method, const char *path, const char *json, GError **error)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (g_getenv ("LINLI_SIM_CONTROL"), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GBytes) answer = NULL;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad control URI %s", uri);
      return FALSE;
    }
  if (json != NULL)
    {
      g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: HTTP %u: %.*s", method, path,
                   soup_message_get_status (msg), (int) g_bytes_get_size (answer),
                   (const char *) g_bytes_get_data (answer, NULL));
      return FALSE;
    }
  return TRUE;
}

gboolean
outbox_testing_fault (const char *json, GError **error)
{
  return control ("POST", "/faults", json, error);
}

gboolean
outbox_testing_clear_faults (GError **error)
{
  return control ("DELETE", "/faults", NULL, error);
}

gint64
outbox_testing_sim_int (const char *sql, const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_open_v2 (g_getenv ("LINLI_SIM_DB"), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
        {
          if (arg != NULL)
            sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            value = sqlite3_column_int64 (stmt, 0);
        }
      else
        g_warning ("%s: %s", sql, sqlite3_errmsg (db));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}
