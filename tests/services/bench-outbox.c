/* bench-outbox.c — the outbox's figures: enqueue, and enqueue + flush to
 * the simulator over loopback TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   platform-rig.sh run -- bench-outbox [COUNT]      (default 10 000)
 *
 * 1. COUNT pension certifications (a 2 KB photo: about 2.6 KB each)
 *    enqueued with delivery stopped: enqueues per second, and the latency
 *    of one enqueue (p50, p99, max) — the time the caller's main loop is
 *    held, one fsync each. (Certifications, not applications: the
 *    simulator numbers at most 9 999 applications a day.)
 * 2. The same COUNT flushed to the simulator: submissions per second, and
 *    the longest the main loop went without turning meanwhile (a 5 ms
 *    ticker measures its lateness).
 * 3. The client alone (LinliPlatform, no outbox): the same submissions one
 *    after another, so the outbox's own share of a delivery shows.
 * 4. 20 applications of 2 MiB (a scanned page): enqueue latency and
 *    delivery, with the same main-loop measurement.
 * Figures, never assertions; it fails only when something is not
 * delivered.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "outbox-testing.h"

typedef struct
{
  gint64 last;
  gint64 worst;
  guint ticks;
} Ticker;

#define TICK_MS 5

static gboolean
on_tick (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    ticker->worst = MAX (ticker->worst, now - ticker->last - TICK_MS * 1000);
  ticker->last = now;
  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_latency (const char *what, GArray *samples)
{
  gint64 *v = (gint64 *) samples->data;
  guint n = samples->len;

  g_array_sort (samples, compare_gint64);
  printf ("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", what, v[n / 2] / 1000.0,
          v[MIN (n - 1, n * 99 / 100)] / 1000.0, v[n - 1] / 1000.0);
}

static char *
temp_outbox (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
remove_outbox (const char *path)
{
  for (guint i = 0; i < 3; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* A pension certification of @retiree_ref (@size: the photo's), or, with
 * @resident_ref, an application (@size: its page's). */
static GBytes *
make_body (const char *retiree_ref,
           const char *resident_ref,
           guint i,
           gsize size,
           char **content_type,
           char **path,
           const char **kind)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *destination = g_strdup_printf ("bench #%u", i);
  GBytes *body;

  if (resident_ref != NULL)
    {
      body = outbox_testing_application (resident_ref, destination, size, destination, content_type,
                                         &error);
      *path = g_strdup (LINLI_PLATFORM_PATH_APPLICATIONS);
      *kind = LINLI_OUTBOX_KIND_APPLICATION;
    }
  else
    {
      body = outbox_testing_certification (size, content_type, &error);
      *path = linli_platform_path_pension_certifications (retiree_ref);
      *kind = LINLI_OUTBOX_KIND_PENSION_CERTIFICATION;
    }
  g_assert_no_error (error);
  return body;
}

/* Enqueues @count bodies (see make_body()); returns the seconds taken,
 * latencies in @samples. */
static double
enqueue_many (LinliOutbox *outbox,
              const char *retiree_ref,
              const char *resident_ref,
              guint count,
              gsize size,
              GArray *samples,
              gsize *bytes)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *content_type = NULL;
      g_autofree char *path = NULL;
      const char *kind = NULL;
      g_autoptr (GBytes) body
          = make_body (retiree_ref, resident_ref, i, size, &content_type, &path, &kind);
      gint64 before;
      gint64 took;

      *bytes += g_bytes_get_size (body);
      before = g_get_monotonic_time ();
      if (!linli_outbox_enqueue (outbox, kind, path, content_type, body, NULL, &error))
        g_error ("enqueue: %s", error->message);
      took = g_get_monotonic_time () - before;
      g_array_append_val (samples, took);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Flushes while a ticker measures the main loop; seconds taken. */
