/* linli-ga467-reader.c
 *
 * The resident-ID card reader: GA/T 467 commands over a transport (serial
 * or USB), a polling worker thread, and the card's life as signals.
 *
 * The worker's loop, one pass per poll interval:
 *
 *   closed ── open + read SAM ID ──► ready ◄──────────────────────┐
 *     ▲  (fails: fault, retry in 2 s)  │                           │
 *     │                                ▼                           │
 *     └── gone / no answer ◄──── find card ── 80 (no card) ── [card-removed
 *                                      │                      if one was there]
 *                                      9F (card)
 *                                      │  already handled this placement? → wait
 *                                      ▼
 *                          select → read base message → decode
 *                                      │ ok: card-read   fails: card-failed
 *
 * Signals and state changes are queued as idle sources on the main context
 * captured at construction, so handlers run where the reader was made,
 * in the order the worker saw things. The worker never holds the only
 * reference to the reader: each queued event holds one, and dispose stops
 * (joins) the worker before anything is freed.
 */
#define G_LOG_DOMAIN "linli-ga467-reader"

#include "linli-ga467-reader.h"

#include <string.h>

#include "linli-device-private.h"
#include "linli-ga467-frame.h"
#include "linli-ga467-serial.h"

#define DEFAULT_POLL_MS 300
/* Between attempts to reopen a reader that is gone or does not answer. */
#define RETRY_MS 2000
/* Short commands (find, select, SAM ID). Real readers answer within tens of
 * milliseconds [inf]. */
#define COMMAND_TIMEOUT_MS 1000
/* Read base message: the card transfers ~1.3 KB over RF and the SAM checks
 * it; about 0.5-1 s on real readers [inf], plus 0.11 s on the wire. */
#define READ_TIMEOUT_MS  3000
#define WRITE_TIMEOUT_MS 500
/* Once an answer has started, its bytes come back to back (115200 baud, or
 * 64-byte USB packets); a pause this long means the rest will not come (a
 * card lifted mid-read), without waiting for the whole READ_TIMEOUT_MS. */
#define INTER_BYTE_TIMEOUT_MS 500
/* Every blocking read is cut into slices this long so that stop() and a
 * cancelled read_once() return quickly. */
#define SLICE_MS 50
/* Frame errors in answers to "find card" in a row before the reader is
 * considered faulty (one can be line noise). */
#define MAX_FIND_ERRORS 3

struct _LinliGa467Reader
{
  LinliDevice parent_instance;

  LinliGa467Transport *transport;
  char *source; /* "ga467 serial /dev/ttyUSB0", the identities' source */
  guint poll_ms;
  GMainContext *context; /* where signals are emitted */

  /* One user of the transport at a time: the worker, a probe, or
   * read_once. Guards is_open, parser and sam_id. */
  GMutex io_lock;
  gboolean is_open;
  LinliGa467Parser *parser;
  char *sam_id;

  /* Main thread only. */
  GThread *worker;
  GCancellable *worker_cancellable;
  gboolean disposed;

  /* The worker's latest state, for a probe while it runs. */
  GMutex state_lock;
  LinliDeviceState worker_state;
  char *worker_detail;
};

G_DEFINE_FINAL_TYPE (LinliGa467Reader, linli_ga467_reader, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_TRANSPORT,
  PROP_POLL_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CARD_READ,
  SIGNAL_CARD_REMOVED,
  SIGNAL_CARD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- events handed to the main context ---------------------------------- */

typedef enum
{
  EVENT_STATE,
  EVENT_CARD_READ,
  EVENT_CARD_REMOVED,
  EVENT_CARD_FAILED,
} EventKind;

typedef struct
{
  LinliGa467Reader *self; /* a reference */
  EventKind kind;
  LinliDeviceState state;
  char *detail;
  LinliIdentity *identity;
  GError *error;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_clear_pointer (&event->identity, linli_identity_unref);
  g_clear_error (&event->error);
  g_free (event->detail);
  g_object_unref (event->self);
  g_free (event);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *event = data;
  LinliGa467Reader *self = event->self;

  /* Events queued just before a dispose are for nobody. */
  if (self->disposed)
    return G_SOURCE_REMOVE;

  switch (event->kind)
    {
    case EVENT_STATE:
      linli_device_set_state (LINLI_DEVICE (self), event->state, event->detail);
      break;
    case EVENT_CARD_READ:
      g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, event->identity);
      break;
    case EVENT_CARD_REMOVED:
      g_signal_emit (self, signals[SIGNAL_CARD_REMOVED], 0);
      break;
    case EVENT_CARD_FAILED:
      g_signal_emit (self, signals[SIGNAL_CARD_FAILED], 0, event->error);
      break;
    }
  return G_SOURCE_REMOVE;
}

