/* linli-diag-platform.c: linli-diag platform.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   linli-diag platform ping [--json]     reachability, TLS, the certificates
 *   linli-diag platform catalog [--json]  the catalog the kiosk would show
 *   linli-diag platform outbox [--json]   submissions waiting, oldest, refused
 *
 * Uses the kiosk's own configuration, client and outbox, so what it says
 * is what the kiosk sees. The TLS report comes from a handshake of its own
 * with the same pinned CA and client certificate, because an HTTP client
 * does not expose the negotiated protocol. It never prints a body: the
 * outbox holds personal data until delivery.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-platform.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>

#include "linli-catalog-cache.h"
#include "linli-outbox.h"
#include "linli-platform.h"
#include "linli-platform-probe.h"

#define EXIT_USAGE 2

static const char platform_usage[]
    = "Usage: linli-diag [--config PATH] platform ping|catalog|outbox [--json]\n";

static int G_GNUC_PRINTF (1, 2) platform_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: platform: %s\n%s", message, platform_usage);
  return EXIT_USAGE;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
format_usec (gint64 usec)
{
  g_autoptr (GDateTime) seconds = NULL;
  g_autoptr (GDateTime) time = NULL;

  if (usec <= 0)
    return NULL;
  seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  time = g_date_time_add (seconds, usec % G_USEC_PER_SEC);
  return linli_platform_probe_format_time (time);
}

/* ---- ping ---- */

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static LinliPlatform *
make_platform (LinliConfig *config, GError **error)
{
  const char *url = linli_config_get_string (config, "platform", "url");

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "no county platform configured ([platform] url is empty)");
      return NULL;
    }
  return linli_platform_new (url, linli_config_get_string (config, "kiosk", "id"),
                             linli_config_get_string (config, "platform", "ca"),
                             linli_config_get_string (config, "platform", "cert"),
                             linli_config_get_string (config, "platform", "key"), error);
}

static int
run_ping (LinliConfig *config, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPlatform) platform = make_platform (config, &error);
  g_autoptr (GUri) uri = NULL;
  g_autoptr (LinliPlatformProbe) tls = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  g_autoptr (LinliCatalog) catalog = NULL;
  g_autofree char *answer = NULL;
  gint64 started;
  double elapsed_ms;

  if (platform == NULL)
    {
      g_printerr ("linli-diag: platform: %s\n", error->message);
      return EXIT_FAILURE;
    }
  uri = g_uri_parse (linli_platform_get_base_url (platform), G_URI_FLAGS_NONE, &error);
  if (uri == NULL)
    {
      g_printerr ("linli-diag: platform: [platform] url: %s\n", error->message);
      return EXIT_FAILURE;
    }
  /* The TLS report from the probe the maintenance screen uses too. */
  linli_platform_probe_async (config, NULL, on_done, &wait);
  tls = linli_platform_probe_finish (wait_for (&wait), &error);
  g_clear_object (&wait.result);
  if (tls == NULL)
    {
      g_printerr ("linli-diag: platform: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* An HTTP request with the kiosk's own client: no cache, so the answer
   * is the platform's and not the disk's. */
  started = g_get_monotonic_time ();
  linli_platform_get_catalog_async (platform, NULL, on_done, &wait);
  catalog = linli_platform_get_catalog_finish (platform, wait_for (&wait), NULL, &error);
  g_clear_object (&wait.result);
  elapsed_ms = (double) (g_get_monotonic_time () - started) / 1000.0;
  if (catalog != NULL)
    answer = g_strdup_printf ("catalog %s in %.0f ms", catalog->version, elapsed_ms);
  else
    answer = g_strdup_printf (
        "%s%s%s (after %.0f ms)", error->message,
        linli_platform_error_get_code (error) != NULL ? " — " : "",
        linli_platform_error_get_code (error) != NULL ? linli_platform_error_get_code (error) : "",
        elapsed_ms);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "url", linli_platform_get_base_url (platform));
      add_string (builder, "kiosk_id", linli_platform_get_kiosk_id (platform));
      json_builder_set_member_name (builder, "reachable");
      json_builder_add_boolean_value (builder, catalog != NULL);
      add_string (builder, "tls_error", tls->error);
      add_string (builder, "tls_protocol", tls->protocol);
      add_string (builder, "tls_cipher", tls->cipher);
      add_string (builder, "server_subject", tls->server_subject);
      add_string (builder, "server_issuer", tls->server_issuer);
      add_string (builder, "server_valid_until", tls->server_valid_until);
      json_builder_set_member_name (builder, "tls_round_trip_ms");
      json_builder_add_double_value (builder, tls->round_trip_ms);
      add_string (builder, "catalog_version", catalog != NULL ? catalog->version : NULL);
      add_string (builder, "error_code",
                  catalog == NULL ? linli_platform_error_get_code (error) : NULL);
      add_string (builder, "error", catalog == NULL ? error->message : NULL);
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_double_value (builder, elapsed_ms);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      g_print ("platform  %s\n", linli_platform_get_base_url (platform));
      g_print ("kiosk id  %s\n", linli_platform_get_kiosk_id (platform));
      if (tls->error != NULL)
        g_print ("tls       %s\n", tls->error);
      else
        {
          g_print ("tls       %s, %s (connect + handshake %.0f ms)\n", tls->protocol,
                   tls->cipher != NULL ? tls->cipher : "?", tls->round_trip_ms);
          g_print ("server    %s\n", tls->server_subject != NULL ? tls->server_subject : "?");
          g_print ("issuer    %s (the pinned CA %s)\n",
                   tls->server_issuer != NULL ? tls->server_issuer : "?",
                   linli_config_get_string (config, "platform", "ca"));
          g_print ("valid to  %s\n",
                   tls->server_valid_until != NULL ? tls->server_valid_until : "?");
        }
      g_print ("answer    %s\n", answer);
    }
  return catalog != NULL ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- catalog ---- */

