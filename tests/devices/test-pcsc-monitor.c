/* test-pcsc-monitor.c: LinliPcscReader's monitor against the real pcscd,
 * vpcd and the virtual social-security card, under tests/rigs/pcscd-rig.sh
 * (PCSC_RIG, PCSC_RIG_DIR, PCSC_RIG_PORT, PCSC_RIG_READER, VSSCARD).
 *
 * One reader runs through every case in order, as a kiosk's would: cards
 * read and removed, a broken card failing once, pcscd killed and started
 * again (the same reader must read the next card), a card in the reader
 * while pcscd restarts, and a quick stop. It prints the latency from a card
 * inserted to "card-read" as a figure, asserting nothing about it. */
#include <string.h>

#include "linli-pcsc-reader.h"
#include "linli-sscard.h"

#define WAIT_SECONDS   15
#define LATENCY_ROUNDS 20

typedef struct
{
  LinliDevice *reader;
  GSubprocess *card;
  GOutputStream *card_input;
  guint n_read;
  guint n_failed;
  guint n_removed;
  guint n_fault;
  LinliIdentity *last_identity;
  GError *last_error;
  gint64 read_at;
  gint64 busy_at; /* the monitor saw the card and started reading */
} Rig;

static Rig rig;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set: run under tests/rigs/pcscd-rig.sh", name);
  return value;
}

static void
on_card_read (LinliPcscReader *reader, LinliIdentity *identity, gpointer user_data)
{
  rig.read_at = g_get_monotonic_time ();
  rig.n_read++;
  g_clear_pointer (&rig.last_identity, linli_identity_unref);
  rig.last_identity = linli_identity_ref (identity);
}

static void
on_card_failed (LinliPcscReader *reader, GError *error, gpointer user_data)
{
  rig.n_failed++;
  g_clear_error (&rig.last_error);
  rig.last_error = g_error_copy (error);
}

static void
on_card_removed (LinliPcscReader *reader, gpointer user_data)
{
  rig.n_removed++;
}

static void
on_state (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  LinliDevice *device = LINLI_DEVICE (object);

  g_test_message ("state %s: %s", linli_device_state_to_string (linli_device_get_state (device)),
                  linli_device_get_detail (device));
  if (linli_device_get_state (device) == LINLI_DEVICE_STATE_FAULT)
    rig.n_fault++;
  if (linli_device_get_state (device) == LINLI_DEVICE_STATE_BUSY)
    rig.busy_at = g_get_monotonic_time ();
}

/* Iterates the main context until *@counter reaches @target. */
static gboolean
wait_for (guint *counter, guint target)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_TIME_SPAN_SECOND;

  while (*counter < target && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return *counter >= target;
}

