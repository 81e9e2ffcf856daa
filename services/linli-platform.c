/* linli-platform.c — the kiosk's client of the county platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupSession that trusts only the pinned CA, presents the kiosk's
 * certificate, and never uses a proxy. Each operation is one Request: up to
 * max_attempts attempts, each with its own deadline (a timer that cancels
 * the attempt) and a response read in chunks up to the 4 MiB cap. Only GETs
 * and POSTs with an Idempotency-Key are tried again. Every failure becomes
 * a LinliPlatformError whose message a resident can be shown; the logs get
 * the operation, the request id and the detail, never a body, a path (it
 * may hold a resident_ref) or an identity number.
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-platform.h"

#include <libsoup/soup.h>
#include <string.h>

#include "linli-build-config.h"
#include "linli-platform-error-private.h"
#include "linli-platform-json.h"

#define READ_CHUNK (64 * 1024)

struct _LinliPlatform
{
  GObject parent_instance;

  SoupSession *session;
  GTlsCertificate *client_certificate;
  char *base_url; /* without a trailing slash */
  char *kiosk_id;
  char *language;
  guint timeout_ms;
  guint upload_timeout_ms;
  guint max_attempts;
  guint first_delay_ms;
  guint max_retry_after_ms;
  gboolean keep_alive;
  LinliCatalogCache *cache;
};

G_DEFINE_TYPE (LinliPlatform, linli_platform, G_TYPE_OBJECT)

static void
linli_platform_finalize (GObject *object)
{
  LinliPlatform *self = LINLI_PLATFORM (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->client_certificate);
  g_clear_object (&self->cache);
  g_free (self->base_url);
  g_free (self->kiosk_id);
  g_free (self->language);
  G_OBJECT_CLASS (linli_platform_parent_class)->finalize (object);
}

static void
linli_platform_class_init (LinliPlatformClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_platform_finalize;
}

static void
linli_platform_init (LinliPlatform *self)
{
  self->language = g_strdup ("zh_CN");
  self->timeout_ms = LINLI_PLATFORM_TIMEOUT_MS;
  self->upload_timeout_ms = LINLI_PLATFORM_UPLOAD_TIMEOUT_MS;
  self->max_attempts = 3;
  self->first_delay_ms = 500;
  self->max_retry_after_ms = 10000;
  self->keep_alive = TRUE;
}

/* Configuration errors are for the maintainer (the kiosk's log and the
 * maintenance view), so they say which file and why. */
static gboolean config_error (GError **error, LinliPlatformError code, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
config_error (GError **error, LinliPlatformError code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (error != NULL)
    {
      g_set_error_literal (error, LINLI_PLATFORM_ERROR, (gint) code, message);
      linli_platform_error_set_detail (*error, message);
    }
  return FALSE;
}

LinliPlatform *
linli_platform_new (const char *base_url,
                    const char *kiosk_id,
                    const char *ca_file,
                    const char *cert_file,
                    const char *key_file,
                    GError **error)
{
  g_autoptr (LinliPlatform) self = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autolist (GTlsCertificate) anchors = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *user_agent = NULL;
  gsize length;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (kiosk_id != NULL, NULL);
  g_return_val_if_fail (ca_file != NULL && cert_file != NULL && key_file != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return config_error (error, LINLI_PLATFORM_ERROR_FAILED,
                         "[platform] url must be an https URL without query: %s", base_url),
           NULL;
  if (!linli_check_kiosk_id (kiosk_id))
    return config_error (error, LINLI_PLATFORM_ERROR_FAILED,
                         "[kiosk] id is not of the form LL-330102-0007 (or LL-DEMO-0001)"),
           NULL;

  /* The pinned CA alone: a database over this one file replaces the
   * system's trust store for this session. */
  anchors = g_tls_certificate_list_new_from_file (ca_file, &local_error);
  if (anchors == NULL)
    return config_error (error, LINLI_PLATFORM_ERROR_TLS, "Cannot read the platform CA %s: %s",
                         ca_file,
                         local_error != NULL ? local_error->message : "no certificate in it"),
           NULL;
  database = g_tls_file_database_new (ca_file, &local_error);
  if (database == NULL)
    return config_error (error, LINLI_PLATFORM_ERROR_TLS, "Cannot use the platform CA %s: %s",
                         ca_file, local_error->message),
           NULL;

  self = g_object_new (LINLI_TYPE_PLATFORM, NULL);
  self->client_certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
  if (self->client_certificate == NULL)
    return config_error (error, LINLI_PLATFORM_ERROR_TLS,
                         "Cannot read the kiosk certificate %s with key %s: %s", cert_file,
                         key_file, local_error->message),
           NULL;

  self->base_url = g_strdup (base_url);
  length = strlen (self->base_url);
  while (length > 0 && self->base_url[length - 1] == '/')
    self->base_url[--length] = '\0';
  self->kiosk_id = g_strdup (kiosk_id);

  /* No trailing space: libsoup would append its own name and version. */
  user_agent = g_strdup_printf ("linli-kiosk/%s", LINLI_VERSION);
  self->session = soup_session_new_with_options ("tls-database", database, "user-agent", user_agent,
                                                 "timeout", 0, "idle-timeout", 60, NULL);
  /* A proxy from the environment would see every request: none. */
  soup_session_set_proxy_resolver (self->session, NULL);
  return g_steal_pointer (&self);
}

const char *
linli_platform_get_base_url (LinliPlatform *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM (self), NULL);
  return self->base_url;
}

const char *
linli_platform_get_kiosk_id (LinliPlatform *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM (self), NULL);
  return self->kiosk_id;
}

void
linli_platform_set_language (LinliPlatform *self, const char *language)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_return_if_fail (language != NULL);
  g_free (self->language);
  self->language = g_strdup (language);
}

const char *
linli_platform_get_language (LinliPlatform *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM (self), NULL);
  return self->language;
}

static gboolean
is_english (LinliPlatform *self)
{
  return g_str_has_prefix (self->language, "en");
}