/* Not g_main_context_invoke(): from a thread whose default context is the
 * same, it would run the handler right there, on the worker. */
static void
post_event (LinliGa467Reader *self, Event *event)
{
  g_autoptr (GSource) source = g_idle_source_new ();

  event->self = g_object_ref (self);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_event, event, event_free);
  g_source_set_static_name (source, "[linli-ga467-reader] event");
  g_source_attach (source, self->context);
}

static void
post_state (LinliGa467Reader *self, LinliDeviceState state, const char *detail)
{
  Event *event = g_new0 (Event, 1);

  g_mutex_lock (&self->state_lock);
  if (self->worker_state == state && g_strcmp0 (self->worker_detail, detail) == 0)
    {
      g_mutex_unlock (&self->state_lock);
      g_free (event);
      return;
    }
  self->worker_state = state;
  g_free (self->worker_detail);
  self->worker_detail = g_strdup (detail);
  g_mutex_unlock (&self->state_lock);

  event->kind = EVENT_STATE;
  event->state = state;
  event->detail = g_strdup (detail);
  post_event (self, event);
}

static void
post_card_event (LinliGa467Reader *self, EventKind kind, LinliIdentity *identity, GError *error)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  event->identity = identity != NULL ? linli_identity_ref (identity) : NULL;
  event->error = error != NULL ? g_error_copy (error) : NULL;
  post_event (self, event);
}

/* --- talking to the reader (io_lock held) -------------------------------- */

/* Sleeps @ms unless @cancellable fires first; FALSE when cancelled. */
static gboolean
wait_ms (GCancellable *cancellable, guint ms)
{
  GPollFD pfd;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &pfd))
    {
      g_usleep ((gulong) ms * 1000);
      return !g_cancellable_is_cancelled (cancellable);
    }
  g_poll (&pfd, 1, (gint) ms);
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_is_cancelled (cancellable);
}

/* Drops whatever is waiting: a late answer to a command that timed out
 * must not be taken for the answer to the next one. */
static gboolean
drain_input (LinliGa467Reader *self, GError **error)
{
  guint8 buffer[256];

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr (GError) local_error = NULL;
      gssize n
          = linli_ga467_transport_read (self->transport, buffer, sizeof buffer, 0, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, LINLI_GA467_TRANSPORT_ERROR,
                               LINLI_GA467_TRANSPORT_ERROR_TIMEOUT))
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  explicit_bzero (buffer, sizeof buffer);
  return TRUE;
}

static void
set_timeout_error (LinliGa467Reader *self, guint timeout_ms, GError **error)
{
  gsize received = 0, expected = 0;

  if (!linli_ga467_parser_in_frame (self->parser, &received, &expected))
    g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_TIMEOUT,
                 "no answer from the reader on %s within %u ms (is it a GA/T 467 reader at "
                 "115200 baud?)",
                 linli_ga467_transport_describe (self->transport), timeout_ms);
  else if (expected > 0)
    g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_TRUNCATED,
                 "the reader's answer stopped after %zu of %zu bytes (card lifted during the "
                 "read?)",
                 received, expected);
  else
    g_set_error_literal (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_TRUNCATED,
                         "the reader's answer stopped before its length (card lifted during the "
                         "read?)");
}

/* Sends @command and waits up to @timeout_ms for one well-formed answer.
 * The status is not checked here. */
