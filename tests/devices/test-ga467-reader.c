/* test-ga467-reader.c: the resident-ID reader over a real pseudo-terminal,
 * against tests/rigs/ga467-sim.py speaking GA/T 467: probes, the polling
 * worker's signals (card placed, lifted, unreadable), fault and recovery
 * when the simulated reader is killed and started again (a replug), and
 * the one-shot read of linli-diag read-id. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "linli-ga467-frame.h"
#include "linli-ga467-reader.h"
#include "linli-ga467-serial.h"
#include "probe-sync.h"

#define PYTHON  "/usr/bin/python3"
#define POLL_MS 50

/* --- the simulator ------------------------------------------------------ */

typedef struct
{
  char *dir;
  char *link;    /* the "serial port" the reader opens */
  char *control; /* FIFO: place / lift / fault */
  GSubprocess *process;
} Sim;

static gboolean
sim_available (void)
{
  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (PYTHON " not installed");
      return FALSE;
    }
  return TRUE;
}

/* Starts (or restarts, on the same link and FIFO) the simulator and waits
 * until its pty is there. */
static void
sim_start (Sim *sim, const char *card, const char *fault)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "rigs", "ga467-sim.py", NULL);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  if (sim->dir == NULL)
    {
      sim->dir = g_dir_make_tmp ("linli-ga467-XXXXXX", &error);
      g_assert_no_error (error);
      sim->link = g_build_filename (sim->dir, "ttyGA467", NULL);
      sim->control = g_build_filename (sim->dir, "control", NULL);
    }
  g_ptr_array_add (args, (gpointer) PYTHON);
  g_ptr_array_add (args, script);
  g_ptr_array_add (args, (gpointer) "--link");
  g_ptr_array_add (args, sim->link);
  g_ptr_array_add (args, (gpointer) "--control");
  g_ptr_array_add (args, sim->control);
  g_ptr_array_add (args, (gpointer) "--card");
  g_ptr_array_add (args, (gpointer) card);
  if (fault != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--fault");
      g_ptr_array_add (args, (gpointer) fault);
    }
  g_ptr_array_add (args, NULL);

  sim->process = g_subprocess_newv ((const char *const *) args->pdata,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PTY "));
}

static void
sim_kill (Sim *sim)
{
  if (sim->process == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
}

static void
sim_control (Sim *sim, const char *command)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  int fd = open (sim->control, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, line, strlen (line)), ==, (gssize) strlen (line));
  close (fd);
}

static void
sim_clear (Sim *sim)
{
  sim_kill (sim);
  if (sim->dir != NULL)
    {
      g_unlink (sim->link);
      g_unlink (sim->control);
      g_rmdir (sim->dir);
    }
  g_free (sim->dir);
  g_free (sim->link);
  g_free (sim->control);
}

/* --- what the reader says ----------------------------------------------- */

typedef struct
{
  guint n_read;
  guint n_removed;
  guint n_failed;
  LinliIdentity *identity; /* the last one read */
  GError *error;           /* the last failure */
  gint64 read_at;          /* monotonic time of the last card-read */
} Events;

static void
on_card_read (LinliGa467Reader *reader, LinliIdentity *identity, Events *events)
{
  g_clear_pointer (&events->identity, linli_identity_unref);
  events->identity = linli_identity_ref (identity);
  events->read_at = g_get_monotonic_time ();
  events->n_read++;
}

static void
on_card_removed (LinliGa467Reader *reader, Events *events)
{
  events->n_removed++;
}

static void
on_card_failed (LinliGa467Reader *reader, GError *error, Events *events)
{
  g_clear_error (&events->error);
  events->error = g_error_copy (error);
  events->n_failed++;
}

static void
events_clear (Events *events)
{
  g_clear_pointer (&events->identity, linli_identity_unref);
  g_clear_error (&events->error);
}

static void
connect_events (LinliDevice *reader, Events *events)
{
  g_signal_connect (reader, "card-read", G_CALLBACK (on_card_read), events);
  g_signal_connect (reader, "card-removed", G_CALLBACK (on_card_removed), events);
  g_signal_connect (reader, "card-failed", G_CALLBACK (on_card_failed), events);
}

/* Runs the main context until *@counter reaches @value, for @seconds at
 * most. */
