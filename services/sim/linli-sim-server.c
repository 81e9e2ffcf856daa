/* linli-sim-server.c — the simulator's two listeners and the path of every
 * request: client certificate, kiosk id, route, idempotency, faults,
 * handler, answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Client certificates are REQUESTED, not REQUIRED, and every certificate
 * is let through the handshake: the checks happen here, so a kiosk without
 * a certificate, or with an expired or foreign one, gets a clear 401 in the
 * contract's Error shape instead of a TLS alert it could only guess at. */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-server.h"

#include <libsoup/soup.h>
#include <string.h>

#include "linli-sim-faults.h"
#include "linli-sim-seed.h"
#include "linli-sim-util.h"

#define OVERSIZED_BYTES (4 * 1024 * 1024 + 64 * 1024)

struct _LinliSimServer
{
  GObject parent_instance;
  LinliSimConfig config;
  char *listen;
  LinliSimDb *db;
  LinliSimFaults *faults;
  GTlsCertificate *certificate;
  GTlsDatabase *client_ca;
  SoupServer *api;
  SoupServer *control;
  guint port;
  guint control_port;
  GHashTable *operation_counts; /* operation -> count (GUINT_TO_POINTER) */
  GHashTable *key_counts;       /* key -> KeyCount */
  guint total_requests;
  guint faults_applied;
};

G_DEFINE_TYPE (LinliSimServer, linli_sim_server, G_TYPE_OBJECT)

GQuark
linli_sim_server_error_quark (void)
{
  return g_quark_from_static_string ("linli-sim-server-error-quark");
}

typedef struct
{
  char *kiosk_id;
  guint received;
} KeyCount;

static void
key_count_free (KeyCount *count)
{
  g_free (count->kiosk_id);
  g_free (count);
}

/* One API request on its way through the simulator. */
typedef struct
{
  LinliSimServer *self;
  SoupServerMessage *msg;
  char *path; /* below the base path */
  char *full_path;
  char *request_id;
  GHashTable *query;
  const LinliSimRoute *route;
  char **params;
  char *kiosk_id;
  char *key;
  gboolean claimed; /* our in_progress row is in idempotency_keys */
  gboolean paused;
  gboolean gone; /* the connection closed under the paused message */
  gulong disconnected;
  LinliSimFault *action;
  LinliSimResponse *early; /* decided before the handler (refusal, replay) */
  SoupMultipart *multipart;
  GBytes *body;
  gint64 started_us;
} Call;

static void
call_free (Call *call)
{
  g_clear_signal_handler (&call->disconnected, call->msg);
  g_object_unref (call->self);
  g_object_unref (call->msg);
  g_free (call->path);
  g_free (call->full_path);
  g_free (call->request_id);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_strfreev (call->params);
  g_free (call->kiosk_id);
  g_free (call->key);
  linli_sim_fault_free (call->action);
  linli_sim_response_free (call->early);
  g_clear_pointer (&call->multipart, soup_multipart_free);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* ---- authentication ---- */

/* The CN of a subject DN as GnuTLS prints it ("CN=LL-DEMO-0001,O=…"). */
static char *
common_name (GTlsCertificate *certificate)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);
  g_auto (GStrv) parts = NULL;

  if (subject == NULL)
    return NULL;
  parts = g_strsplit (subject, ",", -1);
  for (int i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_ascii_strncasecmp (part, "CN=", 3) == 0)
        return g_strdup (part + 3);
    }
  return NULL;
}

/* libsoup 3.2 gives the peer certificate to the first message of a
 * connection only (the later ones on a kept-alive connection see NULL), so
 * it is kept with the connection's socket for them. */
static GTlsCertificate *
peer_certificate (SoupServerMessage *msg, GTlsCertificateFlags *errors)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket = soup_server_message_get_socket (msg);

  if (peer != NULL)
    {
      *errors = soup_server_message_get_tls_peer_certificate_errors (msg);
      if (socket != NULL)
        {
          g_object_set_data_full (G_OBJECT (socket), "linli-peer-certificate", g_object_ref (peer),
                                  g_object_unref);
          g_object_set_data (G_OBJECT (socket), "linli-peer-errors", GUINT_TO_POINTER (*errors));
        }
      return peer;
    }
  if (socket == NULL)
    return NULL;
  *errors = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), "linli-peer-errors"));
  return g_object_get_data (G_OBJECT (socket), "linli-peer-certificate");
}

