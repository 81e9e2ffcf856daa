/* linli-session.c
 *
 * The session is the only owner of personal data. Its lifetime is an
 * explicit state machine (linli_session_state_next(), drawn in
 * linli-session.md); the timers only feed it events. Whatever way a session
 * ends, every LinliSecret it holds is wiped before "ended" is emitted.
 */
#define G_LOG_DOMAIN "linli-session"

#include "linli-session.h"

#include "linli-document-pages.h"

struct _LinliSession
{
  GObject parent_instance;

  LinliSessionState state;
  guint inactivity_seconds;
  guint warning_seconds;
  guint more_time_factor;
  gboolean more_time;
  guint seconds_left;
  guint64 serial;

  guint inactivity_source;
  guint countdown_source;

  GHashTable *secrets; /* key → LinliSecret */
  GHashTable *pages;   /* document name → LinliDocumentPages */
};

G_DEFINE_FINAL_TYPE (LinliSession, linli_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_SECONDS_LEFT,
  PROP_MORE_TIME,
  N_PROPS
};

enum
{
  SIGNAL_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
linli_session_state_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_SESSION_STATE_IDLE, "LINLI_SESSION_STATE_IDLE", "idle" },
    { LINLI_SESSION_STATE_ACTIVE, "LINLI_SESSION_STATE_ACTIVE", "active" },
    { LINLI_SESSION_STATE_WARNING, "LINLI_SESSION_STATE_WARNING", "warning" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliSessionState", values));
  return type_id;
}

GType
linli_session_end_reason_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_SESSION_END_FINISHED, "LINLI_SESSION_END_FINISHED", "finished" },
    { LINLI_SESSION_END_TIMEOUT, "LINLI_SESSION_END_TIMEOUT", "timeout" },
    { LINLI_SESSION_END_SHUTDOWN, "LINLI_SESSION_END_SHUTDOWN", "shutdown" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliSessionEndReason", values));
  return type_id;
}

const char *
linli_session_state_to_string (LinliSessionState state)
{
  GEnumClass *klass = g_type_class_ref (LINLI_TYPE_SESSION_STATE);
  GEnumValue *value = g_enum_get_value (klass, (int) state);
  const char *nick = value != NULL ? value->value_nick : "invalid";

  g_type_class_unref (klass);
  return nick;
}

/**
 * linli_session_state_next:
 * @next: (out): the state after @event
 *
 * The transition table of the session. Pure, so that it can be tested
 * exhaustively.
 *
 * Returns: %FALSE if @event means nothing in @state (@next is then @state)
 */
gboolean
linli_session_state_next (LinliSessionState state, LinliSessionEvent event, LinliSessionState *next)
{
  LinliSessionState to = state;
  gboolean valid = FALSE;

  switch (state)
    {
    case LINLI_SESSION_STATE_IDLE:
      if (event == LINLI_SESSION_EVENT_BEGIN)
        to = LINLI_SESSION_STATE_ACTIVE, valid = TRUE;
      break;

    case LINLI_SESSION_STATE_ACTIVE:
      if (event == LINLI_SESSION_EVENT_ACTIVITY)
        valid = TRUE;
      else if (event == LINLI_SESSION_EVENT_INACTIVITY)
        to = LINLI_SESSION_STATE_WARNING, valid = TRUE;
      else if (event == LINLI_SESSION_EVENT_FINISH)
        to = LINLI_SESSION_STATE_IDLE, valid = TRUE;
      break;

    case LINLI_SESSION_STATE_WARNING:
      if (event == LINLI_SESSION_EVENT_ACTIVITY)
        to = LINLI_SESSION_STATE_ACTIVE, valid = TRUE;
      else if (event == LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED
               || event == LINLI_SESSION_EVENT_FINISH)
        to = LINLI_SESSION_STATE_IDLE, valid = TRUE;
      break;

    default:
      break;
    }

  *next = to;
  return valid;
}

static void
stop_timers (LinliSession *self)
{
  g_clear_handle_id (&self->inactivity_source, g_source_remove);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
}