static gboolean
wait_count (guint *counter, guint value, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (*counter < value && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  return *counter >= value;
}

static gboolean
wait_state (LinliDevice *reader, LinliDeviceState state, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (linli_device_get_state (reader) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_test_message ("%s: %s", linli_device_state_to_string (linli_device_get_state (reader)),
                  linli_device_get_detail (reader));
  return linli_device_get_state (reader) == state;
}

/* Lets queued events arrive, for checking that nothing more came. */
static void
settle (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

/* --- probes without a simulator ----------------------------------------- */

static void
test_missing_port (void)
{
  g_autoptr (LinliDevice) reader = linli_ga467_reader_new ("/dev/linli-no-such-tty");

  g_assert_cmpstr (linli_device_get_name (reader), ==, "ID card reader (/dev/linli-no-such-tty)");
  g_assert_cmpint (linli_device_get_kind (reader), ==, LINLI_DEVICE_KIND_ID_READER);
  assert_probe_state (reader, LINLI_DEVICE_STATE_ABSENT);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, "no such device: /dev/linli-no-such-tty");
}

static void
test_not_a_tty (void)
{
  g_autoptr (LinliDevice) reader = linli_ga467_reader_new ("/dev/null");

  assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, "/dev/null is not a serial port");
}

static void
test_open_fails (void)
{
  g_autoptr (LinliDevice) reader = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-ga467-XXXXXX", NULL);
  g_autofree char *expected = NULL;

  /* A directory cannot be opened read-write, even by root. */
  g_assert_nonnull (dir);
  reader = linli_ga467_reader_new (dir);
  assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
  expected = g_strdup_printf ("cannot open %s: %s", dir, g_strerror (EISDIR));
  g_assert_cmpstr (linli_device_get_detail (reader), ==, expected);
  g_rmdir (dir);
}

/* A serial port with nothing GA/T 467 behind it: a pty nobody answers. */
static void
test_silent_port (void)
{
  g_autoptr (LinliDevice) reader = NULL;
  int master = posix_openpt (O_RDWR | O_NOCTTY);

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);

  reader = linli_ga467_reader_new (ptsname (master));
  assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (reader), "no answer from the reader"));
  close (master);
}

/* --- against the simulator ---------------------------------------------- */

static void
test_probe_sim (void)
{
  Sim sim = { 0 };
  g_autoptr (LinliDevice) reader = NULL;
  g_autofree char *expected = NULL;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  reader = linli_ga467_reader_new (sim.link);
  assert_probe_state (reader, LINLI_DEVICE_STATE_READY);
  expected = g_strdup_printf (
      "reader answers on serial %s; SAM 05.01-20101231-0012345678-1234567890", sim.link);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, expected);
  sim_clear (&sim);
}

static LinliDevice *
new_reader (Sim *sim)
{
  g_autoptr (LinliGa467Transport) transport = linli_ga467_serial_new (sim->link);

  return linli_ga467_reader_new_with_transport (transport, POLL_MS);
}

static void
test_place_and_lift (void)
{
  Sim sim = { 0 };
  Events events = { 0 };
  g_autoptr (LinliDevice) reader = NULL;
  g_autoptr (GDateTime) today = NULL;
  g_autofree char *source = NULL;
  gint64 placed_at, stop_at;
  GBytes *photo;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  reader = new_reader (&sim);
  connect_events (reader, &events);
  linli_ga467_reader_start (LINLI_GA467_READER (reader));
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_READY, 5));
  settle (200);
  g_assert_cmpuint (events.n_read + events.n_removed + events.n_failed, ==, 0);

  placed_at = g_get_monotonic_time ();
  sim_control (&sim, "place resident");
  g_assert_true (wait_count (&events.n_read, 1, 5));
  g_test_message ("card placed -> card-read: %.1f ms (poll every %d ms)",
                  (events.read_at - placed_at) / 1000.0, POLL_MS);
  g_assert_cmpint (linli_identity_get_card_type (events.identity), ==, LINLI_CARD_TYPE_RESIDENT_ID);
  g_assert_cmpstr (linli_identity_get_name (events.identity), ==, "王小明");
  g_assert_true (linli_identity_get_id_number_valid (events.identity));
  source = g_strdup_printf ("ga467 serial %s", sim.link);
  g_assert_cmpstr (linli_identity_get_source (events.identity), ==, source);
  photo = linli_identity_get_photo (events.identity);
  g_assert_nonnull (photo);
  g_assert_cmpuint (g_bytes_get_size (photo), ==, 1024);

  /* Still there: one placement, one card-read. */
  settle (300);
  g_assert_cmpuint (events.n_read, ==, 1);
  g_assert_cmpuint (events.n_removed, ==, 0);

  sim_control (&sim, "lift");
  g_assert_true (wait_count (&events.n_removed, 1, 5));

  sim_control (&sim, "place hkmt");
  g_assert_true (wait_count (&events.n_read, 2, 5));
  g_assert_cmpint (linli_identity_get_card_type (events.identity), ==,
                   LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT);
  sim_control (&sim, "lift");
  g_assert_true (wait_count (&events.n_removed, 2, 5));

  today = g_date_time_new_local (2024, 6, 1, 12, 0, 0);
  g_assert_false (linli_identity_is_expired (events.identity, today));

  /* Stop joins the worker quickly, whatever it was waiting for. */
  stop_at = g_get_monotonic_time ();
  linli_ga467_reader_stop (LINLI_GA467_READER (reader));
  g_test_message ("stop took %.1f ms", (g_get_monotonic_time () - stop_at) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - stop_at, <, 500 * 1000);
  g_assert_false (linli_ga467_reader_is_started (LINLI_GA467_READER (reader)));

  events_clear (&events);
  sim_clear (&sim);
}

