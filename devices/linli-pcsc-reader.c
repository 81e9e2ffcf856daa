/* linli-pcsc-reader.c
 *
 * The reader for social-security cards, reached through pcscd.
 *
 * The monitor follows pcsc-lite's own examples (UnitaryTests/SCardCancel.c,
 * SCardGetStatusChange_PnP.py): a worker thread blocks in
 * SCardGetStatusChange (INFINITE) over the readers and the
 * "\\?PnP?\Notification" pseudo-reader, so readers plugged in later are
 * watched too; SCardCancel unblocks it on stop.
 *
 * pcscd may stop or restart under a running kiosk (a package upgrade, a
 * crash, systemd's idle exit): every call then fails with NO_SERVICE,
 * SERVICE_STOPPED or INVALID_HANDLE, and a PC/SC context never recovers by
 * itself. The monitor releases it, reports FAULT, and establishes a new
 * one until pcscd answers again, then reports READY; a card still in the
 * reader is read again.
 *
 * The thread's state lives in a Monitor of its own, not in the GObject:
 * stop () may have to leave a thread stuck in a pcscd call behind, and that
 * thread must then not touch a finalised reader. Results go to the
 * creator's main context through a weak reference.
 */
#define G_LOG_DOMAIN "linli-pcsc-reader"

#include "linli-pcsc-reader.h"

#include <string.h>
#include <winscard.h>

#include "linli-device-private.h"
#include "linli-sscard.h"

G_DEFINE_QUARK (linli_pcsc_reader_error_quark, linli_pcsc_reader_error)

#define PNP_READER "\\\\?PnP?\\Notification"

/* Re-establishing a context after pcscd went away: quickly at first (a
 * restart takes ~0.1 s), then every second. */
#define RETRY_FIRST_MS 100
#define RETRY_MAX_MS   1000
/* How long stop () keeps cancelling before it leaves the thread behind. */
#define STOP_DEADLINE_MS 1500
/* read_once () waits in slices, so cancellation needs no SCardCancel race. */
#define READ_ONCE_SLICE_MS 250

typedef struct
{
  gatomicrefcount ref_count;
  GMutex lock;
  GCond cond;
  gboolean stopping; /* under lock */
  gboolean done;     /* under lock: the thread has returned */
  gboolean has_context;
  SCARDCONTEXT context; /* under lock while has_context: for SCardCancel */
  char *reader_name;
  GMainContext *main_context;
  GWeakRef reader; /* read on the main context only */
} Monitor;

struct _LinliPcscReader
{
  LinliDevice parent_instance;

  char *reader_name; /* "" means: whichever reader pcscd offers */
  GMainContext *main_context;
  Monitor *monitor; /* while started */
  GThread *thread;
};

G_DEFINE_FINAL_TYPE (LinliPcscReader, linli_pcsc_reader, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_READER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CARD_READ,
  SIGNAL_CARD_FAILED,
  SIGNAL_CARD_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
service_lost (LONG rv)
{
  return rv == (LONG) SCARD_E_NO_SERVICE || rv == (LONG) SCARD_E_SERVICE_STOPPED
         || rv == (LONG) SCARD_E_INVALID_HANDLE || rv == (LONG) SCARD_F_COMM_ERROR;
}

static gboolean
reader_wanted (const char *filter, const char *reader)
{
  return filter[0] == '\0' || g_str_equal (filter, reader);
}

/* Splits a PC/SC multi-string ("a\0b\0\0") into a vector. */
static GStrv
split_multi_string (const char *multi)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *p = multi; p != NULL && *p != '\0'; p += strlen (p) + 1)
    g_strv_builder_add (builder, p);
  return g_strv_builder_end (builder);
}