void
linli_platform_set_timeouts (LinliPlatform *self, guint request_ms, guint upload_ms)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_return_if_fail (request_ms > 0 && upload_ms > 0);
  self->timeout_ms = request_ms;
  self->upload_timeout_ms = upload_ms;
}

void
linli_platform_set_retry_policy (LinliPlatform *self,
                                 guint max_attempts,
                                 guint first_delay_ms,
                                 guint max_retry_after_ms)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_return_if_fail (max_attempts >= 1);
  self->max_attempts = max_attempts;
  self->first_delay_ms = first_delay_ms;
  self->max_retry_after_ms = max_retry_after_ms;
}

void
linli_platform_set_keep_alive (LinliPlatform *self, gboolean keep_alive)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  self->keep_alive = keep_alive;
}

void
linli_platform_set_catalog_cache (LinliPlatform *self, LinliCatalogCache *cache)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_set_object (&self->cache, cache);
}

/* ---- One request, its attempts ---------------------------------------------- */

typedef struct
{
  guint status;
  JsonNode *node; /* NULL for 304 */
  GBytes *raw;    /* the body as it came, when keep_raw */
  char *etag;
  char *request_id;
} Response;

static void
response_free (Response *response)
{
  if (response->node != NULL)
    {
      linli_json_node_wipe (response->node);
      json_node_unref (response->node);
    }
  g_clear_pointer (&response->raw, g_bytes_unref);
  g_free (response->etag);
  g_free (response->request_id);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

typedef struct
{
  LinliPlatform *self; /* a reference */
  const char *operation;
  const char *method;
  char *url;
  char *content_type;
  GBytes *body;
  char *idempotency_key;
  char *if_none_match;
  gboolean retryable;
  gboolean keep_raw;
  guint timeout_ms;
  guint attempt;
  gint64 started_us;

  GCancellable *caller; /* the GTask's, which outlives this */

  /* The attempt under way. */
  SoupMessage *message;
  GCancellable *attempt_cancellable;
  gulong cancel_handler;
  GSource *deadline;
  gboolean timed_out;
  GInputStream *stream;
  GByteArray *buffer;
  char *request_id;

  /* Waiting before the next attempt. */
  GSource *wait;
  GSource *wait_cancel;
} Request;

static void
attempt_end (Request *request)
{
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_clear_pointer (&request->deadline, g_source_unref);
    }
  if (request->cancel_handler != 0)
    {
      g_cancellable_disconnect (request->caller, request->cancel_handler);
      request->cancel_handler = 0;
    }
  if (request->stream != NULL)
    {
      /* Closing a stream that was not read to its end drops the connection
       * instead of reading the rest. */
      if (request->attempt_cancellable != NULL)
        g_cancellable_cancel (request->attempt_cancellable);
      g_input_stream_close (request->stream, request->attempt_cancellable, NULL);
      g_clear_object (&request->stream);
    }
  g_clear_object (&request->attempt_cancellable);
  g_clear_object (&request->message);
  if (request->buffer != NULL)
    {
      linli_platform_wipe (request->buffer->data, request->buffer->len);
      g_clear_pointer (&request->buffer, g_byte_array_unref);
    }
  g_clear_pointer (&request->request_id, g_free);
}

static void
wait_end (Request *request)
{
  if (request->wait != NULL)
    {
      g_source_destroy (request->wait);
      g_clear_pointer (&request->wait, g_source_unref);
    }
  if (request->wait_cancel != NULL)
    {
      g_source_destroy (request->wait_cancel);
      g_clear_pointer (&request->wait_cancel, g_source_unref);
    }
}

static void
request_free (gpointer data)
{
  Request *request = data;

  attempt_end (request);
  wait_end (request);
  g_clear_object (&request->self);
  g_free (request->url);
  g_free (request->content_type);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->idempotency_key);
  g_free (request->if_none_match);
  g_free (request);
}

static void start_attempt (GTask *task);

static void
log_failure (Request *request, const GError *error)
{
  const char *detail = linli_platform_error_get_detail (error);
  const char *request_id = linli_platform_error_get_request_id (error);

  /* No body, no path, no argument: the operation, the id and the reason
   * (the detail names the status and the platform's code). */
  g_message ("%s failed after %u attempt(s) in %.0f ms (request %s): %s", request->operation,
             request->attempt, (double) (g_get_monotonic_time () - request->started_us) / 1000.0,
             request_id != NULL ? request_id : "-", detail != NULL ? detail : error->message);
}

