/* test-outbox-delivery.c — the outbox against the platform simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under tests/rigs/platform-rig.sh: real TLS with client certificates on
 * loopback, the simulator's fault switches, and its database read to count
 * effects. Delivered entries are deleted (and their bodies gone from the
 * files); 503 keeps the entry and the timer sends it again; a dropped
 * answer is resent with the same key and takes effect once; 422 and 409
 * refuse it; stop in mid-request and start again delivers once; kick
 * skips the wait; a wait survives a restart, a clock set back does not
 * park the queue.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "outbox-testing.h"

typedef struct
{
  char *dir;
  char *path;
  LinliOutbox *outbox;
  LinliPlatform *platform;
  char *resident_ref;
  char *marker; /* unique to this test run: found in bodies only */
  GPtrArray *delivered_keys;
  GPtrArray *delivered_numbers; /* application_number, or "" */
  GPtrArray *refused_keys;
  GPtrArray *refused_codes;
  guint n_failed;
  GError *last_failure;
  guint last_depth;
} Fixture;

static void
on_delivered (LinliOutbox *outbox, const char *kind, const char *key, JsonNode *answer, Fixture *f)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  const char *number = NULL;

  if (object != NULL)
    number = json_object_get_string_member_with_default (object, "application_number", NULL);
  g_ptr_array_add (f->delivered_keys, g_strdup (key));
  g_ptr_array_add (f->delivered_numbers, g_strdup (number ? number : ""));
}

static void
on_refused (LinliOutbox *outbox, const char *kind, const char *key, GError *error, Fixture *f)
{
  g_assert_true (linli_platform_error_is_definitive (error));
  g_ptr_array_add (f->refused_keys, g_strdup (key));
  g_ptr_array_add (f->refused_codes, g_strdup (linli_platform_error_get_code (error)));
}

static void
on_failed (LinliOutbox *outbox, const char *kind, const char *key, GError *error, Fixture *f)
{
  g_assert_false (linli_platform_error_is_definitive (error));
  f->n_failed++;
  g_clear_error (&f->last_failure);
  f->last_failure = g_error_copy (error);
}

