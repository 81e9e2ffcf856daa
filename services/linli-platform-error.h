/* linli-platform-error.h — errors of the county platform client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_PLATFORM_ERROR (linli_platform_error_quark ())
GQuark linli_platform_error_quark (void);

/* What went wrong, in the terms the kiosk acts on. The platform's own machine
 * code (RESIDENT_NOT_FOUND…) travels with the GError, see
 * linli_platform_error_get_code(). The message of every error LinliPlatform
 * returns is fit to show and speak to a resident; the details for logs are in
 * linli_platform_error_get_detail(). (The response parsers,
 * linli_*_new_from_json(), set technical messages for the logs: LinliPlatform
 * replaces them.) Cancellation is G_IO_ERROR_CANCELLED, as everywhere in
 * GIO. */
typedef enum
{
  LINLI_PLATFORM_ERROR_FAILED,           /* nothing more specific applies */
  LINLI_PLATFORM_ERROR_UNREACHABLE,      /* no connection, or it dropped */
  LINLI_PLATFORM_ERROR_TIMEOUT,          /* no answer in time */
  LINLI_PLATFORM_ERROR_TLS,              /* the server is not the pinned platform */
  LINLI_PLATFORM_ERROR_UNAUTHORIZED,     /* 401/403: this kiosk's certificate or registration */
  LINLI_PLATFORM_ERROR_SERVER,           /* 5xx */
  LINLI_PLATFORM_ERROR_BUSY,             /* 429, 409 IDEMPOTENCY_IN_PROGRESS: later */
  LINLI_PLATFORM_ERROR_NOT_FOUND,        /* 404 */
  LINLI_PLATFORM_ERROR_REJECTED,         /* 400, other 409, 413, 422: the request itself */
  LINLI_PLATFORM_ERROR_INVALID_RESPONSE, /* malformed, oversized, missing or wrong member */
} LinliPlatformError;

/* The platform's answer behind an error, kept with the GError itself
 * (G_DEFINE_EXTENDED_ERROR): its machine code ("RESIDENT_NOT_FOUND"), the
 * HTTP status, the English message and retry_after in seconds (-1: none).
 * NULL / 0 when the error did not come from a platform answer. */
const char *linli_platform_error_get_code (const GError *error);
guint linli_platform_error_get_http_status (const GError *error);
const char *linli_platform_error_get_message_en (const GError *error);
int linli_platform_error_get_retry_after (const GError *error);

/* TRUE when sending the same request again (with the same idempotency key)
 * cannot succeed: the platform refused the submission itself. */
gboolean linli_platform_error_is_definitive (const GError *error);

/* The X-Request-Id of the attempt that failed (the platform's request_id
 * when it sent one), for matching the kiosk's log with the county's. */
const char *linli_platform_error_get_request_id (const GError *error);
/* Why, in technical terms, for logs and the maintenance view (which member
 * of an answer was invalid, which TLS check failed…); never personal data,
 * never shown to residents. NULL when there is nothing more to say. */
const char *linli_platform_error_get_detail (const GError *error);

/* 422 VALIDATION_FAILED: why each field was refused (FieldError). */
typedef struct
{
  char *field;      /* the catalog field's name */
  char *code;       /* REQUIRED, PATTERN, MIN, MAX, MIN_LENGTH, MAX_LENGTH, CHOICE, TYPE */
  char *message;    /* Chinese, for the resident */
  char *message_en; /* or NULL */
} LinliPlatformFieldError;

/* The field errors (LinliPlatformFieldError *), or NULL. */
GPtrArray *linli_platform_error_get_field_errors (const GError *error);

/* The kiosk's own message for @code, translated into the current gettext
 * language (resident-fit: short, polite, says what to do next). */
const char *linli_platform_error_get_generic_message (LinliPlatformError code);

/* A new error with the kiosk's own message for @code; @detail (may be NULL)
 * for the logs. */
GError *linli_platform_error_new_generic (LinliPlatformError code, const char *detail);

/* The error of an HTTP answer with a status ≥ 300: @status chooses the
 * LinliPlatformError (409 IDEMPOTENCY_IN_PROGRESS is BUSY, other 409s
 * REJECTED), the Error body (may be NULL or malformed) gives the platform's
 * code and messages. The message is the platform's `message` (`message_en`
 * when @english) when its code is one the contract knows and the message is
 * fit to show, otherwise the kiosk's own. @retry_after_header is the
 * Retry-After header (seconds) or NULL. Never NULL. */
GError *linli_platform_error_new_from_response (guint status,
                                                GBytes *body,
                                                const char *retry_after_header,
                                                const char *request_id,
                                                gboolean english);

/* What a GIO, TLS or libsoup error of a request means to the kiosk:
 * UNREACHABLE, TLS, UNAUTHORIZED (the platform refused this kiosk's
 * certificate in the handshake), TIMEOUT or FAILED. */
LinliPlatformError linli_platform_error_classify_io (const GError *io_error);

G_END_DECLS