static LinliGa467Response *
exchange (LinliGa467Reader *self,
          LinliGa467Command command,
          guint timeout_ms,
          GCancellable *cancellable,
          GError **error)
{
  g_autoptr (GBytes) frame = linli_ga467_frame_build_command (command, NULL, 0);
  guint8 buffer[512];
  gint64 deadline;
  gint64 last_byte = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!drain_input (self, error))
    return NULL;
  if (!linli_ga467_transport_write (self->transport, g_bytes_get_data (frame, NULL),
                                    g_bytes_get_size (frame), WRITE_TIMEOUT_MS, error))
    return NULL;

  linli_ga467_parser_reset (self->parser);
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      gint64 now = g_get_monotonic_time ();
      gint64 remaining_ms = (deadline - now) / 1000;
      gssize n;
      gsize offset = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (last_byte > 0 && now - last_byte > INTER_BYTE_TIMEOUT_MS * 1000
          && linli_ga467_parser_in_frame (self->parser, NULL, NULL))
        remaining_ms = 0;
      if (remaining_ms <= 0)
        {
          set_timeout_error (self, timeout_ms, error);
          linli_ga467_parser_reset (self->parser);
          return NULL;
        }

      n = linli_ga467_transport_read (self->transport, buffer, sizeof buffer,
                                      (guint) MIN (remaining_ms, SLICE_MS), &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, LINLI_GA467_TRANSPORT_ERROR,
                               LINLI_GA467_TRANSPORT_ERROR_TIMEOUT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      last_byte = g_get_monotonic_time ();
      while (offset < (gsize) n)
        {
          LinliGa467Response *response = NULL;
          gsize consumed = 0;

          switch (linli_ga467_parser_feed (self->parser, buffer + offset, (gsize) n - offset,
                                           &consumed, &response, error))
            {
            case LINLI_GA467_PARSE_FRAME:
              explicit_bzero (buffer, sizeof buffer);
              return response;
            case LINLI_GA467_PARSE_ERROR:
              explicit_bzero (buffer, sizeof buffer);
              return NULL;
            case LINLI_GA467_PARSE_NEED_MORE:
              break;
            }
          offset += consumed;
        }
    }
}

/* Opens the transport and asks for the SAM ID: a port that opens is not
 * yet a reader that answers. */