static void
on_depth (LinliOutbox *outbox, guint depth, Fixture *f)
{
  f->last_depth = depth;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->platform = outbox_testing_platform (&error);
  if (f->platform == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  /* One try per outbox attempt, so the tests count attempts exactly. */
  linli_platform_set_retry_policy (f->platform, 1, 50, 10000);
  g_assert_true (outbox_testing_clear_faults (&error));
  g_assert_no_error (error);
  f->resident_ref = outbox_testing_resident_ref (f->platform, OUTBOX_TESTING_ID_NUMBER, &error);
  g_assert_no_error (error);

  f->dir = g_dir_make_tmp ("test-outbox-delivery-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "outbox.sqlite", NULL);
  f->outbox = linli_outbox_open (f->path, &error);
  g_assert_no_error (error);
  linli_outbox_set_retry (f->outbox, 50, 400);
  f->marker = g_strdup_printf ("MK%08x%08x", g_random_int (), g_random_int ());
  f->delivered_keys = g_ptr_array_new_with_free_func (g_free);
  f->delivered_numbers = g_ptr_array_new_with_free_func (g_free);
  f->refused_keys = g_ptr_array_new_with_free_func (g_free);
  f->refused_codes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->outbox, "entry-delivered", G_CALLBACK (on_delivered), f);
  g_signal_connect (f->outbox, "entry-refused", G_CALLBACK (on_refused), f);
  g_signal_connect (f->outbox, "attempt-failed", G_CALLBACK (on_failed), f);
  g_signal_connect (f->outbox, "depth-changed", G_CALLBACK (on_depth), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->platform == NULL)
    return;
  outbox_testing_clear_faults (NULL);
  if (f->outbox != NULL)
    linli_outbox_stop (f->outbox);
  g_clear_object (&f->outbox);
  /* Abandoned requests finish (cancelled) and drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->platform);
  for (guint i = 0; i < 3; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->resident_ref);
  g_free (f->marker);
  g_ptr_array_unref (f->delivered_keys);
  g_ptr_array_unref (f->delivered_numbers);
  g_ptr_array_unref (f->refused_keys);
  g_ptr_array_unref (f->refused_codes);
  g_clear_error (&f->last_failure);
}

/* An application whose destination is "<marker>-<n>" and whose page is
 * filled with "<marker>-PAGE-<n>-". */
static char *
enqueue_application (Fixture *f, const char *destination_suffix, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *destination = g_strdup_printf ("%s%s-%u", f->marker, destination_suffix, n);
  g_autofree char *fill = g_strdup_printf ("%s-PAGE-%u-", f->marker, n);
  g_autofree char *content_type = NULL;
  g_autoptr (GBytes) body = outbox_testing_application (f->resident_ref, destination, 3000, fill,
                                                        &content_type, &error);
  char *key = NULL;

  g_assert_no_error (error);
  g_assert_true (linli_outbox_enqueue (f->outbox, LINLI_OUTBOX_KIND_APPLICATION,
                                       LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, &key,
                                       &error));
  g_assert_no_error (error);
  return key;
}

static char *
enqueue_evaluation (Fixture *f, const char *application_number, LinliEvaluationGrade grade)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *path = linli_platform_path_evaluation (application_number);
  g_autoptr (GBytes) body
      = linli_platform_encode_evaluation (grade, NULL, NULL, &content_type, &error);
  char *key = NULL;

  g_assert_no_error (error);
  g_assert_true (linli_outbox_enqueue (f->outbox, LINLI_OUTBOX_KIND_EVALUATION, path, content_type,
                                       body, &key, &error));
  g_assert_no_error (error);
  return key;
}

static gboolean
files_contain (Fixture *f, const char *needle)
{
  for (guint i = 0; i < 3; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (file, &contents, &length, NULL)
          && memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Applications in the simulator whose fields hold @text. */
static gint64
sim_applications_with (const char *text)
{
  g_autofree char *pattern = g_strdup_printf ("%%%s%%", text);

  return outbox_testing_sim_int ("SELECT count(*) FROM applications WHERE fields_json LIKE ?1",
                                 pattern);
}

static gint64
sim_applications_with_key (const char *key)
{
  return outbox_testing_sim_int ("SELECT count(*) FROM applications WHERE idempotency_key = ?1",
                                 key);
}

/* The simulator's state of an idempotency key: "in_progress",
 * "completed", or NULL. */
static const char *
sim_key_status (const char *key)
{
  gint64 status = outbox_testing_sim_int (
      "SELECT CASE status WHEN 'in_progress' THEN 1 WHEN 'completed' THEN 2 END"
      " FROM idempotency_keys WHERE key = ?1",
      key);

  return status == 1 ? "in_progress" : status == 2 ? "completed" : NULL;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @n entries were delivered or @seconds passed. */
static void
wait_delivered (Fixture *f, guint n, guint seconds)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (f->delivered_keys->len < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (source);
  g_assert_cmpuint (f->delivered_keys->len, ==, n);
}

static void
run_for_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  outbox_testing_wait (&done);
}

static void
test_success (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *page_marker = NULL;
  LinliOutboxCounters counters;

  if (f->platform == NULL)
    return;
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (keys, enqueue_application (f, "", i));
  page_marker = g_strdup_printf ("%s-PAGE-1-", f->marker);
  /* The grep below can see a body. */
  g_assert_true (files_contain (f, page_marker));

  linli_outbox_start (f->outbox, f->platform);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 0);
  g_assert_cmpuint (f->last_depth, ==, 0);
  g_assert_null (linli_outbox_get_oldest (f->outbox));
  g_assert_cmpuint (f->n_failed, ==, 0);
  g_assert_cmpuint (f->delivered_keys->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *number = g_ptr_array_index (f->delivered_numbers, i);
      g_autofree char *destination = g_strdup_printf ("%s-%u", f->marker, i);

      /* In the order they were enqueued, once each. */
      g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, i), ==, key);
      g_assert_cmpint (sim_applications_with_key (key), ==, 1);
      g_assert_cmpint (sim_applications_with (destination), ==, 1);
      g_assert_true (g_str_has_prefix (number, "BJ330102"));
      g_assert_cmpint (
          outbox_testing_sim_int ("SELECT count(*) FROM applications WHERE application_number = ?1"
                                  " AND idempotency_key IS NOT NULL",
                                  number),
          ==, 1);
    }

  entries = linli_outbox_list (f->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_true (linli_outbox_get_counters (f->outbox, &counters, &error));
  g_assert_cmpuint (counters.enqueued, ==, 3);
  g_assert_cmpuint (counters.delivered, ==, 3);
  g_assert_cmpuint (counters.refused, ==, 0);

  /* Personal data gone from the database, its log and its shared memory,
   * while the outbox is still open… */
  g_assert_false (files_contain (f, f->marker));
  /* …and after it is closed. */
  linli_outbox_stop (f->outbox);
  g_clear_object (&f->outbox);
  g_assert_false (files_contain (f, f->marker));
}

/* 503 with Retry-After: the entry stays, waits at least retry_after, and
 * the outbox's own timer sends it again — no kick, no flush. */
static void
test_retry_503 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *key = NULL;
  LinliOutboxEntry *entry;

  if (f->platform == NULL)
    return;
  g_assert_true (outbox_testing_fault ("{\"kind\": \"status\", \"status\": 503,"
                                       " \"code\": \"MAINTENANCE\", \"retry_after\": 1,"
                                       " \"method\": \"POST\", \"path\": \"/applications\","
                                       " \"count\": 1}",
                                       &error));
  g_assert_no_error (error);
  key = enqueue_application (f, "", 0);
  linli_outbox_start (f->outbox, f->platform);
  g_assert_false (outbox_testing_flush (f->outbox, &error));
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "MAINTENANCE");
  g_assert_cmpuint (f->n_failed, ==, 1);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 1);
  g_assert_cmpint (sim_applications_with_key (key), ==, 0);

  entries = linli_outbox_list (f->outbox, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->idempotency_key, ==, key);
  g_assert_cmpint (entry->state, ==, LINLI_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpstr (entry->last_error_code, ==, "MAINTENANCE");
  /* retry_after (1 s) over the backoff (at most 50 ms here). */
  g_assert_cmpint (entry->next_attempt_at - entry->last_attempt_at, >=, G_USEC_PER_SEC);

  /* The fault was used up: the timer's attempt succeeds. */
  wait_delivered (f, 1, 10);
  g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, 0), ==, key);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 0);
}

