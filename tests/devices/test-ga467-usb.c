/* test-ga467-usb.c: the libusb transport of the GA 467 reader against
 * devices that umockdev describes (tests/data/umockdev/), with the bulk
 * and interrupt transfers of real exchanges scripted in *.ioctl files.
 *
 * Run by meson under
 *   umockdev-run -d ga467-bulk.umockdev -d ga467-hid.umockdev
 *                -i /dev/bus/usb/001/002=ga467-bulk.ioctl
 *                -i /dev/bus/usb/001/003=ga467-pair.ioctl
 *                -i /dev/bus/usb/001/004=ga467-hid.ioctl
 *                -i /dev/bus/usb/001/005=ga467-responder.ioctl -- test-ga467-usb
 * Outside umockdev the device tests skip (there is no USB here).
 *
 * umockdev replays per open file: each open() of a device node starts the
 * script from its top again, so each test opens its own transport. */
#include "linli-ga467-usb.h"

#include "linli-ga467-reader.h"

#include <string.h>

#define TIMEOUT_MS 1000

/* A tiny frame builder of our own, so that this test does not depend on
 * the codec it is meant to carry. */
static GBytes *
command_frame (guint8 cmd, guint8 para)
{
  guint8 f[10] = { 0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, cmd, para, 0 };

  for (guint i = 5; i < 9; i++)
    f[9] ^= f[i];
  return g_bytes_new (f, sizeof f);
}

static GBytes *
answer_frame (guint8 sw3, const guint8 *data, gsize length)
{
  GByteArray *f = g_byte_array_new ();
  static const guint8 preamble[] = { 0xaa, 0xaa, 0xaa, 0x96, 0x69 };
  guint8 head[5] = { (guint8) ((length + 4) >> 8), (guint8) (length + 4), 0, 0, sw3 };
  guint8 chk = 0;

  g_byte_array_append (f, preamble, sizeof preamble);
  g_byte_array_append (f, head, sizeof head);
  if (length > 0)
    g_byte_array_append (f, data, (guint) length);
  for (guint i = 5; i < f->len; i++)
    chk ^= f->data[i];
  g_byte_array_append (f, &chk, 1);
  return g_byte_array_free_to_bytes (f);
}

static GBytes *
load_base_answer (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "umockdev",
                                                 "ga467-base-answer.hex", NULL);
  g_autofree char *hex = NULL;
  g_autoptr (GError) error = NULL;
  GByteArray *bytes = g_byte_array_new ();

  g_file_get_contents (path, &hex, NULL, &error);
  g_assert_no_error (error);
  g_strstrip (hex);
  g_assert_cmpuint (strlen (hex) % 2, ==, 0);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (hex[i]) << 4 | g_ascii_xdigit_value (hex[i + 1]));
      g_byte_array_append (bytes, &b, 1);
    }
  return g_byte_array_free_to_bytes (bytes);
}

static gboolean
have_umockdev (void)
{
  if (g_getenv ("UMOCKDEV_DIR") != NULL)
    return TRUE;
  g_test_skip ("not under umockdev-run: no USB devices here");
  return FALSE;
}