static gboolean
retry_worth_it (const GError *error)
{
  if (error->domain != LINLI_PLATFORM_ERROR)
    return FALSE;
  switch (error->code)
    {
    case LINLI_PLATFORM_ERROR_UNREACHABLE:
    case LINLI_PLATFORM_ERROR_TIMEOUT:
    case LINLI_PLATFORM_ERROR_SERVER:
    case LINLI_PLATFORM_ERROR_BUSY:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
wait_done (gpointer data)
{
  g_autoptr (GTask) task = g_object_ref (data);
  Request *request = g_task_get_task_data (task);

  wait_end (request);
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled (GCancellable *cancellable, gpointer data)
{
  g_autoptr (GTask) task = g_object_ref (data);
  Request *request = g_task_get_task_data (task);

  wait_end (request);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  return G_SOURCE_REMOVE;
}

/* The attempt failed with @error (taken): try again, or give up. */
static void
attempt_failed (GTask *task, GError *error)
{
  Request *request = g_task_get_task_data (task);
  LinliPlatform *self = request->self;
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay_ms;
  int retry_after;

  attempt_end (request);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      return;
    }
  retry_after = linli_platform_error_get_retry_after (error);
  delay_ms = self->first_delay_ms << MIN (request->attempt - 1, 16u);
  if (retry_after >= 0)
    delay_ms = MAX (delay_ms, (guint) MIN (retry_after, G_MAXINT / 1000) * 1000u);
  if (!request->retryable || request->attempt >= self->max_attempts || !retry_worth_it (error)
      || (retry_after >= 0 && (guint64) retry_after * 1000 > self->max_retry_after_ms))
    {
      log_failure (request, error);
      g_task_return_error (task, error);
      return;
    }

  g_debug ("%s attempt %u: %s; again in %u ms", request->operation, request->attempt,
           linli_platform_error_get_detail (error) != NULL ? linli_platform_error_get_detail (error)
                                                           : error->message,
           delay_ms);
  g_clear_error (&error);
  request->wait = g_timeout_source_new (delay_ms);
  g_source_set_callback (request->wait, wait_done, g_object_ref (task), g_object_unref);
  g_source_attach (request->wait, g_task_get_context (task));
  if (cancellable != NULL)
    {
      request->wait_cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->wait_cancel, G_SOURCE_FUNC (wait_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->wait_cancel, g_task_get_context (task));
    }
}

/* A transport error of the attempt (taken) as the kiosk sees it. */
static GError *
transport_error (Request *request, GError *io_error)
{
  g_autofree char *detail = NULL;
  LinliPlatformError code;
  GError *error;

  if (request->timed_out && g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      code = LINLI_PLATFORM_ERROR_TIMEOUT;
      detail = g_strdup_printf ("no answer within %u ms", request->timeout_ms);
    }
  else
    {
      code = linli_platform_error_classify_io (io_error);
      detail = g_strdup_printf ("%s: %s", g_quark_to_string (io_error->domain), io_error->message);
      if (code == LINLI_PLATFORM_ERROR_TLS && request->message != NULL)
        {
          GTlsCertificateFlags flags
              = soup_message_get_tls_peer_certificate_errors (request->message);

          if (flags != 0)
            {
              g_autofree char *old = g_steal_pointer (&detail);

              /* expired, unknown CA, wrong host: which check the server failed. */
              detail = g_strdup_printf ("%s (server certificate flags 0x%x)", old, flags);
            }
        }
    }
  g_error_free (io_error);
  error = linli_platform_error_new_generic (code, detail);
  linli_platform_error_set_request_id (error, request->request_id);
  return error;
}

static gboolean
deadline_passed (gpointer data)
{
  Request *request = data;

  request->timed_out = TRUE;
  if (request->attempt_cancellable != NULL)
    g_cancellable_cancel (request->attempt_cancellable);
  g_clear_pointer (&request->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *caller, gpointer data)
{
  /* Thread-safe: only cancels the attempt's own cancellable. */
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
is_json (SoupMessage *message)
{
  const char *type
      = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

/* The whole answer is in: a result, or an error to retry or return. */
static void
attempt_answered (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  guint status = soup_message_get_status (request->message);
  g_autoptr (Response) response = NULL;
  g_autoptr (GError) parse_error = NULL;
  GError *error;

  g_debug ("%s attempt %u: HTTP %u, %u bytes (request %s)", request->operation, request->attempt,
           status, request->buffer->len, request->request_id);

  if (status == SOUP_STATUS_NOT_MODIFIED && request->if_none_match != NULL)
    {
      response = g_new0 (Response, 1);
      response->status = status;
      response->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
      response->request_id = g_strdup (request->request_id);
      attempt_end (request);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) response_free);
      return;
    }
  if (status >= 200 && status < 300)
    {
      JsonNode *node = NULL;

      if (!is_json (request->message))
        linli_json_set_invalid (&parse_error, NULL, NULL, "Content-Type is not application/json");
      else
        node = linli_json_parse ((const char *) request->buffer->data, request->buffer->len,
                                 LINLI_PLATFORM_MAX_RESPONSE, &parse_error);
      if (node == NULL)
        {
          error = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                                    parse_error->message);
          linli_platform_error_set_request_id (error, request->request_id);
          attempt_failed (task, error);
          return;
        }
      response = g_new0 (Response, 1);
      response->status = status;
      response->node = node;
      response->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
      response->request_id = g_strdup (request->request_id);
      if (request->keep_raw)
        response->raw = g_bytes_new (request->buffer->data, request->buffer->len);
      attempt_end (request);
      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) response_free);
      return;
    }

  {
    g_autoptr (GBytes) body = g_bytes_new_static (request->buffer->data, request->buffer->len);

    error = linli_platform_error_new_from_response (
        status, body, soup_message_headers_get_one (headers, "Retry-After"), request->request_id,
        is_english (request->self));
  }
  attempt_failed (task, error);
}

static void
chunk_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) io_error = NULL;
  g_autoptr (GBytes) chunk
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &io_error);
  gsize size;
  const guint8 *bytes;

  if (chunk == NULL)
    {
      attempt_failed (task, transport_error (request, g_steal_pointer (&io_error)));
      return;
    }
  bytes = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
      goffset announced = soup_message_headers_get_content_length (headers);

      /* A connection closed mid-answer can look like the end of the body
       * (libsoup reads an unclean TLS close as EOF): the length tells. */
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
          && soup_message_headers_get_one (headers, "Content-Encoding") == NULL
          && (goffset) request->buffer->len < announced)
        {
          g_autofree char *detail
              = g_strdup_printf ("connection closed after %u of %" G_GOFFSET_FORMAT " bytes",
                                 request->buffer->len, announced);
          GError *error
              = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_UNREACHABLE, detail);

          linli_platform_error_set_request_id (error, request->request_id);
          attempt_failed (task, error);
          return;
        }
      /* At its end the stream closes at once and the connection goes back
       * to the pool. */
      g_input_stream_close (request->stream, NULL, NULL);
      g_clear_object (&request->stream);
      attempt_answered (task);
      return;
    }
  if (request->buffer->len + size > LINLI_PLATFORM_MAX_RESPONSE)
    {
      GError *error
          = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                              "answer larger than 4 MiB (cut off while reading)");

      linli_platform_error_set_request_id (error, request->request_id);
      attempt_failed (task, error);
      return;
    }
  g_byte_array_append (request->buffer, bytes, (guint) size);
  /* The chunk's own copy of personal data. */
  linli_platform_wipe ((gpointer) bytes, size);
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, chunk_read,
                                   g_steal_pointer (&task));
}