/* The simulator applies the effect and drops the connection mid-answer:
 * the kiosk never hears. The entry is resent with the same key, the
 * platform replays the first answer, one application exists. */
static void
test_drop_response (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *key = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *number = NULL;

  if (f->platform == NULL)
    return;
  g_assert_true (outbox_testing_fault ("{\"kind\": \"drop-response\", \"method\": \"POST\","
                                       " \"path\": \"/applications\", \"count\": -1}",
                                       &error));
  key = enqueue_application (f, "", 0);
  destination = g_strdup_printf ("%s-0", f->marker);
  linli_outbox_start (f->outbox, f->platform);
  g_assert_false (outbox_testing_flush (f->outbox, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == LINLI_PLATFORM_ERROR);
  g_assert_false (linli_platform_error_is_definitive (error));
  g_clear_error (&error);

  /* Done at the platform, unknown to the kiosk. */
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
  g_assert_cmpint (sim_applications_with (destination), ==, 1);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 1);
  entries = linli_outbox_list (f->outbox, &error);
  g_assert_cmpstr (((LinliOutboxEntry *) g_ptr_array_index (entries, 0))->idempotency_key, ==, key);

  g_assert_true (outbox_testing_clear_faults (&error));
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->delivered_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, 0), ==, key);
  /* The replayed answer names the application made the first time. */
  number = g_strdup (g_ptr_array_index (f->delivered_numbers, 0));
  g_assert_cmpint (outbox_testing_sim_int ("SELECT count(*) FROM applications"
                                           " WHERE application_number = ?1",
                                           number),
                   ==, 1);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
  g_assert_cmpint (sim_applications_with (destination), ==, 1);
  g_assert_cmpint (outbox_testing_sim_int ("SELECT count(*) FROM idempotency_keys WHERE key = ?1"
                                           " AND status = 'completed'",
                                           key),
                   ==, 1);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 0);
}

