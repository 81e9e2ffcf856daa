/* test-usb-inventory.c: LinliUsbInventory against USB devices that a
 * umockdev testbed in this process describes, adds and removes while the
 * inventory runs (libusb sees them through umockdev's preload, its hotplug
 * events through umockdev's emulated uevent socket).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by meson under umockdev-wrapper (which preloads libumockdev-preload);
 * without it the device tests skip, since there is no USB here.
 */
#include "linli-usb-inventory.h"

#include <umockdev.h>

/* Generous: each wait ends as soon as the inventory reports. */
#define WAIT_SECONDS 10

/* The root hub in a description's P: line; its sysfs path has /sys before it. */
#define DEV_ROOT "/devices/pci0000:00/0000:00:14.0/usb1"

typedef struct
{
  guint16 vendor_id;
  guint16 product_id;
  guint8 device_class;
  guint port;   /* 1-PORT in sysfs */
  guint devnum; /* /dev/bus/usb/001/DEVNUM */
} FakeDevice;

/* The host controller and its root hub (class 9: never listed). */
static const char root_hub[]
    = "P: " DEV_ROOT "\n"
      "N: bus/usb/001/001=12010002090000406B1D020000010000000109021900010100E0000904000001090000"
      "00070581030400FF\n"
      "E: BUSNUM=001\n"
      "E: DEVNAME=/dev/bus/usb/001/001\n"
      "E: DEVNUM=001\n"
      "E: DEVTYPE=usb_device\n"
      "E: DRIVER=usb\n"
      "E: PRODUCT=1d6b/2/600\n"
      "E: SUBSYSTEM=usb\n"
      "A: bConfigurationValue=1\n"
      "A: bDeviceClass=09\n"
      "A: bNumConfigurations=1\n"
      "A: busnum=1\\n\n"
      "A: devnum=1\\n\n"
      "A: dev=189:0\n"
      "H: descriptors=12010002090000406B1D020000010000000109021900010100E000090400000109000000"
      "070581030400FF\n"
      "A: idProduct=0002\n"
      "A: idVendor=1d6b\n"
      "A: speed=480\n"
      "\n"
      "P: /devices/pci0000:00/0000:00:14.0\n"
      "E: DRIVER=xhci_hcd\n"
      "E: SUBSYSTEM=pci\n"
      "A: class=0x0c0330\n"
      "A: vendor=0x8086\n"
      "A: device=0x8c31\n";

static char *
sys_path (const FakeDevice *d)
{
  return g_strdup_printf ("/sys" DEV_ROOT "/1-%u", d->port);
}

/* A umockdev description of @d: its device descriptor (no strings) and one
 * configuration with one interface of the device's class and no
 * endpoints, which is all that enumeration reads. */
static char *
describe (const FakeDevice *d)
{
  g_autofree char *descriptors = g_strdup_printf (
      "12010002%02X000040%02X%02X%02X%02X000100000001" /* device */
      "09021200010100803209"                           /* configuration */
      "0904000000%02X000000",                          /* interface */
      d->device_class, d->vendor_id & 0xff, d->vendor_id >> 8, d->product_id & 0xff,
      d->product_id >> 8, d->device_class != 0 ? d->device_class : 0xff);

  return g_strdup_printf ("P: " DEV_ROOT "/1-%u\n"
                          "N: bus/usb/001/%03u=%s\n"
                          "E: BUSNUM=001\n"
                          "E: DEVNAME=/dev/bus/usb/001/%03u\n"
                          "E: DEVNUM=%03u\n"
                          "E: DEVTYPE=usb_device\n"
                          "E: DRIVER=usb\n"
                          "E: PRODUCT=%x/%x/100\n"
                          "E: SUBSYSTEM=usb\n"
                          "A: bConfigurationValue=1\n"
                          "A: bDeviceClass=%02x\n"
                          "A: bNumConfigurations=1\n"
                          "A: busnum=1\\n\n"
                          "A: devnum=%u\\n\n"
                          "A: dev=189:%u\n"
                          "H: descriptors=%s\n"
                          "A: idProduct=%04x\n"
                          "A: idVendor=%04x\n"
                          "A: speed=480\n",
                          d->port, d->devnum, descriptors, d->devnum, d->devnum, d->vendor_id,
                          d->product_id, d->device_class, d->devnum, d->devnum - 1, descriptors,
                          d->product_id, d->vendor_id);
}