static LinliSimResponse *
authenticate (Call *call)
{
  GTlsCertificateFlags errors = 0;
  GTlsCertificate *peer = peer_certificate (call->msg, &errors);
  const char *header = soup_message_headers_get_one (
      soup_server_message_get_request_headers (call->msg), "X-Linli-Kiosk-Id");
  g_autofree char *cn = NULL;

  if (peer == NULL)
    return linli_sim_response_new_error ("CLIENT_CERT_REQUIRED");
  if (errors != 0)
    {
      g_message ("req=%s client certificate refused (flags 0x%x)", call->request_id, errors);
      return linli_sim_response_new_error ("CLIENT_CERT_INVALID");
    }
  cn = common_name (peer);
  if (cn == NULL)
    return linli_sim_response_new_error ("CLIENT_CERT_INVALID");
  if (header == NULL || !g_str_equal (header, cn))
    return linli_sim_response_new_error ("KIOSK_ID_MISMATCH");
  call->kiosk_id = g_steal_pointer (&cn);
  return linli_sim_ops_check_kiosk (call->self->db, call->kiosk_id);
}

/* Every certificate passes the handshake; authenticate() decides. */
static gboolean
accept_any_certificate (SoupServerMessage *msg,
                        GTlsCertificate *certificate,
                        GTlsCertificateFlags errors,
                        gpointer user_data)
{
  return TRUE;
}

/* ---- request bodies over the limit ---- */

/* The kiosk's X-Request-Id when it is a UUID (never anything else it
 * sent), or a new one. */
static char *
request_id_of (SoupServerMessage *msg)
{
  const char *id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                 "X-Request-Id");

  if (id != NULL && strlen (id) <= 64 && g_uuid_string_is_valid (id))
    return g_strdup (id);
  return g_uuid_string_random ();
}

static void
too_large (SoupServerMessage *msg)
{
  g_autoptr (LinliSimResponse) response = linli_sim_response_new_error ("PAYLOAD_TOO_LARGE");
  g_autofree char *request_id = request_id_of (msg);

  g_object_set_data (G_OBJECT (msg), "linli-too-large", GINT_TO_POINTER (1));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  g_message ("req=%s request body over %zu bytes refused", request_id,
             (gsize) soup_message_headers_get_content_length (
                 soup_server_message_get_request_headers (msg)));
  linli_sim_response_apply (response, msg, request_id);
}

static void
got_headers (SoupServerMessage *msg, LinliSimServer *self)
{
  goffset length
      = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  /* Refused before reading: with Expect: 100-continue the body is never
   * sent at all. */
  if (length > (goffset) self->config.max_upload)
    too_large (msg);
}

static void
got_chunk (SoupServerMessage *msg, GBytes *chunk, LinliSimServer *self)
{
  gsize read = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), "linli-read"));

  read += g_bytes_get_size (chunk);
  g_object_set_data (G_OBJECT (msg), "linli-read", GSIZE_TO_POINTER (read));
  if (read > self->config.max_upload && !g_object_get_data (G_OBJECT (msg), "linli-too-large"))
    too_large (msg);
}

static void
request_started (SoupServer *server, SoupServerMessage *msg, LinliSimServer *self)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk), self, 0);
}

/* ---- idempotency ---- */

/* What a submission "is" for deduplication: the operation's path and the
 * body. For multipart, the parts' names, types and bytes in order but not
 * the boundary, which a client may draw anew for every attempt. */
static char *
body_hash (Call *call)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *method = soup_server_message_get_method (call->msg);

  g_checksum_update (checksum, (const guchar *) method, -1);
  g_checksum_update (checksum, (const guchar *) " ", 1);
  g_checksum_update (checksum, (const guchar *) call->path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (call->multipart != NULL)
    {
      for (int i = 0; i < soup_multipart_get_length (call->multipart); i++)
        {
          SoupMessageHeaders *headers = NULL;
          GBytes *body = NULL;
          g_autoptr (GHashTable) params = NULL;
          g_autofree char *header = NULL;
          const char *type;

          if (!soup_multipart_get_part (call->multipart, i, &headers, &body))
            continue;
          soup_message_headers_get_content_disposition (headers, NULL, &params);
          type = soup_message_headers_get_content_type (headers, NULL);
          header = g_strdup_printf (
              "part %s %s %zu\n", params ? (const char *) g_hash_table_lookup (params, "name") : "",
              type ? type : "", g_bytes_get_size (body));
          g_checksum_update (checksum, (const guchar *) header, -1);
          g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
        }
    }
  else if (call->body != NULL)
    g_checksum_update (checksum, g_bytes_get_data (call->body, NULL),
                       g_bytes_get_size (call->body));
  return g_strdup (g_checksum_get_string (checksum));
}

