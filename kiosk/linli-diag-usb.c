/* linli-diag-usb.c: linli-diag usb [--json]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enumerates the USB bus once, the way the kiosk's inventory does, and
 * prints every role of [usb] with the devices that fill it (or "absent"),
 * then every device no role names ("unexpected"; hubs left out). Exit 0
 * when every configured role is present, 1 when one is absent or the bus
 * cannot be seen, 2 bad usage. No serial numbers: they are never read.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-usb.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "linli-devices.h"
#include "linli-usb-inventory.h"

#define EXIT_USAGE 2

/* The first enumeration takes milliseconds; a device that does not answer
 * its string requests adds 250 ms each. */
#define DEADLINE_SECONDS 20

static int G_GNUC_PRINTF (1, 2) usb_usage (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: %s\nUsage: linli-diag [--config PATH] usb [--json]\n", message);
  return EXIT_USAGE;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
add_string_or_null (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_device (JsonBuilder *builder, LinliUsbDeviceInfo *info)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, linli_usb_device_info_get_id (info));
  json_builder_set_member_name (builder, "bus");
  json_builder_add_int_value (builder, linli_usb_device_info_get_bus (info));
  json_builder_set_member_name (builder, "address");
  json_builder_add_int_value (builder, linli_usb_device_info_get_address (info));
  add_string_or_null (builder, "manufacturer", linli_usb_device_info_get_manufacturer (info));
  add_string_or_null (builder, "product", linli_usb_device_info_get_product (info));
  json_builder_end_object (builder);
}

static void
print_json (LinliUsbInventory *inventory)
{
  GListModel *model = G_LIST_MODEL (inventory);
  guint n = g_list_model_get_n_items (model);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  LinliUsbRole open_role = LINLI_USB_ROLE_NONE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "all-present");
  json_builder_add_boolean_value (builder, linli_usb_inventory_get_all_present (inventory));
  add_string_or_null (builder, "problem", linli_usb_inventory_get_problem (inventory));

  /* Items come role by role (each role's devices together), then the
   * unexpected ones. */
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliUsbDeviceInfo) info = g_list_model_get_item (model, i);
      LinliUsbRole role = linli_usb_device_info_get_role (info);
      g_auto (GStrv) expected = NULL;

      if (role == LINLI_USB_ROLE_NONE)
        break;
      if (role != open_role)
        {
          if (open_role != LINLI_USB_ROLE_NONE)
            {
              json_builder_end_array (builder);
              json_builder_end_object (builder);
            }
          open_role = role;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, linli_usb_role_to_string (role));
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (
              builder, linli_usb_device_state_to_string (linli_usb_device_info_get_state (info)));
          json_builder_set_member_name (builder, "expected");
          json_builder_begin_array (builder);
          expected = g_strsplit (linli_usb_device_info_get_expected_ids (info), ";", -1);
          for (guint e = 0; expected[e] != NULL; e++)
            json_builder_add_string_value (builder, expected[e]);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "devices");
          json_builder_begin_array (builder);
        }
      if (linli_usb_device_info_get_state (info) == LINLI_USB_DEVICE_PRESENT)
        add_device (builder, info);
    }
  if (open_role != LINLI_USB_ROLE_NONE)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "unexpected");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliUsbDeviceInfo) info = g_list_model_get_item (model, i);

      if (linli_usb_device_info_get_state (info) == LINLI_USB_DEVICE_UNEXPECTED)
        add_device (builder, info);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_table (LinliUsbInventory *inventory)
{
  GListModel *model = G_LIST_MODEL (inventory);
  guint n = g_list_model_get_n_items (model);

  if (linli_usb_inventory_get_problem (inventory) != NULL)
    g_print ("cannot see the USB bus: %s\n", linli_usb_inventory_get_problem (inventory));
  g_print ("%-10s  %-9s  %-10s  %-7s  %s\n", "ROLE", "ID", "STATE", "BUS-DEV", "DEVICE");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliUsbDeviceInfo) info = g_list_model_get_item (model, i);
      LinliUsbDeviceState state = linli_usb_device_info_get_state (info);
      const char *manufacturer = linli_usb_device_info_get_manufacturer (info);
      const char *product = linli_usb_device_info_get_product (info);
      g_autofree char *where = NULL;
      g_autofree char *what = NULL;
      g_autofree char *line = NULL;

      if (state == LINLI_USB_DEVICE_ABSENT)
        {
          where = g_strdup ("-");
          what = g_strdup_printf ("expected %s", linli_usb_device_info_get_expected_ids (info));
        }
      else
        {
          where = g_strdup_printf ("%03u-%03u", linli_usb_device_info_get_bus (info),
                                   linli_usb_device_info_get_address (info));
          what = g_strjoin (" ", manufacturer != NULL ? manufacturer : "",
                            product != NULL ? product : "", NULL);
          g_strstrip (what);
        }
      line
          = g_strdup_printf ("%-10s  %-9s  %-10s  %-7s  %s",
                             state == LINLI_USB_DEVICE_UNEXPECTED
                                 ? "-"
                                 : linli_usb_role_to_string (linli_usb_device_info_get_role (info)),
                             linli_usb_device_info_get_id (info),
                             linli_usb_device_state_to_string (state), where, what);
      g_print ("%s\n", g_strchomp (line));
    }
}

int
linli_diag_usb (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliUsbInventory) inventory = NULL;
  gboolean json = FALSE;
  gboolean timed_out = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };
  guint deadline_id;

  /* A copy the parser may rearrange and free from (argv is NULL-ended). */
  g_auto (GStrv) args = g_strdupv (argv);

  g_return_val_if_fail (argc >= 1 && argv[argc] == NULL, EXIT_USAGE);

  context = g_option_context_new ("— the USB devices against the roles of [usb]");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return usb_usage ("%s", error->message);
  if (g_strv_length (args) > 1)
    return usb_usage ("unexpected argument “%s”", args[1]);

  inventory = linli_devices_new_usb_inventory (config);
  /* One look is all the tool needs: no hotplug callback, no second poll. */
  linli_usb_inventory_set_use_hotplug (inventory, FALSE);
  linli_usb_inventory_set_interval (inventory, LINLI_USB_INVENTORY_MAX_INTERVAL);
  if (!linli_usb_inventory_start (inventory, &error))
    g_printerr ("linli-diag: %s\n", error->message);

  deadline_id = g_timeout_add_seconds (DEADLINE_SECONDS, on_deadline, &timed_out);
  while (!linli_usb_inventory_get_ready (inventory) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_printerr ("linli-diag: no answer from the USB bus within %d s\n", DEADLINE_SECONDS);
      return EXIT_FAILURE;
    }
  g_source_remove (deadline_id);
  linli_usb_inventory_stop (inventory);

  if (json)
    print_json (inventory);
  else
    print_table (inventory);
  return linli_usb_inventory_get_all_present (inventory) ? EXIT_SUCCESS : EXIT_FAILURE;
}