static gboolean
ensure_open (LinliGa467Reader *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (LinliGa467Response) response = NULL;
  g_autoptr (GError) local_error = NULL;

  if (self->is_open)
    return TRUE;
  if (!linli_ga467_transport_open (self->transport, error))
    return FALSE;

  response = exchange (self, LINLI_GA467_CMD_READ_SAM_ID, COMMAND_TIMEOUT_MS, cancellable, error);
  if (response == NULL)
    {
      linli_ga467_transport_close (self->transport);
      return FALSE;
    }

  g_clear_pointer (&self->sam_id, g_free);
  /* A reader that answers but will not tell its SAM ID still reads cards;
   * only a SAM fault status (60, 66) says it cannot. */
  if (!linli_ga467_response_check (response, &local_error))
    {
      if (g_error_matches (local_error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_SAM_SELF_TEST)
          || g_error_matches (local_error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_SAM_UNAUTHORISED))
        {
          linli_ga467_transport_close (self->transport);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("SAM ID not available: %s", local_error->message);
    }
  else
    {
      self->sam_id = linli_ga467_format_sam_id (response->data, response->length, &local_error);
      if (self->sam_id == NULL)
        g_debug ("SAM ID not understood: %s", local_error->message);
    }
  self->is_open = TRUE;
  return TRUE;
}

static void
close_transport (LinliGa467Reader *self)
{
  if (!self->is_open)
    return;
  linli_ga467_transport_close (self->transport);
  self->is_open = FALSE;
}

static char *
ready_detail (LinliGa467Reader *self)
{
  if (self->sam_id != NULL)
    return g_strdup_printf ("reader answers on %s; SAM %s",
                            linli_ga467_transport_describe (self->transport), self->sam_id);
  return g_strdup_printf ("reader answers on %s", linli_ga467_transport_describe (self->transport));
}

typedef enum
{
  FIND_NO_CARD,
  FIND_CARD,
  FIND_ERROR,
} FindResult;

static FindResult
find_card (LinliGa467Reader *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (LinliGa467Response) response = NULL;

  response = exchange (self, LINLI_GA467_CMD_FIND_CARD, COMMAND_TIMEOUT_MS, cancellable, error);
  if (response == NULL)
    return FIND_ERROR;
  if (response->sw3 == LINLI_GA467_SW_NO_CARD)
    return FIND_NO_CARD;
  if (!linli_ga467_response_check (response, error))
    return FIND_ERROR;
  return FIND_CARD;
}

static void
wipe_bytes (gpointer data)
{
  GByteArray *array = data;

  explicit_bzero (array->data, array->len);
  g_byte_array_unref (array);
}

/* Select, read base message, decode: after find card said 9F. */
static LinliIdentity *
read_card (LinliGa467Reader *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (LinliGa467Response) selected = NULL;
  g_autoptr (LinliGa467Response) message = NULL;
  g_autoptr (GBytes) photo_bytes = NULL;
  const guint8 *text, *photo;
  gsize text_length, photo_length;

  selected = exchange (self, LINLI_GA467_CMD_SELECT_CARD, COMMAND_TIMEOUT_MS, cancellable, error);
  if (selected == NULL || !linli_ga467_response_check (selected, error))
    return NULL;

  message = exchange (self, LINLI_GA467_CMD_READ_BASE, READ_TIMEOUT_MS, cancellable, error);
  if (message == NULL || !linli_ga467_response_check (message, error))
    return NULL;
  if (!linli_ga467_parse_base_message (message->data, message->length, FALSE, &text, &text_length,
                                       &photo, &photo_length, NULL, NULL, error))
    return NULL;

  if (photo_length > 0)
    {
      /* The photo is personal data too: wiped when the identity lets go. */
      GByteArray *array = g_byte_array_sized_new ((guint) photo_length);

      g_byte_array_append (array, photo, (guint) photo_length);
      photo_bytes = g_bytes_new_with_free_func (array->data, array->len, wipe_bytes, array);
    }
  return linli_identity_new_from_ga467_text (text, text_length, photo_bytes, self->source, error);
}

/* --- the worker --------------------------------------------------------- */

static gboolean
is_reader_fault (const GError *error)
{
  /* The reader (not the card) is gone, silent or broken. */
  return error->domain == LINLI_GA467_TRANSPORT_ERROR
         || g_error_matches (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_SAM_SELF_TEST)
         || g_error_matches (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_SAM_UNAUTHORISED);
}

typedef struct
{
  gboolean card_present; /* the placement seen last has been handled */
  guint find_errors;
  gboolean faulty; /* the state posted last was FAULT */
} WorkerState;

/* The reader is unusable: say why, forget the card, close, wait. */
static void
worker_fault (LinliGa467Reader *self, WorkerState *ws, const GError *error)
{
  g_autofree char *detail
      = g_strdup_printf ("%s; retrying every %d s", error->message, RETRY_MS / 1000);

  close_transport (self);
  g_info ("reader fault: %s", error->message);
  post_state (self, LINLI_DEVICE_STATE_FAULT, detail);
  ws->faulty = TRUE;
  ws->find_errors = 0;
  /* Whatever card was there is no longer known to be. */
  if (ws->card_present)
    {
      ws->card_present = FALSE;
      post_card_event (self, EVENT_CARD_REMOVED, NULL, NULL);
    }
}

static void
worker_step (LinliGa467Reader *self, WorkerState *ws, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);
  guint wait = self->poll_ms;

  if (!self->is_open)
    {
      if (!ensure_open (self, cancellable, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            worker_fault (self, ws, error);
          g_clear_pointer (&locker, g_mutex_locker_free);
          wait_ms (cancellable, RETRY_MS);
          return;
        }
      {
        g_autofree char *detail = ready_detail (self);

        post_state (self, LINLI_DEVICE_STATE_READY, detail);
        ws->faulty = FALSE;
      }
    }

  switch (find_card (self, cancellable, &error))
    {
    case FIND_ERROR:
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (is_reader_fault (error) || ++ws->find_errors >= MAX_FIND_ERRORS)
        {
          worker_fault (self, ws, error);
          wait = RETRY_MS;
        }
      else
        g_debug ("find card: %s", error->message);
      break;

    case FIND_NO_CARD:
      ws->find_errors = 0;
      if (ws->card_present)
        {
          ws->card_present = FALSE;
          post_card_event (self, EVENT_CARD_REMOVED, NULL, NULL);
        }
      break;

    case FIND_CARD:
      ws->find_errors = 0;
      if (ws->card_present)
        break;
      /* One placement, one outcome: read or failed, not one per poll. */
      ws->card_present = TRUE;
      identity = read_card (self, cancellable, &error);
      if (identity != NULL)
        post_card_event (self, EVENT_CARD_READ, identity, NULL);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      else if (error->domain == LINLI_GA467_TRANSPORT_ERROR
               && error->code != LINLI_GA467_TRANSPORT_ERROR_TIMEOUT)
        {
          /* Unplugged in the middle of a read: the reader's problem. */
          worker_fault (self, ws, error);
          wait = RETRY_MS;
        }
      else
        {
          g_info ("card could not be read: %s", error->message);
          post_card_event (self, EVENT_CARD_FAILED, NULL, error);
          /* Poll again at once: a card lifted mid-read is gone already. */
          wait = 0;
        }
      break;
    }

  if (ws->faulty && self->is_open)
    {
      g_autofree char *detail = ready_detail (self);

      post_state (self, LINLI_DEVICE_STATE_READY, detail);
      ws->faulty = FALSE;
    }

  g_clear_pointer (&locker, g_mutex_locker_free);
  if (wait > 0)
    wait_ms (cancellable, wait);
}

static gpointer
worker_main (gpointer data)
{
  LinliGa467Reader *self = data;
  g_autoptr (GCancellable) cancellable = g_object_ref (self->worker_cancellable);
  WorkerState ws = { FALSE, 0, FALSE };

  while (!g_cancellable_is_cancelled (cancellable))
    worker_step (self, &ws, cancellable);

  g_mutex_lock (&self->io_lock);
  close_transport (self);
  g_mutex_unlock (&self->io_lock);
  return NULL;
}

void
linli_ga467_reader_start (LinliGa467Reader *self)
{
  g_return_if_fail (LINLI_IS_GA467_READER (self));

  if (self->worker != NULL || self->disposed)
    return;
  self->worker_cancellable = g_cancellable_new ();
  self->worker = g_thread_new ("ga467-reader", worker_main, self);
}

void
linli_ga467_reader_stop (LinliGa467Reader *self)
{
  g_return_if_fail (LINLI_IS_GA467_READER (self));

  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->worker_cancellable);
  g_thread_join (g_steal_pointer (&self->worker));
  g_clear_object (&self->worker_cancellable);

  /* Probes ask the reader again from now on. */
  g_mutex_lock (&self->state_lock);
  g_clear_pointer (&self->worker_detail, g_free);
  self->worker_state = LINLI_DEVICE_STATE_ABSENT;
  g_mutex_unlock (&self->state_lock);
}

