/* linli-printer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The receipt printer is a CUPS queue; the kiosk talks to the scheduler
 * that libcups finds (CUPS_SERVER, client.conf or the local socket) through
 * the destination API. Every blocking IPP exchange runs on a worker with its
 * own connection (a scheduler restarted between two jobs is then no
 * concern), and what it learns is applied on the main context the printer
 * was made on.
 *
 * CUPS only learns a printer's state while a job runs, so the state is also
 * polled while idle. A job is followed until it is completed, aborted or
 * canceled; a job that cannot finish (printer stopped, out of paper) is
 * canceled rather than left queued: a receipt printed an hour later, for
 * nobody, would lie in the tray with a resident's data on it.
 */
#define G_LOG_DOMAIN "linli-printer"

#include "linli-printer.h"

#include <cups/cups.h>
#include <stdlib.h>
#include <string.h>

#include "linli-device-private.h"

G_DEFINE_QUARK (linli_printer_error_quark, linli_printer_error)

struct _LinliPrinter
{
  LinliDevice parent_instance;

  char *queue; /* "" means the CUPS default destination */
  LinliPrinterPaper paper;
  guint poll_interval; /* seconds, 0 = no polling */
  guint job_timeout;   /* seconds */

  GMainContext *context; /* where state changes are applied */
  GSource *poll_source;
  GCancellable *poll_cancellable;
  gboolean refreshing;
};

G_DEFINE_FINAL_TYPE (LinliPrinter, linli_printer, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_QUEUE,
  PROP_PAPER,
  PROP_POLL_INTERVAL,
  PROP_JOB_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_POLL_INTERVAL 10 /* seconds */
#define DEFAULT_JOB_TIMEOUT   60 /* seconds; a receipt takes a few */
/* How long to wait for the scheduler to accept a connection. */
#define CONNECT_TIMEOUT_MS 3000
/* cupsWriteRequestData() in pieces, to notice a cancellation. */
#define WRITE_CHUNK 65536

GType
linli_printer_paper_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_PRINTER_PAPER_UNKNOWN, "LINLI_PRINTER_PAPER_UNKNOWN", "unknown" },
    { LINLI_PRINTER_PAPER_READY, "LINLI_PRINTER_PAPER_READY", "ready" },
    { LINLI_PRINTER_PAPER_LOW, "LINLI_PRINTER_PAPER_LOW", "paper-low" },
    { LINLI_PRINTER_PAPER_OUT, "LINLI_PRINTER_PAPER_OUT", "paper-out" },
    { LINLI_PRINTER_PAPER_JAMMED, "LINLI_PRINTER_PAPER_JAMMED", "jammed" },
    { LINLI_PRINTER_PAPER_OFFLINE, "LINLI_PRINTER_PAPER_OFFLINE", "offline" },
    { LINLI_PRINTER_PAPER_STOPPED, "LINLI_PRINTER_PAPER_STOPPED", "stopped" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliPrinterPaper", values));
  return type_id;
}

const char *
linli_printer_paper_to_string (LinliPrinterPaper paper)
{
  GEnumClass *klass = g_type_class_ref (LINLI_TYPE_PRINTER_PAPER);
  GEnumValue *found = g_enum_get_value (klass, (int) paper);
  const char *nick = found != NULL ? found->value_nick : "invalid";

  g_type_class_unref (klass);
  return nick;
}

/* ---- talking to the scheduler (worker threads only) ---- */

/* What Get-Printer-Attributes says about a queue. */
typedef struct
{
  char *name;
  int state; /* ipp_pstate_t, 0 when unknown */
  char *reasons;
  char *message;
  gboolean accepting;
} PrinterStatus;

static void
printer_status_clear (PrinterStatus *status)
{
  g_clear_pointer (&status->name, g_free);
  g_clear_pointer (&status->reasons, g_free);
  g_clear_pointer (&status->message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PrinterStatus, printer_status_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (http_t, httpClose)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ipp_t, ippDelete)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cups_dinfo_t, cupsFreeDestInfo)

static void
dest_free (cups_dest_t *dest)
{
  cupsFreeDests (1, dest);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cups_dest_t, dest_free)