/* The readers pcscd offers right now ("no readers" is an empty list). */
static LONG
list_readers (SCARDCONTEXT context, GStrv *readers)
{
  LPSTR multi = NULL;
  DWORD length = SCARD_AUTOALLOCATE;
  LONG rv;

  /* Let the library allocate: a reader plugged in between a size query and
   * the real call would otherwise give SCARD_E_INSUFFICIENT_BUFFER. */
  rv = SCardListReaders (context, NULL, (LPSTR) &multi, &length);
  if (rv == SCARD_S_SUCCESS)
    {
      *readers = split_multi_string (multi);
      SCardFreeMemory (context, multi);
      return SCARD_S_SUCCESS;
    }
  if (rv == (LONG) SCARD_E_NO_READERS_AVAILABLE)
    {
      *readers = g_new0 (char *, 1);
      return SCARD_S_SUCCESS;
    }
  *readers = NULL;
  return rv;
}

/* ---- reading one card ------------------------------------------------- */

typedef struct
{
  SCARDHANDLE card;
  DWORD protocol;
  LONG rv;        /* the last PC/SC result, to tell a lost pcscd from a bad card */
  guint answered; /* APDUs the card answered */
} PcscChannel;

static gboolean
pcsc_transmit (const guint8 *command,
               gsize command_length,
               guint8 *response,
               gsize *response_length,
               gpointer user_data,
               GError **error)
{
  PcscChannel *channel = user_data;
  const SCARD_IO_REQUEST *pci
      = channel->protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
  DWORD length = (DWORD) *response_length;

  channel->rv = SCardTransmit (channel->card, pci, command, (DWORD) command_length, NULL, response,
                               &length);
  if (channel->rv != SCARD_S_SUCCESS)
    {
      if (channel->rv == (LONG) SCARD_W_REMOVED_CARD || channel->rv == (LONG) SCARD_E_NO_SMARTCARD)
        g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT,
                             "the card was taken out during the read");
      else
        g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT, "PC/SC: %s",
                     pcsc_stringify_error (channel->rv));
      return FALSE;
    }
  *response_length = length;
  channel->answered++;
  return TRUE;
}

/* Connects to the card in @reader and reads it. @rv: the PC/SC result that
 * ended it, so that the caller can tell pcscd going away from a bad card. */
static LinliIdentity *
read_card (
    SCARDCONTEXT context, const char *reader, GCancellable *cancellable, LONG *rv, GError **error)
{
  PcscChannel channel = { 0, 0, SCARD_S_SUCCESS, 0 };
  g_autofree char *source = g_strdup_printf ("pcsc %s", reader);
  LinliIdentity *identity;

  *rv = SCardConnect (context, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                      &channel.card, &channel.protocol);
  if (*rv != SCARD_S_SUCCESS)
    {
      if (*rv == (LONG) SCARD_W_UNRESPONSIVE_CARD || *rv == (LONG) SCARD_W_UNPOWERED_CARD)
        g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT,
                             "the card does not answer (no ATR): is it inserted the right way "
                             "round?");
      else if (*rv == (LONG) SCARD_W_REMOVED_CARD || *rv == (LONG) SCARD_E_NO_SMARTCARD)
        g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT,
                             "the card was taken out before it could be read");
      else
        g_set_error (error, LINLI_PCSC_READER_ERROR,
                     service_lost (*rv) ? LINLI_PCSC_READER_ERROR_NO_SERVICE
                                        : LINLI_PCSC_READER_ERROR_FAILED,
                     "cannot connect to the card in “%s”: %s", reader, pcsc_stringify_error (*rv));
      return NULL;
    }

  identity = linli_sscard_read (pcsc_transmit, &channel, source, cancellable, error);
  *rv = channel.rv;
  /* Leave the card as it is: a reset would cost the next reader time. */
  SCardDisconnect (channel.card, SCARD_LEAVE_CARD);
  return identity;
}

/* ---- the monitor ------------------------------------------------------ */

static Monitor *
monitor_ref (Monitor *m)
{
  g_atomic_ref_count_inc (&m->ref_count);
  return m;
}