static void
wipe_secrets (LinliSession *self)
{
  GHashTableIter iter;
  gpointer value;

  /* Counts only: what was held is personal, how much of it is not. */
  if (g_hash_table_size (self->secrets) > 0 || g_hash_table_size (self->pages) > 0)
    g_info ("session %" G_GUINT64_FORMAT ": wiping %u secrets and %u document pages", self->serial,
            g_hash_table_size (self->secrets), linli_session_count_pages (self));
  g_hash_table_iter_init (&iter, self->secrets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    linli_secret_wipe (value);
  g_hash_table_remove_all (self->secrets);
  /* A screen may still hold a model: wiped, it sees no page, only zeros. */
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    linli_document_pages_wipe (value);
  g_hash_table_remove_all (self->pages);
}

static void
set_seconds_left (LinliSession *self, guint seconds)
{
  if (self->seconds_left == seconds)
    return;
  self->seconds_left = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
}

static void dispatch (LinliSession *self, LinliSessionEvent event);

static gboolean
on_inactivity (gpointer user_data)
{
  LinliSession *self = user_data;

  self->inactivity_source = 0;
  dispatch (self, LINLI_SESSION_EVENT_INACTIVITY);
  return G_SOURCE_REMOVE;
}

static gboolean
on_countdown_tick (gpointer user_data)
{
  LinliSession *self = user_data;

  if (self->seconds_left > 1)
    {
      set_seconds_left (self, self->seconds_left - 1);
      return G_SOURCE_CONTINUE;
    }

  self->countdown_source = 0;
  set_seconds_left (self, 0);
  dispatch (self, LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED);
  return G_SOURCE_REMOVE;
}

static void
arm_inactivity (LinliSession *self)
{
  guint seconds = self->inactivity_seconds * (self->more_time ? self->more_time_factor : 1);

  g_clear_handle_id (&self->inactivity_source, g_source_remove);
  self->inactivity_source = g_timeout_add_seconds (seconds, on_inactivity, self);
  g_source_set_name_by_id (self->inactivity_source, "[linli] session inactivity");
}

/* Enters @to from @from: the only place where timers start and stop and
 * where personal data is wiped. */
static void
enter_state (LinliSession *self,
             LinliSessionState from,
             LinliSessionState to,
             LinliSessionEvent event)
{
  LinliSessionEndReason reason = LINLI_SESSION_END_FINISHED;

  switch (to)
    {
    case LINLI_SESSION_STATE_ACTIVE:
      g_clear_handle_id (&self->countdown_source, g_source_remove);
      set_seconds_left (self, 0);
      if (from == LINLI_SESSION_STATE_IDLE)
        self->serial++;
      arm_inactivity (self);
      break;

    case LINLI_SESSION_STATE_WARNING:
      g_clear_handle_id (&self->inactivity_source, g_source_remove);
      set_seconds_left (self, self->warning_seconds);
      self->countdown_source = g_timeout_add_seconds (1, on_countdown_tick, self);
      g_source_set_name_by_id (self->countdown_source, "[linli] session countdown");
      break;

    case LINLI_SESSION_STATE_IDLE:
      stop_timers (self);
      wipe_secrets (self);
      set_seconds_left (self, 0);
      if (self->more_time)
        {
          self->more_time = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MORE_TIME]);
        }
      if (event == LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED)
        reason = LINLI_SESSION_END_TIMEOUT;
      break;

    default:
      g_assert_not_reached ();
    }

  if (from != to)
    {
      self->state = to;
      g_debug ("session %" G_GUINT64_FORMAT ": %s → %s", self->serial,
               linli_session_state_to_string (from), linli_session_state_to_string (to));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (to == LINLI_SESSION_STATE_IDLE && from != LINLI_SESSION_STATE_IDLE)
    g_signal_emit (self, signals[SIGNAL_ENDED], 0, reason);
}

static void
dispatch (LinliSession *self, LinliSessionEvent event)
{
  LinliSessionState next;

  if (!linli_session_state_next (self->state, event, &next))
    return;
  enter_state (self, self->state, next, event);
}

static void
linli_session_dispose (GObject *object)
{
  LinliSession *self = LINLI_SESSION (object);

  stop_timers (self);
  if (self->secrets != NULL)
    wipe_secrets (self);

  G_OBJECT_CLASS (linli_session_parent_class)->dispose (object);
}