static const FakeDevice reader = { 0x0400, 0xc35a, 0x00, 1, 2 };
static const FakeDevice printer = { 0x0fe6, 0x811e, 0x00, 2, 3 };
static const FakeDevice hub = { 0x05e3, 0x0608, 0x09, 3, 4 };
static const FakeDevice stranger = { 0xffff, 0x1234, 0x00, 4, 5 };
static const FakeDevice keypad = { 0x04d9, 0x1203, 0x00, 5, 6 };

typedef struct
{
  UMockdevTestbed *testbed;
  LinliUsbInventory *inventory;
  guint changed;
} Fixture;

static void
on_changed (LinliUsbInventory *inventory, gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->changed++;
}

static void
plug (Fixture *fixture, const FakeDevice *d)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *description = describe (d);

  /* umockdev sends the "add" uevent itself. */
  umockdev_testbed_add_from_string (fixture->testbed, description, &error);
  g_assert_no_error (error);
}

static void
unplug (Fixture *fixture, const FakeDevice *d)
{
  g_autofree char *path = sys_path (d);

  /* The event first: umockdev builds it from the device's sysfs entry. */
  umockdev_testbed_uevent (fixture->testbed, path, "remove");
  umockdev_testbed_remove_device (fixture->testbed, path);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* umockdev_in_mock_environment() only turns true once a testbed exists. */
  if (g_strrstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "libumockdev-preload")
      == NULL)
    {
      g_test_skip ("not under umockdev-wrapper: no USB devices here");
      return;
    }
  fixture->testbed = umockdev_testbed_new ();
  umockdev_testbed_add_from_string (fixture->testbed, root_hub, &error);
  g_assert_no_error (error);
  fixture->inventory = linli_usb_inventory_new ();
  g_signal_connect (fixture->inventory, "changed", G_CALLBACK (on_changed), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->inventory != NULL)
    g_assert_finalize_object (fixture->inventory);
  g_clear_object (&fixture->testbed);
}

static void
set_role (Fixture *fixture, LinliUsbRole role, const char *ids)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (linli_usb_inventory_set_role_ids (fixture->inventory, role, ids, &error));
  g_assert_no_error (error);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (Fixture *fixture, gconstpointer data);

/* Runs the main context until @predicate holds; returns the milliseconds
 * since @since (a monotonic time). Fails the test after WAIT_SECONDS. */
static double
wait_since (Fixture *fixture, gint64 since, Predicate predicate, gconstpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (!predicate (fixture, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("the inventory did not report within %d s", WAIT_SECONDS);
  g_source_remove (id);
  return (double) (g_get_monotonic_time () - since) / 1000.0;
}

static void
wait_for (Fixture *fixture, Predicate predicate, gconstpointer data)
{
  wait_since (fixture, g_get_monotonic_time (), predicate, data);
}

static gboolean
is_ready (Fixture *fixture, gconstpointer data)
{
  return linli_usb_inventory_get_ready (fixture->inventory);
}

static void
start (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (linli_usb_inventory_start (fixture->inventory, &error));
  g_assert_no_error (error);
  wait_for (fixture, is_ready, NULL);
  g_assert_null (linli_usb_inventory_get_problem (fixture->inventory));
}

static LinliUsbDeviceInfo *
item (Fixture *fixture, guint position)
{
  /* The inventory keeps a reference as long as the list is unchanged. */
  g_autoptr (LinliUsbDeviceInfo) info
      = g_list_model_get_item (G_LIST_MODEL (fixture->inventory), position);

  g_assert_nonnull (info);
  return info;
}

static void
assert_item (LinliUsbDeviceInfo *info,
             LinliUsbRole role,
             LinliUsbDeviceState state,
             const char *id,
             guint8 address,
             const char *expected_ids)
{
  g_assert_cmpstr (linli_usb_role_to_string (linli_usb_device_info_get_role (info)), ==,
                   linli_usb_role_to_string (role));
  g_assert_cmpstr (linli_usb_device_state_to_string (linli_usb_device_info_get_state (info)), ==,
                   linli_usb_device_state_to_string (state));
  g_assert_cmpstr (linli_usb_device_info_get_id (info), ==, id);
  g_assert_cmpuint (linli_usb_device_info_get_bus (info), ==, address != 0 ? 1 : 0);
  g_assert_cmpuint (linli_usb_device_info_get_address (info), ==, address);
  g_assert_cmpstr (linli_usb_device_info_get_expected_ids (info), ==, expected_ids);
  /* These descriptions have no string descriptors. */
  g_assert_null (linli_usb_device_info_get_manufacturer (info));
  g_assert_null (linli_usb_device_info_get_product (info));
}

static guint
n_items (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->inventory));
}

