/* test-ga467-reader.c: the resident-ID reader's serial-port probe, against a
 * real pseudo-terminal (the transport the simulated reader will use). */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "linli-ga467-reader.h"
#include "probe-sync.h"

static void
test_missing_port (void)
{
  g_autoptr (LinliDevice) reader = linli_ga467_reader_new ("/dev/linli-no-such-tty");

  g_assert_cmpstr (linli_device_get_name (reader), ==, "ID card reader (/dev/linli-no-such-tty)");
  g_assert_cmpint (linli_device_get_kind (reader), ==, LINLI_DEVICE_KIND_ID_READER);
  assert_probe_state (reader, LINLI_DEVICE_STATE_ABSENT);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, "no such device");
}

static void
test_pseudo_terminal (void)
{
  g_autoptr (LinliDevice) reader = NULL;
  int master = posix_openpt (O_RDWR | O_NOCTTY);

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);

  reader = linli_ga467_reader_new (ptsname (master));
  assert_probe_state (reader, LINLI_DEVICE_STATE_READY);
  g_assert_cmpstr (linli_device_get_detail (reader), ==,
                   "serial port opened; reader protocol not checked yet");
  close (master);
}

static void
test_not_a_tty (void)
{
  g_autoptr (LinliDevice) reader = linli_ga467_reader_new ("/dev/null");

  assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, "not a serial port");
}

static void
test_open_fails (void)
{
  g_autoptr (LinliDevice) reader = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-ga467-XXXXXX", NULL);

  /* A directory cannot be opened read-write, even by root. */
  g_assert_nonnull (dir);
  reader = linli_ga467_reader_new (dir);
  assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (reader), ==, g_strerror (EISDIR));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ga467-reader/missing-port", test_missing_port);
  g_test_add_func ("/ga467-reader/pseudo-terminal", test_pseudo_terminal);
  g_test_add_func ("/ga467-reader/not-a-tty", test_not_a_tty);
  g_test_add_func ("/ga467-reader/open-fails", test_open_fails);

  return g_test_run ();
}
