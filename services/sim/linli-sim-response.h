/* linli-sim-response.h — one answer of the simulator, before it is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint status;
  JsonNode *json;     /* the body, or NULL */
  GBytes *raw;        /* a body that is not JSON (a proxy's HTML page), or NULL */
  char *content_type; /* of raw */
  GPtrArray *headers; /* name, value, name, value… */
  gboolean replayed;  /* a stored answer of an earlier request (Idempotency-Key) */
} LinliSimResponse;

LinliSimResponse *linli_sim_response_new (guint status, JsonNode *json);
/* Takes a reference to OBJECT. */
LinliSimResponse *linli_sim_response_new_object (guint status, JsonObject *object);
/* The contract's Error body for CODE, with the HTTP status and the zh/en
 * messages of the code table (unknown codes: 500 INTERNAL_ERROR). */
LinliSimResponse *linli_sim_response_new_error (const char *code);
/* 422 VALIDATION_FAILED with FIELD_ERRORS (FieldError objects; taken). */
LinliSimResponse *linli_sim_response_new_validation (JsonArray *field_errors);
/* An Error with retry_after (and the Retry-After header). */
LinliSimResponse *linli_sim_response_new_retry (const char *code, guint retry_after);
/* A body that is not JSON. */
LinliSimResponse *linli_sim_response_new_raw (guint status, const char *content_type, GBytes *body);
void linli_sim_response_free (LinliSimResponse *self);

void linli_sim_response_add_header (LinliSimResponse *self, const char *name, const char *value);

/* The HTTP status of an Error code, or 0 when the code is unknown. */
guint linli_sim_error_status (const char *code);

/* Writes the answer into MSG; sets request_id on an Error body. */
void linli_sim_response_apply (LinliSimResponse *self,
                               SoupServerMessage *msg,
                               const char *request_id);

/* The body as bytes (the JSON serialised). */
GBytes *linli_sim_response_get_body (LinliSimResponse *self, const char *request_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliSimResponse, linli_sim_response_free)

G_END_DECLS