static void
monitor_unref (Monitor *m)
{
  if (!g_atomic_ref_count_dec (&m->ref_count))
    return;
  g_mutex_clear (&m->lock);
  g_cond_clear (&m->cond);
  g_free (m->reader_name);
  g_main_context_unref (m->main_context);
  g_weak_ref_clear (&m->reader);
  g_free (m);
}

static gboolean
monitor_stopping (Monitor *m)
{
  gboolean stopping;

  g_mutex_lock (&m->lock);
  stopping = m->stopping;
  g_mutex_unlock (&m->lock);
  return stopping;
}

/* Sleeps @ms or until stop. */
static void
monitor_sleep (Monitor *m, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&m->lock);
  while (!m->stopping && g_cond_wait_until (&m->cond, &m->lock, until))
    ;
  g_mutex_unlock (&m->lock);
}

typedef enum
{
  EVENT_STATE,
  EVENT_READ,
  EVENT_FAILED,
  EVENT_REMOVED,
} EventKind;

typedef struct
{
  Monitor *monitor;
  EventKind kind;
  LinliDeviceState state;
  char *detail;
  LinliIdentity *identity;
  GError *error;
} Event;

static void
event_free (Event *event)
{
  monitor_unref (event->monitor);
  g_free (event->detail);
  g_clear_pointer (&event->identity, linli_identity_unref);
  g_clear_error (&event->error);
  g_free (event);
}

/* On the creator's main context. */
static gboolean
event_dispatch (gpointer data)
{
  Event *event = data;
  g_autoptr (LinliPcscReader) self = NULL;

  /* Nothing after stop (), nothing for a reader already gone. */
  if (monitor_stopping (event->monitor))
    return G_SOURCE_REMOVE;
  self = g_weak_ref_get (&event->monitor->reader);
  if (self == NULL)
    return G_SOURCE_REMOVE;

  switch (event->kind)
    {
    case EVENT_STATE:
      linli_device_set_state (LINLI_DEVICE (self), event->state, event->detail);
      break;
    case EVENT_READ:
      g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, event->identity);
      break;
    case EVENT_FAILED:
      g_signal_emit (self, signals[SIGNAL_CARD_FAILED], 0, event->error);
      break;
    case EVENT_REMOVED:
      g_signal_emit (self, signals[SIGNAL_CARD_REMOVED], 0);
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
post (Monitor *m, Event *event)
{
  event->monitor = monitor_ref (m);
  g_main_context_invoke_full (m->main_context, G_PRIORITY_DEFAULT, event_dispatch, event,
                              (GDestroyNotify) event_free);
}

static void
post_state (Monitor *m, LinliDeviceState state, const char *detail)
{
  Event *event = g_new0 (Event, 1);

  event->kind = EVENT_STATE;
  event->state = state;
  event->detail = g_strdup (detail);
  post (m, event);
}

static void
post_simple (Monitor *m, EventKind kind, LinliIdentity *identity, GError *error)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  event->identity = identity;
  event->error = error;
  post (m, event);
}

typedef struct
{
  char *name;
  DWORD state;      /* what pcscd last said, passed back as dwCurrentState */
  gboolean present; /* a card reported inserted and not yet removed */
} Watched;

static void
watched_free (Watched *w)
{
  g_free (w->name);
  g_free (w);
}

static void
post_ready (Monitor *m, GPtrArray *watched)
{
  g_autoptr (GString) detail = g_string_new (NULL);

  if (watched->len == 0)
    {
      if (m->reader_name[0] != '\0')
        g_string_printf (detail, "no PC/SC reader named \"%s\"", m->reader_name);
      else
        g_string_assign (detail, "no PC/SC reader");
      post_state (m, LINLI_DEVICE_STATE_ABSENT, detail->str);
      return;
    }
  g_string_printf (detail, "%u reader%s: ", watched->len, watched->len == 1 ? "" : "s");
  for (guint i = 0; i < watched->len; i++)
    {
      Watched *w = g_ptr_array_index (watched, i);

      g_string_append_printf (detail, "%s%s", i > 0 ? ", " : "", w->name);
    }
  post_state (m, LINLI_DEVICE_STATE_READY, detail->str);
}

