/* linli-platform-error.c — errors of the county platform client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An extended GError (G_DEFINE_EXTENDED_ERROR): the platform's machine code,
 * the HTTP status, the English message, retry_after, the request id, the
 * field errors and a technical detail travel with the error itself, through
 * GTask and g_error_copy(), so the outbox and the screens need nothing else.
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-platform-error.h"
#include "linli-platform-error-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "linli-platform-json.h"

typedef struct
{
  char *code;
  guint http_status;
  char *message_en;
  int retry_after;
  char *request_id;
  char *detail;
  GPtrArray *field_errors;
} LinliPlatformErrorPrivate;

static void
field_error_free (gpointer data)
{
  LinliPlatformFieldError *field_error = data;

  g_free (field_error->field);
  g_free (field_error->code);
  g_free (field_error->message);
  g_free (field_error->message_en);
  g_free (field_error);
}

static LinliPlatformFieldError *
field_error_copy (const LinliPlatformFieldError *src)
{
  LinliPlatformFieldError *copy = g_new0 (LinliPlatformFieldError, 1);

  copy->field = g_strdup (src->field);
  copy->code = g_strdup (src->code);
  copy->message = g_strdup (src->message);
  copy->message_en = g_strdup (src->message_en);
  return copy;
}

/* The NULL checks satisfy -Wnull-dereference: the macro's get_private()
 * returns NULL on a foreign domain, which GLib never passes here. */
static void
linli_platform_error_private_init (LinliPlatformErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  priv->retry_after = -1;
}

static void
linli_platform_error_private_copy (const LinliPlatformErrorPrivate *src,
                                   LinliPlatformErrorPrivate *dest)
{
  if (src == NULL || dest == NULL)
    return;
  dest->code = g_strdup (src->code);
  dest->http_status = src->http_status;
  dest->message_en = g_strdup (src->message_en);
  dest->retry_after = src->retry_after;
  dest->request_id = g_strdup (src->request_id);
  dest->detail = g_strdup (src->detail);
  if (src->field_errors != NULL)
    {
      dest->field_errors = g_ptr_array_new_with_free_func (field_error_free);
      for (guint i = 0; i < src->field_errors->len; i++)
        g_ptr_array_add (dest->field_errors, field_error_copy (src->field_errors->pdata[i]));
    }
}

static void
linli_platform_error_private_clear (LinliPlatformErrorPrivate *priv)
{
  if (priv == NULL)
    return;
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->message_en, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->field_errors, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (LinliPlatformError, linli_platform_error)

/* NULL unless @error is one of ours (the getters are NULL-safe and take any
 * error, so callers need not check the domain first). */
static LinliPlatformErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != LINLI_PLATFORM_ERROR)
    return NULL;
  return linli_platform_error_get_private (error);
}

const char *
linli_platform_error_get_code (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->code : NULL;
}

guint
linli_platform_error_get_http_status (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

const char *
linli_platform_error_get_message_en (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->message_en : NULL;
}

int
linli_platform_error_get_retry_after (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : -1;
}

const char *
linli_platform_error_get_request_id (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->request_id : NULL;
}

const char *
linli_platform_error_get_detail (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->detail : NULL;
}

GPtrArray *
linli_platform_error_get_field_errors (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field_errors : NULL;
}

void
linli_platform_error_set_request_id (GError *error, const char *request_id)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  if (priv == NULL || priv->request_id != NULL)
    return;
  priv->request_id = g_strdup (request_id);
}

void
linli_platform_error_set_detail (GError *error, const char *detail)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  if (priv == NULL)
    return;
  g_free (priv->detail);
  priv->detail = g_strdup (detail);
}

/* The contract (docs/platform-contract.md, "Idempotency"): the outbox drops
 * a submission the platform refused for what it is — 400, 404, 413, 422 and
 * 409 other than IDEMPOTENCY_IN_PROGRESS (IDEMPOTENCY_CONFLICT, and the
 * state conflicts AMOUNT_MISMATCH, ALREADY_PAID, ORDER_NOT_CANCELLABLE,
 * ALREADY_EVALUATED, which the same bytes can never get past either). */
