/* linli-platform-sim.c — a county platform for the kiosk to talk to: the
 * whole contract of services/platform.openapi.yaml over HTTPS with client
 * certificates, SQLite behind it, faults on demand (docs/platform-sim.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "linli-sim-server.h"

static gboolean
quit (gpointer user_data)
{
  g_message ("signal received; stopping");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* "port=N" and "control_port=M" lines, written at once (rename), so that a
 * test that sees the file can read both ports. */
static gboolean
write_ports (LinliSimServer *server, const char *port_file, GError **error)
{
  g_autofree char *text
      = g_strdup_printf ("port=%u\ncontrol_port=%u\n", linli_sim_server_get_port (server),
                         linli_sim_server_get_control_port (server));

  if (port_file == NULL)
    {
      fputs (text, stdout);
      fflush (stdout);
      return TRUE;
    }
  return g_file_set_contents (port_file, text, -1, error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliSimServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *client_ca = NULL;
  g_autofree char *db = NULL;
  g_autofree char *port_file = NULL;
  g_auto (GStrv) kiosks = NULL;
  gboolean seed = FALSE;
  int port = 8443, control_port = -1;
  int payment_ttl = 300, ref_ttl = 1800, certification_delay = 2, max_upload_mib = 16;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "HTTPS port (0: a free one; default 8443)", "N" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (default 127.0.0.1)",
      "ADDR" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "Server certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Its private key (PEM)", "FILE" },
    { "client-ca", 0, 0, G_OPTION_ARG_FILENAME, &client_ca, "CA of the kiosk certificates (PEM)",
      "FILE" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database (created if missing)", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_NONE, &seed, "Fill an empty database with the fictitious county",
      NULL },
    { "control-port", 0, 0, G_OPTION_ARG_INT, &control_port,
      "Plain-HTTP control port for faults and statistics (0: a free one; default: none)", "N" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
      "Write port=N and control_port=M here once listening (default: stdout)", "FILE" },
    { "register-kiosk", 0, 0, G_OPTION_ARG_STRING_ARRAY, &kiosks,
      "Register this kiosk id too (repeatable)", "ID" },
    { "payment-ttl", 0, 0, G_OPTION_ARG_INT, &payment_ttl,
      "Seconds a payment order stays payable (default 300)", "S" },
    { "ref-ttl", 0, 0, G_OPTION_ARG_INT, &ref_ttl,
      "Seconds a resident_ref stays valid (default 1800)", "S" },
    { "certification-delay", 0, 0, G_OPTION_ARG_INT, &certification_delay,
      "Seconds a pension certification stays pending under review (default 2)", "S" },
    { "max-upload-mib", 0, 0, G_OPTION_ARG_INT, &max_upload_mib,
      "Largest request body accepted, MiB (default 16, the contract's minimum)", "N" },
    { NULL },
  };
  LinliSimConfig config = { 0 };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- county platform simulator for Linli kiosks");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("linli-platform-sim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || control_port > 65535 || payment_ttl < 1 || ref_ttl < 1
      || certification_delay < 0 || max_upload_mib < 1)
    {
      g_printerr ("linli-platform-sim: an option is out of range\n");
      return 2;
    }
  config.listen = listen;
  config.port = (guint) port;
  config.control = control_port >= 0;
  config.control_port = control_port >= 0 ? (guint) control_port : 0;
  config.cert = cert;
  config.key = key;
  config.client_ca = client_ca;
  config.db_path = db;
  config.seed = seed;
  config.register_kiosks = (const char *const *) kiosks;
  config.max_upload = (gsize) max_upload_mib * 1024 * 1024;
  config.settings.payment_ttl_s = (guint) payment_ttl;
  config.settings.ref_ttl_s = (guint) ref_ttl;
  config.settings.certification_delay_s = (guint) certification_delay;

  server = linli_sim_server_new (&config, &error);
  if (server == NULL || !linli_sim_server_listen (server, &error)
      || !write_ports (server, port_file, &error))
    {
      g_printerr ("linli-platform-sim: %s\n", error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  g_main_loop_run (loop);
  return 0;
}