static void
test_parse_ids (void)
{
  struct
  {
    const char *text;
    gboolean ok;
    guint n;
    guint32 first;
  } cases[] = {
    { "", TRUE, 0 },
    { " ; ", TRUE, 0 },
    { "0400:c35a", TRUE, 1, 0x0400c35a },
    { "0400:C35A;0316:5020", TRUE, 2, 0x0400c35a },
    { " 0316:5020 ; 0400:c35a ;", TRUE, 2, 0x03165020 },
    { "0400", FALSE },
    { "0400:c35a,0316:5020", FALSE },
    { "0400:c35a;zz", FALSE },
    { "0x0400:c35a", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GArray) ids = NULL;
      gboolean ok = linli_usb_inventory_parse_ids (cases[i].text, &ids, &error);

      g_test_message ("\"%s\"", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, LINLI_USB_INVENTORY_ERROR, LINLI_USB_INVENTORY_ERROR_INVALID_ID);
          g_assert_null (ids);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (ids->len, ==, cases[i].n);
      if (cases[i].n > 0)
        g_assert_cmphex (g_array_index (ids, guint32, 0), ==, cases[i].first);
    }
}

static void
test_role_names (void)
{
  g_assert_cmpstr (linli_usb_role_to_string (LINLI_USB_ROLE_ID_READER), ==, "id-reader");
  g_assert_cmpstr (linli_usb_role_to_string (LINLI_USB_ROLE_KEYPAD), ==, "keypad");
  g_assert_cmpstr (linli_usb_device_state_to_string (LINLI_USB_DEVICE_UNEXPECTED), ==,
                   "unexpected");
}

/* (a) Every configured role filled; a role's second id is enough. */
static void
test_present (Fixture *fixture, gconstpointer data)
{
  if (fixture->testbed == NULL)
    return;
  plug (fixture, &reader);
  plug (fixture, &printer);
  plug (fixture, &hub);
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  set_role (fixture, LINLI_USB_ROLE_PRINTER, "1234:5678; 0FE6:811E");
  start (fixture);

  g_assert_cmpuint (n_items (fixture), ==, 2);
  assert_item (item (fixture, 0), LINLI_USB_ROLE_ID_READER, LINLI_USB_DEVICE_PRESENT, "0400:c35a",
               2, "0400:c35a");
  assert_item (item (fixture, 1), LINLI_USB_ROLE_PRINTER, LINLI_USB_DEVICE_PRESENT, "0fe6:811e", 3,
               "1234:5678;0fe6:811e");
  g_assert_true (linli_usb_inventory_get_all_present (fixture->inventory));
  g_assert_cmpuint (fixture->changed, ==, 1);
}

/* (b) A configured camera not on the bus. */
static void
test_absent (Fixture *fixture, gconstpointer data)
{
  if (fixture->testbed == NULL)
    return;
  plug (fixture, &reader);
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  set_role (fixture, LINLI_USB_ROLE_CAMERA, "046d:0825;046d:082d");
  start (fixture);

  g_assert_cmpuint (n_items (fixture), ==, 2);
  assert_item (item (fixture, 0), LINLI_USB_ROLE_ID_READER, LINLI_USB_DEVICE_PRESENT, "0400:c35a",
               2, "0400:c35a");
  assert_item (item (fixture, 1), LINLI_USB_ROLE_CAMERA, LINLI_USB_DEVICE_ABSENT, "046d:0825", 0,
               "046d:0825;046d:082d");
  g_assert_false (linli_usb_inventory_get_all_present (fixture->inventory));
}