/* 422: refused for good, kept without its body, and the next entry is not
 * held back by it. */
static void
test_refused_422 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) refusal = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad_marker = NULL;
  LinliOutboxCounters counters;
  LinliOutboxEntry *entry;
  guint n_cleared = 0;

  if (f->platform == NULL)
    return;
  /* A destination of 51 characters breaks the item's max_length (50). */
  bad = enqueue_application (f, "-TOO-LONG-FOR-THE-DESTINATION-FIELD-OF-THE-ITEM", 0);
  good = enqueue_application (f, "", 1);
  bad_marker = g_strdup_printf ("%s-PAGE-0-", f->marker);
  g_assert_true (files_contain (f, bad_marker));

  linli_outbox_start (f->outbox, f->platform);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->refused_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->refused_keys, 0), ==, bad);
  g_assert_cmpstr (g_ptr_array_index (f->refused_codes, 0), ==, "VALIDATION_FAILED");
  g_assert_cmpuint (f->delivered_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, 0), ==, good);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 0);
  g_assert_cmpint (sim_applications_with_key (bad), ==, 0);

  entries = linli_outbox_list (f->outbox, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->idempotency_key, ==, bad);
  g_assert_cmpint (entry->state, ==, LINLI_OUTBOX_STATE_REFUSED);
  g_assert_cmpstr (entry->refused_code, ==, "VALIDATION_FAILED");
  g_assert_cmpuint (entry->refused_status, ==, 422);
  g_assert_nonnull (entry->refused_message);
  g_assert_cmpstr (entry->refused_message, !=, "");
  g_assert_cmpint (entry->refused_at, >, 0);
  g_assert_cmpuint (entry->body_size, ==, 0);
  g_assert_true (linli_outbox_get_counters (f->outbox, &counters, &error));
  g_assert_cmpuint (counters.refused, ==, 1);
  g_assert_cmpuint (counters.delivered, ==, 1);
  /* The refused body is dropped from the file at once. */
  g_assert_false (files_contain (f, bad_marker));

  g_assert_true (linli_outbox_clear_refused (f->outbox, NULL, &n_cleared, &error));
  g_assert_cmpuint (n_cleared, ==, 1);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = linli_outbox_list (f->outbox, &error);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* 409: a second evaluation of one application (ALREADY_EVALUATED), and a
 * key reused with another body (IDEMPOTENCY_CONFLICT, which the outbox
 * never does: the key is changed here behind its back). Both refused. */
static void
test_refused_409 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *application_key = NULL;
  g_autofree char *number = NULL;
  g_autofree char *number2 = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *conflicting = NULL;
  char *sql = NULL;
  sqlite3 *db = NULL;

  if (f->platform == NULL)
    return;
  application_key = enqueue_application (f, "", 0);
  g_free (enqueue_application (f, "", 1));
  linli_outbox_start (f->outbox, f->platform);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);
  number = g_strdup (g_ptr_array_index (f->delivered_numbers, 0));
  number2 = g_strdup (g_ptr_array_index (f->delivered_numbers, 1));

  first = enqueue_evaluation (f, number, LINLI_EVALUATION_VERY_SATISFIED);
  second = enqueue_evaluation (f, number, LINLI_EVALUATION_SATISFIED);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->delivered_keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, 2), ==, first);
  g_assert_cmpuint (f->refused_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->refused_keys, 0), ==, second);
  g_assert_cmpstr (g_ptr_array_index (f->refused_codes, 0), ==, "ALREADY_EVALUATED");
  g_assert_cmpint (outbox_testing_sim_int ("SELECT count(*) FROM evaluations"
                                           " WHERE application_number = ?1",
                                           number),
                   ==, 1);

  /* The first evaluation's key, another body (another application). */
  linli_outbox_stop (f->outbox);
  conflicting = enqueue_evaluation (f, number2, LINLI_EVALUATION_SATISFIED);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sql = sqlite3_mprintf ("UPDATE entries SET idempotency_key = %Q WHERE idempotency_key = %Q",
                         first, conflicting);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (sql);
  sqlite3_close (db);

  linli_outbox_start (f->outbox, f->platform);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->delivered_keys->len, ==, 3);
  g_assert_cmpuint (f->refused_keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->refused_keys, 1), ==, first);
  g_assert_cmpstr (g_ptr_array_index (f->refused_codes, 1), ==, "IDEMPOTENCY_CONFLICT");
  g_assert_cmpint (outbox_testing_sim_int ("SELECT count(*) FROM evaluations"
                                           " WHERE application_number = ?1",
                                           number2),
                   ==, 0);

  entries = linli_outbox_list (f->outbox, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      LinliOutboxEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->state, ==, LINLI_OUTBOX_STATE_REFUSED);
      g_assert_cmpuint (entry->refused_status, ==, 409);
      g_assert_cmpuint (entry->body_size, ==, 0);
    }
}