static void
linli_session_finalize (GObject *object)
{
  LinliSession *self = LINLI_SESSION (object);

  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (linli_session_parent_class)->finalize (object);
}

static void
linli_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliSession *self = LINLI_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SECONDS_LEFT:
      g_value_set_uint (value, self->seconds_left);
      break;
    case PROP_MORE_TIME:
      g_value_set_boolean (value, self->more_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_session_class_init (LinliSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_session_dispose;
  object_class->finalize = linli_session_finalize;
  object_class->get_property = linli_session_get_property;

  properties[PROP_STATE]
      = g_param_spec_enum ("state", NULL, NULL, LINLI_TYPE_SESSION_STATE, LINLI_SESSION_STATE_IDLE,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDS_LEFT]
      = g_param_spec_uint ("seconds-left", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MORE_TIME]
      = g_param_spec_boolean ("more-time", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LinliSession::ended:
   * @reason: a #LinliSessionEndReason
   *
   * Emitted after the session has wiped its personal data.
   */
  signals[SIGNAL_ENDED]
      = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, LINLI_TYPE_SESSION_END_REASON);
}

static void
linli_session_init (LinliSession *self)
{
  self->state = LINLI_SESSION_STATE_IDLE;
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) linli_secret_unref);
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * linli_session_new:
 * @inactivity_seconds: quiet time before the countdown warning
 * @warning_seconds: length of the countdown
 * @more_time_factor: how much longer the quiet time is after "more time"
 */
LinliSession *
linli_session_new (guint inactivity_seconds, guint warning_seconds, guint more_time_factor)
{
  LinliSession *self = g_object_new (LINLI_TYPE_SESSION, NULL);

  g_return_val_if_fail (inactivity_seconds > 0 && warning_seconds > 0, self);

  self->inactivity_seconds = inactivity_seconds;
  self->warning_seconds = warning_seconds;
  self->more_time_factor = MAX (more_time_factor, 1);
  return self;
}

LinliSessionState
linli_session_get_state (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), LINLI_SESSION_STATE_IDLE);
  return self->state;
}

/* Seconds before the session ends; only meaningful in the warning state. */
guint
linli_session_get_seconds_left (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), 0);
  return self->seconds_left;
}

guint
linli_session_get_warning_seconds (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), 0);
  return self->warning_seconds;
}

gboolean
linli_session_get_more_time (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), FALSE);
  return self->more_time;
}

/* Increases with every session that begins; not personal, safe to log. */
guint64
linli_session_get_serial (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), 0);
  return self->serial;
}

/* Returns: %TRUE if a new session began (%FALSE if one was running) */
gboolean
linli_session_begin (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), FALSE);

  if (self->state != LINLI_SESSION_STATE_IDLE)
    {
      dispatch (self, LINLI_SESSION_EVENT_ACTIVITY);
      return FALSE;
    }
  dispatch (self, LINLI_SESSION_EVENT_BEGIN);
  return TRUE;
}

/* A touch, a key or a card: restarts the quiet time, cancels a countdown. */
void
linli_session_activity (LinliSession *self)
{
  g_return_if_fail (LINLI_IS_SESSION (self));
  dispatch (self, LINLI_SESSION_EVENT_ACTIVITY);
}

/* "More time": the quiet time is multiplied for the rest of this session. */
void
linli_session_request_more_time (LinliSession *self)
{
  g_return_if_fail (LINLI_IS_SESSION (self));

  if (self->state == LINLI_SESSION_STATE_IDLE)
    return;
  if (!self->more_time)
    {
      self->more_time = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MORE_TIME]);
    }
  if (self->state == LINLI_SESSION_STATE_ACTIVE)
    arm_inactivity (self);
  else
    dispatch (self, LINLI_SESSION_EVENT_ACTIVITY);
}

void
linli_session_finish (LinliSession *self, LinliSessionEndReason reason)
{
  LinliSessionState next;

  g_return_if_fail (LINLI_IS_SESSION (self));

  if (!linli_session_state_next (self->state, LINLI_SESSION_EVENT_FINISH, &next))
    return;
  enter_state (self, self->state, next,
               reason == LINLI_SESSION_END_TIMEOUT ? LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED
                                                   : LINLI_SESSION_EVENT_FINISH);
}