static void
message_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) io_error = NULL;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &io_error);
  if (request->stream == NULL)
    {
      attempt_failed (task, transport_error (request, g_steal_pointer (&io_error)));
      return;
    }
  /* Refuse an announced oversized answer before reading any of it. */
  length = soup_message_headers_get_content_length (
      soup_message_get_response_headers (request->message));
  if (length > (goffset) LINLI_PLATFORM_MAX_RESPONSE)
    {
      GError *error = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                                        "answer announced larger than 4 MiB");

      linli_platform_error_set_request_id (error, request->request_id);
      attempt_failed (task, error);
      return;
    }
  request->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, chunk_read,
                                   g_steal_pointer (&task));
}

static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  LinliPlatform *self = request->self;
  GCancellable *caller = g_task_get_cancellable (task);
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    return;
  request->attempt++;
  request->timed_out = FALSE;
  request->message = soup_message_new (request->method, request->url);
  if (request->message == NULL)
    {
      GError *error = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_FAILED,
                                                        "the request URL does not parse");

      attempt_failed (task, error);
      return;
    }
  request->request_id = g_uuid_string_random ();
  /* libsoup sends a POST on a new connection unless it is marked
   * idempotent, because it resends a message whose kept-alive connection
   * turns out closed. With an Idempotency-Key a repeat is harmless, so
   * keyed submissions may reuse connections; other POSTs keep their own. */
  soup_message_set_flags (request->message,
                          SOUP_MESSAGE_NO_REDIRECT
                              | (self->keep_alive ? 0 : SOUP_MESSAGE_NEW_CONNECTION)
                              | (request->idempotency_key != NULL ? SOUP_MESSAGE_IDEMPOTENT : 0));
  soup_message_set_tls_client_certificate (request->message, self->client_certificate);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "X-Linli-Kiosk-Id", self->kiosk_id);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Accept-Language", is_english (self) ? "en" : "zh-CN");
  soup_message_headers_replace (headers, "X-Request-Id", request->request_id);
  if (request->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", request->idempotency_key);
  if (request->if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", request->if_none_match);
  if (!self->keep_alive)
    soup_message_headers_replace (headers, "Connection", "close");
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, request->content_type,
                                              request->body);

  request->attempt_cancellable = g_cancellable_new ();
  request->caller = caller;
  if (caller != NULL)
    {
      request->cancel_handler
          = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled),
                                   g_object_ref (request->attempt_cancellable), g_object_unref);
    }
  request->deadline = g_timeout_source_new (request->timeout_ms);
  g_source_set_callback (request->deadline, deadline_passed, request, NULL);
  g_source_attach (request->deadline, g_task_get_context (task));

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->attempt_cancellable, message_sent, g_object_ref (task));
}

typedef struct
{
  const char *operation; /* for the log */
  const char *method;
  char *path; /* taken; relative to the base URL, already checked */
  const char *content_type;
  GBytes *body;
  const char *idempotency_key;
  const char *if_none_match;
  gboolean keep_raw;
} RequestSpec;

static void
request_async (LinliPlatform *self,
               RequestSpec *spec,
               GCancellable *cancellable,
               GAsyncReadyCallback callback,
               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, request_async);
  g_task_set_name (task, spec->operation);
  request->self = g_object_ref (self);
  request->operation = spec->operation;
  request->method = spec->method;
  request->url = g_strconcat (self->base_url, spec->path, NULL);
  request->content_type = g_strdup (spec->content_type);
  request->body = spec->body != NULL ? g_bytes_ref (spec->body) : NULL;
  request->idempotency_key = g_strdup (spec->idempotency_key);
  request->if_none_match = g_strdup (spec->if_none_match);
  request->keep_raw = spec->keep_raw;
  /* The contract: GETs, and POSTs whose key makes a repeat harmless. */
  request->retryable = g_str_equal (spec->method, "GET") || spec->idempotency_key != NULL;
  request->timeout_ms
      = (spec->content_type != NULL && g_str_has_prefix (spec->content_type, "multipart/"))
            ? self->upload_timeout_ms
            : self->timeout_ms;
  request->started_us = g_get_monotonic_time ();
  g_free (spec->path);
  g_task_set_task_data (task, request, request_free);
  start_attempt (task);
}

static Response *
request_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Arguments that go into a path ------------------------------------------ */

static gboolean
is_safe_path (const char *path)
{
  if (path == NULL || path[0] != '/' || strlen (path) > 256 || strstr (path, "//") != NULL
      || strstr (path, "/.") != NULL)
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/-_", *p) == NULL)
      return FALSE;
  return TRUE;
}

char *
linli_platform_path_pension_certifications (const char *resident_ref)
{
  if (!linli_check_resident_ref (resident_ref))
    return NULL;
  return g_strdup_printf ("/residents/%s/social-security/pension-certifications", resident_ref);
}

char *
linli_platform_path_evaluation (const char *application_number)
{
  if (!linli_check_application_number (application_number))
    return NULL;
  return g_strdup_printf ("/applications/%s/evaluation", application_number);
}

/* ---- Typed operations ---------------------------------------------------------- */

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

typedef struct
{
  const char *operation;
  ParseFunc parse;
  GDestroyNotify free_func;
} Typed;

static void
typed_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Typed *typed = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (Response) response = request_finish (LINLI_PLATFORM (source), result, &error);
  gpointer model;

  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Submissions: the JSON itself, taken from the response (json-glib's
   * copies share their objects, and the response wipes its tree). */
  if (typed->parse == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&response->node),
                             (GDestroyNotify) json_node_unref);
      return;
    }
  model = typed->parse (response->node, &parse_error);
  if (model == NULL)
    {
      GError *invalid = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                                          parse_error->message);

      linli_platform_error_set_request_id (invalid, response->request_id);
      /* Member paths only, never values (linli-platform-json.h). */
      g_message ("%s: invalid answer (request %s): %s", typed->operation, response->request_id,
                 parse_error->message);
      g_task_return_error (task, invalid);
      return;
    }
  g_task_return_pointer (task, model, typed->free_func);
}