/* (c) A device no role names is unexpected; hubs (the root hub, an
 * external one) are never listed. */
static void
test_unexpected (Fixture *fixture, gconstpointer data)
{
  if (fixture->testbed == NULL)
    return;
  plug (fixture, &reader);
  plug (fixture, &hub);
  plug (fixture, &stranger);
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  start (fixture);

  g_assert_cmpuint (n_items (fixture), ==, 2);
  assert_item (item (fixture, 0), LINLI_USB_ROLE_ID_READER, LINLI_USB_DEVICE_PRESENT, "0400:c35a",
               2, "0400:c35a");
  assert_item (item (fixture, 1), LINLI_USB_ROLE_NONE, LINLI_USB_DEVICE_UNEXPECTED, "ffff:1234", 5,
               NULL);
  /* Something unexpected is a finding, not a missing device. */
  g_assert_true (linli_usb_inventory_get_all_present (fixture->inventory));
}

/* Nothing configured, nothing but hubs: an empty list, still "ready". */
static void
test_empty (Fixture *fixture, gconstpointer data)
{
  if (fixture->testbed == NULL)
    return;
  plug (fixture, &hub);
  start (fixture);
  g_assert_cmpuint (n_items (fixture), ==, 0);
  g_assert_true (linli_usb_inventory_get_all_present (fixture->inventory));
}

typedef struct
{
  guint position;
  LinliUsbDeviceState state;
  guint8 address;
} Expect;

static gboolean
item_is (Fixture *fixture, gconstpointer data)
{
  const Expect *expect = data;
  g_autoptr (LinliUsbDeviceInfo) info = NULL;

  if (expect->position >= n_items (fixture))
    return FALSE;
  info = g_list_model_get_item (G_LIST_MODEL (fixture->inventory), expect->position);
  return linli_usb_device_info_get_state (info) == expect->state
         && linli_usb_device_info_get_address (info) == expect->address;
}

static gboolean
n_items_is (Fixture *fixture, gconstpointer data)
{
  return n_items (fixture) == GPOINTER_TO_UINT (data);
}

/* (d) Unplugged and plugged in again (at a new address, as the kernel
 * does) while the inventory runs: absent, then present again; a stranger
 * comes and goes. @data: TRUE to follow hotplug events, FALSE to poll. */
static void
test_replug (Fixture *fixture, gconstpointer data)
{
  gboolean hotplug = GPOINTER_TO_INT (data);
  FakeDevice replugged = keypad;
  const Expect gone = { 1, LINLI_USB_DEVICE_ABSENT, 0 };
  const Expect back = { 1, LINLI_USB_DEVICE_PRESENT, 7 };
  double ms_gone, ms_back, ms_stranger;
  gint64 t0;
  guint changed;

  if (fixture->testbed == NULL)
    return;
  plug (fixture, &reader);
  plug (fixture, &keypad);
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  set_role (fixture, LINLI_USB_ROLE_KEYPAD, "04d9:1203");
  linli_usb_inventory_set_use_hotplug (fixture->inventory, hotplug);
  linli_usb_inventory_set_interval (fixture->inventory, 1);
  start (fixture);
  /* libusb on Linux always has hotplug, and umockdev delivers its events. */
  g_assert_cmpint (linli_usb_inventory_get_hotplug_active (fixture->inventory), ==, hotplug);

  g_assert_cmpuint (n_items (fixture), ==, 2);
  assert_item (item (fixture, 1), LINLI_USB_ROLE_KEYPAD, LINLI_USB_DEVICE_PRESENT, "04d9:1203", 6,
               "04d9:1203");
  changed = fixture->changed;

  /* umockdev may run this thread's main context while it sends the
   * uevent, so the time counts from before. */
  t0 = g_get_monotonic_time ();
  unplug (fixture, &keypad);
  ms_gone = wait_since (fixture, t0, item_is, &gone);
  assert_item (item (fixture, 1), LINLI_USB_ROLE_KEYPAD, LINLI_USB_DEVICE_ABSENT, "04d9:1203", 0,
               "04d9:1203");
  g_assert_false (linli_usb_inventory_get_all_present (fixture->inventory));
  g_assert_cmpuint (fixture->changed, ==, changed + 1);

  replugged.devnum = 7;
  t0 = g_get_monotonic_time ();
  plug (fixture, &replugged);
  ms_back = wait_since (fixture, t0, item_is, &back);
  assert_item (item (fixture, 1), LINLI_USB_ROLE_KEYPAD, LINLI_USB_DEVICE_PRESENT, "04d9:1203", 7,
               "04d9:1203");
  g_assert_true (linli_usb_inventory_get_all_present (fixture->inventory));
  g_assert_cmpuint (fixture->changed, ==, changed + 2);

  t0 = g_get_monotonic_time ();
  plug (fixture, &stranger);
  ms_stranger = wait_since (fixture, t0, n_items_is, GUINT_TO_POINTER (3));
  assert_item (item (fixture, 2), LINLI_USB_ROLE_NONE, LINLI_USB_DEVICE_UNEXPECTED, "ffff:1234", 5,
               NULL);
  unplug (fixture, &stranger);
  wait_for (fixture, n_items_is, GUINT_TO_POINTER (2));

  /* Figures, not assertions: how long the kiosk takes to notice. */
  g_test_message ("%s: unplug seen after %.1f ms, replug after %.1f ms, new device after %.1f ms",
                  hotplug ? "hotplug" : "polling every 1 s", ms_gone, ms_back, ms_stranger);
}