/**
 * linli_session_keep:
 * @key: what the data is ("identity", "photo", "form:address"…)
 * @secret: (transfer none): the data
 *
 * Gives the session a reference to @secret; it is wiped when the session
 * ends. Outside a session the data is wiped at once and not kept.
 */
void
linli_session_keep (LinliSession *self, const char *key, LinliSecret *secret)
{
  g_return_if_fail (LINLI_IS_SESSION (self));
  g_return_if_fail (key != NULL && secret != NULL);

  if (self->state == LINLI_SESSION_STATE_IDLE)
    {
      linli_secret_wipe (secret);
      return;
    }
  /* A replaced value is wiped too: nobody else should be reading it. */
  if (g_hash_table_lookup (self->secrets, key) != NULL)
    linli_secret_wipe (g_hash_table_lookup (self->secrets, key));
  g_hash_table_replace (self->secrets, g_strdup (key), linli_secret_ref (secret));
}

/* Returns: (transfer none) (nullable): the data kept under @key */
LinliSecret *
linli_session_lookup (LinliSession *self, const char *key)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), NULL);
  return g_hash_table_lookup (self->secrets, key);
}

/* Wipes and drops what is kept under @key (a photo the resident took again
 * or declined), before the session ends. */
void
linli_session_forget (LinliSession *self, const char *key)
{
  LinliSecret *secret;

  g_return_if_fail (LINLI_IS_SESSION (self));
  g_return_if_fail (key != NULL);

  secret = g_hash_table_lookup (self->secrets, key);
  if (secret == NULL)
    return;
  linli_secret_wipe (secret);
  g_hash_table_remove (self->secrets, key);
}

guint
linli_session_count_secrets (LinliSession *self)
{
  g_return_val_if_fail (LINLI_IS_SESSION (self), 0);
  return g_hash_table_size (self->secrets);
}

/**
 * linli_session_get_pages:
 * @document: the catalog's name of the document ("hukou_booklet"…)
 *
 * Returns: (transfer none) (nullable): the pages captured of @document in
 * this session, an empty model at first; NULL outside a session. Wiped and
 * dropped when the session ends.
 */
LinliDocumentPages *
linli_session_get_pages (LinliSession *self, const char *document)
{
  LinliDocumentPages *pages;

  g_return_val_if_fail (LINLI_IS_SESSION (self), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  if (self->state == LINLI_SESSION_STATE_IDLE)
    return NULL;
  pages = g_hash_table_lookup (self->pages, document);
  if (pages == NULL)
    {
      pages = linli_document_pages_new ();
      g_hash_table_insert (self->pages, g_strdup (document), pages);
    }
  return pages;
}

/* Pages held, over all documents: 0 after the session has ended. */
guint
linli_session_count_pages (LinliSession *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (LINLI_IS_SESSION (self), 0);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += g_list_model_get_n_items (G_LIST_MODEL (value));
  return n;
}

/* Keeps a copy of @jpeg as the session's "photo" secret (the previous
 * one wiped); outside a session nothing is kept. */
void
linli_session_set_photo (LinliSession *self, GBytes *jpeg)
{
  g_autoptr (LinliSecret) secret = NULL;
  gsize size;
  gconstpointer data;

  g_return_if_fail (LINLI_IS_SESSION (self));
  g_return_if_fail (jpeg != NULL);

  data = g_bytes_get_data (jpeg, &size);
  secret = linli_secret_new (data, size);
  linli_session_keep (self, "photo", secret);
}

/* Returns: (transfer full) (nullable): bytes over the kept photo; they
 * hold the secret, which is still wiped when the session ends. */
GBytes *
linli_session_dup_photo (LinliSession *self)
{
  LinliSecret *secret;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (LINLI_IS_SESSION (self), NULL);

  secret = g_hash_table_lookup (self->secrets, "photo");
  if (secret == NULL || linli_secret_is_wiped (secret))
    return NULL;
  data = linli_secret_get_data (secret, &size);
  return g_bytes_new_with_free_func (data, size, (GDestroyNotify) linli_secret_unref,
                                     linli_secret_ref (secret));
}