static void
count_key (LinliSimServer *self, const char *kiosk_id, const char *key)
{
  KeyCount *count = g_hash_table_lookup (self->key_counts, key);

  if (count == NULL)
    {
      count = g_new0 (KeyCount, 1);
      count->kiosk_id = g_strdup (kiosk_id);
      g_hash_table_insert (self->key_counts, g_strdup (key), count);
    }
  count->received++;
}

static LinliSimResponse *
replay (const char *stored)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  LinliSimResponse *response;

  if (stored == NULL || !json_parser_load_from_data (parser, stored, -1, NULL))
    return linli_sim_response_new_error ("INTERNAL_ERROR");
  /* The first result again, as 200 whatever it first was (201, 202). */
  response = linli_sim_response_new (SOUP_STATUS_OK, json_node_ref (json_parser_get_root (parser)));
  response->replayed = TRUE;
  return response;
}

static LinliSimResponse *
claim (Call *call)
{
  LinliSimServer *self = call->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) row = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *created = NULL;
  g_autoptr (GDateTime) now = linli_sim_now ();

  if (key == NULL || *key == '\0')
    return linli_sim_response_new_error ("IDEMPOTENCY_KEY_MISSING");
  if (!g_uuid_string_is_valid (key))
    return linli_sim_response_new_error ("BAD_REQUEST");
  call->key = g_ascii_strdown (key, -1);
  count_key (self, call->kiosk_id, call->key);
  if (call->route->flags & LINLI_SIM_ROUTE_MULTIPART)
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      if (g_strcmp0 (type, "multipart/form-data") != 0)
        return linli_sim_response_new_error ("BAD_REQUEST");
      call->multipart = soup_multipart_new_from_message (headers, call->body);
      if (call->multipart == NULL)
        return linli_sim_response_new_error ("BAD_REQUEST");
    }
  hash = body_hash (call);
  row = linli_sim_db_query (self->db, &error,
                            "SELECT body_hash, status, response FROM idempotency_keys"
                            " WHERE kiosk_id = ? AND key = ?",
                            "ss", call->kiosk_id, call->key);
  if (row == NULL)
    return linli_sim_response_new_error ("INTERNAL_ERROR");
  if (linli_sim_db_step (self->db, row, &error))
    {
      if (!g_str_equal (linli_sim_db_text (row, 0), hash))
        return linli_sim_response_new_error ("IDEMPOTENCY_CONFLICT");
      if (g_str_equal (linli_sim_db_text (row, 1), "in_progress"))
        return linli_sim_response_new_retry ("IDEMPOTENCY_IN_PROGRESS", 1);
      return replay (linli_sim_db_text_or_null (row, 2));
    }
  if (error != NULL)
    return linli_sim_response_new_error ("INTERNAL_ERROR");
  created = linli_sim_format_time (now);
  if (!linli_sim_db_run (
          self->db, &error,
          "INSERT INTO idempotency_keys (kiosk_id, key, operation, body_hash, status,"
          " created) VALUES (?, ?, ?, ?, 'in_progress', ?)",
          "sssss", call->kiosk_id, call->key, call->route->operation, hash, created))
    {
      g_warning ("req=%s idempotency claim: %s", call->request_id, error->message);
      return linli_sim_response_new_error ("INTERNAL_ERROR");
    }
  call->claimed = TRUE;
  return NULL;
}

static void
release_claim (Call *call)
{
  g_autoptr (GError) error = NULL;

  if (!call->claimed)
    return;
  call->claimed = FALSE;
  if (!linli_sim_db_run (call->self->db, &error,
                         "DELETE FROM idempotency_keys WHERE kiosk_id = ? AND key = ?"
                         " AND status = 'in_progress'",
                         "ss", call->kiosk_id, call->key))
    g_warning ("req=%s idempotency release: %s", call->request_id, error->message);
}

/* ---- running the operation ---- */

