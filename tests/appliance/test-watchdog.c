/* test-watchdog.c — LinliWatchdog's sd_notify messages, received on a
 * real NOTIFY_SOCKET datagram socket the way systemd receives them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-watchdog.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <unistd.h>

typedef struct
{
  char *dir;
  GSocket *socket;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GSocketAddress) address = NULL;

  fixture->dir = g_dir_make_tmp ("linli-watchdog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "notify", NULL);
  fixture->socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_socket_bind (fixture->socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (fixture->socket, FALSE);
  g_setenv ("NOTIFY_SOCKET", path, TRUE);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "notify", NULL);

  linli_watchdog_stopping ();
  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("WATCHDOG_USEC");
  g_unsetenv ("WATCHDOG_PID");
  g_clear_object (&fixture->socket);
  g_unlink (path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Every message waiting on the socket, each as one string. */
static GPtrArray *
drain (Fixture *fixture)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  char buffer[512];
  gssize n;

  while ((n = g_socket_receive (fixture->socket, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
    {
      buffer[n] = '\0';
      g_ptr_array_add (messages, g_strdup (buffer));
    }
  return messages;
}

static guint
count (GPtrArray *messages, const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    if (strstr (g_ptr_array_index (messages, i), needle) != NULL)
      n++;
  return n;
}

static void
run_main_loop (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add_once (ms, (GSourceOnceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);
}

static void
set_watchdog (guint64 usec, pid_t pid)
{
  g_autofree char *usec_text = g_strdup_printf ("%" G_GUINT64_FORMAT, usec);
  g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);

  g_setenv ("WATCHDOG_USEC", usec_text, TRUE);
  g_setenv ("WATCHDOG_PID", pid_text, TRUE);
}

/* Pings at half the interval, from the main loop only; ready once;
 * stopping ends the pings. */
static void
test_pings (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) running = NULL;
  g_autoptr (GPtrArray) stopped = NULL;

  set_watchdog (200000, getpid ());
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 200000);
  linli_watchdog_start ();
  first = drain (fixture);
  /* One ping at once, before the first frame. */
  g_assert_cmpuint (count (first, "WATCHDOG=1"), ==, 1);
  g_assert_cmpuint (count (first, "READY=1"), ==, 0);

  linli_watchdog_ready ();
  linli_watchdog_ready ();
  /* No main loop turning: no pings, however long it takes (a hang). */
  g_usleep (350000);
  running = drain (fixture);
  g_assert_cmpuint (count (running, "READY=1"), ==, 1);
  g_assert_cmpuint (count (running, "WATCHDOG=1"), ==, 0);

  /* 550 ms of main loop at 100 ms per ping: about five (timers may be
   * late on a loaded machine, never early). */
  run_main_loop (550);
  g_ptr_array_unref (running);
  running = drain (fixture);
  g_assert_cmpuint (count (running, "WATCHDOG=1"), >=, 2);
  g_assert_cmpuint (count (running, "WATCHDOG=1"), <=, 6);

  linli_watchdog_stopping ();
  run_main_loop (250);
  stopped = drain (fixture);
  g_assert_cmpuint (count (stopped, "STOPPING=1"), ==, 1);
  g_assert_cmpuint (count (stopped, "WATCHDOG=1"), ==, 0);
}

/* Under cage, WATCHDOG_PID names cage, the kiosk's parent: accepted. A
 * watchdog meant for some other process is not ours. */
static void
test_pid (Fixture *fixture, gconstpointer data)
{
  set_watchdog (3000000, getppid ());
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 3000000);
  set_watchdog (3000000, getpid ());
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 3000000);
  /* PID 1 is neither us nor (in a test run) our parent. */
  g_assert_cmpint (getppid (), !=, 1);
  set_watchdog (3000000, 1);
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 0);
  g_setenv ("WATCHDOG_PID", "cage", TRUE);
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 0);
  g_unsetenv ("WATCHDOG_PID");
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 3000000);
  g_setenv ("WATCHDOG_USEC", "0", TRUE);
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 0);
  g_unsetenv ("WATCHDOG_USEC");
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 0);

  /* Without a watchdog the kiosk still says it is ready, and pings nothing. */
  linli_watchdog_start ();
  run_main_loop (100);
  linli_watchdog_ready ();
  {
    g_autoptr (GPtrArray) messages = drain (fixture);

    g_assert_cmpuint (count (messages, "WATCHDOG=1"), ==, 0);
    g_assert_cmpuint (count (messages, "STATUS=Starting"), ==, 1);
  }
}

/* Outside systemd (no NOTIFY_SOCKET) nothing is sent and nothing fails. */
static void
test_no_socket (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) messages = NULL;

  g_unsetenv ("NOTIFY_SOCKET");
  set_watchdog (100000, getpid ());
  g_assert_cmpuint (linli_watchdog_interval_usec (), ==, 0);
  linli_watchdog_start ();
  linli_watchdog_status ("Idle");
  run_main_loop (250);
  messages = drain (fixture);
  g_assert_cmpuint (messages->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/watchdog/pings", Fixture, NULL, fixture_set_up, test_pings, fixture_tear_down);
  g_test_add ("/watchdog/pid", Fixture, NULL, fixture_set_up, test_pid, fixture_tear_down);
  g_test_add ("/watchdog/no-socket", Fixture, NULL, fixture_set_up, test_no_socket,
              fixture_tear_down);
  return g_test_run ();
}