static gboolean
wait_for_state (LinliDeviceState state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_TIME_SPAN_SECOND;

  while (linli_device_get_state (rig.reader) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return linli_device_get_state (rig.reader) == state;
}

/* Sends a line to vsscard.py; returns when it is written. */
static void card_command (const char *format, ...) G_GNUC_PRINTF (1, 2);
static void
card_command (const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_output_stream_write_all (rig.card_input, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (rig.card_input, "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (rig.card_input, NULL, &error);
  g_assert_no_error (error);
}

static void
insert (const char *fixture)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "..", "data", "sscard", fixture, NULL);

  card_command ("insert %s.json", path);
}

static void
remove_card (void)
{
  guint removed = rig.n_removed;

  card_command ("remove");
  g_assert_true (wait_for (&rig.n_removed, removed + 1));
}

static void
rig_pcscd (const char *action)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { env ("PCSC_RIG"), action, env ("PCSC_RIG_DIR"), NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static void
test_ready (void)
{
  rig.reader = linli_pcsc_reader_new (env ("PCSC_RIG_READER"));
  g_signal_connect (rig.reader, "card-read", G_CALLBACK (on_card_read), NULL);
  g_signal_connect (rig.reader, "card-failed", G_CALLBACK (on_card_failed), NULL);
  g_signal_connect (rig.reader, "card-removed", G_CALLBACK (on_card_removed), NULL);
  g_signal_connect (rig.reader, "notify::state", G_CALLBACK (on_state), NULL);

  linli_pcsc_reader_start (LINLI_PCSC_READER (rig.reader));
  g_assert_true (wait_for_state (LINLI_DEVICE_STATE_READY));
  g_assert_cmpstr (linli_device_get_detail (rig.reader), ==, "1 reader: Linli Virtual PCD 00 00");
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
test_read_and_remove (void)
{
  gint64 latencies[LATENCY_ROUNDS];
  gint64 reading[LATENCY_ROUNDS];

  for (guint i = 0; i < LATENCY_ROUNDS; i++)
    {
      guint read = rig.n_read;
      gint64 inserted;

      inserted = g_get_monotonic_time ();
      insert (i % 2 == 0 ? "zhang-sanfeng" : "li-xiaomei");
      g_assert_true (wait_for (&rig.n_read, read + 1));
      latencies[i] = rig.read_at - inserted;
      reading[i] = rig.read_at - rig.busy_at;
      g_assert_cmpstr (linli_identity_get_id_number (rig.last_identity), ==,
                       i % 2 == 0 ? "11010519491231002X" : "370102198002290047");
      g_assert_cmpstr (linli_identity_get_source (rig.last_identity), ==,
                       "pcsc Linli Virtual PCD 00 00");
      remove_card ();
    }
  g_assert_cmpuint (rig.n_failed, ==, 0);

  qsort (latencies, LATENCY_ROUNDS, sizeof latencies[0], compare_gint64);
  g_test_message ("figure: card inserted -> card-read over %d cards: median %.0f ms, "
                  "p90 %.0f ms, max %.0f ms",
                  LATENCY_ROUNDS, latencies[LATENCY_ROUNDS / 2] / 1000.0,
                  latencies[LATENCY_ROUNDS * 9 / 10] / 1000.0,
                  latencies[LATENCY_ROUNDS - 1] / 1000.0);
  /* pcscd polls vpcd for a card every 400 ms: most of the figure above is
   * that poll, not the reader. The read itself (BUSY to "card-read"): */
  qsort (reading, LATENCY_ROUNDS, sizeof reading[0], compare_gint64);
  g_test_message ("figure: card seen -> card-read (the read, %s): median %.1f ms, max %.1f ms",
                  "11 APDUs", reading[LATENCY_ROUNDS / 2] / 1000.0,
                  reading[LATENCY_ROUNDS - 1] / 1000.0);
}

static void
test_broken_card_fails_once (void)
{
  guint failed = rig.n_failed;
  guint read = rig.n_read;

  insert ("status-error");
  g_assert_true (wait_for (&rig.n_failed, failed + 1));
  g_assert_error (rig.last_error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_STATUS);
  /* Once per insertion: nothing more while it stays in. */
  g_usleep (500 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (rig.n_failed, ==, failed + 1);
  remove_card ();

  insert ("disappears");
  g_assert_true (wait_for (&rig.n_failed, failed + 2));
  g_assert_error (rig.last_error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT);
  /* The card closed its connection itself: vpcd reports it removed. */
  g_assert_true (wait_for (&rig.n_removed, rig.n_removed + 1));
  card_command ("remove");
  g_assert_cmpuint (rig.n_read, ==, read);
}

/* pcscd killed and started again: the same reader reads the next card. */
static void
test_pcscd_restart (void)
{
  guint faults = rig.n_fault;
  guint read = rig.n_read;
  gint64 restarted;

  rig_pcscd ("kill");
  g_assert_true (wait_for (&rig.n_fault, faults + 1));
  g_assert_true (g_str_has_prefix (linli_device_get_detail (rig.reader), "pcscd"));

  rig_pcscd ("restart");
  restarted = g_get_monotonic_time ();
  g_assert_true (wait_for_state (LINLI_DEVICE_STATE_READY));
  g_test_message ("figure: pcscd started again -> reader READY: %.0f ms",
                  (g_get_monotonic_time () - restarted) / 1000.0);

  insert ("ouyang-wenhua");
  g_assert_true (wait_for (&rig.n_read, read + 1));
  g_assert_cmpstr (linli_identity_get_id_number (rig.last_identity), ==, "440306199208140537");
  g_assert_true (linli_identity_is_expired (rig.last_identity, NULL));
  remove_card ();
}

/* A card in the reader while pcscd restarts is read again afterwards. */
static void
test_pcscd_restart_with_card (void)
{
  guint read = rig.n_read;

  insert ("zhang-sanfeng");
  g_assert_true (wait_for (&rig.n_read, read + 1));

  rig_pcscd ("restart");
  /* vpcd came back on the same port: the card program reconnects. */
  insert ("zhang-sanfeng");
  g_assert_true (wait_for (&rig.n_read, read + 2));
  g_assert_cmpstr (linli_identity_get_id_number (rig.last_identity), ==, "11010519491231002X");
  remove_card ();
}

static void
test_stop (void)
{
  gint64 start = g_get_monotonic_time ();
  guint read = rig.n_read;

  linli_pcsc_reader_stop (LINLI_PCSC_READER (rig.reader));
  g_test_message ("figure: stop joined the monitor in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_false (linli_pcsc_reader_is_started (LINLI_PCSC_READER (rig.reader)));

  /* Stopped means stopped: a card now raises nothing. */
  insert ("zhang-sanfeng");
  g_usleep (800 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (rig.n_read, ==, read);
  card_command ("remove");
  /* Let pcscd's 400 ms poll see it go: a card swapped faster than that
   * (impossible by hand) finds vpcd's slot unpowered. */
  g_usleep (1000 * 1000);

  /* And a stopped reader starts again. */
  linli_pcsc_reader_start (LINLI_PCSC_READER (rig.reader));
  insert ("li-xiaomei");
  g_assert_true (wait_for (&rig.n_read, read + 1));
  g_clear_object (&rig.reader); /* dispose stops it */
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *port = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  port = g_strdup (env ("PCSC_RIG_PORT"));
  rig.card = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                               &error, "/usr/bin/python3", env ("VSSCARD"), "--port", port, NULL);
  g_assert_no_error (error);
  rig.card_input = g_subprocess_get_stdin_pipe (rig.card);

  g_test_add_func ("/pcsc-monitor/ready", test_ready);
  g_test_add_func ("/pcsc-monitor/read-and-remove", test_read_and_remove);
  g_test_add_func ("/pcsc-monitor/broken-card-fails-once", test_broken_card_fails_once);
  g_test_add_func ("/pcsc-monitor/pcscd-restart", test_pcscd_restart);
  g_test_add_func ("/pcsc-monitor/pcscd-restart-with-card", test_pcscd_restart_with_card);
  g_test_add_func ("/pcsc-monitor/stop", test_stop);

  status = g_test_run ();

  g_clear_object (&rig.reader);
  g_output_stream_close (rig.card_input, NULL, NULL);
  g_subprocess_wait (rig.card, NULL, NULL);
  g_clear_object (&rig.card);
  g_clear_pointer (&rig.last_identity, linli_identity_unref);
  g_clear_error (&rig.last_error);
  return status;
}