static char *
server_name (void)
{
  const char *host = cupsServer ();

  if (host[0] == '/')
    return g_strdup (host);
  return g_strdup_printf ("%s:%d", host, ippPort ());
}

/* A connection of our own: CUPS_HTTP_DEFAULT would be one per thread of the
 * pool, kept across a scheduler restart. */
static http_t *
connect_scheduler (GError **error)
{
  http_t *http = httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1,
                               CONNECT_TIMEOUT_MS, NULL);

  if (http == NULL)
    {
      g_autofree char *server = server_name ();

      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_UNREACHABLE,
                   "CUPS scheduler %s not reachable: %s", server, cupsLastErrorString ());
    }
  return http;
}

static cups_dest_t *
find_dest (http_t *http, const char *queue, GError **error)
{
  cups_dest_t *dest = cupsGetNamedDest (http, queue[0] != '\0' ? queue : NULL, NULL);

  if (dest == NULL)
    {
      if (queue[0] != '\0')
        g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_NO_QUEUE,
                     "no CUPS queue named \"%s\"", queue);
      else
        g_set_error_literal (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_NO_QUEUE,
                             "no default CUPS queue");
    }
  return dest;
}

static char *
join_strings (ipp_attribute_t *attr)
{
  GString *text = g_string_new (NULL);
  int count = ippGetCount (attr);

  for (int i = 0; i < count; i++)
    {
      const char *value = ippGetString (attr, i, NULL);

      if (value == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ',');
      g_string_append (text, value);
    }
  return g_string_free (text, FALSE);
}

static gboolean
get_printer_status (http_t *http, cups_dest_t *dest, PrinterStatus *status, GError **error)
{
  static const char *const wanted[] = {
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
  };
  const char *uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);
  g_autoptr (ipp_t) response = NULL;
  ipp_t *request;
  ipp_attribute_t *attr;

  if (uri == NULL)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_FAILED,
                   "%s: the scheduler gave no printer URI", dest->name);
      return FALSE;
    }
  request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, request, "/");
  if (response == NULL || ippGetStatusCode (response) > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_FAILED,
                   "%s: Get-Printer-Attributes failed: %s", dest->name, cupsLastErrorString ());
      return FALSE;
    }

  status->name = g_strdup (dest->name);
  attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM);
  status->state = attr != NULL ? ippGetInteger (attr, 0) : 0;
  attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD);
  status->reasons = attr != NULL ? join_strings (attr) : g_strdup ("");
  attr = ippFindAttribute (response, "printer-state-message", IPP_TAG_TEXT);
  if (attr != NULL && ippGetString (attr, 0, NULL) != NULL && ippGetString (attr, 0, NULL)[0])
    status->message = g_strdup (ippGetString (attr, 0, NULL));
  attr = ippFindAttribute (response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
  status->accepting = attr == NULL || ippGetBoolean (attr, 0);
  return TRUE;
}

/* Whether a printer-state-reasons list holds KEYWORD, with or without one
 * of the -report, -warning, -error suffixes. */
static gboolean
has_reason (const char *reasons, const char *keyword)
{
  g_auto (GStrv) list = g_strsplit (reasons, ",", -1);
  size_t len = strlen (keyword);

  for (char **r = list; *r != NULL; r++)
    {
      if (strncmp (*r, keyword, len) != 0)
        continue;
      if ((*r)[len] == '\0' || g_str_equal (*r + len, "-report")
          || g_str_equal (*r + len, "-warning") || g_str_equal (*r + len, "-error"))
        return TRUE;
    }
  return FALSE;
}

static LinliPrinterPaper
classify (const PrinterStatus *status)
{
  const char *r = status->reasons;

  if (has_reason (r, "media-jam"))
    return LINLI_PRINTER_PAPER_JAMMED;
  if (has_reason (r, "media-empty") || has_reason (r, "media-needed"))
    return LINLI_PRINTER_PAPER_OUT;
  if (has_reason (r, "offline") || has_reason (r, "shutdown"))
    return LINLI_PRINTER_PAPER_OFFLINE;
  if (status->state == IPP_PSTATE_STOPPED || has_reason (r, "paused") || !status->accepting)
    return LINLI_PRINTER_PAPER_STOPPED;
  if (has_reason (r, "media-low"))
    return LINLI_PRINTER_PAPER_LOW;
  return LINLI_PRINTER_PAPER_READY;
}