static void
typed_request (LinliPlatform *self,
               gpointer source_tag,
               RequestSpec *spec,
               ParseFunc parse,
               GDestroyNotify free_func,
               GCancellable *cancellable,
               GAsyncReadyCallback callback,
               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Typed *typed = g_new0 (Typed, 1);

  g_task_set_source_tag (task, source_tag);
  typed->operation = spec->operation;
  typed->parse = parse;
  typed->free_func = free_func;
  g_task_set_task_data (task, typed, g_free);
  request_async (self, spec, cancellable, typed_done, g_steal_pointer (&task));
}

/* An argument breaks the contract: refused without a request. */
static void
report_rejected (LinliPlatform *self,
                 gpointer source_tag,
                 const char *detail,
                 GAsyncReadyCallback callback,
                 gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_message ("request refused before sending: %s", detail);
  g_task_return_error (task,
                       linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_REJECTED, detail));
}

static gpointer
typed_finish (LinliPlatform *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A GET of @path (taken) parsed with @parse. */
static void
typed_get (LinliPlatform *self,
           gpointer source_tag,
           const char *operation,
           char *path,
           ParseFunc parse,
           GDestroyNotify free_func,
           GCancellable *cancellable,
           GAsyncReadyCallback callback,
           gpointer user_data)
{
  RequestSpec spec = { .operation = operation, .method = "GET", .path = path };

  typed_request (self, source_tag, &spec, parse, free_func, cancellable, callback, user_data);
}

static gboolean
check_key (const char *key)
{
  return key != NULL && g_uuid_string_is_valid (key);
}

/* ---- Submissions (the outbox's path) --------------------------------------- */

void
linli_platform_submit_async (LinliPlatform *self,
                             const char *path,
                             const char *content_type,
                             GBytes *body,
                             const char *idempotency_key,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  RequestSpec spec = { .operation = "submit", .method = "POST" };

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_return_if_fail (body != NULL);
  if (!is_safe_path (path))
    {
      report_rejected (self, linli_platform_submit_async, "submit: not a contract path", callback,
                       user_data);
      return;
    }
  if (content_type == NULL || strlen (content_type) > 200 || strpbrk (content_type, "\r\n"))
    {
      report_rejected (self, linli_platform_submit_async, "submit: bad content type", callback,
                       user_data);
      return;
    }
  if (!check_key (idempotency_key))
    {
      report_rejected (self, linli_platform_submit_async,
                       "submit: the Idempotency-Key is not a UUID", callback, user_data);
      return;
    }
  spec.path = g_strdup (path);
  spec.content_type = content_type;
  spec.body = body;
  spec.idempotency_key = idempotency_key;
  typed_request (self, linli_platform_submit_async, &spec, NULL, NULL, cancellable, callback,
                 user_data);
}

JsonNode *
linli_platform_submit_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_submit_async, error);
}

/* ---- getCatalog, with the cache ------------------------------------------ */

typedef struct
{
  LinliCatalog *cached; /* or NULL */
  LinliCatalog *fresh;  /* the platform's, being stored */
  gboolean stale;
} CatalogRun;

static void
catalog_run_free (gpointer data)
{
  CatalogRun *run = data;

  g_clear_pointer (&run->cached, linli_catalog_unref);
  g_clear_pointer (&run->fresh, linli_catalog_unref);
  g_free (run);
}

static void
catalog_return (GTask *task, LinliCatalog *catalog, gboolean stale)
{
  CatalogRun *run = g_task_get_task_data (task);

  run->stale = stale;
  g_task_return_pointer (task, linli_catalog_ref (catalog), (GDestroyNotify) linli_catalog_unref);
}

/* The platform could not give a catalog: the cached one, marked stale. */
static void
catalog_fall_back (GTask *task, GError *error)
{
  CatalogRun *run = g_task_get_task_data (task);

  if (run->cached != NULL && error->domain == LINLI_PLATFORM_ERROR)
    {
      g_message ("getCatalog: using the cached catalog (%s)",
                 linli_platform_error_get_detail (error) != NULL
                     ? linli_platform_error_get_detail (error)
                     : error->message);
      g_error_free (error);
      catalog_return (task, run->cached, TRUE);
      return;
    }
  g_task_return_error (task, error);
}

static void
catalog_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  CatalogRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  /* A full disk costs the fallback, not this catalog. */
  if (!linli_catalog_cache_store_finish (LINLI_CATALOG_CACHE (source), result, &error))
    g_message ("getCatalog: cannot keep the catalog: %s", error->message);
  catalog_return (task, run->fresh, FALSE);
}