static LinliGa467Transport *
open_reader (guint16 vid, guint16 pid)
{
  g_autoptr (GError) error = NULL;
  LinliGa467Transport *t = linli_ga467_usb_new (vid, pid);

  gboolean ok = linli_ga467_transport_open (t, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return t;
}

static void
write_frame (LinliGa467Transport *t, GBytes *frame)
{
  g_autoptr (GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (frame, &length);

  gboolean ok = linli_ga467_transport_write (t, data, length, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Reads one frame @chunk bytes at most per call, so that the transport's
 * leftovers are handed out across calls. */
static GBytes *
read_frame (LinliGa467Transport *t, gsize chunk)
{
  GByteArray *f = g_byte_array_new ();
  gsize want = 7;

  while (f->len < want)
    {
      g_autoptr (GError) error = NULL;
      guint8 buffer[2048];
      gssize n
          = linli_ga467_transport_read (t, buffer, MIN (chunk, want - f->len), TIMEOUT_MS, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (f, buffer, (guint) n);
      if (want == 7 && f->len >= 7)
        want = 7 + ((gsize) f->data[5] << 8 | f->data[6]);
    }
  return g_byte_array_free_to_bytes (f);
}

static void
exchange (LinliGa467Transport *t, guint8 cmd, guint8 para, GBytes *expected, gsize chunk)
{
  g_autoptr (GBytes) request = command_frame (cmd, para);
  g_autoptr (GBytes) reply = NULL;

  write_frame (t, request);
  reply = read_frame (t, chunk);
  g_assert_true (g_bytes_equal (reply, expected));
}

static void
test_parse_id (void)
{
  struct
  {
    const char *text;
    gboolean ok;
    guint16 vid, pid;
  } cases[] = {
    { "0400:c35a", TRUE, 0x0400, 0xc35a },
    { "0400:C35A", TRUE, 0x0400, 0xc35a },
    { " 0316:5020\n", TRUE, 0x0316, 0x5020 },
    { "1:2", TRUE, 0x0001, 0x0002 },
    { "", FALSE },
    { "0400", FALSE },
    { "0400:", FALSE },
    { ":c35a", FALSE },
    { "04000:c35a", FALSE },
    { "0400:c35a:1", FALSE },
    { "0x400:c35a", FALSE },
    { "zz00:c35a", FALSE },
    { "0400 c35a", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint16 vid = 0, pid = 0;
      gboolean ok = linli_ga467_usb_parse_id (cases[i].text, &vid, &pid, &error);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmphex (vid, ==, cases[i].vid);
          g_assert_cmphex (pid, ==, cases[i].pid);
        }
      else
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_known_readers (void)
{
  const LinliGa467UsbKnownReader *r = linli_ga467_usb_lookup_known_reader (0x0400, 0xc35a);
  gsize n = 0;

  g_assert_nonnull (r);
  g_assert_cmpint (r->endpoints, ==, LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT);
  g_assert_nonnull (linli_ga467_usb_lookup_known_reader (0x0316, 0x5020));
  g_assert_null (linli_ga467_usb_lookup_known_reader (0xffff, 0x0468));
  for (r = linli_ga467_usb_get_known_readers (); r->name != NULL; r++)
    n++;
  g_assert_cmpuint (n, ==, 2);
}

static void
test_closed (void)
{
  g_autoptr (LinliGa467Transport) t = linli_ga467_usb_new (0x0400, 0xc35a);
  g_autoptr (GError) error = NULL;
  guint8 byte = 0;

  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb 0400:c35a");
  g_assert_null (linli_ga467_usb_describe_endpoints (LINLI_GA467_USB (t)));
  g_assert_cmpint (linli_ga467_transport_read (t, &byte, 1, 10, &error), ==, -1);
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_GONE);
}

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_not_found (void)
{
  g_autoptr (LinliGa467Transport) t = NULL;
  guint fds;

  if (!have_umockdev ())
    return;

  t = linli_ga467_usb_new (0x0400, 0xc35b);
  fds = count_fds ();
  /* The reader's retry loop calls open() again and again: it must give
   * back everything each time. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (linli_ga467_transport_open (t, &error));
      g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND);
    }
  g_assert_cmpuint (count_fds (), ==, fds);
  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb 0400:c35b");
}

static void
test_split_open (void)
{
  g_autoptr (LinliGa467Transport) t = NULL;
  LinliGa467Usb *usb;

  if (!have_umockdev ())
    return;

  t = open_reader (0x0400, 0xc35a);
  usb = LINLI_GA467_USB (t);
  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb 0400:c35a bus 1 device 2");
  g_assert_cmpint (linli_ga467_usb_get_endpoints (usb), ==, LINLI_GA467_USB_ENDPOINTS_BULK_SPLIT);
  g_assert_cmpstr (linli_ga467_usb_describe_endpoints (usb), ==,
                   "bulk-split out 0x02+0x06 in 0x81+0x85, 64-byte packets, interface 0");
  linli_ga467_transport_close (t);
  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb 0400:c35a");
  g_assert_null (linli_ga467_usb_describe_endpoints (usb));
}

static void
test_split_exchange (void)
{
  static const guint8 found[4] = { 0 };
  static const guint8 serial[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) no_card = answer_frame (0x80, NULL, 0);
  g_autoptr (GBytes) card = answer_frame (0x9f, found, sizeof found);
  g_autoptr (GBytes) selected = answer_frame (0x90, serial, sizeof serial);
  g_autoptr (GBytes) base = load_base_answer ();
  g_autoptr (GBytes) sam_id = command_frame (0x12, 0xff);
  g_autoptr (GError) error = NULL;
  const guint8 *b;
  gsize length;
  guint8 chk = 0;
  guint8 byte;

  if (!have_umockdev ())
    return;

  /* The fixture is what PROTOCOLS.md §1 says a base-message answer is. */
  b = g_bytes_get_data (base, &length);
  g_assert_cmpuint (length, ==, 1295);
  g_assert_cmphex (b[5] << 8 | b[6], ==, 0x0508);
  g_assert_cmphex (b[9], ==, 0x90);
  for (gsize i = 5; i < length; i++)
    chk ^= b[i];
  g_assert_cmphex (chk, ==, 0);

  t = open_reader (0x0400, 0xc35a);
  exchange (t, 0x20, 0x01, no_card, 1);
  exchange (t, 0x20, 0x01, card, 3);
  exchange (t, 0x20, 0x02, selected, 64);
  exchange (t, 0x30, 0x01, base, 100);

  /* The scripted reader stalls its IN endpoint on "read SAM id". */
  write_frame (t, sam_id);
  g_assert_cmpint (linli_ga467_transport_read (t, &byte, 1, TIMEOUT_MS, &error), ==, -1);
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED);
}

static void
test_split_bad_writes (void)
{
  static const guint8 runt[5] = { 0xaa, 0xaa, 0xaa, 0x96, 0x69 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) reset = command_frame (0x10, 0xff);
  g_autoptr (GError) error = NULL;

  if (!have_umockdev ())
    return;

  t = open_reader (0x0400, 0xc35a);
  /* Too short to be split into header and body. */
  g_assert_false (linli_ga467_transport_write (t, runt, sizeof runt, TIMEOUT_MS, &error));
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED);
  g_clear_error (&error);

  /* A frame the script does not know: umockdev refuses the URB, libusb
   * reports an I/O error. */
  g_assert_false (linli_ga467_transport_write (t, g_bytes_get_data (reset, NULL),
                                               g_bytes_get_size (reset), TIMEOUT_MS, &error));
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED);
}

static void
test_pair_exchange (void)
{
  static const guint8 found[4] = { 0 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) card = answer_frame (0x9f, found, sizeof found);
  g_autoptr (GBytes) base = load_base_answer ();

  if (!have_umockdev ())
    return;

  t = open_reader (0xffff, 0x0468);
  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb ffff:0468 bus 1 device 3");
  g_assert_cmpint (linli_ga467_usb_get_endpoints (LINLI_GA467_USB (t)), ==,
                   LINLI_GA467_USB_ENDPOINTS_BULK);
  g_assert_cmpstr (linli_ga467_usb_describe_endpoints (LINLI_GA467_USB (t)), ==,
                   "bulk out 0x01 in 0x81, 64-byte packets, interface 0");
  exchange (t, 0x20, 0x01, card, 7);
  exchange (t, 0x30, 0x01, base, 2048);
}

static void
test_pair_gone_and_back (void)
{
  static const guint8 found[4] = { 0 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) card = answer_frame (0x9f, found, sizeof found);
  g_autoptr (GBytes) select = command_frame (0x20, 0x02);
  g_autoptr (GError) error = NULL;
  guint8 byte;
  guint fds;

  if (!have_umockdev ())
    return;

  fds = count_fds ();
  t = open_reader (0xffff, 0x0468);
  exchange (t, 0x20, 0x01, card, 64);

  /* The script answers "select" with -ENODEV: the reader was pulled out. */
  write_frame (t, select);
  g_assert_cmpint (linli_ga467_transport_read (t, &byte, 1, TIMEOUT_MS, &error), ==, -1);
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_GONE);
  g_clear_error (&error);
  /* Everything was given back at once, and later calls fail cleanly. */
  g_assert_cmpuint (count_fds (), ==, fds);
  g_assert_cmpint (linli_ga467_transport_read (t, &byte, 1, TIMEOUT_MS, &error), ==, -1);
  g_assert_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_GONE);
  g_clear_error (&error);

  /* "Plugged back in": open() enumerates again and finds it. */
  gboolean ok = linli_ga467_transport_open (t, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (linli_ga467_transport_describe (t), ==, "usb ffff:0468 bus 1 device 3");
  exchange (t, 0x20, 0x01, card, 64);
}

static void
test_hid_exchange (void)
{
  static const guint8 found[4] = { 0 };
  static const guint8 serial[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) no_card = answer_frame (0x80, NULL, 0);
  g_autoptr (GBytes) card = answer_frame (0x9f, found, sizeof found);
  g_autoptr (GBytes) selected = answer_frame (0x90, serial, sizeof serial);

  if (!have_umockdev ())
    return;

  t = open_reader (0xffff, 0x0467);
  g_assert_cmpint (linli_ga467_usb_get_endpoints (LINLI_GA467_USB (t)), ==,
                   LINLI_GA467_USB_ENDPOINTS_INTERRUPT);
  g_assert_cmpstr (linli_ga467_usb_describe_endpoints (LINLI_GA467_USB (t)), ==,
                   "interrupt out 0x01 in 0x81, 64/64-byte reports, interface 0");
  /* Requests go out as zero-padded 64-byte reports (the script checks
   * every byte); the answers' padding never reaches the caller. */
  exchange (t, 0x20, 0x01, no_card, 64);
  exchange (t, 0x20, 0x01, card, 64);
  exchange (t, 0x20, 0x02, selected, 5);
}

/* The responder script answers each command wherever it comes. */
static void
test_responder (void)
{
  static const guint8 found[4] = { 0 };
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (GBytes) card = answer_frame (0x9f, found, sizeof found);
  g_autoptr (GBytes) ok = answer_frame (0x90, NULL, 0);
  g_autoptr (GBytes) base = load_base_answer ();

  if (!have_umockdev ())
    return;

  t = open_reader (0xffff, 0x0469);
  exchange (t, 0x30, 0x01, base, 512);
  exchange (t, 0x20, 0x01, card, 64);
  exchange (t, 0x20, 0x01, card, 64);
  exchange (t, 0x11, 0xff, ok, 64);
  exchange (t, 0x30, 0x01, base, 512);
}

/* The whole reader over the scripted USB reader: open (SAM id), find,
 * select, read base message, decode. */
static void
test_reader_identity (void)
{
  g_autoptr (LinliGa467Transport) t = NULL;
  g_autoptr (LinliDevice) reader = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  GBytes *photo;

  if (!have_umockdev ())
    return;

  t = linli_ga467_usb_new (0xffff, 0x0469);
  reader = linli_ga467_reader_new_with_transport (t, 0);
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);
  /* The fixture's fictitious resident (make-ga467-fixtures.py). */
  g_assert_cmpint (linli_identity_get_card_type (identity), ==, LINLI_CARD_TYPE_RESIDENT_ID);
  g_assert_cmpstr (linli_identity_get_name (identity), ==, "王小红");
  g_assert_cmpstr (linli_identity_get_id_number (identity), ==, "11010519491231002X");
  g_assert_true (linli_identity_get_id_number_valid (identity));
  g_assert_cmpstr (linli_identity_get_birth_date (identity), ==, "1949-12-31");
  g_assert_cmpstr (linli_identity_get_valid_to (identity), ==, "2040-01-01");
  photo = linli_identity_get_photo (identity);
  g_assert_nonnull (photo);
  g_assert_cmpuint (g_bytes_get_size (photo), ==, 1024);
}

static void
test_reopen_cost (void)
{
  g_autoptr (LinliGa467Transport) t = NULL;
  gint64 start;
  guint fds;

  if (!have_umockdev ())
    return;

  t = linli_ga467_usb_new (0x0400, 0xc35a);
  fds = count_fds ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GError) error = NULL;

      gboolean ok = linli_ga467_transport_open (t, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  g_test_message ("open() takes %.1f ms under umockdev",
                  (double) (g_get_monotonic_time () - start) / 20 / 1000);
  linli_ga467_transport_close (t);
  g_assert_cmpuint (count_fds (), ==, fds);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ga467-usb/parse-id", test_parse_id);
  g_test_add_func ("/ga467-usb/known-readers", test_known_readers);
  g_test_add_func ("/ga467-usb/closed", test_closed);
  g_test_add_func ("/ga467-usb/not-found", test_not_found);
  g_test_add_func ("/ga467-usb/split/open", test_split_open);
  g_test_add_func ("/ga467-usb/split/exchange", test_split_exchange);
  g_test_add_func ("/ga467-usb/split/bad-writes", test_split_bad_writes);
  g_test_add_func ("/ga467-usb/pair/exchange", test_pair_exchange);
  g_test_add_func ("/ga467-usb/pair/gone-and-back", test_pair_gone_and_back);
  g_test_add_func ("/ga467-usb/hid/exchange", test_hid_exchange);
  g_test_add_func ("/ga467-usb/split/responder", test_responder);
  g_test_add_func ("/ga467-usb/reopen-cost", test_reopen_cost);
  g_test_add_func ("/ga467-usb/reader/identity", test_reader_identity);

  return g_test_run ();
}