/* "q: stopped (paused): Paper jam" */
static char *
describe (const PrinterStatus *status, const char *what, gboolean with_message)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s: %s", status->name, what);
  if (status->reasons[0] != '\0' && g_strcmp0 (status->reasons, "none") != 0)
    g_string_append_printf (text, " (%s)", status->reasons);
  if (with_message && status->message != NULL)
    g_string_append_printf (text, ": %s", status->message);
  return g_string_free (text, FALSE);
}

static LinliDeviceState
device_state (const PrinterStatus *status, LinliPrinterPaper paper, char **detail)
{
  gboolean trouble = paper != LINLI_PRINTER_PAPER_READY && paper != LINLI_PRINTER_PAPER_LOW;

  switch (status->state)
    {
    case IPP_PSTATE_IDLE:
      /* An idle queue that rejects jobs (cupsreject) cannot print a receipt. */
      if (!status->accepting)
        {
          *detail = describe (status, "idle, not accepting jobs", TRUE);
          return LINLI_DEVICE_STATE_FAULT;
        }
      *detail = describe (status, "idle", trouble);
      return trouble ? LINLI_DEVICE_STATE_FAULT : LINLI_DEVICE_STATE_READY;

    case IPP_PSTATE_PROCESSING:
      *detail = describe (status, "printing", trouble);
      return trouble ? LINLI_DEVICE_STATE_FAULT : LINLI_DEVICE_STATE_BUSY;

    case IPP_PSTATE_STOPPED:
      *detail = describe (status, "stopped", TRUE);
      return LINLI_DEVICE_STATE_FAULT;

    default:
      *detail = g_strdup_printf ("%s: unknown printer-state %d", status->name, status->state);
      return LINLI_DEVICE_STATE_FAULT;
    }
}

/* ---- applying what a worker found, on the printer's context ---- */

typedef struct
{
  LinliPrinter *self;
  gboolean with_state; /* a probe's state is applied by LinliDevice itself */
  LinliDeviceState state;
  char *detail;
  LinliPrinterPaper paper;
} Publish;

static gboolean
publish_apply (gpointer data)
{
  Publish *publish = data;
  LinliPrinter *self = publish->self;

  if (publish->with_state)
    linli_device_set_state (LINLI_DEVICE (self), publish->state, publish->detail);
  if (self->paper != publish->paper)
    {
      self->paper = publish->paper;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAPER]);
    }
  return G_SOURCE_REMOVE;
}

static void
publish_free (gpointer data)
{
  Publish *publish = data;

  g_object_unref (publish->self);
  g_free (publish->detail);
  g_free (publish);
}

static void
publish (LinliPrinter *self,
         gboolean with_state,
         LinliDeviceState state,
         const char *detail,
         LinliPrinterPaper paper)
{
  Publish *p = g_new0 (Publish, 1);

  p->self = g_object_ref (self);
  p->with_state = with_state;
  p->state = state;
  p->detail = g_strdup (detail);
  p->paper = paper;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, publish_apply, p, publish_free);
}

/* Asks the scheduler; returns the device state, the detail and the paper. */
static LinliDeviceState
query (const char *queue, char **detail, LinliPrinterPaper *paper)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (http_t) http = NULL;
  g_autoptr (cups_dest_t) dest = NULL;
  g_auto (PrinterStatus) status = { 0 };

  *paper = LINLI_PRINTER_PAPER_UNKNOWN;
  http = connect_scheduler (&error);
  if (http != NULL)
    dest = find_dest (http, queue, &error);
  if (dest != NULL && get_printer_status (http, dest, &status, &error))
    {
      *paper = classify (&status);
      return device_state (&status, *paper, detail);
    }

  *detail = g_strdup (error->message);
  return g_error_matches (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_NO_QUEUE)
             ? LINLI_DEVICE_STATE_ABSENT
             : LINLI_DEVICE_STATE_FAULT;
}

static LinliDeviceState
linli_printer_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliPrinter *self = LINLI_PRINTER (device);
  LinliPrinterPaper paper;
  LinliDeviceState state = query (self->queue, detail, &paper);

  /* Queued before LinliDevice applies the state, so a caller that drains
   * its context after the probe finished sees both. */
  publish (self, FALSE, state, NULL, paper);
  return state;
}