static void
catalog_answered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  LinliPlatform *self = LINLI_PLATFORM (source);
  CatalogRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Response) response = request_finish (self, result, &error);
  GCancellable *cancellable;

  if (response == NULL)
    {
      catalog_fall_back (task, g_steal_pointer (&error));
      return;
    }
  if (response->status == SOUP_STATUS_NOT_MODIFIED)
    {
      if (run->cached == NULL)
        {
          catalog_fall_back (
              task, linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                                      "304 without a cached catalog"));
          return;
        }
      {
        catalog_return (task, run->cached, FALSE);
        return;
      }
    }
  run->fresh = linli_catalog_new_from_json (response->node, &error);
  if (run->fresh == NULL)
    {
      GError *invalid = linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_INVALID_RESPONSE,
                                                          error->message);

      linli_platform_error_set_request_id (invalid, response->request_id);
      g_message ("getCatalog: invalid answer (request %s): %s", response->request_id,
                 error->message);
      {
        catalog_fall_back (task, invalid);
        return;
      }
    }
  if (response->etag != NULL && strlen (response->etag) <= 256)
    linli_catalog_set_etag (run->fresh, response->etag);
  if (self->cache == NULL)
    {
      catalog_return (task, run->fresh, FALSE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  linli_catalog_cache_store_async (self->cache, response->raw, run->fresh->etag, cancellable,
                                   catalog_stored, g_steal_pointer (&task));
}

static void
catalog_request (GTask *task)
{
  LinliPlatform *self = g_task_get_source_object (task);
  CatalogRun *run = g_task_get_task_data (task);
  RequestSpec spec = {
    .operation = "getCatalog",
    .method = "GET",
    .path = g_strdup ("/catalog"),
    .keep_raw = TRUE,
  };

  if (run->cached != NULL)
    spec.if_none_match = run->cached->etag;
  request_async (self, &spec, g_task_get_cancellable (task), catalog_answered, task);
}

static void
cache_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  CatalogRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  run->cached = linli_catalog_cache_load_finish (LINLI_CATALOG_CACHE (source), result, &error);
  if (run->cached == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_message ("getCatalog: ignoring the cached catalog: %s", error->message);
  catalog_request (task);
}

void
linli_platform_get_catalog_async (LinliPlatform *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_platform_get_catalog_async);
  g_task_set_task_data (task, g_new0 (CatalogRun, 1), catalog_run_free);
  if (self->cache != NULL)
    linli_catalog_cache_load_async (self->cache, cancellable, cache_loaded,
                                    g_steal_pointer (&task));
  else
    catalog_request (g_steal_pointer (&task));
}

LinliCatalog *
linli_platform_get_catalog_finish (LinliPlatform *self,
                                   GAsyncResult *result,
                                   gboolean *stale,
                                   GError **error)
{
  LinliCatalog *catalog;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  catalog = g_task_propagate_pointer (G_TASK (result), error);
  if (stale != NULL)
    *stale = catalog != NULL && ((CatalogRun *) g_task_get_task_data (G_TASK (result)))->stale;
  return catalog;
}

/* ---- The other operations ------------------------------------------------------ */

void
linli_platform_get_catalog_item_async (LinliPlatform *self,
                                       const char *item_code,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_item_code (item_code))
    {
      report_rejected (self, linli_platform_get_catalog_item_async,
                       "getCatalogItem: not an item code", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_catalog_item_async, "getCatalogItem",
             g_strdup_printf ("/catalog/items/%s", item_code),
             (ParseFunc) linli_catalog_item_new_from_json,
             (GDestroyNotify) linli_catalog_item_unref, cancellable, callback, user_data);
}

LinliCatalogItem *
linli_platform_get_catalog_item_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_get_catalog_item_async, error);
}

void
linli_platform_lookup_resident_async (LinliPlatform *self,
                                      const char *id_number,
                                      LinliLookupSource source,
                                      const char *card_valid_until,
                                      const char *staff_id,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  RequestSpec spec = { .operation = "lookupResident", .method = "POST" };

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  body = linli_platform_encode_lookup (id_number, source, card_valid_until, staff_id, &error);
  if (body == NULL)
    {
      report_rejected (self, linli_platform_lookup_resident_async,
                       "lookupResident: an argument breaks the contract", callback, user_data);
      return;
    }
  spec.path = g_strdup ("/residents/lookup");
  spec.content_type = "application/json";
  spec.body = body;
  typed_request (self, linli_platform_lookup_resident_async, &spec,
                 (ParseFunc) linli_resident_new_from_json, (GDestroyNotify) linli_resident_unref,
                 cancellable, callback, user_data);
}

LinliResident *
linli_platform_lookup_resident_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_lookup_resident_async, error);
}

void
linli_platform_get_contributions_async (LinliPlatform *self,
                                        const char *resident_ref,
                                        int year,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_resident_ref (resident_ref) || year < 1990 || year > 2100)
    {
      report_rejected (self, linli_platform_get_contributions_async,
                       "getContributionRecord: bad resident_ref or year", callback, user_data);
      return;
    }
  typed_get (
      self, linli_platform_get_contributions_async, "getContributionRecord",
      g_strdup_printf ("/residents/%s/social-security/contributions?year=%d", resident_ref, year),
      (ParseFunc) linli_contribution_record_new_from_json,
      (GDestroyNotify) linli_contribution_record_unref, cancellable, callback, user_data);
}

LinliContributionRecord *
linli_platform_get_contributions_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_get_contributions_async, error);
}

void
linli_platform_get_insured_certificate_async (LinliPlatform *self,
                                              const char *resident_ref,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_resident_ref (resident_ref))
    {
      report_rejected (self, linli_platform_get_insured_certificate_async,
                       "getInsuredCertificate: not a resident_ref", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_insured_certificate_async, "getInsuredCertificate",
             g_strdup_printf ("/residents/%s/social-security/insured-certificate", resident_ref),
             (ParseFunc) linli_insured_certificate_new_from_json,
             (GDestroyNotify) linli_insured_certificate_unref, cancellable, callback, user_data);
}

LinliInsuredCertificate *
linli_platform_get_insured_certificate_finish (LinliPlatform *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  return typed_finish (self, result, linli_platform_get_insured_certificate_async, error);
}

/* A typed POST of a submission with its key. */
static void
typed_submit (LinliPlatform *self,
              gpointer source_tag,
              const char *operation,
              char *path,
              const char *content_type,
              GBytes *body,
              const char *idempotency_key,
              ParseFunc parse,
              GDestroyNotify free_func,
              GCancellable *cancellable,
              GAsyncReadyCallback callback,
              gpointer user_data)
{
  RequestSpec spec = { .operation = operation, .method = "POST" };

  if (path == NULL || body == NULL || content_type == NULL || strpbrk (content_type, "\r\n"))
    {
      g_free (path);
      {
        report_rejected (self, source_tag, "a submission argument breaks the contract", callback,
                         user_data);
        return;
      }
    }
  if (!check_key (idempotency_key))
    {
      g_free (path);
      {
        report_rejected (self, source_tag, "the Idempotency-Key is not a UUID", callback,
                         user_data);
        return;
      }
    }
  spec.path = path;
  spec.content_type = content_type;
  spec.body = body;
  spec.idempotency_key = idempotency_key;
  typed_request (self, source_tag, &spec, parse, free_func, cancellable, callback, user_data);
}