/* Brings @watched in line with pcscd's readers: kept readers keep their
 * state, new ones start unaware (pcscd then reports them at once), gone
 * ones with a card report it removed. */
static LONG
relist (Monitor *m, SCARDCONTEXT context, GPtrArray *watched)
{
  g_auto (GStrv) readers = NULL;
  g_autoptr (GPtrArray) next = g_ptr_array_new_with_free_func ((GDestroyNotify) watched_free);
  LONG rv = list_readers (context, &readers);

  if (rv != SCARD_S_SUCCESS)
    return rv;

  for (guint r = 0; readers[r] != NULL; r++)
    {
      Watched *found = NULL;

      if (!reader_wanted (m->reader_name, readers[r]))
        continue;
      for (guint i = 0; i < watched->len && found == NULL; i++)
        {
          Watched *w = g_ptr_array_index (watched, i);

          if (g_str_equal (w->name, readers[r]))
            found = g_ptr_array_steal_index (watched, i);
        }
      if (found == NULL)
        {
          found = g_new0 (Watched, 1);
          found->name = g_strdup (readers[r]);
          found->state = SCARD_STATE_UNAWARE;
        }
      g_ptr_array_add (next, found);
    }
  for (guint i = 0; i < watched->len; i++)
    if (((Watched *) g_ptr_array_index (watched, i))->present)
      post_simple (m, EVENT_REMOVED, NULL, NULL);

  g_ptr_array_set_size (watched, 0);
  for (guint i = 0; i < next->len; i++)
    g_ptr_array_add (watched, g_ptr_array_index (next, i));
  g_ptr_array_set_free_func (next, NULL);
  post_ready (m, watched);
  return SCARD_S_SUCCESS;
}

/* A card came into @w's reader: read it and say what came of it. */
static LONG
card_inserted (Monitor *m, SCARDCONTEXT context, Watched *w, GPtrArray *watched)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *detail = g_strdup_printf ("reading a card in %s", w->name);
  LinliIdentity *identity;
  LONG rv = SCARD_S_SUCCESS;

  post_state (m, LINLI_DEVICE_STATE_BUSY, detail);
  identity = read_card (context, w->name, NULL, &rv, &error);
  if (identity == NULL && service_lost (rv))
    return rv; /* not the card's fault: read it again once pcscd is back */

  post_ready (m, watched);
  if (identity != NULL)
    post_simple (m, EVENT_READ, identity, NULL);
  else
    {
      /* The message names the step and the status word, never a field. */
      g_message ("a card in %s could not be read: %s", w->name, error->message);
      post_simple (m, EVENT_FAILED, NULL, g_steal_pointer (&error));
    }
  return SCARD_S_SUCCESS;
}