/* ---- printing ---- */

typedef struct
{
  char *queue;
  GBytes *document;
  char *format;
  char *title;
  guint timeout; /* seconds */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_free (job->queue);
  g_bytes_unref (job->document);
  g_free (job->format);
  g_free (job->title);
  g_free (job);
}

/* Sleeps, waking early when cancelled. */
static void
nap (GCancellable *cancellable, int ms)
{
  GPollFD pollfd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, ms);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
}

/* On a connection of its own: the job's may be in the middle of a
 * document. */
static void
cancel_job (cups_dest_t *dest, int job_id)
{
  g_autoptr (http_t) http = connect_scheduler (NULL);
  ipp_status_t status;

  if (http == NULL)
    {
      g_warning ("job %d on %s: could not reach the scheduler to cancel it", job_id, dest->name);
      return;
    }
  status = cupsCancelDestJob (http, dest, job_id);
  if (status > IPP_STATUS_OK_CONFLICTING && status != IPP_STATUS_ERROR_NOT_POSSIBLE)
    g_warning ("job %d on %s: cancel failed: %s", job_id, dest->name, cupsLastErrorString ());
  else
    g_debug ("job %d on %s: canceled", job_id, dest->name);
}

/* The printer's trouble as an error, or FALSE when it may yet print. */
static gboolean
printer_trouble (const PrinterStatus *status, GError **error)
{
  LinliPrinterPaper paper = classify (status);
  const char *message = status->message != NULL ? status->message : "";
  const char *sep = status->message != NULL ? ": " : "";

  switch (paper)
    {
    case LINLI_PRINTER_PAPER_OUT:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_PAPER_OUT,
                   "printer out of paper%s%s", sep, message);
      return TRUE;
    case LINLI_PRINTER_PAPER_JAMMED:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_JAMMED, "printer jammed%s%s",
                   sep, message);
      return TRUE;
    case LINLI_PRINTER_PAPER_OFFLINE:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_OFFLINE, "printer offline%s%s",
                   sep, message);
      return TRUE;
    case LINLI_PRINTER_PAPER_STOPPED:
      if (!status->accepting)
        g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_REJECTED,
                     "printer not accepting jobs%s%s", sep, message);
      else
        g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_STOPPED, "printer stopped%s%s",
                     sep, message);
      return TRUE;
    case LINLI_PRINTER_PAPER_UNKNOWN:
    case LINLI_PRINTER_PAPER_READY:
    case LINLI_PRINTER_PAPER_LOW:
    default:
      return FALSE;
    }
}

typedef enum
{
  FOLLOW_WAIT,
  FOLLOW_DONE,
  FOLLOW_FAILED,
} FollowResult;

static FollowResult
check_job (http_t *http, cups_dest_t *dest, int job_id, GError **error)
{
  static const char *const wanted[] = { "job-state", "job-state-reasons" };
  const char *uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);
  g_autoptr (ipp_t) response = NULL;
  g_autofree char *reasons = NULL;
  ipp_attribute_t *attr;
  ipp_t *request;
  int state;

  request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, request, "/");
  if (response == NULL)
    return FOLLOW_WAIT; /* the scheduler may be restarting: ask again */
  if (ippGetStatusCode (response) == IPP_STATUS_ERROR_NOT_FOUND)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_ABORTED,
                   "print job %d vanished from the scheduler", job_id);
      return FOLLOW_FAILED;
    }
  if (ippGetStatusCode (response) > IPP_STATUS_OK_CONFLICTING)
    return FOLLOW_WAIT;

  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  state = attr != NULL ? ippGetInteger (attr, 0) : 0;
  attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD);
  reasons = attr != NULL ? join_strings (attr) : g_strdup ("none");

  switch (state)
    {
    case IPP_JSTATE_COMPLETED:
      return FOLLOW_DONE;
    case IPP_JSTATE_ABORTED:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_ABORTED,
                   "print job aborted (%s)", reasons);
      return FOLLOW_FAILED;
    case IPP_JSTATE_CANCELED:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_CANCELED,
                   "print job canceled at the printer (%s)", reasons);
      return FOLLOW_FAILED;
    case IPP_JSTATE_HELD:
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_STOPPED, "print job held (%s)",
                   reasons);
      return FOLLOW_FAILED;
    default:
      break;
    }

  /* Pending, processing or stopped: the printer says whether it can go
   * on. A backend that runs out of paper stops the queue and puts the job
   * back to pending, where it would wait for ever. */
  {
    g_auto (PrinterStatus) status = { 0 };

    if (get_printer_status (http, dest, &status, NULL)
        && (status.state == IPP_PSTATE_STOPPED || state == IPP_JSTATE_STOPPED)
        && printer_trouble (&status, error))
      return FOLLOW_FAILED;
  }
  return FOLLOW_WAIT;
}

