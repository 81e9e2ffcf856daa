/* linli-diag-read-id.c: linli-diag read-id.
 *
 *   linli-diag read-id [--device TTY | --usb VID:PID] [--timeout S] [--json]
 *
 * Waits for a card on a GA 467 resident-ID reader, reads it the way the
 * kiosk does (same transport, same codec, same decoder) and prints the
 * identity, unmasked: the maintainer at the kiosk asked for it. Without
 * --device or --usb, the configured reader ([devices] id-reader-serial,
 * else id-reader-usb). It cannot share the reader with a running kiosk: the
 * serial port is locked, and says so.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-read-id.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "linli-diag-identity.h"
#include "linli-ga467-reader.h"
#include "linli-ga467-serial.h"
#include "linli-ga467-usb.h"

#define EXIT_USAGE        2
#define DEFAULT_TIMEOUT_S 10
#define MAX_TIMEOUT_S     3600

static const char read_id_usage[]
    = "Usage: linli-diag [--config PATH] read-id [--device TTY | --usb VID:PID] [--timeout S] "
      "[--json]\n";

static int G_GNUC_PRINTF (1, 2) read_id_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("linli-diag: read-id: %s\n%s", message, read_id_usage);
  return EXIT_USAGE;
}

int
linli_diag_read_id (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  /* A copy to parse: parse_strv frees what it takes out, whoever owns
   * @argv. */
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  g_autoptr (LinliGa467Transport) transport = NULL;
  g_autoptr (LinliDevice) reader = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autofree char *device = NULL;
  g_autofree char *usb = NULL;
  int timeout_s = DEFAULT_TIMEOUT_S;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_FILENAME, &device,
      "The reader's serial port (default: [devices] id-reader-serial)", "TTY" },
    { "usb", 0, 0, G_OPTION_ARG_STRING, &usb,
      "The reader's USB vendor:product id (default: [devices] id-reader-usb)", "VID:PID" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      "Wait at most S seconds for a card (default: 10; 0: look once)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };

  context = g_option_context_new ("— read a resident ID card on the GA 467 reader");
  g_option_context_add_main_entries (context, entries, NULL);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &error))
    return read_id_usage_error ("%s", error->message);
  if (g_strv_length (args) > 1)
    return read_id_usage_error ("unexpected argument “%s”", args[1]);
  if (device != NULL && usb != NULL)
    return read_id_usage_error ("--device and --usb exclude each other");
  if (timeout_s < 0 || timeout_s > MAX_TIMEOUT_S)
    return read_id_usage_error ("--timeout must be between 0 and %d seconds", MAX_TIMEOUT_S);

  if (device == NULL && usb == NULL)
    {
      const char *serial = linli_config_get_string (config, "devices", "id-reader-serial");
      const char *usb_id = linli_config_get_string (config, "devices", "id-reader-usb");

      if (serial != NULL && serial[0] != '\0')
        device = g_strdup (serial);
      else if (usb_id != NULL && usb_id[0] != '\0')
        usb = g_strdup (usb_id);
      else
        return read_id_usage_error ("no reader: give --device or --usb, or set [devices] "
                                    "id-reader-serial or id-reader-usb");
    }

  if (device != NULL)
    {
      if (device[0] == '\0')
        return read_id_usage_error ("--device needs a path");
      transport = linli_ga467_serial_new (device);
    }
  else
    {
      guint16 vendor_id, product_id;

      if (!linli_ga467_usb_parse_id (usb, &vendor_id, &product_id, &error))
        return read_id_usage_error ("--usb: %s", error->message);
      transport = linli_ga467_usb_new (vendor_id, product_id);
    }

  reader = linli_ga467_reader_new_with_transport (transport, 0);
  if (!json)
    g_printerr ("Place an ID card on the reader (%s)…\n", linli_device_get_name (reader));
  identity = linli_ga467_reader_read_once (LINLI_GA467_READER (reader), (guint) timeout_s * 1000,
                                           NULL, &error);
  if (identity == NULL)
    {
      g_printerr ("linli-diag: read-id: %s\n", error->message);
      return EXIT_FAILURE;
    }

  linli_diag_identity_print (identity, json);
  return EXIT_SUCCESS;
}