static double
flush_all (LinliOutbox *outbox, LinliPlatform *platform, Ticker *ticker)
{
  g_autoptr (GError) error = NULL;
  guint source = g_timeout_add (TICK_MS, on_tick, ticker);
  gint64 start = g_get_monotonic_time ();
  double seconds;

  linli_outbox_start (outbox, platform);
  if (!outbox_testing_flush (outbox, &error))
    g_error ("flush: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (source);
  linli_outbox_stop (outbox);
  if (linli_outbox_get_depth (outbox) != 0)
    g_error ("%u entries not delivered", linli_outbox_get_depth (outbox));
  return seconds;
}

static void
on_submitted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer
      = linli_platform_submit_finish (LINLI_PLATFORM (source), result, &error);

  if (answer == NULL)
    g_error ("submit: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

/* @count certifications straight through the client, one after another. */
static double
submit_directly (LinliPlatform *platform, const char *retiree_ref, guint count, Ticker *ticker)
{
  g_autoptr (GError) error = NULL;
  guint source = g_timeout_add (TICK_MS, on_tick, ticker);
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *content_type = NULL;
      g_autofree char *path = NULL;
      g_autofree char *key = g_uuid_string_random ();
      const char *kind = NULL;
      g_autoptr (GBytes) body = make_body (retiree_ref, NULL, i, 2048, &content_type, &path, &kind);
      gboolean done = FALSE;

      linli_platform_submit_async (platform, path, content_type, body, key, NULL, on_submitted,
                                   &done);
      outbox_testing_wait (&done);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (source);
  return seconds;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPlatform) platform = NULL;
  g_autoptr (LinliOutbox) outbox = NULL;
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *resident_ref = NULL;
  g_autofree char *retiree_ref = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint count = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  Ticker ticker = { 0 };
  double seconds;
  double flush_seconds;
  double direct_seconds;
  guint direct_count;
  gsize bytes = 0;

  setvbuf (stdout, NULL, _IOLBF, 0);
  platform = outbox_testing_platform (&error);
  if (platform == NULL)
    {
      fprintf (stderr, "bench-outbox: %s\n", error->message);
      return g_getenv ("CI") ? 1 : 77;
    }
  resident_ref = outbox_testing_resident_ref (platform, OUTBOX_TESTING_ID_NUMBER, &error);
  g_assert_no_error (error);
  retiree_ref = outbox_testing_resident_ref (platform, OUTBOX_TESTING_RETIREE_ID_NUMBER, &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("bench-outbox-XXXXXX", &error);
  g_assert_no_error (error);

  path = temp_outbox (dir, "outbox.sqlite");
  outbox = linli_outbox_open (path, &error);
  g_assert_no_error (error);
  seconds = enqueue_many (outbox, retiree_ref, NULL, count, 2048, samples, &bytes);
  printf ("enqueue %u pension certifications (%.1f KB each): %.1f s, %.0f per second\n", count,
          bytes / 1000.0 / count, seconds, count / seconds);
  print_latency ("  one enqueue", samples);

  flush_seconds = flush_all (outbox, platform, &ticker);
  printf ("flush %u to the simulator over TLS: %.1f s, %.0f per second\n", count, flush_seconds,
          count / flush_seconds);
  printf ("  main loop during the flush: %u ticks, longest stall %.1f ms\n", ticker.ticks,
          ticker.worst / 1000.0);
  g_clear_object (&outbox);

  direct_count = MIN (count, 1000);
  ticker = (Ticker){ 0 };
  direct_seconds = submit_directly (platform, retiree_ref, direct_count, &ticker);
  printf ("the client alone, %u submissions one after another: %.1f s, %.0f per second\n",
          direct_count, direct_seconds, direct_count / direct_seconds);
  printf ("  main loop meanwhile: %u ticks, longest stall %.1f ms\n", ticker.ticks,
          ticker.worst / 1000.0);
  printf ("  the outbox's share of one delivery: %.2f ms\n",
          (flush_seconds / count - direct_seconds / direct_count) * 1000);
  remove_outbox (path);
  g_free (path);

  path = temp_outbox (dir, "large.sqlite");
  outbox = linli_outbox_open (path, &error);
  g_assert_no_error (error);
  g_array_set_size (samples, 0);
  bytes = 0;
  seconds = enqueue_many (outbox, NULL, resident_ref, 20, 2 * 1024 * 1024 - 4096, samples, &bytes);
  printf ("enqueue 20 applications of 2 MiB: %.2f s, %.1f MB/s\n", seconds, bytes / 1e6 / seconds);
  print_latency ("  one enqueue", samples);
  ticker = (Ticker){ 0 };
  seconds = flush_all (outbox, platform, &ticker);
  printf ("flush 20 applications of 2 MiB: %.2f s, %.1f per second\n", seconds, 20 / seconds);
  printf ("  main loop during the flush: %u ticks, longest stall %.1f ms\n", ticker.ticks,
          ticker.worst / 1000.0);
  g_clear_object (&outbox);
  remove_outbox (path);
  g_rmdir (dir);
  return 0;
}