static gboolean
follow_job (http_t **http,
            cups_dest_t *dest,
            int job_id,
            guint timeout,
            GCancellable *cancellable,
            GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;
  int interval = 10; /* ms, growing: most receipts complete in tens of ms */

  for (;;)
    {
      FollowResult result;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (*http == NULL)
        *http = connect_scheduler (NULL);
      result = *http != NULL ? check_job (*http, dest, job_id, error) : FOLLOW_WAIT;
      if (result == FOLLOW_DONE)
        return TRUE;
      if (result == FOLLOW_FAILED)
        return FALSE;
      if (*http != NULL && httpGetFd (*http) < 0)
        g_clear_pointer (http, httpClose);
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_TIMEOUT,
                       "print job did not complete within %u s", timeout);
          return FALSE;
        }
      nap (cancellable, interval);
      interval = MIN (interval * 2, 250);
    }
}

static gboolean
submit_and_follow (PrintJob *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (http_t) http = NULL;
  g_autoptr (cups_dest_t) dest = NULL;
  g_autoptr (cups_dinfo_t) info = NULL;
  g_auto (PrinterStatus) status = { 0 };
  gint64 started = g_get_monotonic_time ();
  const guint8 *data;
  gsize size;
  int job_id = 0;
  ipp_status_t ipp_status;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  http = connect_scheduler (error);
  if (http == NULL)
    return FALSE;
  dest = find_dest (http, job->queue, error);
  if (dest == NULL)
    return FALSE;

  /* A stopped queue takes jobs and keeps them: do not leave a receipt
   * there. */
  if (!get_printer_status (http, dest, &status, error))
    return FALSE;
  if (printer_trouble (&status, error))
    return FALSE;

  info = cupsCopyDestInfo (http, dest);
  if (info == NULL)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_FAILED,
                   "%s: could not read the queue's capabilities: %s", dest->name,
                   cupsLastErrorString ());
      return FALSE;
    }

  ipp_status = cupsCreateDestJob (http, dest, info, &job_id, job->title, 0, NULL);
  if (ipp_status > IPP_STATUS_OK_CONFLICTING || job_id <= 0)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_REJECTED, "%s: job refused: %s",
                   dest->name, cupsLastErrorString ());
      return FALSE;
    }
  g_debug ("job %d on %s: created", job_id, dest->name);

  if (cupsStartDestDocument (http, dest, info, job_id, job->title, job->format, 0, NULL, 1)
      != HTTP_STATUS_CONTINUE)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_REJECTED,
                   "%s: document refused: %s", dest->name, cupsLastErrorString ());
      cancel_job (dest, job_id);
      return FALSE;
    }

  data = g_bytes_get_data (job->document, &size);
  for (gsize done = 0; done < size;)
    {
      gsize n = MIN (size - done, WRITE_CHUNK);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          cancel_job (dest, job_id);
          return FALSE;
        }
      if (cupsWriteRequestData (http, (const char *) data + done, n) != HTTP_STATUS_CONTINUE)
        {
          g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_FAILED,
                       "%s: sending the document failed: %s", dest->name, cupsLastErrorString ());
          cancel_job (dest, job_id);
          return FALSE;
        }
      done += n;
    }

  ipp_status = cupsFinishDestDocument (http, dest, info);
  if (ipp_status > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_REJECTED,
                   "%s: document refused: %s", dest->name, cupsLastErrorString ());
      cancel_job (dest, job_id);
      return FALSE;
    }
  g_debug ("job %d on %s: %" G_GSIZE_FORMAT " bytes sent in %.1f ms", job_id, dest->name, size,
           (double) (g_get_monotonic_time () - started) / 1000.0);

  if (!follow_job (&http, dest, job_id, job->timeout, cancellable, error))
    {
      cancel_job (dest, job_id);
      return FALSE;
    }
  g_debug ("job %d on %s: completed in %.1f ms", job_id, dest->name,
           (double) (g_get_monotonic_time () - started) / 1000.0);
  return TRUE;
}