static int
run_catalog (LinliConfig *config, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPlatform) platform = make_platform (config, &error);
  g_autoptr (LinliCatalogCache) cache = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  g_autoptr (LinliCatalog) catalog = NULL;
  gboolean stale = FALSE;
  g_autofree char *generated = NULL;

  cache = linli_catalog_cache_new (linli_config_get_string (config, "platform", "cache-dir"));
  if (platform != NULL)
    {
      /* The kiosk's own cache: a 304 confirms it, a failure falls back to
       * it, exactly as the kiosk would. */
      linli_platform_set_catalog_cache (platform, cache);
      linli_platform_get_catalog_async (platform, NULL, on_done, &wait);
      catalog = linli_platform_get_catalog_finish (platform, wait_for (&wait), &stale, &error);
      g_clear_object (&wait.result);
    }
  else
    {
      g_clear_error (&error);
      catalog = linli_catalog_cache_load (cache, &error);
      stale = TRUE;
    }
  if (catalog == NULL)
    {
      g_printerr ("linli-diag: platform: no catalog: %s\n", error->message);
      return EXIT_FAILURE;
    }
  generated = linli_platform_probe_format_time (catalog->generated_at);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "version", catalog->version);
      add_string (builder, "etag", catalog->etag);
      add_string (builder, "generated_at", generated);
      json_builder_set_member_name (builder, "from_cache");
      json_builder_add_boolean_value (builder, stale);
      json_builder_set_member_name (builder, "categories");
      json_builder_begin_array (builder);
      for (guint c = 0; c < catalog->categories->len; c++)
        {
          LinliCategory *category = g_ptr_array_index (catalog->categories, c);

          json_builder_begin_object (builder);
          add_string (builder, "code", category->code);
          add_string (builder, "title", linli_localized_text_get (category->title, "zh_CN"));
          json_builder_set_member_name (builder, "items");
          json_builder_begin_array (builder);
          for (guint i = 0; i < catalog->items->len; i++)
            {
              LinliCatalogItem *item = g_ptr_array_index (catalog->items, i);

              if (g_strcmp0 (item->category, category->code) != 0)
                continue;
              json_builder_begin_object (builder);
              add_string (builder, "item_code", item->item_code);
              add_string (builder, "title", linli_localized_text_get (item->title, "zh_CN"));
              add_string (builder, "flow", linli_flow_to_string (item->flow));
              json_builder_set_member_name (builder, "enabled");
              json_builder_add_boolean_value (builder, item->enabled);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "ignored_item_codes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < catalog->ignored_item_codes->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (catalog->ignored_item_codes, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_SUCCESS;
    }

  g_print ("catalog   %s (ETag %s), generated %s%s\n", catalog->version,
           catalog->etag != NULL ? catalog->etag : "none", generated,
           stale ? ", from the kiosk's cache: the platform did not answer" : "");
  for (guint c = 0; c < catalog->categories->len; c++)
    {
      LinliCategory *category = g_ptr_array_index (catalog->categories, c);

      g_print ("%s  %s\n", category->code, linli_localized_text_get (category->title, "zh_CN"));
      for (guint i = 0; i < catalog->items->len; i++)
        {
          LinliCatalogItem *item = g_ptr_array_index (catalog->items, i);

          if (g_strcmp0 (item->category, category->code) == 0)
            g_print ("    %-16s %-13s %s%s\n", item->item_code, linli_flow_to_string (item->flow),
                     linli_localized_text_get (item->title, "zh_CN"),
                     item->enabled ? "" : " (disabled)");
        }
    }
  if (catalog->ignored_item_codes->len > 0)
    g_print ("ignored (unknown flow): %u item(s)\n", catalog->ignored_item_codes->len);
  return EXIT_SUCCESS;
}