gboolean
linli_platform_error_is_definitive (const GError *error)
{
  LinliPlatformErrorPrivate *priv = get_private (error);

  if (priv == NULL)
    return FALSE;
  switch (priv->http_status)
    {
    case 400:
    case 404:
    case 413:
    case 422:
      return TRUE;
    case 409:
      return g_strcmp0 (priv->code, "IDEMPOTENCY_IN_PROGRESS") != 0;
    default:
      return FALSE;
    }
}

/* ---- Messages ------------------------------------------------------------ */

const char *
linli_platform_error_get_generic_message (LinliPlatformError code)
{
  switch (code)
    {
    case LINLI_PLATFORM_ERROR_UNREACHABLE:
      return _ ("The county platform cannot be reached just now. Please try again later or go "
                "to a staffed counter.");
    case LINLI_PLATFORM_ERROR_TIMEOUT:
      return _ ("The county platform is not answering just now. Please try again later or go to "
                "a staffed counter.");
    case LINLI_PLATFORM_ERROR_TLS:
      return _ ("This kiosk cannot connect safely to the county platform. Please go to a "
                "staffed counter.");
    case LINLI_PLATFORM_ERROR_UNAUTHORIZED:
      return _ ("This kiosk cannot use the county platform's services just now. Please go to a "
                "staffed counter.");
    case LINLI_PLATFORM_ERROR_SERVER:
      return _ ("The county platform has a fault. Please try again later or go to a staffed "
                "counter.");
    case LINLI_PLATFORM_ERROR_BUSY:
      return _ ("The system is busy. Please wait a moment and try again.");
    case LINLI_PLATFORM_ERROR_NOT_FOUND:
      return _ ("We could not find what you asked for. Please check it, or ask at a staffed "
                "counter.");
    case LINLI_PLATFORM_ERROR_REJECTED:
      return _ ("Your request could not be accepted. Please ask at a staffed counter.");
    case LINLI_PLATFORM_ERROR_INVALID_RESPONSE:
      return _ ("The county platform sent an answer this kiosk cannot read. Please go to a "
                "staffed counter.");
    case LINLI_PLATFORM_ERROR_FAILED:
    default:
      return _ ("Something went wrong. Please try again or go to a staffed counter.");
    }
}

GError *
linli_platform_error_new_generic (LinliPlatformError code, const char *detail)
{
  GError *error = g_error_new_literal (LINLI_PLATFORM_ERROR, (gint) code,
                                       linli_platform_error_get_generic_message (code));

  linli_platform_error_set_detail (error, detail);
  return error;
}

gboolean
linli_platform_set_rejected (GError **error, const char *detail)
{
  g_propagate_error (error,
                     linli_platform_error_new_generic (LINLI_PLATFORM_ERROR_REJECTED, detail));
  return FALSE;
}

/* ---- HTTP answers ------------------------------------------------------------ */

/* The codes of components/schemas/Error. */
static const char *const known_codes[] = {
  "BAD_REQUEST",
  "INVALID_ID_NUMBER",
  "IDEMPOTENCY_KEY_MISSING",
  "CLIENT_CERT_REQUIRED",
  "CLIENT_CERT_INVALID",
  "KIOSK_ID_MISMATCH",
  "KIOSK_NOT_REGISTERED",
  "KIOSK_DISABLED",
  "ITEM_NOT_ALLOWED",
  "NOT_FOUND",
  "RESIDENT_NOT_FOUND",
  "RESIDENT_REF_EXPIRED",
  "ITEM_NOT_FOUND",
  "ACCOUNT_NOT_FOUND",
  "ORDER_NOT_FOUND",
  "APPLICATION_NOT_FOUND",
  "CERTIFICATION_NOT_FOUND",
  "IDEMPOTENCY_CONFLICT",
  "IDEMPOTENCY_IN_PROGRESS",
  "AMOUNT_MISMATCH",
  "ALREADY_PAID",
  "ORDER_NOT_CANCELLABLE",
  "ALREADY_EVALUATED",
  "PAYLOAD_TOO_LARGE",
  "VALIDATION_FAILED",
  "DOCUMENT_MISSING",
  "NOT_ELIGIBLE",
  "CONSENT_REQUIRED",
  "PHOTO_UNUSABLE",
  "RATE_LIMITED",
  "INTERNAL_ERROR",
  "MAINTENANCE",
  "UPSTREAM_UNAVAILABLE",
  NULL,
};

