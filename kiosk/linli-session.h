/* linli-session.h: one resident's visit, and everything personal in it. */
#pragma once

#include <glib-object.h>

#include "linli-secret.h"

G_BEGIN_DECLS

/* See linli-session.md for the diagram. */
typedef enum
{
  LINLI_SESSION_STATE_IDLE,    /* nobody at the kiosk: attract screen */
  LINLI_SESSION_STATE_ACTIVE,  /* a resident is using the kiosk */
  LINLI_SESSION_STATE_WARNING, /* no input for a while: countdown shown and spoken */
} LinliSessionState;

typedef enum
{
  LINLI_SESSION_EVENT_BEGIN,
  LINLI_SESSION_EVENT_ACTIVITY,
  LINLI_SESSION_EVENT_INACTIVITY,
  LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED,
  LINLI_SESSION_EVENT_FINISH,
} LinliSessionEvent;

typedef enum
{
  LINLI_SESSION_END_FINISHED,
  LINLI_SESSION_END_TIMEOUT,
  LINLI_SESSION_END_SHUTDOWN,
} LinliSessionEndReason;

GType linli_session_state_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_SESSION_STATE (linli_session_state_get_type ())
GType linli_session_end_reason_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_SESSION_END_REASON (linli_session_end_reason_get_type ())

gboolean linli_session_state_next (LinliSessionState state,
                                   LinliSessionEvent event,
                                   LinliSessionState *next);
const char *linli_session_state_to_string (LinliSessionState state);

#define LINLI_TYPE_SESSION (linli_session_get_type ())
G_DECLARE_FINAL_TYPE (LinliSession, linli_session, LINLI, SESSION, GObject)

LinliSession *linli_session_new (guint inactivity_seconds,
                                 guint warning_seconds,
                                 guint more_time_factor);

LinliSessionState linli_session_get_state (LinliSession *self);
guint linli_session_get_seconds_left (LinliSession *self);
guint linli_session_get_warning_seconds (LinliSession *self);
gboolean linli_session_get_more_time (LinliSession *self);
guint64 linli_session_get_serial (LinliSession *self);

gboolean linli_session_begin (LinliSession *self);
void linli_session_activity (LinliSession *self);
void linli_session_request_more_time (LinliSession *self);
void linli_session_finish (LinliSession *self, LinliSessionEndReason reason);

void linli_session_keep (LinliSession *self, const char *key, LinliSecret *secret);
LinliSecret *linli_session_lookup (LinliSession *self, const char *key);
guint linli_session_count_secrets (LinliSession *self);
void linli_session_forget (LinliSession *self, const char *key);

/* Captured documents and the certification photo (issue 7): held by the
 * session and wiped with everything else when it ends. The pages' type is
 * devices/' LinliDocumentPages; declared here so that ui/ need not include
 * a devices header. */
typedef struct _LinliDocumentPages LinliDocumentPages;
LinliDocumentPages *linli_session_get_pages (LinliSession *self, const char *document);
guint linli_session_count_pages (LinliSession *self);
void linli_session_set_photo (LinliSession *self, GBytes *jpeg);
GBytes *linli_session_dup_photo (LinliSession *self);

G_END_DECLS