static void
print_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LinliPrinter *self = source_object;
  PrintJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *detail = NULL;
  LinliPrinterPaper paper;
  LinliDeviceState state;
  gboolean ok = submit_and_follow (job, cancellable, &error);

  /* A failed job is often the first the scheduler hears of a printer's
   * trouble: let the maintenance view know at once. */
  state = query (job->queue, &detail, &paper);
  publish (self, TRUE, state, detail, paper);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * linli_printer_print_async:
 * @document: the bytes to print
 * @format: %LINLI_PRINTER_FORMAT_PDF or %LINLI_PRINTER_FORMAT_RAW
 * @title: (nullable): the job's name; it shows in the scheduler's logs, so
 *   never put personal data in it
 *
 * Sends @document to the printer's queue and follows the job until it is
 * completed (success), aborted or canceled, the printer stops, or the job
 * timeout passes. A job that fails or is cancelled through @cancellable is
 * canceled at the scheduler too.
 */
void
linli_printer_print_async (LinliPrinter *self,
                           GBytes *document,
                           const char *format,
                           const char *title,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PrintJob *job;

  g_return_if_fail (LINLI_IS_PRINTER (self));
  g_return_if_fail (document != NULL);
  g_return_if_fail (format != NULL);

  job = g_new0 (PrintJob, 1);
  job->queue = g_strdup (self->queue);
  job->document = g_bytes_ref (document);
  job->format = g_strdup (format);
  job->title = g_strdup (title != NULL ? title : "Linli");
  job->timeout = self->job_timeout;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_printer_print_async);
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);
  g_task_run_in_thread (task, print_thread);
}

/**
 * linli_printer_print_finish:
 *
 * Returns: %TRUE only when the job completed; otherwise %FALSE with an
 *   error in %LINLI_PRINTER_ERROR (or %G_IO_ERROR_CANCELLED)
 */