static const char *const field_error_codes[] = {
  "REQUIRED", "PATTERN", "MIN", "MAX", "MIN_LENGTH", "MAX_LENGTH", "CHOICE", "TYPE", NULL,
};

static LinliPlatformError
error_for_status (guint status, const char *code)
{
  if (status == 401 || status == 403)
    return LINLI_PLATFORM_ERROR_UNAUTHORIZED;
  if (status == 404)
    return LINLI_PLATFORM_ERROR_NOT_FOUND;
  if (status == 429)
    return LINLI_PLATFORM_ERROR_BUSY;
  if (status == 409 && g_strcmp0 (code, "IDEMPOTENCY_IN_PROGRESS") == 0)
    return LINLI_PLATFORM_ERROR_BUSY;
  if (status == 408)
    return LINLI_PLATFORM_ERROR_TIMEOUT;
  if (status >= 500 && status <= 599)
    return LINLI_PLATFORM_ERROR_SERVER;
  if (status >= 400 && status <= 499)
    return LINLI_PLATFORM_ERROR_REJECTED;
  /* 1xx, 2xx and 3xx have no business here (304 is handled by the caller,
   * redirects are not followed). */
  return LINLI_PLATFORM_ERROR_INVALID_RESPONSE;
}

static gboolean
is_code (const char *text)
{
  if (text == NULL || !g_ascii_isupper (text[0]) || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_request_id (const char *text)
{
  if (text == NULL || text[0] == '\0' || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Retry-After in seconds (the contract's form; an HTTP date is not used by
 * the platform and counts as absent). */
static int
parse_retry_after (const char *text)
{
  guint64 value;

  if (text == NULL)
    return -1;
  while (*text == ' ')
    text++;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT / 2, &value, NULL))
    return -1;
  return (int) value;
}

static GPtrArray *
parse_field_errors (JsonArray *array)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (field_error_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      g_autoptr (GError) item_error = NULL;
      LinliPlatformFieldError *field_error;
      int code = -1;

      if (!linli_json_check_object (node, "field_errors", &object, &item_error))
        continue;
      field_error = g_new0 (LinliPlatformFieldError, 1);
      if (!linli_json_get_checked (object, NULL, "field", LINLI_JSON_REQUIRED, linli_check_name_key,
                                   "a field name", &field_error->field, &item_error)
          || !linli_json_get_enum (object, NULL, "code", LINLI_JSON_REQUIRED, field_error_codes,
                                   &code, &item_error)
          || !linli_json_get_string (object, NULL, "message", LINLI_JSON_REQUIRED, 200,
                                     &field_error->message, &item_error)
          || !linli_json_get_string (object, NULL, "message_en", LINLI_JSON_NULLABLE, 400,
                                     &field_error->message_en, &item_error))
        {
          /* A malformed entry is dropped; the others still mark their fields. */
          field_error_free (field_error);
          continue;
        }
      field_error->code = g_strdup (field_error_codes[code]);
      g_ptr_array_add (list, field_error);
    }
  return list;
}

GError *
linli_platform_error_new_from_response (guint status,
                                        GBytes *body,
                                        const char *retry_after_header,
                                        const char *request_id,
                                        gboolean english)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GString) detail = g_string_new (NULL);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *message_en = NULL;
  g_autofree char *body_request_id = NULL;
  g_autoptr (GPtrArray) field_errors = NULL;
  gint64 body_retry_after = -1;
  const char *shown;
  LinliPlatformError kind;
  LinliPlatformErrorPrivate *priv;
  GError *error;
  JsonObject *object = NULL;

  g_string_append_printf (detail, "HTTP %u", status);
  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      root = linli_json_parse (data, size, 64 * 1024, &parse_error);
    }
  if (root != NULL && linli_json_check_object (root, NULL, &object, &parse_error))
    {
      g_autoptr (GError) member_error = NULL;
      JsonArray *array = NULL;

      /* Member by member: one malformed member does not hide the others. */
      if (linli_json_get_checked (object, NULL, "code", LINLI_JSON_REQUIRED, is_code,
                                  "a machine code", &code, NULL)
          && code != NULL && linli_json_enum_from_string (known_codes, code) < 0)
        {
          /* Only the codes the kiosk knows drive it; an unknown one is logged. */
          g_string_append_printf (detail, ", unknown code %s", code);
          g_clear_pointer (&code, g_free);
        }
      if (!linli_json_get_string (object, NULL, "message", LINLI_JSON_REQUIRED, 200, &message,
                                  &member_error))
        {
          g_string_append_printf (detail, ", %s", member_error->message);
          g_clear_error (&member_error);
        }
      if (!linli_json_get_string (object, NULL, "message_en", LINLI_JSON_NULLABLE, 400, &message_en,
                                  &member_error))
        {
          g_string_append_printf (detail, ", %s", member_error->message);
          g_clear_error (&member_error);
        }
      linli_json_get_int (object, NULL, "retry_after", LINLI_JSON_NULLABLE, 0, G_MAXINT / 2,
                          &body_retry_after, NULL, NULL);
      linli_json_get_checked (object, NULL, "request_id", LINLI_JSON_NULLABLE, is_request_id,
                              "a request id", &body_request_id, NULL);
      if (linli_json_get_array (object, NULL, "field_errors", LINLI_JSON_OPTIONAL, 100, &array,
                                NULL)
          && array != NULL)
        field_errors = parse_field_errors (array);
    }
  else if (parse_error != NULL)
    g_string_append_printf (detail, ", body: %s", parse_error->message);
  else
    g_string_append (detail, ", no body");

  if (code != NULL)
    g_string_append_printf (detail, ", %s", code);
  kind = error_for_status (status, code);

  /* The platform's words when it used a code of the contract, otherwise the
   * kiosk's own (docs/platform-contract.md, "Errors"). */
  shown = NULL;
  if (code != NULL)
    shown = english ? message_en : message;
  if (shown == NULL)
    shown = linli_platform_error_get_generic_message (kind);

  error = g_error_new_literal (LINLI_PLATFORM_ERROR, (gint) kind, shown);
  priv = get_private (error);
  if (priv == NULL)
    return error;
  priv->code = g_steal_pointer (&code);
  priv->http_status = status;
  priv->message_en = g_steal_pointer (&message_en);
  priv->retry_after = parse_retry_after (retry_after_header);
  if (priv->retry_after < 0 && body_retry_after >= 0)
    priv->retry_after = (int) body_retry_after;
  priv->request_id = g_strdup (body_request_id != NULL ? body_request_id : request_id);
  priv->detail = g_string_free (g_steal_pointer (&detail), FALSE);
  priv->field_errors = g_steal_pointer (&field_errors);
  return error;
}