/* stop() while the request waits at the platform (latency): the entry
 * stays pending; the platform completes it anyway; after start() it is
 * resent with its key and the replay deletes it. One application. */
static void
test_stop_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *destination = NULL;

  if (f->platform == NULL)
    return;
  g_assert_true (outbox_testing_fault ("{\"kind\": \"latency\", \"latency_ms\": 800,"
                                       " \"method\": \"POST\", \"path\": \"/applications\","
                                       " \"count\": 1}",
                                       &error));
  key = enqueue_application (f, "", 0);
  destination = g_strdup_printf ("%s-0", f->marker);
  linli_outbox_start (f->outbox, f->platform);
  /* Until the platform holds the request (slow under valgrind). */
  for (guint i = 0; i < 200 && sim_key_status (key) == NULL; i++)
    run_for_ms (50);
  g_assert_cmpstr (sim_key_status (key), ==, "in_progress");
  linli_outbox_stop (f->outbox);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 1);
  /* The platform finishes it without the kiosk. */
  for (guint i = 0; i < 200 && g_strcmp0 (sim_key_status (key), "completed") != 0; i++)
    run_for_ms (50);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
  g_assert_cmpuint (f->delivered_keys->len, ==, 0);

  linli_outbox_start (f->outbox, f->platform);
  g_assert_true (outbox_testing_flush (f->outbox, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->delivered_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->delivered_keys, 0), ==, key);
  g_assert_cmpint (sim_applications_with (destination), ==, 1);
  g_assert_cmpuint (linli_outbox_get_depth (f->outbox), ==, 0);
}

