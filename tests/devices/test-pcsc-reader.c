/* test-pcsc-reader.c: the PC/SC reader's probe against the real
 * libpcsclite, whether or not the system's pcscd runs (the test neither
 * starts nor stops it). The virtual-card rig comes with the card driver. */
#include <string.h>
#include <winscard.h>

#include "linli-pcsc-reader.h"
#include "probe-sync.h"

/* What pcscd says right now, asked directly: the probe must agree. */
static LinliDeviceState
expected_state (const char *reader_name)
{
  SCARDCONTEXT context;
  LPSTR readers = NULL;
  DWORD length = SCARD_AUTOALLOCATE;
  LinliDeviceState state = LINLI_DEVICE_STATE_ABSENT;
  LONG rv;

  if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
    return LINLI_DEVICE_STATE_FAULT;

  rv = SCardListReaders (context, NULL, (LPSTR) &readers, &length);
  if (rv == SCARD_S_SUCCESS)
    {
      for (const char *p = readers; *p != '\0'; p += strlen (p) + 1)
        if (reader_name[0] == '\0' || g_str_equal (p, reader_name))
          state = LINLI_DEVICE_STATE_READY;
      SCardFreeMemory (context, readers);
    }
  SCardReleaseContext (context);
  return state;
}

static void
test_any_reader (void)
{
  g_autoptr (LinliDevice) reader = linli_pcsc_reader_new (NULL);
  LinliDeviceState expected = expected_state ("");

  g_assert_cmpstr (linli_device_get_name (reader), ==, "PC/SC reader");
  g_assert_cmpint (linli_device_get_kind (reader), ==, LINLI_DEVICE_KIND_CARD_READER);
  g_assert_cmpstr (linli_pcsc_reader_get_reader_name (LINLI_PCSC_READER (reader)), ==, "");
  assert_probe_state (reader, expected);

  if (expected == LINLI_DEVICE_STATE_FAULT)
    g_assert_cmpstr (linli_device_get_detail (reader), ==, "pcscd is not running");
  else if (expected == LINLI_DEVICE_STATE_ABSENT)
    g_assert_cmpstr (linli_device_get_detail (reader), ==, "no PC/SC reader");
  else
    g_assert_true (strstr (linli_device_get_detail (reader), "reader") != NULL);
}

static void
test_named_reader_missing (void)
{
  g_autoptr (LinliDevice) reader = linli_pcsc_reader_new ("Linli No Such Reader 00 00");
  LinliDeviceState expected = expected_state ("Linli No Such Reader 00 00");

  g_assert_cmpint (expected, !=, LINLI_DEVICE_STATE_READY);
  assert_probe_state (reader, expected);
  if (expected == LINLI_DEVICE_STATE_ABSENT)
    g_assert_cmpstr (linli_device_get_detail (reader), ==,
                     "no PC/SC reader named \"Linli No Such Reader 00 00\"");
}

/* libpcsclite finds pcscd through PCSCLITE_CSOCK_NAME; pointing it at a
 * socket nobody serves is a real "pcscd not running", whatever the system
 * runs. The library caches the name, hence a fresh process. */
static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (LinliDevice) reader = NULL;

      g_setenv ("PCSCLITE_CSOCK_NAME", "/nonexistent/linli/pcscd.comm", TRUE);
      reader = linli_pcsc_reader_new ("");
      assert_probe_state (reader, LINLI_DEVICE_STATE_FAULT);
      g_assert_cmpstr (linli_device_get_detail (reader), ==, "pcscd is not running");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pcsc-reader/any-reader", test_any_reader);
  g_test_add_func ("/pcsc-reader/named-reader-missing", test_named_reader_missing);
  g_test_add_func ("/pcsc-reader/no-service", test_no_service);

  return g_test_run ();
}