/* ---- Transport errors -------------------------------------------------------- */

LinliPlatformError
linli_platform_error_classify_io (const GError *io_error)
{
  if (io_error == NULL)
    return LINLI_PLATFORM_ERROR_FAILED;
  if (io_error->domain == G_TLS_ERROR)
    {
      switch (io_error->code)
        {
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
          /* The server asked for a certificate and did not like ours. */
          return LINLI_PLATFORM_ERROR_UNAUTHORIZED;
        case G_TLS_ERROR_EOF:
          return LINLI_PLATFORM_ERROR_UNREACHABLE;
        default:
          return LINLI_PLATFORM_ERROR_TLS;
        }
    }
  if (io_error->domain == G_IO_ERROR)
    {
      switch (io_error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
          return LINLI_PLATFORM_ERROR_TIMEOUT;
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_BROKEN_PIPE: /* also CONNECTION_CLOSED */
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_ADDRESS_IN_USE:
        case G_IO_ERROR_FAILED:
          /* FAILED: errno values GIO has no code for (ECONNRESET on
           * older GLib, EPROTO…), all from the socket. */
          return LINLI_PLATFORM_ERROR_UNREACHABLE;
        default:
          return LINLI_PLATFORM_ERROR_FAILED;
        }
    }
  if (io_error->domain == G_RESOLVER_ERROR)
    return LINLI_PLATFORM_ERROR_UNREACHABLE;
  if (io_error->domain == SOUP_SESSION_ERROR)
    {
      switch (io_error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
        case SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS:
        case SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION:
        case SOUP_SESSION_ERROR_REDIRECT_BAD_URI:
          return LINLI_PLATFORM_ERROR_INVALID_RESPONSE;
        default:
          return LINLI_PLATFORM_ERROR_FAILED;
        }
    }
  return LINLI_PLATFORM_ERROR_FAILED;
}