/* Watches until pcscd goes away (returns its error) or stop. */
static LONG
watch (Monitor *m, SCARDCONTEXT context)
{
  g_autoptr (GPtrArray) watched = g_ptr_array_new_with_free_func ((GDestroyNotify) watched_free);
  DWORD pnp_state = SCARD_STATE_UNAWARE;
  gboolean need_relist = TRUE;

  for (;;)
    {
      g_autofree SCARD_READERSTATE *states = NULL;
      DWORD n;
      LONG rv;

      if (need_relist)
        {
          rv = relist (m, context, watched);
          if (rv != SCARD_S_SUCCESS)
            return rv;
          need_relist = FALSE;
        }

      n = watched->len + 1;
      states = g_new0 (SCARD_READERSTATE, n);
      states[0].szReader = PNP_READER;
      states[0].dwCurrentState = pnp_state;
      for (guint i = 0; i < watched->len; i++)
        {
          Watched *w = g_ptr_array_index (watched, i);

          states[i + 1].szReader = w->name;
          states[i + 1].dwCurrentState = w->state;
        }

      rv = SCardGetStatusChange (context, INFINITE, states, n);
      if (monitor_stopping (m))
        return SCARD_E_CANCELLED;
      if (rv == (LONG) SCARD_E_CANCELLED || rv == (LONG) SCARD_E_TIMEOUT)
        continue;
      if (rv == (LONG) SCARD_E_UNKNOWN_READER || rv == (LONG) SCARD_E_READER_UNAVAILABLE)
        {
          need_relist = TRUE;
          continue;
        }
      if (rv != SCARD_S_SUCCESS)
        return rv;

      if (states[0].dwEventState & SCARD_STATE_CHANGED)
        {
          pnp_state = states[0].dwEventState & ~(DWORD) SCARD_STATE_CHANGED;
          need_relist = TRUE;
        }
      for (guint i = 0; i < watched->len; i++)
        {
          Watched *w = g_ptr_array_index (watched, i);
          DWORD event = states[i + 1].dwEventState;
          gboolean present;

          if (!(event & SCARD_STATE_CHANGED))
            continue;
          w->state = event & ~(DWORD) SCARD_STATE_CHANGED;
          if (event & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE))
            {
              need_relist = TRUE;
              present = FALSE;
            }
          else
            present = (event & SCARD_STATE_PRESENT) != 0;

          if (present && !w->present)
            {
              w->present = TRUE;
              rv = card_inserted (m, context, w, watched);
              if (rv != SCARD_S_SUCCESS)
                return rv;
            }
          else if (!present && w->present)
            {
              w->present = FALSE;
              post_simple (m, EVENT_REMOVED, NULL, NULL);
            }
        }
    }
}

static gpointer
monitor_thread (gpointer data)
{
  Monitor *m = data;
  guint retry_ms = RETRY_FIRST_MS;

  while (!monitor_stopping (m))
    {
      SCARDCONTEXT context = 0;
      LONG rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);

      if (rv != SCARD_S_SUCCESS)
        {
          g_autofree char *detail = rv == (LONG) SCARD_E_NO_SERVICE
                                        ? g_strdup ("pcscd is not running; retrying every second")
                                        : g_strdup_printf ("PC/SC: %s; retrying every second",
                                                           pcsc_stringify_error (rv));

          post_state (m, LINLI_DEVICE_STATE_FAULT, detail);
          monitor_sleep (m, retry_ms);
          retry_ms = MIN (retry_ms * 2, RETRY_MAX_MS);
          continue;
        }

      g_mutex_lock (&m->lock);
      if (m->stopping)
        {
          g_mutex_unlock (&m->lock);
          SCardReleaseContext (context);
          break;
        }
      m->context = context;
      m->has_context = TRUE;
      g_mutex_unlock (&m->lock);

      rv = watch (m, context);

      g_mutex_lock (&m->lock);
      m->has_context = FALSE;
      g_mutex_unlock (&m->lock);
      SCardReleaseContext (context);

      if (monitor_stopping (m))
        break;
      {
        g_autofree char *detail
            = g_strdup_printf ("pcscd went away (%s); reconnecting", pcsc_stringify_error (rv));

        g_message ("%s", detail);
        post_state (m, LINLI_DEVICE_STATE_FAULT, detail);
      }
      /* A context that failed for another reason is retried too, slowly. */
      retry_ms = service_lost (rv) ? RETRY_FIRST_MS : RETRY_MAX_MS;
      monitor_sleep (m, retry_ms);
    }

  g_mutex_lock (&m->lock);
  m->done = TRUE;
  g_cond_broadcast (&m->cond);
  g_mutex_unlock (&m->lock);
  monitor_unref (m);
  return NULL;
}