/* After a failure the next attempt is a minute away; kick() makes it now. */
static void
test_kick (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 kicked_at;

  if (f->platform == NULL)
    return;
  linli_outbox_set_retry (f->outbox, 60000, 120000);
  g_assert_true (outbox_testing_fault ("{\"kind\": \"status\", \"status\": 500,"
                                       " \"method\": \"POST\", \"path\": \"/applications\","
                                       " \"count\": 1}",
                                       &error));
  key = enqueue_application (f, "", 0);
  linli_outbox_start (f->outbox, f->platform);
  while (f->n_failed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (f->last_failure, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  run_for_ms (300);
  g_assert_cmpuint (f->delivered_keys->len, ==, 0);

  kicked_at = g_get_monotonic_time ();
  linli_outbox_kick (f->outbox);
  wait_delivered (f, 1, 10);
  g_assert_cmpint (g_get_monotonic_time () - kicked_at, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
}

static void
set_next_attempt (Fixture *f, const char *key, gint64 when)
{
  sqlite3 *db = NULL;
  char *sql = sqlite3_mprintf ("UPDATE entries SET next_attempt_at = %lld"
                               " WHERE idempotency_key = %Q",
                               (long long) when, key);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (sql);
  sqlite3_close (db);
}

/* A wait written before a restart is kept (a minute: nothing is sent);
 * one further than any wait the outbox sets means the clock was set back
 * meanwhile, and must not park the queue (two days: sent at once). */
static void
test_clock (Fixture *f, gconstpointer data)
{
  g_autofree char *key = NULL;

  if (f->platform == NULL)
    return;
  key = enqueue_application (f, "", 0);
  set_next_attempt (f, key, g_get_real_time () + 60 * G_USEC_PER_SEC);
  linli_outbox_start (f->outbox, f->platform);
  run_for_ms (700);
  g_assert_cmpuint (f->delivered_keys->len, ==, 0);
  g_assert_cmpint (sim_applications_with_key (key), ==, 0);

  linli_outbox_stop (f->outbox);
  set_next_attempt (f, key, g_get_real_time () + 2 * G_TIME_SPAN_DAY);
  linli_outbox_start (f->outbox, f->platform);
  wait_delivered (f, 1, 10);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
}

typedef struct
{
  gboolean done;
  JsonNode *answer;
  GError *error;
} Wait;

static void
on_waited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->answer = linli_outbox_wait_finish (LINLI_OUTBOX (source), result, &wait->error);
  wait->done = TRUE;
}

static void
wait_clear (Wait *wait)
{
  g_clear_pointer (&wait->answer, json_node_unref);
  g_clear_error (&wait->error);
  wait->done = FALSE;
}

/* linli_outbox_wait_async: the platform's answer to one entry (the
 * application number), its refusal, a time-out that leaves the entry
 * pending (it is still delivered afterwards), and a cancelled wait. */
static void
test_wait (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = NULL;
  g_autofree char *key = NULL;
  g_autofree char *bad = NULL;
  Wait wait = { 0 };

  if (f->platform == NULL)
    return;
  linli_outbox_start (f->outbox, f->platform);

  key = enqueue_application (f, "", 0);
  linli_outbox_wait_async (f->outbox, key, 10, NULL, on_waited, &wait);
  outbox_testing_wait (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.answer);
  g_assert_nonnull (json_object_get_string_member_with_default (json_node_get_object (wait.answer),
                                                                "application_number", NULL));
  wait_clear (&wait);

  bad = enqueue_application (f, "-TOO-LONG-FOR-THE-DESTINATION-FIELD-OF-THE-ITEM", 1);
  linli_outbox_wait_async (f->outbox, bad, 10, NULL, on_waited, &wait);
  outbox_testing_wait (&wait.done);
  g_assert_null (wait.answer);
  g_assert_error (wait.error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  wait_clear (&wait);

  /* The platform slower than the wait: timed out, then delivered all the
   * same. */
  g_clear_pointer (&key, g_free);
  g_assert_true (outbox_testing_fault ("{\"kind\": \"latency\", \"latency_ms\": 2500,"
                                       " \"method\": \"POST\", \"path\": \"/applications\","
                                       " \"count\": 1}",
                                       &error));
  key = enqueue_application (f, "", 2);
  linli_outbox_wait_async (f->outbox, key, 1, NULL, on_waited, &wait);
  outbox_testing_wait (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  wait_clear (&wait);
  wait_delivered (f, 2, 15);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);

  /* Cancelled: the wait ends at once; the entry is still sent. */
  g_clear_pointer (&key, g_free);
  key = enqueue_application (f, "", 3);
  cancellable = g_cancellable_new ();
  linli_outbox_wait_async (f->outbox, key, 10, cancellable, on_waited, &wait);
  g_cancellable_cancel (cancellable);
  outbox_testing_wait (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);
  wait_delivered (f, 3, 15);
  g_assert_cmpint (sim_applications_with_key (key), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/outbox/delivery/success", test_success);
  ADD ("/outbox/delivery/retry-503", test_retry_503);
  ADD ("/outbox/delivery/drop-response", test_drop_response);
  ADD ("/outbox/delivery/refused-422", test_refused_422);
  ADD ("/outbox/delivery/refused-409", test_refused_409);
  ADD ("/outbox/delivery/stop-restart", test_stop_restart);
  ADD ("/outbox/delivery/kick", test_kick);
  ADD ("/outbox/delivery/clock", test_clock);
  ADD ("/outbox/delivery/wait", test_wait);
#undef ADD

  return g_test_run ();
}