/* An unreadable card: card-failed once for the placement, however long it
 * stays; card-removed when it goes; the next good card reads. */
static void
test_unreadable_card (void)
{
  const char *faults[] = { "status:41", "checksum", "truncate", "status:40" };
  Sim sim = { 0 };
  Events events = { 0 };
  g_autoptr (LinliDevice) reader = NULL;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  reader = new_reader (&sim);
  connect_events (reader, &events);
  linli_ga467_reader_start (LINLI_GA467_READER (reader));
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_READY, 5));

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *fault = g_strdup_printf ("fault %s", faults[i]);

      sim_control (&sim, fault);
      sim_control (&sim, "place resident");
      g_assert_true (wait_count (&events.n_failed, i + 1, 5));
      g_test_message ("%s: %s", faults[i], events.error->message);
      g_assert_true (events.error->domain == LINLI_GA467_ERROR);
      settle (300);
      g_assert_cmpuint (events.n_failed, ==, i + 1);
      g_assert_cmpuint (events.n_read, ==, 0);
      /* A lifted-mid-read card is gone already. */
      if (!g_str_equal (faults[i], "truncate"))
        sim_control (&sim, "lift");
      g_assert_true (wait_count (&events.n_removed, i + 1, 5));
    }
  /* The reader itself is fine throughout. */
  g_assert_cmpint (linli_device_get_state (reader), ==, LINLI_DEVICE_STATE_READY);

  sim_control (&sim, "fault none");
  sim_control (&sim, "place foreign");
  g_assert_true (wait_count (&events.n_read, 1, 5));
  g_assert_cmpint (linli_identity_get_card_type (events.identity), ==,
                   LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT);

  linli_ga467_reader_stop (LINLI_GA467_READER (reader));
  events_clear (&events);
  sim_clear (&sim);
}

/* The reader is unplugged (the simulator killed: its pty goes away) and
 * plugged in again (a new simulator, a new pty behind the same symlink). */
static void
test_fault_and_recovery (void)
{
  Sim sim = { 0 };
  Events events = { 0 };
  g_autoptr (LinliDevice) reader = NULL;
  gint64 restarted_at;

  if (!sim_available ())
    return;
  sim_start (&sim, "resident", NULL);
  reader = new_reader (&sim);
  connect_events (reader, &events);
  linli_ga467_reader_start (LINLI_GA467_READER (reader));
  g_assert_true (wait_count (&events.n_read, 1, 5));
  g_assert_cmpint (linli_device_get_state (reader), ==, LINLI_DEVICE_STATE_READY);

  sim_kill (&sim);
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_FAULT, 5));
  g_assert_true (g_str_has_suffix (linli_device_get_detail (reader), "retrying every 2 s"));
  /* The card went with the reader. */
  g_assert_true (wait_count (&events.n_removed, 1, 2));
  /* Still faulty on the next attempts: nobody there. */
  settle (2500);
  g_assert_cmpint (linli_device_get_state (reader), ==, LINLI_DEVICE_STATE_FAULT);
  g_test_message ("while unplugged: %s", linli_device_get_detail (reader));

  restarted_at = g_get_monotonic_time ();
  sim_start (&sim, "none", NULL);
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_READY, 5));
  g_test_message ("ready again %.0f ms after the replug",
                  (g_get_monotonic_time () - restarted_at) / 1000.0);
  sim_control (&sim, "place elder");
  g_assert_true (wait_count (&events.n_read, 2, 5));
  g_assert_cmpstr (linli_identity_get_valid_to (events.identity), ==, "long-term");
  g_assert_cmpuint (events.n_failed, ==, 0);

  linli_ga467_reader_stop (LINLI_GA467_READER (reader));
  events_clear (&events);
  sim_clear (&sim);
}

