/* test-usb-inventory-kiosk.c: the kiosk makes its USB inventory from
 * [usb], starts it, and hands it out as a list model; disposing the kiosk
 * stops it. Run under umockdev-run -d tests/data/umockdev/usb-inventory.umockdev.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-kiosk.h"
#include "linli-usb-inventory.h"

static const char config_text[] = "[usb]\n"
                                  "id-reader=0400:c35a\n"
                                  "keypad=04d9:1203\n"
                                  "poll-interval=7\n";

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_kiosk_inventory (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;
  LinliKiosk *kiosk;
  GListModel *model;
  LinliUsbInventory *inventory;
  gboolean timed_out = FALSE;
  guint timeout_id;
  const struct
  {
    const char *role, *id, *state;
  } expected[] = {
    { "id-reader", "0400:c35a", "present" },
    { "keypad", "04d9:1203", "absent" },
    { "none", "0fe6:811e", "unexpected" },
    { "none", "ffff:1234", "unexpected" },
  };

  if (g_getenv ("UMOCKDEV_DIR") == NULL)
    {
      g_test_skip ("not under umockdev-run: no USB devices here");
      return;
    }

  g_assert_true (linli_config_load_data (config, config_text, -1, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);

  kiosk = linli_kiosk_new (config);
  model = linli_kiosk_get_usb_inventory (kiosk);
  g_assert_true (LINLI_IS_USB_INVENTORY (model));
  g_assert_true (g_list_model_get_item_type (model) == LINLI_TYPE_USB_DEVICE_INFO);
  inventory = LINLI_USB_INVENTORY (model);
  g_assert_cmpuint (linli_usb_inventory_get_interval (inventory), ==, 7);

  timeout_id = g_timeout_add_seconds (10, on_timeout, &timed_out);
  while (!linli_usb_inventory_get_ready (inventory) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (LinliUsbDeviceInfo) info = g_list_model_get_item (model, i);

      g_assert_cmpstr (linli_usb_role_to_string (linli_usb_device_info_get_role (info)), ==,
                       expected[i].role);
      g_assert_cmpstr (linli_usb_device_info_get_id (info), ==, expected[i].id);
      g_assert_cmpstr (linli_usb_device_state_to_string (linli_usb_device_info_get_state (info)),
                       ==, expected[i].state);
    }
  g_assert_false (linli_usb_inventory_get_all_present (inventory));

  g_object_add_weak_pointer (G_OBJECT (inventory), (gpointer *) &inventory);
  g_object_unref (kiosk);
  g_assert_null (inventory);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usb-inventory/kiosk", test_kiosk_inventory);
  return g_test_run ();
}