/* ---- outbox ---- */

static int
run_outbox (LinliConfig *config, gboolean json)
{
  g_autoptr (GError) error = NULL;
  const char *path = linli_config_get_string (config, "platform", "outbox");
  g_autoptr (LinliOutbox) outbox = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GDateTime) oldest = NULL;
  g_autofree char *oldest_text = NULL;
  LinliOutboxCounters counters = { 0 };

  /* Opening creates an empty outbox where none is: only look at one that
   * exists. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("linli-diag: platform: no outbox at %s (nothing was ever submitted)\n", path);
      return EXIT_FAILURE;
    }
  outbox = linli_outbox_open (path, &error);
  if (outbox == NULL || (entries = linli_outbox_list (outbox, &error)) == NULL
      || !linli_outbox_get_counters (outbox, &counters, &error))
    {
      g_printerr ("linli-diag: platform: outbox %s: %s\n", path, error->message);
      return EXIT_FAILURE;
    }
  oldest = linli_outbox_get_oldest (outbox);
  oldest_text = linli_platform_probe_format_time (oldest);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "path", path);
      json_builder_set_member_name (builder, "depth");
      json_builder_add_int_value (builder, linli_outbox_get_depth (outbox));
      add_string (builder, "oldest", oldest_text);
      json_builder_set_member_name (builder, "enqueued");
      json_builder_add_int_value (builder, (gint64) counters.enqueued);
      json_builder_set_member_name (builder, "delivered");
      json_builder_add_int_value (builder, (gint64) counters.delivered);
      json_builder_set_member_name (builder, "refused");
      json_builder_add_int_value (builder, (gint64) counters.refused);
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          LinliOutboxEntry *entry = g_ptr_array_index (entries, i);
          g_autofree char *created = format_usec (entry->created_at);

          json_builder_begin_object (builder);
          add_string (builder, "kind", entry->kind);
          add_string (builder, "state", linli_outbox_state_to_string (entry->state));
          add_string (builder, "created_at", created);
          json_builder_set_member_name (builder, "attempts");
          json_builder_add_int_value (builder, entry->attempts);
          add_string (builder, "last_error", entry->last_error_code);
          add_string (builder, "refused_code", entry->refused_code);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_SUCCESS;
    }

  g_print ("outbox    %s\n", path);
  g_print ("waiting   %u%s%s\n", linli_outbox_get_depth (outbox),
           oldest_text != NULL ? ", oldest from " : "", oldest_text != NULL ? oldest_text : "");
  g_print ("since the file was made: %" G_GUINT64_FORMAT " submitted, %" G_GUINT64_FORMAT
           " delivered, %" G_GUINT64_FORMAT " refused\n",
           counters.enqueued, counters.delivered, counters.refused);
  for (guint i = 0; i < entries->len; i++)
    {
      LinliOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *created = format_usec (entry->created_at);

      g_print ("  %-22s %-8s %s  %u attempt(s)%s%s\n", entry->kind,
               linli_outbox_state_to_string (entry->state), created, entry->attempts,
               entry->state == LINLI_OUTBOX_STATE_REFUSED
                   ? ", refused: "
                   : (entry->last_error_code != NULL ? ", last: " : ""),
               entry->state == LINLI_OUTBOX_STATE_REFUSED
                   ? (entry->refused_code != NULL ? entry->refused_code : "?")
                   : (entry->last_error_code != NULL ? entry->last_error_code : ""));
    }
  return EXIT_SUCCESS;
}

int
linli_diag_platform (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };
  const char *command;

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  context = g_option_context_new ("ping|catalog|outbox — the county platform");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return platform_usage_error ("%s", error->message);
  if (g_strv_length (args) != 2)
    return platform_usage_error ("one of ping, catalog or outbox");
  command = args[1];
  if (g_str_equal (command, "ping"))
    return run_ping (config, json);
  if (g_str_equal (command, "catalog"))
    return run_catalog (config, json);
  if (g_str_equal (command, "outbox"))
    return run_outbox (config, json);
  return platform_usage_error ("unknown sub-command “%s”", command);
}