void
linli_pcsc_reader_start (LinliPcscReader *self)
{
  Monitor *m;

  g_return_if_fail (LINLI_IS_PCSC_READER (self));

  if (self->monitor != NULL)
    return;

  m = g_new0 (Monitor, 1);
  g_atomic_ref_count_init (&m->ref_count);
  g_mutex_init (&m->lock);
  g_cond_init (&m->cond);
  m->reader_name = g_strdup (self->reader_name);
  m->main_context = g_main_context_ref (self->main_context);
  g_weak_ref_init (&m->reader, self);
  self->monitor = m;
  self->thread = g_thread_new ("linli-pcsc", monitor_thread, monitor_ref (m));
}

void
linli_pcsc_reader_stop (LinliPcscReader *self)
{
  Monitor *m;
  gint64 deadline;
  gboolean done;

  g_return_if_fail (LINLI_IS_PCSC_READER (self));

  m = g_steal_pointer (&self->monitor);
  if (m == NULL)
    return;

  deadline = g_get_monotonic_time () + STOP_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&m->lock);
  m->stopping = TRUE;
  g_cond_broadcast (&m->cond);
  /* SCardCancel only wakes a call already waiting: the thread may be on
   * its way into one, so cancel again until it has returned. */
  while (!m->done && g_get_monotonic_time () < deadline)
    {
      if (m->has_context)
        SCardCancel (m->context);
      g_cond_wait_until (&m->cond, &m->lock,
                         g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND);
    }
  done = m->done;
  g_mutex_unlock (&m->lock);

  if (done)
    g_thread_join (g_steal_pointer (&self->thread));
  else
    {
      /* Stuck in pcscd (a transmit to a card that never answers): leave it;
       * it holds its own reference to the monitor and ends on its own. */
      g_warning ("the PC/SC monitor did not stop within %d ms; leaving it behind",
                 STOP_DEADLINE_MS);
      g_clear_pointer (&self->thread, g_thread_unref);
    }
  monitor_unref (m);
}

gboolean
linli_pcsc_reader_is_started (LinliPcscReader *self)
{
  g_return_val_if_fail (LINLI_IS_PCSC_READER (self), FALSE);
  return self->monitor != NULL;
}

/* ---- one card, blocking ------------------------------------------------ */