gboolean
linli_printer_print_finish (LinliPrinter *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LINLI_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- polling ---- */

static void
refresh_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LinliPrinter *self = LINLI_PRINTER (source);
  g_autoptr (GError) error = NULL;

  self->refreshing = FALSE;
  if (!linli_device_probe_finish (LINLI_DEVICE (self), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("%s: refresh failed: %s", self->queue, error->message);
}

/**
 * linli_printer_refresh:
 *
 * Asks the scheduler for the printer's state now, on a worker; the state,
 * detail and paper properties follow. Does nothing while a refresh is
 * already under way.
 */
void
linli_printer_refresh (LinliPrinter *self)
{
  g_return_if_fail (LINLI_IS_PRINTER (self));

  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  linli_device_probe_async (LINLI_DEVICE (self), self->poll_cancellable, refresh_done, NULL);
}

static gboolean
poll_tick (gpointer user_data)
{
  linli_printer_refresh (LINLI_PRINTER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_polling (LinliPrinter *self)
{
  if (self->poll_source != NULL)
    {
      g_source_destroy (self->poll_source);
      g_clear_pointer (&self->poll_source, g_source_unref);
    }
  if (self->poll_interval == 0 || self->context == NULL)
    return;
  self->poll_source = g_timeout_source_new_seconds (self->poll_interval);
  g_source_set_name (self->poll_source, "linli-printer poll");
  /* The source holds no reference: dispose destroys it. */
  g_source_set_callback (self->poll_source, poll_tick, self, NULL);
  g_source_attach (self->poll_source, self->context);
}

static void
linli_printer_constructed (GObject *object)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  G_OBJECT_CLASS (linli_printer_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  restart_polling (self);
}

static void
linli_printer_dispose (GObject *object)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  g_cancellable_cancel (self->poll_cancellable);
  self->poll_interval = 0;
  restart_polling (self);

  G_OBJECT_CLASS (linli_printer_parent_class)->dispose (object);
}

static void
linli_printer_finalize (GObject *object)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  g_free (self->queue);
  g_clear_object (&self->poll_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (linli_printer_parent_class)->finalize (object);
}

static void
linli_printer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  switch (prop_id)
    {
    case PROP_QUEUE:
      g_value_set_string (value, self->queue);
      break;
    case PROP_PAPER:
      g_value_set_enum (value, self->paper);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    case PROP_JOB_TIMEOUT:
      g_value_set_uint (value, self->job_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_printer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  switch (prop_id)
    {
    case PROP_QUEUE:
      g_free (self->queue);
      self->queue = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_POLL_INTERVAL:
      linli_printer_set_poll_interval (self, g_value_get_uint (value));
      break;
    case PROP_JOB_TIMEOUT:
      linli_printer_set_job_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_printer_class_init (LinliPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->constructed = linli_printer_constructed;
  object_class->dispose = linli_printer_dispose;
  object_class->finalize = linli_printer_finalize;
  object_class->get_property = linli_printer_get_property;
  object_class->set_property = linli_printer_set_property;
  device_class->probe = linli_printer_probe;

  /* The CUPS queue's name; "" for the default destination. */
  properties[PROP_QUEUE] = g_param_spec_string (
      "queue", NULL, NULL, "", G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAPER] = g_param_spec_enum (
      "paper", NULL, NULL, LINLI_TYPE_PRINTER_PAPER, LINLI_PRINTER_PAPER_UNKNOWN,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Seconds between two probes while idle; 0 turns polling off. */
  properties[PROP_POLL_INTERVAL]
      = g_param_spec_uint ("poll-interval", NULL, NULL, 0, 24 * 3600, DEFAULT_POLL_INTERVAL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Seconds a job may take from submission to completed. */
  properties[PROP_JOB_TIMEOUT]
      = g_param_spec_uint ("job-timeout", NULL, NULL, 1, 3600, DEFAULT_JOB_TIMEOUT,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_printer_init (LinliPrinter *self)
{
  self->queue = g_strdup ("");
  self->paper = LINLI_PRINTER_PAPER_UNKNOWN;
  self->poll_interval = DEFAULT_POLL_INTERVAL;
  self->job_timeout = DEFAULT_JOB_TIMEOUT;
  self->poll_cancellable = g_cancellable_new ();
}

/**
 * linli_printer_new:
 * @queue: (nullable): the CUPS queue; %NULL or "" for the default one
 *
 * The printer polls its state every #LinliPrinter:poll-interval seconds on
 * the thread-default main context of the caller.
 *
 * Returns: (transfer full): a printer device
 */
LinliDevice *
linli_printer_new (const char *queue)
{
  g_autofree char *name = NULL;

  if (queue != NULL && queue[0] != '\0')
    name = g_strdup_printf ("Printer (%s)", queue);
  else
    name = g_strdup ("Printer (default queue)");
  return g_object_new (LINLI_TYPE_PRINTER, "kind", LINLI_DEVICE_KIND_PRINTER, "name", name, "queue",
                       queue, NULL);
}

const char *
linli_printer_get_queue (LinliPrinter *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTER (self), NULL);
  return self->queue;
}

LinliPrinterPaper
linli_printer_get_paper (LinliPrinter *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTER (self), LINLI_PRINTER_PAPER_UNKNOWN);
  return self->paper;
}

guint
linli_printer_get_poll_interval (LinliPrinter *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTER (self), 0);
  return self->poll_interval;
}

void
linli_printer_set_poll_interval (LinliPrinter *self, guint seconds)
{
  g_return_if_fail (LINLI_IS_PRINTER (self));

  if (self->poll_interval == seconds)
    return;
  self->poll_interval = seconds;
  restart_polling (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

guint
linli_printer_get_job_timeout (LinliPrinter *self)
{
  g_return_val_if_fail (LINLI_IS_PRINTER (self), 0);
  return self->job_timeout;
}

void
linli_printer_set_job_timeout (LinliPrinter *self, guint seconds)
{
  g_return_if_fail (LINLI_IS_PRINTER (self));
  g_return_if_fail (seconds > 0);

  if (self->job_timeout == seconds)
    return;
  self->job_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_TIMEOUT]);
}