static LinliSimResponse *
run_handler (Call *call)
{
  LinliSimServer *self = call->self;
  g_autoptr (GDateTime) now = linli_sim_now ();
  g_autoptr (GError) error = NULL;
  LinliSimRequest request = {
    .db = self->db,
    .settings = &self->config.settings,
    .kiosk_id = call->kiosk_id,
    .operation = call->route->operation,
    .params = call->params,
    .query = call->query,
    .headers = soup_server_message_get_request_headers (call->msg),
    .body = call->body,
    .multipart = call->multipart,
    .idempotency_key = call->key,
    .now = now,
  };
  LinliSimResponse *response;
  g_autoptr (GBytes) stored = NULL;
  g_autofree char *completed = NULL;

  if (!call->claimed)
    return call->route->handler (&request);

  /* The effect and the idempotency row commit together: a simulator
   * killed in between has done neither. */
  if (!linli_sim_db_begin (self->db, &error))
    {
      release_claim (call);
      return linli_sim_response_new_error ("INTERNAL_ERROR");
    }
  response = call->route->handler (&request);
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      linli_sim_db_rollback (self->db);
      release_claim (call);
      return response;
    }
  stored = linli_sim_response_get_body (response, NULL);
  completed = linli_sim_format_time (now);
  if (!linli_sim_db_run (self->db, &error,
                         "UPDATE idempotency_keys SET status = 'completed', response_status = ?,"
                         " response = ?, completed = ? WHERE kiosk_id = ? AND key = ?",
                         "issss", (int) response->status,
                         (const char *) g_bytes_get_data (stored, NULL), completed, call->kiosk_id,
                         call->key)
      || !linli_sim_db_commit (self->db, &error))
    {
      g_warning ("req=%s %s: %s", call->request_id, call->route->operation, error->message);
      linli_sim_db_rollback (self->db);
      release_claim (call);
      linli_sim_response_free (response);
      return linli_sim_response_new_error ("INTERNAL_ERROR");
    }
  call->claimed = FALSE; /* completed now */
  return response;
}

/* A status fault: what a failing platform (or a proxy in front of it)
 * answers. Codes of the contract get its Error body; other statuses (502,
 * 504…) get a proxy's HTML page, which the kiosk must survive too. */
static LinliSimResponse *
fault_status (const LinliSimFault *fault)
{
  const char *code = fault->code;
  LinliSimResponse *response;

  if (code == NULL)
    switch (fault->status)
      {
      case 400:
        code = "BAD_REQUEST";
        break;
      case 401:
        code = "CLIENT_CERT_INVALID";
        break;
      case 403:
        code = "KIOSK_DISABLED";
        break;
      case 404:
        code = "NOT_FOUND";
        break;
      case 409:
        code = "IDEMPOTENCY_IN_PROGRESS";
        break;
      case 413:
        code = "PAYLOAD_TOO_LARGE";
        break;
      case 422:
        code = "VALIDATION_FAILED";
        break;
      case 429:
        code = "RATE_LIMITED";
        break;
      case 500:
        code = "INTERNAL_ERROR";
        break;
      case 503:
        code = "UPSTREAM_UNAVAILABLE";
        break;
      default:
        break;
      }
  if (code == NULL)
    {
      g_autofree char *page
          = g_strdup_printf ("<html><head><title>%u</title></head><body>"
                             "<center><h1>%u %s</h1></center><hr>"
                             "<center>nginx</center></body></html>\n",
                             fault->status, fault->status, soup_status_get_phrase (fault->status));
      g_autoptr (GBytes) body = g_bytes_new_take (g_steal_pointer (&page), strlen (page));

      return linli_sim_response_new_raw (fault->status, "text/html", body);
    }
  if (fault->retry_after >= 0 || g_str_equal (code, "RATE_LIMITED") || fault->status == 503
      || g_str_equal (code, "IDEMPOTENCY_IN_PROGRESS"))
    response = linli_sim_response_new_retry (
        code, fault->retry_after >= 0 ? (guint) fault->retry_after : 1);
  else
    response = linli_sim_response_new_error (code);
  response->status = fault->status;
  return response;
}

/* Truncated JSON, with a 2xx status: a platform (or a proxy) that cut the
 * body short while saying all is well. */
static void
make_malformed (LinliSimResponse *response, const char *request_id)
{
  g_autoptr (GBytes) body = linli_sim_response_get_body (response, request_id);
  gsize size = g_bytes_get_size (body);
  gsize keep = size > 2 ? size / 2 : 0;
  g_autofree char *broken
      = keep > 0
            ? g_strdup_printf ("%.*s", (int) keep, (const char *) g_bytes_get_data (body, NULL))
            : g_strdup ("{\"broken\": ");
  g_autoptr (GBytes) bytes = g_bytes_new (broken, strlen (broken));
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->raw, g_bytes_unref);
  response->raw = g_steal_pointer (&bytes);
  g_free (response->content_type);
  response->content_type = g_strdup ("application/json; charset=utf-8");
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    response->status = SOUP_STATUS_OK;
}

/* Well-formed JSON over the kiosk's 4 MiB limit: the real answer with a
 * padding member. */