gboolean
linli_ga467_reader_is_started (LinliGa467Reader *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_READER (self), FALSE);
  return self->worker != NULL;
}

/* --- one-shot read ------------------------------------------------------ */

LinliIdentity *
linli_ga467_reader_read_once (LinliGa467Reader *self,
                              guint timeout_ms,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  LinliIdentity *identity = NULL;
  gint64 deadline;

  g_return_val_if_fail (LINLI_IS_GA467_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->worker != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "the reader is polling for the kiosk; stop it first");
      return NULL;
    }

  locker = g_mutex_locker_new (&self->io_lock);
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  if (!ensure_open (self, cancellable, error))
    return NULL;

  for (;;)
    {
      gint64 remaining_ms;

      switch (find_card (self, cancellable, error))
        {
        case FIND_ERROR:
          close_transport (self);
          return NULL;
        case FIND_CARD:
          identity = read_card (self, cancellable, error);
          close_transport (self);
          return identity;
        case FIND_NO_CARD:
          break;
        }

      remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
      if (remaining_ms <= 0)
        {
          close_transport (self);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "no card was placed on the reader within %u s", (timeout_ms + 999) / 1000);
          return NULL;
        }
      if (!wait_ms (cancellable, (guint) MIN (remaining_ms, (gint64) self->poll_ms)))
        {
          close_transport (self);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
    }
}

/* --- LinliDevice -------------------------------------------------------- */

static LinliDeviceState
linli_ga467_reader_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliGa467Reader *self = LINLI_GA467_READER (device);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMutexLocker) locker = NULL;
  LinliDeviceState state;

  /* While the worker runs it is the one that knows; a probe must not
   * interleave frames with it. */
  g_mutex_lock (&self->state_lock);
  if (self->worker_detail != NULL)
    {
      *detail = g_strdup (self->worker_detail);
      state = self->worker_state;
      g_mutex_unlock (&self->state_lock);
      return state;
    }
  g_mutex_unlock (&self->state_lock);

  locker = g_mutex_locker_new (&self->io_lock);
  if (self->is_open)
    {
      *detail = ready_detail (self);
      return LINLI_DEVICE_STATE_READY;
    }
  if (!ensure_open (self, cancellable, &error))
    {
      *detail = g_strdup (error->message);
      if (g_error_matches (error, LINLI_GA467_TRANSPORT_ERROR,
                           LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND))
        return LINLI_DEVICE_STATE_ABSENT;
      return LINLI_DEVICE_STATE_FAULT;
    }
  *detail = ready_detail (self);
  close_transport (self);
  return LINLI_DEVICE_STATE_READY;
}

static void
linli_ga467_reader_dispose (GObject *object)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  linli_ga467_reader_stop (self);
  self->disposed = TRUE;

  G_OBJECT_CLASS (linli_ga467_reader_parent_class)->dispose (object);
}

