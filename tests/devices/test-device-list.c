/* test-device-list.c: which devices the configuration gives, in what order.
 * Building the list probes nothing, so no hardware or daemon is needed. */
#include "linli-devices.h"

#include "linli-device.h"

static void
assert_devices (const char *config_text, const char *const *expected)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GListModel) devices = NULL;
  g_autoptr (GError) error = NULL;
  guint n;

  g_assert_true (linli_config_load_data (config, config_text, -1, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);

  devices = linli_devices_new_from_config (config);
  g_assert_true (g_list_model_get_item_type (devices) == LINLI_TYPE_DEVICE);
  n = g_list_model_get_n_items (devices);
  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected) / 2);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);

      g_assert_cmpstr (linli_device_kind_to_string (linli_device_get_kind (device)), ==,
                       expected[2 * i]);
      g_assert_cmpstr (linli_device_get_name (device), ==, expected[2 * i + 1]);
      g_assert_cmpint (linli_device_get_state (device), ==, LINLI_DEVICE_STATE_ABSENT);
    }
}

static void
test_defaults (void)
{
  const char *const expected[] = {
    "card-reader", "PC/SC reader", "printer", "Printer (default queue)", "camera", "Camera",
    "voice",       "Voice",        NULL,
  };

  assert_devices ("", expected);
}

static void
test_everything (void)
{
  const char *const expected[] = {
    "id-reader",   "ID card reader (/dev/ttyUSB0)",
    "card-reader", "PC/SC reader",
    "printer",     "Printer (receipt)",
    "camera",      "Camera",
    "voice",       "Voice",
    NULL,
  };

  assert_devices ("[devices]\n"
                  "id-reader-serial = /dev/ttyUSB0\n"
                  "pcsc-reader = Virtual PCD 00 00\n"
                  "printer = receipt\n"
                  "camera-source = videotestsrc\n"
                  "[voice]\n"
                  "enabled = true\n",
                  expected);
}

/* Voice off only means sessions start silent: residents can turn it on. */
static void
test_voice_off (void)
{
  const char *const expected[] = {
    "card-reader", "PC/SC reader", "printer", "Printer (default queue)", "camera", "Camera",
    "voice",       "Voice",        NULL,
  };

  assert_devices ("[voice]\nenabled = false\n", expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device-list/defaults", test_defaults);
  g_test_add_func ("/device-list/everything", test_everything);
  g_test_add_func ("/device-list/voice-off", test_voice_off);

  return g_test_run ();
}