static void
make_oversized (LinliSimResponse *response, const char *request_id)
{
  g_autoptr (GBytes) body = linli_sim_response_get_body (response, request_id);
  GString *big = g_string_sized_new (OVERSIZED_BYTES + g_bytes_get_size (body) + 32);
  const char *text = g_bytes_get_data (body, NULL);
  gsize size = g_bytes_get_size (body);

  g_string_append (big, "{\"x_padding\": \"");
  for (gsize i = 0; i < OVERSIZED_BYTES; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"");
  /* The real members after the padding. */
  if (size > 2 && text[0] == '{' && text[1] != '}')
    {
      g_string_append (big, ", ");
      g_string_append_len (big, text + 1, (gssize) size - 1);
    }
  else
    g_string_append (big, "}");
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->raw, g_bytes_unref);
  response->raw = g_string_free_to_bytes (big);
  g_free (response->content_type);
  response->content_type = g_strdup ("application/json; charset=utf-8");
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    response->status = SOUP_STATUS_OK;
}

typedef struct
{
  Call *call;
  GBytes *partial; /* what is written before the close; NULL: nothing */
} Drop;

/* Closes the connection under the message: from an idle callback, because
 * libsoup frees the message when its connection is stolen. */
static gboolean
drop_connection (gpointer user_data)
{
  Drop *drop = user_data;
  g_autoptr (GIOStream) stream
      = drop->call->gone ? NULL : soup_server_message_steal_connection (drop->call->msg);
  g_autoptr (GError) error = NULL;

  if (stream != NULL && drop->partial != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream),
                               g_bytes_get_data (drop->partial, NULL),
                               g_bytes_get_size (drop->partial), NULL, NULL, &error);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  g_clear_pointer (&drop->partial, g_bytes_unref);
  call_free (drop->call);
  g_free (drop);
  return G_SOURCE_REMOVE;
}

static void
schedule_drop (Call *call, LinliSimResponse *response)
{
  Drop *drop = g_new0 (Drop, 1);

  if (!call->paused)
    {
      soup_server_message_pause (call->msg);
      call->paused = TRUE;
    }
  if (response != NULL)
    {
      /* The status line, the headers and half of the body. */
      g_autoptr (GBytes) body = linli_sim_response_get_body (response, call->request_id);
      GString *head = g_string_new (NULL);
      gsize size = g_bytes_get_size (body);

      g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", response->status,
                              soup_status_get_phrase (response->status));
      g_string_append (head, "Content-Type: application/json; charset=utf-8\r\n");
      g_string_append_printf (head, "Content-Length: %zu\r\n", size);
      g_string_append_printf (head, "X-Request-Id: %s\r\n\r\n", call->request_id);
      g_string_append_len (head, g_bytes_get_data (body, NULL), (gssize) (size / 2));
      drop->partial = g_string_free_to_bytes (head);
    }
  drop->call = call;
  g_idle_add (drop_connection, drop);
}

static void
log_call (Call *call, guint status, const char *what)
{
  g_debug ("req=%s kiosk=%s op=%s status=%u%s%s %" G_GINT64_FORMAT " ms", call->request_id,
           call->kiosk_id ? call->kiosk_id : "-", call->route ? call->route->operation : "-",
           status, what ? " " : "", what ? what : "",
           (g_get_monotonic_time () - call->started_us) / 1000);
}

/* After the latency, if any: the rest of the request's way. */
static void
finish_call (Call *call)
{
  g_autoptr (LinliSimResponse) response = NULL;
  LinliSimFault *action = call->action;

  if (action != NULL)
    call->self->faults_applied++;
  if (action != NULL && action->kind == LINLI_SIM_FAULT_STATUS)
    {
      release_claim (call);
      response = fault_status (action);
    }
  else if (action != NULL && action->kind == LINLI_SIM_FAULT_DROP_REQUEST)
    {
      release_claim (call);
      log_call (call, 0, "dropped before the effect");
      schedule_drop (call, NULL);
      return;
    }
  else if (call->early != NULL)
    response = g_steal_pointer (&call->early);
  else
    response = run_handler (call);

  if (action != NULL && action->kind == LINLI_SIM_FAULT_DROP_RESPONSE)
    {
      log_call (call, response->status, "dropped mid-answer");
      schedule_drop (call, response);
      return;
    }
  if (action != NULL && action->kind == LINLI_SIM_FAULT_MALFORMED_JSON)
    make_malformed (response, call->request_id);
  if (action != NULL && action->kind == LINLI_SIM_FAULT_OVERSIZED)
    make_oversized (response, call->request_id);
  log_call (call, response->status,
            call->gone           ? "(the kiosk had gone)"
            : response->replayed ? "replayed"
                                 : NULL);
  /* Its effect, if any, stays: the kiosk resends and gets the replay. */
  if (!call->gone)
    {
      linli_sim_response_apply (response, call->msg, call->request_id);
      if (call->paused)
        soup_server_message_unpause (call->msg);
    }
  call_free (call);
}

