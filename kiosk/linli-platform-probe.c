/* linli-platform-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An HTTP client does not expose the negotiated TLS protocol, cipher or
 * the server's certificate, so the probe makes a handshake of its own with
 * the kiosk's pinned CA and client certificate. It blocks (connect and
 * handshake, up to the 10 s timeout), hence the worker thread. Nothing
 * personal is involved: the answer is about the link only.
 */
#define G_LOG_DOMAIN "linli-platform-probe"

#include "linli-platform-probe.h"

void
linli_platform_probe_free (LinliPlatformProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->url);
  g_free (probe->error);
  g_free (probe->protocol);
  g_free (probe->cipher);
  g_free (probe->server_subject);
  g_free (probe->server_issuer);
  g_free (probe->server_valid_until);
  g_free (probe);
}

char *
linli_platform_probe_format_time (GDateTime *time)
{
  g_autoptr (GDateTime) local = NULL;

  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %z");
}

static const char *
protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    default:
      return "unknown";
    }
}

typedef struct
{
  char *url;
  char *ca;
  char *cert;
  char *key;
} ProbeInput;

static void
probe_input_free (ProbeInput *input)
{
  g_free (input->url);
  g_free (input->ca);
  g_free (input->cert);
  g_free (input->key);
  g_free (input);
}

static void
probe (const ProbeInput *input, LinliPlatformProbe *report, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (input->url, G_URI_FLAGS_NONE, &error);
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GTlsCertificate) client_cert = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  GTlsCertificate *peer;
  gint64 started;
  int port;

  if (uri == NULL)
    {
      report->error = g_strdup_printf ("[platform] url: %s", error->message);
      return;
    }
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;
  database = g_tls_file_database_new (input->ca, &error);
  if (database == NULL)
    {
      report->error = g_strdup_printf ("pinned CA: %s", error->message);
      return;
    }
  client_cert = g_tls_certificate_new_from_files (input->cert, input->key, &error);
  if (client_cert == NULL)
    {
      report->error = g_strdup_printf ("kiosk certificate: %s", error->message);
      return;
    }
  g_socket_client_set_timeout (client, 10);
  started = g_get_monotonic_time ();
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) port,
                                                cancellable, &error);
  if (connection == NULL)
    {
      report->error = g_strdup_printf ("connect: %s", error->message);
      return;
    }
  identity = g_network_address_new (g_uri_get_host (uri), (guint16) port);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (tls == NULL)
    {
      report->error = g_strdup_printf ("TLS: %s", error->message);
      return;
    }
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), client_cert);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &error))
    {
      report->error = g_strdup_printf ("TLS handshake: %s", error->message);
      return;
    }
  report->round_trip_ms = (double) (g_get_monotonic_time () - started) / 1000.0;
  report->protocol
      = g_strdup (protocol_name (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls))));
  report->cipher = g_tls_connection_get_ciphersuite_name (G_TLS_CONNECTION (tls));
  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  if (peer != NULL)
    {
      g_autoptr (GDateTime) until = g_tls_certificate_get_not_valid_after (peer);

      report->server_subject = g_tls_certificate_get_subject_name (peer);
      report->server_issuer = g_tls_certificate_get_issuer_name (peer);
      report->server_valid_until = linli_platform_probe_format_time (until);
    }
  g_io_stream_close (tls, NULL, NULL);
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const ProbeInput *input = task_data;
  LinliPlatformProbe *report = g_new0 (LinliPlatformProbe, 1);

  report->url = g_strdup (input->url);
  probe (input, report, cancellable);
  g_task_return_pointer (task, report, (GDestroyNotify) linli_platform_probe_free);
}

void
linli_platform_probe_async (LinliConfig *config,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const char *url;
  ProbeInput *input;

  g_return_if_fail (LINLI_IS_CONFIG (config));
  g_task_set_source_tag (task, linli_platform_probe_async);
  url = linli_config_get_string (config, "platform", "url");
  if (url == NULL || *url == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "no county platform configured ([platform] url is empty)");
      return;
    }
  /* Copies: the configuration is not for other threads. */
  input = g_new0 (ProbeInput, 1);
  input->url = g_strdup (url);
  input->ca = g_strdup (linli_config_get_string (config, "platform", "ca"));
  input->cert = g_strdup (linli_config_get_string (config, "platform", "cert"));
  input->key = g_strdup (linli_config_get_string (config, "platform", "key"));
  g_task_set_task_data (task, input, (GDestroyNotify) probe_input_free);
  g_task_run_in_thread (task, probe_thread);
}

LinliPlatformProbe *
linli_platform_probe_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