void
linli_platform_submit_pension_certification_async (LinliPlatform *self,
                                                   const char *resident_ref,
                                                   const char *content_type,
                                                   GBytes *body,
                                                   const char *idempotency_key,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  typed_submit (
      self, linli_platform_submit_pension_certification_async, "submitPensionCertification",
      linli_platform_path_pension_certifications (resident_ref), content_type, body,
      idempotency_key, (ParseFunc) linli_pension_certification_new_from_json,
      (GDestroyNotify) linli_pension_certification_unref, cancellable, callback, user_data);
}

LinliPensionCertification *
linli_platform_submit_pension_certification_finish (LinliPlatform *self,
                                                    GAsyncResult *result,
                                                    GError **error)
{
  return typed_finish (self, result, linli_platform_submit_pension_certification_async, error);
}

void
linli_platform_get_pension_certification_async (LinliPlatform *self,
                                                const char *certification_id,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_certification_id (certification_id))
    {
      report_rejected (self, linli_platform_get_pension_certification_async,
                       "getPensionCertification: not a certification id", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_pension_certification_async, "getPensionCertification",
             g_strdup_printf ("/pension-certifications/%s", certification_id),
             (ParseFunc) linli_pension_certification_new_from_json,
             (GDestroyNotify) linli_pension_certification_unref, cancellable, callback, user_data);
}

LinliPensionCertification *
linli_platform_get_pension_certification_finish (LinliPlatform *self,
                                                 GAsyncResult *result,
                                                 GError **error)
{
  return typed_finish (self, result, linli_platform_get_pension_certification_async, error);
}

void
linli_platform_get_medical_account_async (LinliPlatform *self,
                                          const char *resident_ref,
                                          guint limit,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_resident_ref (resident_ref) || limit > 50)
    {
      report_rejected (self, linli_platform_get_medical_account_async,
                       "getMedicalInsuranceAccount: bad resident_ref or limit", callback,
                       user_data);
      return;
    }
  typed_get (
      self, linli_platform_get_medical_account_async, "getMedicalInsuranceAccount",
      limit > 0 ? g_strdup_printf ("/residents/%s/medical-insurance?limit=%u", resident_ref, limit)
                : g_strdup_printf ("/residents/%s/medical-insurance", resident_ref),
      (ParseFunc) linli_medical_insurance_account_new_from_json,
      (GDestroyNotify) linli_medical_insurance_account_unref, cancellable, callback, user_data);
}

LinliMedicalInsuranceAccount *
linli_platform_get_medical_account_finish (LinliPlatform *self,
                                           GAsyncResult *result,
                                           GError **error)
{
  return typed_finish (self, result, linli_platform_get_medical_account_async, error);
}

void
linli_platform_get_medical_contribution_due_async (LinliPlatform *self,
                                                   const char *resident_ref,
                                                   int year,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_resident_ref (resident_ref) || (year != 0 && (year < 2000 || year > 2100)))
    {
      report_rejected (self, linli_platform_get_medical_contribution_due_async,
                       "getMedicalContributionDue: bad resident_ref or year", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_medical_contribution_due_async, "getMedicalContributionDue",
             year != 0 ? g_strdup_printf (
                 "/residents/%s/medical-insurance/contribution-due?year=%d", resident_ref, year)
                       : g_strdup_printf ("/residents/%s/medical-insurance/contribution-due",
                                          resident_ref),
             (ParseFunc) linli_contribution_due_new_from_json,
             (GDestroyNotify) linli_contribution_due_unref, cancellable, callback, user_data);
}

LinliContributionDue *
linli_platform_get_medical_contribution_due_finish (LinliPlatform *self,
                                                    GAsyncResult *result,
                                                    GError **error)
{
  return typed_finish (self, result, linli_platform_get_medical_contribution_due_async, error);
}

void
linli_platform_list_utility_bills_async (LinliPlatform *self,
                                         LinliUtilityType type,
                                         const char *account_number,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  const char *type_name = linli_utility_type_to_string (type);

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (type_name == NULL || !linli_check_utility_account (account_number))
    {
      report_rejected (self, linli_platform_list_utility_bills_async,
                       "listUtilityBills: bad utility type or account number", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_list_utility_bills_async, "listUtilityBills",
             g_strdup_printf ("/utilities/%s/accounts/%s/bills", type_name, account_number),
             (ParseFunc) linli_utility_bills_new_from_json,
             (GDestroyNotify) linli_utility_bills_unref, cancellable, callback, user_data);
}

LinliUtilityBills *
linli_platform_list_utility_bills_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_list_utility_bills_async, error);
}

void
linli_platform_create_payment_order_async (LinliPlatform *self,
                                           LinliPayableKind kind,
                                           const char *payable_id,
                                           gint64 expected_amount_fen,
                                           const char *resident_ref,
                                           const char *idempotency_key,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  body = linli_platform_encode_payment_order (kind, payable_id, expected_amount_fen, resident_ref,
                                              NULL, &error);
  typed_submit (self, linli_platform_create_payment_order_async, "createPaymentOrder",
                g_strdup (LINLI_PLATFORM_PATH_PAYMENTS), "application/json", body, idempotency_key,
                (ParseFunc) linli_payment_order_new_from_json,
                (GDestroyNotify) linli_payment_order_unref, cancellable, callback, user_data);
}

LinliPaymentOrder *
linli_platform_create_payment_order_finish (LinliPlatform *self,
                                            GAsyncResult *result,
                                            GError **error)
{
  return typed_finish (self, result, linli_platform_create_payment_order_async, error);
}