LinliIdentity *
linli_pcsc_reader_read_once (LinliPcscReader *self,
                             guint timeout_ms,
                             GCancellable *cancellable,
                             GError **error)
{
  SCARDCONTEXT context = 0;
  g_autoptr (GPtrArray) watched = g_ptr_array_new_with_free_func ((GDestroyNotify) watched_free);
  DWORD pnp_state = SCARD_STATE_UNAWARE;
  gboolean need_relist = TRUE;
  gint64 deadline = timeout_ms > 0
                        ? g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND
                        : G_MAXINT64;
  LinliIdentity *identity = NULL;
  LONG rv;

  g_return_val_if_fail (LINLI_IS_PCSC_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  if (rv != SCARD_S_SUCCESS)
    {
      g_set_error (error, LINLI_PCSC_READER_ERROR,
                   service_lost (rv) ? LINLI_PCSC_READER_ERROR_NO_SERVICE
                                     : LINLI_PCSC_READER_ERROR_FAILED,
                   rv == (LONG) SCARD_E_NO_SERVICE ? "pcscd is not running" : "PC/SC: %s",
                   pcsc_stringify_error (rv));
      return NULL;
    }

  while (identity == NULL)
    {
      g_autofree SCARD_READERSTATE *states = NULL;
      gint64 now = g_get_monotonic_time ();
      DWORD slice;
      DWORD n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (now >= deadline)
        {
          if (watched->len == 0 && self->reader_name[0] != '\0')
            g_set_error (error, LINLI_PCSC_READER_ERROR, LINLI_PCSC_READER_ERROR_NO_READER,
                         "no PC/SC reader named “%s”", self->reader_name);
          else if (watched->len == 0)
            g_set_error_literal (error, LINLI_PCSC_READER_ERROR, LINLI_PCSC_READER_ERROR_NO_READER,
                                 "no PC/SC reader");
          else
            g_set_error (error, LINLI_PCSC_READER_ERROR, LINLI_PCSC_READER_ERROR_NO_CARD,
                         "no card inserted within %u.%u s", timeout_ms / 1000,
                         timeout_ms % 1000 / 100);
          break;
        }

      if (need_relist)
        {
          g_auto (GStrv) readers = NULL;

          rv = list_readers (context, &readers);
          if (rv != SCARD_S_SUCCESS)
            {
              g_set_error (error, LINLI_PCSC_READER_ERROR,
                           service_lost (rv) ? LINLI_PCSC_READER_ERROR_NO_SERVICE
                                             : LINLI_PCSC_READER_ERROR_FAILED,
                           "PC/SC: %s", pcsc_stringify_error (rv));
              break;
            }
          g_ptr_array_set_size (watched, 0);
          for (guint r = 0; readers[r] != NULL; r++)
            if (reader_wanted (self->reader_name, readers[r]))
              {
                Watched *w = g_new0 (Watched, 1);

                w->name = g_strdup (readers[r]);
                w->state = SCARD_STATE_UNAWARE;
                g_ptr_array_add (watched, w);
              }
          need_relist = FALSE;
        }

      n = watched->len + 1;
      states = g_new0 (SCARD_READERSTATE, n);
      states[0].szReader = PNP_READER;
      states[0].dwCurrentState = pnp_state;
      for (guint i = 0; i < watched->len; i++)
        {
          Watched *w = g_ptr_array_index (watched, i);

          states[i + 1].szReader = w->name;
          states[i + 1].dwCurrentState = w->state;
        }

      slice = (DWORD) MIN ((deadline - now) / G_TIME_SPAN_MILLISECOND + 1, READ_ONCE_SLICE_MS);
      rv = SCardGetStatusChange (context, slice, states, n);
      if (rv == (LONG) SCARD_E_TIMEOUT)
        continue;
      if (rv == (LONG) SCARD_E_UNKNOWN_READER || rv == (LONG) SCARD_E_READER_UNAVAILABLE)
        {
          need_relist = TRUE;
          continue;
        }
      if (rv != SCARD_S_SUCCESS)
        {
          g_set_error (error, LINLI_PCSC_READER_ERROR,
                       service_lost (rv) ? LINLI_PCSC_READER_ERROR_NO_SERVICE
                                         : LINLI_PCSC_READER_ERROR_FAILED,
                       "PC/SC: %s", pcsc_stringify_error (rv));
          break;
        }

      if (states[0].dwEventState & SCARD_STATE_CHANGED)
        {
          pnp_state = states[0].dwEventState & ~(DWORD) SCARD_STATE_CHANGED;
          need_relist = TRUE;
        }
      for (guint i = 0; i < watched->len; i++)
        {
          Watched *w = g_ptr_array_index (watched, i);
          DWORD event = states[i + 1].dwEventState;

          w->state = event & ~(DWORD) SCARD_STATE_CHANGED;
          if ((event & SCARD_STATE_PRESENT) && !(event & SCARD_STATE_UNAVAILABLE))
            {
              /* The first card found is the answer, read or not. */
              identity = read_card (context, w->name, cancellable, &rv, error);
              if (identity == NULL)
                goto out;
              break;
            }
        }
    }

out:
  SCardReleaseContext (context);
  return identity;
}

/* ---- presence probe (linli-diag devices) ------------------------------- */

static LinliDeviceState
linli_pcsc_reader_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliPcscReader *self = LINLI_PCSC_READER (device);
  SCARDCONTEXT context = 0;
  g_auto (GStrv) readers = NULL;
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  if (rv != SCARD_S_SUCCESS)
    {
      if (rv == (LONG) SCARD_E_NO_SERVICE)
        *detail = g_strdup ("pcscd is not running");
      else
        *detail = g_strdup_printf ("PC/SC: %s", pcsc_stringify_error (rv));
      return LINLI_DEVICE_STATE_FAULT;
    }
  rv = list_readers (context, &readers);
  SCardReleaseContext (context);
  if (rv != SCARD_S_SUCCESS)
    {
      *detail = g_strdup_printf ("PC/SC: %s", pcsc_stringify_error (rv));
      return LINLI_DEVICE_STATE_FAULT;
    }

  if (self->reader_name[0] != '\0')
    {
      if (g_strv_contains ((const char *const *) readers, self->reader_name))
        {
          *detail = g_strdup_printf ("reader \"%s\" present", self->reader_name);
          return LINLI_DEVICE_STATE_READY;
        }
      *detail = g_strdup_printf ("no PC/SC reader named \"%s\"", self->reader_name);
      return LINLI_DEVICE_STATE_ABSENT;
    }

  if (readers[0] == NULL)
    {
      *detail = g_strdup ("no PC/SC reader");
      return LINLI_DEVICE_STATE_ABSENT;
    }

  {
    g_autofree char *list = g_strjoinv (", ", readers);
    guint n = g_strv_length (readers);

    *detail = g_strdup_printf ("%u reader%s: %s", n, n == 1 ? "" : "s", list);
  }
  return LINLI_DEVICE_STATE_READY;
}