/* refresh() enumerates at once, even with an hour between polls. */
static void
test_refresh (Fixture *fixture, gconstpointer data)
{
  const Expect gone = { 0, LINLI_USB_DEVICE_ABSENT, 0 };

  if (fixture->testbed == NULL)
    return;
  plug (fixture, &reader);
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  linli_usb_inventory_set_use_hotplug (fixture->inventory, FALSE);
  linli_usb_inventory_set_interval (fixture->inventory, LINLI_USB_INVENTORY_MAX_INTERVAL);
  start (fixture);
  g_assert_true (linli_usb_inventory_get_all_present (fixture->inventory));

  unplug (fixture, &reader);
  linli_usb_inventory_refresh (fixture->inventory);
  wait_for (fixture, item_is, &gone);
}

/* stop() ends the worker (both ways), start() again sees the bus again,
 * and disposing a running inventory stops it. */
static void
test_stop_start (Fixture *fixture, gconstpointer data)
{
  const Expect back = { 0, LINLI_USB_DEVICE_PRESENT, 2 };

  if (fixture->testbed == NULL)
    return;
  set_role (fixture, LINLI_USB_ROLE_ID_READER, "0400:c35a");
  for (int round = 0; round < 2; round++)
    {
      gint64 before;

      linli_usb_inventory_set_use_hotplug (fixture->inventory, round == 0);
      start (fixture);
      before = g_get_monotonic_time ();
      linli_usb_inventory_stop (fixture->inventory);
      g_test_message ("stop() with %s took %.2f ms", round == 0 ? "hotplug" : "polling",
                      (double) (g_get_monotonic_time () - before) / 1000.0);
      g_assert_false (linli_usb_inventory_get_hotplug_active (fixture->inventory));
    }

  /* The reader arrives while nothing watches: the next start finds it. */
  plug (fixture, &reader);
  g_assert_true (linli_usb_inventory_start (fixture->inventory, NULL));
  wait_for (fixture, item_is, &back);
  /* Still running: the fixture's teardown disposes it and checks that it
   * is finalized. */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/usb-inventory/parse-ids", test_parse_ids);
  g_test_add_func ("/usb-inventory/role-names", test_role_names);
#define ADD(name, func, data) \
  g_test_add ("/usb-inventory/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("present", test_present, NULL);
  ADD ("absent", test_absent, NULL);
  ADD ("unexpected", test_unexpected, NULL);
  ADD ("empty", test_empty, NULL);
  ADD ("replug/hotplug", test_replug, GINT_TO_POINTER (TRUE));
  ADD ("replug/polling", test_replug, GINT_TO_POINTER (FALSE));
  ADD ("refresh", test_refresh, NULL);
  ADD ("stop-start", test_stop_start, NULL);
#undef ADD

  return g_test_run ();
}