static void
linli_ga467_reader_finalize (GObject *object)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  if (self->is_open)
    linli_ga467_transport_close (self->transport);
  g_clear_object (&self->transport);
  g_clear_pointer (&self->parser, linli_ga467_parser_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->source);
  g_free (self->sam_id);
  g_free (self->worker_detail);
  g_mutex_clear (&self->io_lock);
  g_mutex_clear (&self->state_lock);

  G_OBJECT_CLASS (linli_ga467_reader_parent_class)->finalize (object);
}

static void
linli_ga467_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_POLL_MS:
      g_value_set_uint (value, self->poll_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_ga467_reader_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_set_object (&self->transport, g_value_get_object (value));
      break;
    case PROP_POLL_MS:
      self->poll_ms = g_value_get_uint (value);
      if (self->poll_ms == 0)
        self->poll_ms = DEFAULT_POLL_MS;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_ga467_reader_constructed (GObject *object)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  G_OBJECT_CLASS (linli_ga467_reader_parent_class)->constructed (object);

  g_assert (self->transport != NULL);
  self->source = g_strdup_printf ("ga467 %s", linli_ga467_transport_describe (self->transport));
}

static void
linli_ga467_reader_class_init (LinliGa467ReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->constructed = linli_ga467_reader_constructed;
  object_class->dispose = linli_ga467_reader_dispose;
  object_class->finalize = linli_ga467_reader_finalize;
  object_class->get_property = linli_ga467_reader_get_property;
  object_class->set_property = linli_ga467_reader_set_property;
  device_class->probe = linli_ga467_reader_probe;

  properties[PROP_TRANSPORT]
      = g_param_spec_object ("transport", NULL, NULL, LINLI_TYPE_GA467_TRANSPORT,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_MS]
      = g_param_spec_uint ("poll-ms", NULL, NULL, 0, 60000, DEFAULT_POLL_MS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CARD_READ]
      = g_signal_new ("card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, LINLI_TYPE_IDENTITY);
  signals[SIGNAL_CARD_REMOVED]
      = g_signal_new ("card-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CARD_FAILED]
      = g_signal_new ("card-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
linli_ga467_reader_init (LinliGa467Reader *self)
{
  g_mutex_init (&self->io_lock);
  g_mutex_init (&self->state_lock);
  self->parser = linli_ga467_parser_new ();
  self->poll_ms = DEFAULT_POLL_MS;
  self->worker_state = LINLI_DEVICE_STATE_ABSENT;
  /* Signals go to whoever made the reader, not to the worker. */
  self->context = g_main_context_ref_thread_default ();
}

/**
 * linli_ga467_reader_new_with_transport:
 * @transport: how to reach the reader (serial or USB); not opened yet
 * @poll_ms: how often to look for a card, 0 for the default
 *
 * Returns: (transfer full): a resident-ID reader device
 */
LinliDevice *
linli_ga467_reader_new_with_transport (LinliGa467Transport *transport, guint poll_ms)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (LINLI_IS_GA467_TRANSPORT (transport), NULL);

  /* Maintainers know serial readers by their port. */
  if (LINLI_IS_GA467_SERIAL (transport))
    name = g_strdup_printf ("ID card reader (%s)",
                            linli_ga467_serial_get_path (LINLI_GA467_SERIAL (transport)));
  else
    name = g_strdup_printf ("ID card reader (%s)", linli_ga467_transport_describe (transport));
  return g_object_new (LINLI_TYPE_GA467_READER, "kind", LINLI_DEVICE_KIND_ID_READER, "name", name,
                       "transport", transport, "poll-ms", poll_ms, NULL);
}

/**
 * linli_ga467_reader_new:
 * @path: the serial port the reader is on, e.g. /dev/ttyUSB0
 *
 * Returns: (transfer full): a resident-ID reader device
 */
LinliDevice *
linli_ga467_reader_new (const char *path)
{
  g_autoptr (LinliGa467Transport) transport = NULL;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  transport = linli_ga467_serial_new (path);
  return linli_ga467_reader_new_with_transport (transport, 0);
}

LinliGa467Transport *
linli_ga467_reader_get_transport (LinliGa467Reader *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_READER (self), NULL);
  return self->transport;
}

guint
linli_ga467_reader_get_poll_ms (LinliGa467Reader *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_READER (self), 0);
  return self->poll_ms;
}