/* ---- GObject ------------------------------------------------------------ */

static void
linli_pcsc_reader_dispose (GObject *object)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  linli_pcsc_reader_stop (self);

  G_OBJECT_CLASS (linli_pcsc_reader_parent_class)->dispose (object);
}

static void
linli_pcsc_reader_finalize (GObject *object)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  g_free (self->reader_name);
  g_main_context_unref (self->main_context);

  G_OBJECT_CLASS (linli_pcsc_reader_parent_class)->finalize (object);
}

static void
linli_pcsc_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  switch (prop_id)
    {
    case PROP_READER_NAME:
      g_value_set_string (value, self->reader_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_pcsc_reader_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  switch (prop_id)
    {
    case PROP_READER_NAME:
      g_free (self->reader_name);
      self->reader_name = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_pcsc_reader_class_init (LinliPcscReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->dispose = linli_pcsc_reader_dispose;
  object_class->finalize = linli_pcsc_reader_finalize;
  object_class->get_property = linli_pcsc_reader_get_property;
  object_class->set_property = linli_pcsc_reader_set_property;
  device_class->probe = linli_pcsc_reader_probe;

  /* The reader's name as pcscd lists it, e.g. "Virtual PCD 00 00". */
  properties[PROP_READER_NAME]
      = g_param_spec_string ("reader-name", NULL, NULL, "",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CARD_READ]
      = g_signal_new ("card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, LINLI_TYPE_IDENTITY);
  signals[SIGNAL_CARD_FAILED]
      = g_signal_new ("card-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_CARD_REMOVED]
      = g_signal_new ("card-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
linli_pcsc_reader_init (LinliPcscReader *self)
{
  self->reader_name = g_strdup ("");
  self->main_context = g_main_context_ref_thread_default ();
}

/**
 * linli_pcsc_reader_new:
 * @reader_name: (nullable): the PC/SC reader to use; %NULL or "" for any
 *
 * Returns: (transfer full): a card reader device
 */
LinliDevice *
linli_pcsc_reader_new (const char *reader_name)
{
  return g_object_new (LINLI_TYPE_PCSC_READER, "kind", LINLI_DEVICE_KIND_CARD_READER, "name",
                       "PC/SC reader", "reader-name", reader_name, NULL);
}

const char *
linli_pcsc_reader_get_reader_name (LinliPcscReader *self)
{
  g_return_val_if_fail (LINLI_IS_PCSC_READER (self), NULL);
  return self->reader_name;
}