static void
message_disconnected (SoupServerMessage *msg, Call *call)
{
  call->gone = TRUE;
}

static gboolean
latency_done (gpointer user_data)
{
  finish_call (user_data);
  return G_SOURCE_REMOVE;
}

static void
api_callback (SoupServer *server,
              SoupServerMessage *msg,
              const char *path,
              GHashTable *query,
              gpointer user_data)
{
  LinliSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Call *call = g_new0 (Call, 1);
  guint latency = 0;
  g_autoptr (GBytes) body = NULL;

  call->self = g_object_ref (self);
  call->msg = g_object_ref (msg);
  call->disconnected
      = g_signal_connect (msg, "disconnected", G_CALLBACK (message_disconnected), call);
  call->started_us = g_get_monotonic_time ();
  call->full_path = g_strdup (path);
  call->query = query ? g_hash_table_ref (query) : NULL;
  call->request_id = request_id_of (msg);
  self->total_requests++;

  if (g_object_get_data (G_OBJECT (msg), "linli-too-large"))
    {
      g_autoptr (LinliSimResponse) response = linli_sim_response_new_error ("PAYLOAD_TOO_LARGE");

      log_call (call, 413, "too large");
      linli_sim_response_apply (response, msg, call->request_id);
      call_free (call);
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  call->body = g_bytes_ref (body);
  if (g_str_has_prefix (path, LINLI_SIM_BASE_PATH "/"))
    {
      call->path = g_strdup (path + strlen (LINLI_SIM_BASE_PATH));
      call->route = linli_sim_ops_find_route (method, call->path, &call->params);
    }
  g_hash_table_insert (
      self->operation_counts, g_strdup (call->route ? call->route->operation : "unknown"),
      GUINT_TO_POINTER (
          GPOINTER_TO_UINT (g_hash_table_lookup (self->operation_counts,
                                                 call->route ? call->route->operation : "unknown"))
          + 1));
  /* Faults hit authenticated kiosks only: a refused certificate stays a
   * refused certificate. */
  call->early = authenticate (call);
  if (call->early == NULL)
    linli_sim_faults_match (self->faults, method, path, &latency, &call->action);
  if (call->early == NULL && call->route == NULL)
    call->early = linli_sim_response_new_error ("NOT_FOUND");
  if (call->early == NULL && (call->route->flags & LINLI_SIM_ROUTE_IDEMPOTENT))
    call->early = claim (call);

  if (latency > 0)
    {
      soup_server_message_pause (msg);
      call->paused = TRUE;
      g_timeout_add (latency, latency_done, call);
      return;
    }
  finish_call (call);
}

/* ---- control listener ---- */

static void
control_reply (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
  json_node_unref (node);
}

static void
control_error (SoupServerMessage *msg, guint status, const char *message)
{
  g_autoptr (JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "error", message);
  json_node_set_object (node, object);
  control_reply (msg, status, node);
}

static JsonNode *
stats_json (LinliSimServer *self)
{
  g_autoptr (JsonObject) stats = json_object_new ();
  JsonObject *requests = json_object_new ();
  JsonObject *keys = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter iter;
  gpointer name, value;
  gsize n_routes;
  const LinliSimRoute *routes = linli_sim_ops_get_routes (&n_routes);

  /* Every operation, requested or not, so a test can read zeros. */
  for (gsize i = 0; i < n_routes; i++)
    json_object_set_int_member (requests, routes[i].operation, 0);
  g_hash_table_iter_init (&iter, self->operation_counts);
  while (g_hash_table_iter_next (&iter, &name, &value))
    json_object_set_int_member (requests, name, GPOINTER_TO_UINT (value));
  g_hash_table_iter_init (&iter, self->key_counts);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      KeyCount *count = value;
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "kiosk_id", count->kiosk_id);
      json_object_set_int_member (entry, "received", count->received);
      json_object_set_object_member (keys, name, entry);
    }
  json_object_set_int_member (stats, "total", self->total_requests);
  json_object_set_int_member (stats, "faults_applied", self->faults_applied);
  json_object_set_object_member (stats, "requests", requests);
  json_object_set_object_member (stats, "idempotency_keys", keys);
  json_node_set_object (node, stats);
  return node;
}

static void
control_ops_reply (SoupServerMessage *msg, LinliSimResponse *response)
{
  control_reply (msg, response->status, json_node_ref (response->json));
  linli_sim_response_free (response);
}