void
linli_platform_get_payment_order_async (LinliPlatform *self,
                                        const char *order_id,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_order_id (order_id))
    {
      report_rejected (self, linli_platform_get_payment_order_async,
                       "getPaymentOrder: not an order id", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_payment_order_async, "getPaymentOrder",
             g_strdup_printf ("/payments/%s", order_id),
             (ParseFunc) linli_payment_order_new_from_json,
             (GDestroyNotify) linli_payment_order_unref, cancellable, callback, user_data);
}

LinliPaymentOrder *
linli_platform_get_payment_order_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_get_payment_order_async, error);
}

void
linli_platform_cancel_payment_order_async (LinliPlatform *self,
                                           const char *order_id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  RequestSpec spec = { .operation = "cancelPaymentOrder", .method = "POST" };

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_order_id (order_id))
    {
      report_rejected (self, linli_platform_cancel_payment_order_async,
                       "cancelPaymentOrder: not an order id", callback, user_data);
      return;
    }
  spec.path = g_strdup_printf ("/payments/%s/cancel", order_id);
  typed_request (self, linli_platform_cancel_payment_order_async, &spec,
                 (ParseFunc) linli_payment_order_new_from_json,
                 (GDestroyNotify) linli_payment_order_unref, cancellable, callback, user_data);
}

LinliPaymentOrder *
linli_platform_cancel_payment_order_finish (LinliPlatform *self,
                                            GAsyncResult *result,
                                            GError **error)
{
  return typed_finish (self, result, linli_platform_cancel_payment_order_async, error);
}

void
linli_platform_create_application_async (LinliPlatform *self,
                                         const char *content_type,
                                         GBytes *body,
                                         const char *idempotency_key,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  typed_submit (self, linli_platform_create_application_async, "createApplication",
                g_strdup (LINLI_PLATFORM_PATH_APPLICATIONS), content_type, body, idempotency_key,
                (ParseFunc) linli_application_new_from_json,
                (GDestroyNotify) linli_application_unref, cancellable, callback, user_data);
}

LinliApplication *
linli_platform_create_application_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_create_application_async, error);
}

void
linli_platform_get_application_async (LinliPlatform *self,
                                      const char *application_number,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_application_number (application_number))
    {
      report_rejected (self, linli_platform_get_application_async,
                       "getApplication: not an application number", callback, user_data);
      return;
    }
  typed_get (self, linli_platform_get_application_async, "getApplication",
             g_strdup_printf ("/applications/%s", application_number),
             (ParseFunc) linli_application_new_from_json, (GDestroyNotify) linli_application_unref,
             cancellable, callback, user_data);
}

LinliApplication *
linli_platform_get_application_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_get_application_async, error);
}

void
linli_platform_list_resident_applications_async (LinliPlatform *self,
                                                 const char *resident_ref,
                                                 const char *status,
                                                 guint limit,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer user_data)
{
  LinliApplicationStatus parsed;
  g_autoptr (GString) path = NULL;
  char separator = '?';

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  if (!linli_check_resident_ref (resident_ref) || limit > 50
      || (status != NULL && !linli_application_status_from_string (status, &parsed)))
    {
      report_rejected (self, linli_platform_list_resident_applications_async,
                       "listResidentApplications: bad resident_ref, status or limit", callback,
                       user_data);
      return;
    }
  path = g_string_new (NULL);
  g_string_printf (path, "/residents/%s/applications", resident_ref);
  if (status != NULL)
    {
      g_string_append_printf (path, "%cstatus=%s", separator, status);
      separator = '&';
    }
  if (limit > 0)
    g_string_append_printf (path, "%climit=%u", separator, limit);
  typed_get (self, linli_platform_list_resident_applications_async, "listResidentApplications",
             g_string_free (g_steal_pointer (&path), FALSE),
             (ParseFunc) linli_application_list_new_from_json,
             (GDestroyNotify) linli_application_list_unref, cancellable, callback, user_data);
}

LinliApplicationList *
linli_platform_list_resident_applications_finish (LinliPlatform *self,
                                                  GAsyncResult *result,
                                                  GError **error)
{
  return typed_finish (self, result, linli_platform_list_resident_applications_async, error);
}

void
linli_platform_submit_evaluation_async (LinliPlatform *self,
                                        const char *application_number,
                                        GBytes *body,
                                        const char *idempotency_key,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (LINLI_IS_PLATFORM (self));
  typed_submit (self, linli_platform_submit_evaluation_async, "submitEvaluation",
                linli_platform_path_evaluation (application_number), "application/json", body,
                idempotency_key, (ParseFunc) linli_evaluation_new_from_json,
                (GDestroyNotify) linli_evaluation_unref, cancellable, callback, user_data);
}

LinliEvaluation *
linli_platform_submit_evaluation_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_submit_evaluation_async, error);
}

void
linli_platform_send_heartbeat_async (LinliPlatform *self,
                                     LinliHeartbeat *heartbeat,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  RequestSpec spec = { .operation = "sendHeartbeat", .method = "POST" };

  g_return_if_fail (LINLI_IS_PLATFORM (self));
  g_return_if_fail (heartbeat != NULL);
  body = linli_platform_encode_heartbeat (heartbeat, NULL, &error);
  if (body == NULL)
    {
      report_rejected (self, linli_platform_send_heartbeat_async,
                       linli_platform_error_get_detail (error), callback, user_data);
      return;
    }
  spec.path = g_strdup ("/heartbeat");
  spec.content_type = "application/json";
  spec.body = body;
  typed_request (self, linli_platform_send_heartbeat_async, &spec,
                 (ParseFunc) linli_heartbeat_ack_new_from_json,
                 (GDestroyNotify) linli_heartbeat_ack_unref, cancellable, callback, user_data);
}

LinliHeartbeatAck *
linli_platform_send_heartbeat_finish (LinliPlatform *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, linli_platform_send_heartbeat_async, error);
}
