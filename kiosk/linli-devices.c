/* linli-devices.c: builds the device list from the configuration.
 *
 * The order is the order maintainers read in the health view and in
 * `linli-diag devices`: identification first, then output, then voice.
 */
#define G_LOG_DOMAIN "linli-devices"

#include "linli-devices.h"

#include "linli-camera.h"
#include "linli-device.h"
#include "linli-ga467-reader.h"
#include "linli-ga467-serial.h"
#include "linli-ga467-usb.h"
#include "linli-pcsc-reader.h"
#include "linli-printer.h"
#include "linli-voice.h"

static void
append_device (GListStore *store, LinliDevice *device)
{
  g_list_store_append (store, device);
  g_object_unref (device);
}

/* Returns: (transfer full): a list of #LinliDevice */
GListModel *
linli_devices_new_from_config (LinliConfig *config)
{
  GListStore *store = g_list_store_new (LINLI_TYPE_DEVICE);
  const char *id_reader_serial;
  const char *id_reader_usb;
  guint poll_ms;

  g_return_val_if_fail (LINLI_IS_CONFIG (config), G_LIST_MODEL (store));

  /* The resident-ID reader is on a serial port or on USB; a kiosk without
   * one configured has nothing to report on. */
  id_reader_serial = linli_config_get_string (config, "devices", "id-reader-serial");
  id_reader_usb = linli_config_get_string (config, "devices", "id-reader-usb");
  poll_ms = (guint) linli_config_get_int (config, "devices", "id-reader-poll-ms");
  if (id_reader_serial[0] != '\0')
    {
      g_autoptr (LinliGa467Transport) serial = linli_ga467_serial_new (id_reader_serial);
      append_device (store, linli_ga467_reader_new_with_transport (serial, poll_ms));
    }
  else if (id_reader_usb[0] != '\0')
    {
      g_autoptr (GError) error = NULL;
      guint16 vendor_id, product_id;

      if (linli_ga467_usb_parse_id (id_reader_usb, &vendor_id, &product_id, &error))
        {
          g_autoptr (LinliGa467Transport) usb = linli_ga467_usb_new (vendor_id, product_id);
          append_device (store, linli_ga467_reader_new_with_transport (usb, poll_ms));
        }
      else
        g_warning ("[devices] id-reader-usb: %s", error->message);
    }

  append_device (
      store, linli_pcsc_reader_new (linli_config_get_string (config, "devices", "pcsc-reader")));
  append_device (store, linli_printer_new (linli_config_get_string (config, "devices", "printer")));
  append_device (store,
                 linli_camera_new (linli_config_get_string (config, "devices", "camera-source")));

  /* Always there: [voice] enabled is only how a session starts, and a
   * resident can turn voice on from the accessibility bar. */
  append_device (store, linli_voice_new_with_sinks (
                            linli_config_get_string (config, "voice", "sink"),
                            linli_config_get_string (config, "voice", "headphone-sink")));

  return G_LIST_MODEL (store);
}

/* Returns: (transfer full): an inventory expecting the devices of [usb] */
LinliUsbInventory *
linli_devices_new_usb_inventory (LinliConfig *config)
{
  static const LinliUsbRole roles[] = { LINLI_USB_ROLE_ID_READER, LINLI_USB_ROLE_PRINTER,
                                        LINLI_USB_ROLE_CAMERA, LINLI_USB_ROLE_KEYPAD };
  LinliUsbInventory *inventory = linli_usb_inventory_new ();

  g_return_val_if_fail (LINLI_IS_CONFIG (config), inventory);

  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      const char *key = linli_usb_role_to_string (roles[i]);
      g_autoptr (GError) error = NULL;

      /* LinliConfig validated the ids: a bad value is already its default. */
      if (!linli_usb_inventory_set_role_ids (inventory, roles[i],
                                             linli_config_get_string (config, "usb", key), &error))
        g_warning ("[usb] %s: %s", key, error->message);
    }
  linli_usb_inventory_set_interval (inventory,
                                    (guint) linli_config_get_int (config, "usb", "poll-interval"));
  return inventory;
}