static void
control_callback (SoupServer *server,
                  SoupServerMessage *msg,
                  const char *path,
                  GHashTable *query,
                  gpointer user_data)
{
  LinliSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (GDateTime) now = linli_sim_now ();
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  gboolean post = g_str_equal (method, "POST"), get = g_str_equal (method, "GET");
  gboolean put = g_str_equal (method, "PUT"), delete = g_str_equal (method, "DELETE");

  if (g_str_equal (path, "/health") && get)
    {
      JsonNode *node = json_from_string ("{\"ok\": true}", NULL);

      control_reply (msg, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (path, "/faults") && post)
    {
      g_autoptr (GError) error = NULL;
      guint id = 0;

      if (!linli_sim_faults_add_json (self->faults, body, &id, &error))
        control_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      else
        {
          g_autofree char *text = g_strdup_printf ("{\"id\": %u}", id);

          control_reply (msg, SOUP_STATUS_CREATED, json_from_string (text, NULL));
        }
    }
  else if (g_str_equal (path, "/faults") && get)
    control_reply (msg, SOUP_STATUS_OK, linli_sim_faults_to_json (self->faults));
  else if (g_str_equal (path, "/faults") && delete)
    {
      linli_sim_faults_clear (self->faults);
      g_message ("control: faults cleared");
      control_reply (msg, SOUP_STATUS_OK, json_from_string ("{\"cleared\": true}", NULL));
    }
  else if (g_str_equal (path, "/heartbeats/last") && get)
    {
      /* The last heartbeat's body as the kiosk sent it (tests read it back). */
      g_autoptr (GError) error = NULL;
      g_autofree char *text = linli_sim_db_query_text (
          self->db, &error, "SELECT body FROM heartbeats ORDER BY heartbeat_id DESC LIMIT 1", "");

      if (text != NULL)
        control_reply (msg, SOUP_STATUS_OK, json_from_string (text, NULL));
      else
        control_error (msg, SOUP_STATUS_NOT_FOUND,
                       error != NULL ? error->message : "no heartbeat received yet");
    }
  else if (g_str_equal (path, "/stats") && get)
    control_reply (msg, SOUP_STATUS_OK, stats_json (self));
  else if (g_str_equal (path, "/stats") && delete)
    {
      g_hash_table_remove_all (self->operation_counts);
      g_hash_table_remove_all (self->key_counts);
      self->total_requests = 0;
      self->faults_applied = 0;
      control_reply (msg, SOUP_STATUS_OK, stats_json (self));
    }
  else if (n == 4 && g_str_equal (parts[1], "payments") && g_str_equal (parts[3], "pay") && post)
    control_ops_reply (msg, linli_sim_ops_pay_order (self->db, parts[2], now));
  else if (n == 4 && g_str_equal (parts[1], "payments") && g_str_equal (parts[3], "expire") && post)
    control_ops_reply (msg, linli_sim_ops_expire_order (self->db, parts[2], now));
  else if (n == 4 && g_str_equal (parts[1], "applications") && g_str_equal (parts[3], "status")
           && post)
    control_ops_reply (msg, linli_sim_ops_set_application_status (self->db, parts[2], body, now));
  else if (n == 3 && g_str_equal (parts[1], "kiosks") && put)
    control_ops_reply (msg, linli_sim_ops_put_kiosk (self->db, parts[2], body, now));
  else if (n == 3 && g_str_equal (parts[1], "kiosks") && delete)
    control_ops_reply (msg, linli_sim_ops_delete_kiosk (self->db, parts[2]));
  else if (g_str_equal (path, "/catalog/publish") && post)
    control_ops_reply (msg, linli_sim_ops_publish_catalog (self->db, now));
  else if (g_str_equal (path, "/maintenance") && put)
    control_ops_reply (msg, linli_sim_ops_put_maintenance (self->db, body));
  else if (g_str_equal (path, "/maintenance") && delete)
    control_ops_reply (msg, linli_sim_ops_delete_maintenance (self->db));
  else if (g_str_equal (path, "/resident-refs/expire") && post)
    control_ops_reply (msg, linli_sim_ops_expire_resident_refs (self->db));
  else
    control_error (msg, SOUP_STATUS_NOT_FOUND, "unknown control request");
}

/* ---- set-up ---- */

LinliSimServer *
linli_sim_server_new (const LinliSimConfig *config, GError **error)
{
  g_autoptr (LinliSimServer) self = g_object_new (LINLI_TYPE_SIM_SERVER, NULL);
  g_autoptr (GDateTime) now = linli_sim_now ();

  self->config = *config;
  self->listen = g_strdup (config->listen ? config->listen : "127.0.0.1");
  self->config.listen = self->listen;
  self->config.cert = self->config.key = self->config.client_ca = self->config.db_path = NULL;
  self->config.register_kiosks = NULL;
  if (config->cert == NULL || config->key == NULL || config->client_ca == NULL
      || config->db_path == NULL)
    {
      g_set_error_literal (error, LINLI_SIM_SERVER_ERROR, LINLI_SIM_SERVER_ERROR_CONFIG,
                           "--cert, --key, --client-ca and --db are required");
      return NULL;
    }
  self->certificate = g_tls_certificate_new_from_files (config->cert, config->key, error);
  if (self->certificate == NULL)
    return NULL;
  self->client_ca = g_tls_file_database_new (config->client_ca, error);
  if (self->client_ca == NULL)
    return NULL;
  self->db = linli_sim_db_open (config->db_path, error);
  if (self->db == NULL)
    return NULL;
  if (config->seed && !linli_sim_seed (self->db, now, error))
    return NULL;
  for (int i = 0; config->register_kiosks && config->register_kiosks[i]; i++)
    if (!linli_sim_ops_register_kiosk (self->db, config->register_kiosks[i], now, error))
      return NULL;
  return g_steal_pointer (&self);
}

static gboolean
listen_on (SoupServer *server,
           const char *address,
           guint port,
           gboolean https,
           guint *bound,
           GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GSocketAddress) local = NULL;
  GSList *listeners;

  if (inet == NULL)
    {
      g_set_error (error, LINLI_SIM_SERVER_ERROR, LINLI_SIM_SERVER_ERROR_CONFIG,
                   "--listen: %s is not an IP address", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (!soup_server_listen (server, socket_address, https ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  /* The listener's own address (soup_server_get_uris() leaks one in
   * libsoup 3.2). */
  listeners = soup_server_get_listeners (server);
  local = listeners ? g_socket_get_local_address (listeners->data, error) : NULL;
  g_slist_free (listeners);
  if (local == NULL)
    return FALSE;
  *bound = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return TRUE;
}

gboolean
linli_sim_server_listen (LinliSimServer *self, GError **error)
{
  self->api = soup_server_new ("server-header", "linli-platform-sim", NULL);
  soup_server_set_tls_certificate (self->api, self->certificate);
  soup_server_set_tls_database (self->api, self->client_ca);
  soup_server_set_tls_auth_mode (self->api, G_TLS_AUTHENTICATION_REQUESTED);
  g_signal_connect_object (self->api, "request-started", G_CALLBACK (request_started), self, 0);
  soup_server_add_handler (self->api, NULL, api_callback, self, NULL);
  if (!listen_on (self->api, self->listen, self->config.port, TRUE, &self->port, error))
    return FALSE;
  if (self->config.control)
    {
      self->control = soup_server_new ("server-header", "linli-platform-sim-control", NULL);
      soup_server_add_handler (self->control, NULL, control_callback, self, NULL);
      if (!listen_on (self->control, self->listen, self->config.control_port, FALSE,
                      &self->control_port, error))
        return FALSE;
    }
  g_message ("listening on https://%s:%u%s (control %s:%u)", self->listen, self->port,
             LINLI_SIM_BASE_PATH, self->control ? self->listen : "off", self->control_port);
  return TRUE;
}

guint
linli_sim_server_get_port (LinliSimServer *self)
{
  return self->port;
}

guint
linli_sim_server_get_control_port (LinliSimServer *self)
{
  return self->control_port;
}

static void
linli_sim_server_dispose (GObject *object)
{
  LinliSimServer *self = LINLI_SIM_SERVER (object);

  if (self->api != NULL)
    soup_server_disconnect (self->api);
  if (self->control != NULL)
    soup_server_disconnect (self->control);
  g_clear_object (&self->api);
  g_clear_object (&self->control);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (linli_sim_server_parent_class)->dispose (object);
}

static void
linli_sim_server_finalize (GObject *object)
{
  LinliSimServer *self = LINLI_SIM_SERVER (object);

  g_clear_object (&self->faults);
  g_clear_object (&self->certificate);
  g_clear_object (&self->client_ca);
  g_hash_table_unref (self->operation_counts);
  g_hash_table_unref (self->key_counts);
  g_free (self->listen);
  G_OBJECT_CLASS (linli_sim_server_parent_class)->finalize (object);
}

static void
linli_sim_server_class_init (LinliSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_sim_server_dispose;
  object_class->finalize = linli_sim_server_finalize;
}

static void
linli_sim_server_init (LinliSimServer *self)
{
  self->faults = linli_sim_faults_new (LINLI_SIM_BASE_PATH);
  self->operation_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->key_counts
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_count_free);
}
