/* outbox-driver.c — the program test-outbox-crash.py kills with SIGKILL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   outbox-driver OUTBOX COUNT TAG
 *
 * Files COUNT applications numbered 1…COUNT (destination "TAG #N") through
 * the outbox at OUTBOX to the platform of the rig's variables, and exits 0
 * once all are enqueued and none is pending. Killed and started again, it
 * goes on where it was: the next number is the outbox's own "enqueued"
 * counter + 1, committed in the same transaction as the entry, so a kill
 * between an enqueue and its bookkeeping cannot exist — no number is
 * enqueued twice (which would be a second application with another key)
 * and none is skipped. Enqueueing and sending interleave (one enqueue per
 * main-loop turn), so kills land in both.
 *
 * Prints one line per event on stdout: "enqueued N KEY", "delivered KEY
 * NUMBER", "failed KEY CODE", "refused KEY CODE", "done". Exit status: 0
 * done, 1 an entry was refused or an error, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>

#include "outbox-testing.h"

typedef struct
{
  LinliOutbox *outbox;
  LinliPlatform *platform;
  char *resident_ref;
  const char *tag;
  guint64 next;
  guint64 count;
  gboolean flushing;
  gboolean refused;
  int status;
  GMainLoop *loop;
} Driver;

static void flush (Driver *driver);

static void
on_delivered (LinliOutbox *outbox, const char *kind, const char *key, JsonNode *answer)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;

  printf ("delivered %s %s\n", key,
          object ? json_object_get_string_member_with_default (object, "application_number", "-")
                 : "-");
}

static void
on_refused (LinliOutbox *outbox, const char *kind, const char *key, GError *error, Driver *driver)
{
  printf ("refused %s %s\n", key, linli_platform_error_get_code (error));
  driver->refused = TRUE;
}

static void
on_failed (LinliOutbox *outbox, const char *kind, const char *key, GError *error)
{
  const char *code
      = error->domain == LINLI_PLATFORM_ERROR ? linli_platform_error_get_code (error) : NULL;

  printf ("failed %s %s\n", key, code ? code : error->message);
}

static gboolean
on_retry (gpointer user_data)
{
  flush (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Driver *driver = user_data;
  g_autoptr (GError) error = NULL;

  driver->flushing = FALSE;
  if (linli_outbox_flush_finish (driver->outbox, result, &error))
    {
      if (driver->next > driver->count && linli_outbox_get_depth (driver->outbox) == 0)
        {
          printf ("done\n");
          driver->status = driver->refused ? 1 : 0;
          g_main_loop_quit (driver->loop);
        }
      return;
    }
  /* The platform is failing for now (the test's faults): again soon. */
  g_timeout_add (100, on_retry, driver);
}

static void
flush (Driver *driver)
{
  if (driver->flushing)
    return;
  driver->flushing = TRUE;
  linli_outbox_flush_async (driver->outbox, NULL, on_flushed, driver);
}

static gboolean
enqueue_next (gpointer user_data)
{
  Driver *driver = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *fill = NULL;
  g_autofree char *key = NULL;

  if (driver->next > driver->count)
    {
      flush (driver);
      return G_SOURCE_REMOVE;
    }
  destination = g_strdup_printf ("%s #%" G_GUINT64_FORMAT, driver->tag, driver->next);
  fill = g_strdup_printf ("page of %s ", destination);
  body = outbox_testing_application (driver->resident_ref, destination, 2048, fill, &content_type,
                                     &error);
  if (body == NULL
      || !linli_outbox_enqueue (driver->outbox, LINLI_OUTBOX_KIND_APPLICATION,
                                LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, &key, &error))
    {
      fprintf (stderr, "outbox-driver: %s\n", error->message);
      driver->status = 1;
      g_main_loop_quit (driver->loop);
      return G_SOURCE_REMOVE;
    }
  printf ("enqueued %" G_GUINT64_FORMAT " %s\n", driver->next, key);
  driver->next++;
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliOutbox) outbox = NULL;
  g_autoptr (LinliPlatform) platform = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *resident_ref = NULL;
  LinliOutboxCounters counters;
  Driver driver = { 0 };
  char *end = NULL;
  guint64 count;

  if (argc != 4 || (count = g_ascii_strtoull (argv[2], &end, 10)) == 0 || *end != '\0')
    {
      fprintf (stderr, "usage: outbox-driver OUTBOX COUNT TAG\n");
      return 2;
    }
  /* Line by line: the test reads the events of a killed process. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  outbox = linli_outbox_open (argv[1], &error);
  if (outbox == NULL || !linli_outbox_get_counters (outbox, &counters, &error))
    {
      fprintf (stderr, "outbox-driver: %s\n", error->message);
      return 1;
    }
  platform = outbox_testing_platform (&error);
  if (platform != NULL)
    resident_ref = outbox_testing_resident_ref (platform, OUTBOX_TESTING_ID_NUMBER, &error);
  if (resident_ref == NULL)
    {
      fprintf (stderr, "outbox-driver: %s\n", error->message);
      return 1;
    }
  printf ("start enqueued=%" G_GUINT64_FORMAT " delivered=%" G_GUINT64_FORMAT " depth=%u\n",
          counters.enqueued, counters.delivered, linli_outbox_get_depth (outbox));

  loop = g_main_loop_new (NULL, FALSE);
  driver = (Driver){
    .outbox = outbox,
    .platform = platform,
    .resident_ref = resident_ref,
    .tag = argv[3],
    .next = counters.enqueued + 1,
    .count = count,
    .status = 1,
    .loop = loop,
  };
  /* Short waits: the test's faults come and go within seconds. */
  linli_outbox_set_retry (outbox, 50, 500);
  g_signal_connect (outbox, "entry-delivered", G_CALLBACK (on_delivered), NULL);
  g_signal_connect (outbox, "entry-refused", G_CALLBACK (on_refused), &driver);
  g_signal_connect (outbox, "attempt-failed", G_CALLBACK (on_failed), NULL);
  linli_outbox_start (outbox, platform);
  g_idle_add (enqueue_next, &driver);
  g_main_loop_run (loop);
  linli_outbox_stop (outbox);
  return driver.status;
}