/* A reader that stops answering (but stays plugged in) is a fault too, and
 * recovers when it answers again. */
static void
test_silence (void)
{
  Sim sim = { 0 };
  Events events = { 0 };
  g_autoptr (LinliDevice) reader = NULL;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  reader = new_reader (&sim);
  connect_events (reader, &events);
  linli_ga467_reader_start (LINLI_GA467_READER (reader));
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_READY, 5));

  sim_control (&sim, "fault silence");
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_FAULT, 5));
  g_assert_true (g_str_has_prefix (linli_device_get_detail (reader), "no answer from the reader"));
  sim_control (&sim, "fault none");
  g_assert_true (wait_state (reader, LINLI_DEVICE_STATE_READY, 6));

  linli_ga467_reader_stop (LINLI_GA467_READER (reader));
  events_clear (&events);
  sim_clear (&sim);
}

static void
test_read_once (void)
{
  Sim sim = { 0 };
  g_autoptr (LinliDevice) reader = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  reader = new_reader (&sim);

  /* No card: the time-out, not longer. */
  start = g_get_monotonic_time ();
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), 300, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (identity);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
  g_clear_error (&error);

  sim_control (&sim, "place resident");
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linli_identity_get_birth_date (identity), ==, "1990-03-07");
  g_clear_pointer (&identity, linli_identity_unref);

  /* Not while the kiosk's worker owns the reader. */
  linli_ga467_reader_start (LINLI_GA467_READER (reader));
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), 100, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  linli_ga467_reader_stop (LINLI_GA467_READER (reader));

  /* A cancelled wait returns at once. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();

    sim_control (&sim, "lift");
    g_cancellable_cancel (cancellable);
    identity
        = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), 5000, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  sim_clear (&sim);
}

/* The kiosk and linli-diag must not talk to one reader at once. */
static void
test_port_locked (void)
{
  Sim sim = { 0 };
  g_autoptr (LinliDevice) kiosk = NULL;
  g_autoptr (LinliDevice) diag = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autoptr (GError) error = NULL;

  if (!sim_available ())
    return;
  sim_start (&sim, "none", NULL);
  kiosk = new_reader (&sim);
  linli_ga467_reader_start (LINLI_GA467_READER (kiosk));
  g_assert_true (wait_state (kiosk, LINLI_DEVICE_STATE_READY, 5));

  diag = new_reader (&sim);
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (diag), 100, NULL, &error);
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED);
  g_assert_true (g_str_has_suffix (error->message, "is in use by another program (the kiosk?)"));

  linli_ga467_reader_stop (LINLI_GA467_READER (kiosk));
  sim_clear (&sim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ga467-reader/missing-port", test_missing_port);
  g_test_add_func ("/ga467-reader/not-a-tty", test_not_a_tty);
  g_test_add_func ("/ga467-reader/open-fails", test_open_fails);
  g_test_add_func ("/ga467-reader/silent-port", test_silent_port);
  g_test_add_func ("/ga467-reader/probe-sim", test_probe_sim);
  g_test_add_func ("/ga467-reader/place-and-lift", test_place_and_lift);
  g_test_add_func ("/ga467-reader/unreadable-card", test_unreadable_card);
  g_test_add_func ("/ga467-reader/fault-and-recovery", test_fault_and_recovery);
  g_test_add_func ("/ga467-reader/silence", test_silence);
  g_test_add_func ("/ga467-reader/read-once", test_read_once);
  g_test_add_func ("/ga467-reader/port-locked", test_port_locked);

  return g_test_run ();
}
