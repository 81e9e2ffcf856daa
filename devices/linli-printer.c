/* linli-printer.c
 *
 * The receipt printer is a CUPS queue; the kiosk talks to the scheduler
 * that libcups finds (CUPS_SERVER, client.conf or the local socket) through
 * the destination API. So far only the presence probe; printing receipts
 * (cupsCreateDestJob and friends) grows from here.
 */
#define G_LOG_DOMAIN "linli-printer"

#include "linli-printer.h"

#include <cups/cups.h>
#include <stdlib.h>

#include "linli-device-private.h"

struct _LinliPrinter
{
  LinliDevice parent_instance;

  char *queue; /* "" means the CUPS default destination */
};

G_DEFINE_FINAL_TYPE (LinliPrinter, linli_printer, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_QUEUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How long to wait for the scheduler to accept a connection. */
#define CONNECT_TIMEOUT_MS 3000

/* cupsGetNamedDest() says "does not exist" both for a missing queue and for
 * a scheduler that is not running; only a connection tells them apart. */
static gboolean
scheduler_reachable (char **server, char **why)
{
  const char *host = cupsServer ();
  http_t *http;

  if (host[0] == '/')
    *server = g_strdup (host);
  else
    *server = g_strdup_printf ("%s:%d", host, ippPort ());

  http = httpConnect2 (host, ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1, CONNECT_TIMEOUT_MS,
                       NULL);
  if (http == NULL)
    {
      *why = g_strdup (cupsLastErrorString ());
      return FALSE;
    }
  httpClose (http);
  return TRUE;
}

/* printer-state-message (what `cupsdisable -r` or a backend said) is not
 * among the attributes cupsGetNamedDest() fetches, so ask for it. */
static char *
get_state_message (cups_dest_t *dest)
{
  const char *uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);
  ipp_t *request;
  ipp_t *response;
  ipp_attribute_t *attr;
  char *message = NULL;

  if (uri == NULL)
    return NULL;

  request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL,
                "printer-state-message");
  response = cupsDoRequest (CUPS_HTTP_DEFAULT, request, "/");
  attr = ippFindAttribute (response, "printer-state-message", IPP_TAG_TEXT);
  if (attr != NULL && ippGetString (attr, 0, NULL) != NULL && ippGetString (attr, 0, NULL)[0])
    message = g_strdup (ippGetString (attr, 0, NULL));
  ippDelete (response);
  return message;
}

/* "q: stopped (paused): Paper jam" */
static char *
describe (cups_dest_t *dest, const char *what, gboolean with_message)
{
  const char *reasons = cupsGetOption ("printer-state-reasons", dest->num_options, dest->options);
  g_autofree char *message = with_message ? get_state_message (dest) : NULL;
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s: %s", dest->name, what);
  if (reasons != NULL && reasons[0] != '\0' && g_strcmp0 (reasons, "none") != 0)
    g_string_append_printf (text, " (%s)", reasons);
  if (message != NULL)
    g_string_append_printf (text, ": %s", message);
  return g_string_free (text, FALSE);
}

static LinliDeviceState
linli_printer_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliPrinter *self = LINLI_PRINTER (device);
  const char *queue = self->queue[0] != '\0' ? self->queue : NULL;
  cups_dest_t *dest;
  const char *state;
  const char *accepting;
  LinliDeviceState result;

  /* CUPS_HTTP_DEFAULT is a per-thread connection in libcups, so probes on
   * different workers do not share one. */
  dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, queue, NULL);
  if (dest == NULL)
    {
      g_autofree char *server = NULL;
      g_autofree char *why = NULL;

      if (!scheduler_reachable (&server, &why))
        {
          *detail = g_strdup_printf ("CUPS scheduler %s not reachable: %s", server, why);
          return LINLI_DEVICE_STATE_FAULT;
        }
      if (queue != NULL)
        *detail = g_strdup_printf ("no CUPS queue named \"%s\"", queue);
      else
        *detail = g_strdup ("no default CUPS queue");
      return LINLI_DEVICE_STATE_ABSENT;
    }

  state = cupsGetOption ("printer-state", dest->num_options, dest->options);
  accepting = cupsGetOption ("printer-is-accepting-jobs", dest->num_options, dest->options);

  switch (state != NULL ? atoi (state) : 0)
    {
    case IPP_PSTATE_IDLE:
      /* An idle queue that rejects jobs (cupsreject) cannot print a receipt. */
      if (g_strcmp0 (accepting, "false") == 0)
        {
          *detail = describe (dest, "idle, not accepting jobs", TRUE);
          result = LINLI_DEVICE_STATE_FAULT;
        }
      else
        {
          *detail = describe (dest, "idle", FALSE);
          result = LINLI_DEVICE_STATE_READY;
        }
      break;

    case IPP_PSTATE_PROCESSING:
      *detail = describe (dest, "printing", FALSE);
      result = LINLI_DEVICE_STATE_BUSY;
      break;

    case IPP_PSTATE_STOPPED:
      *detail = describe (dest, "stopped", TRUE);
      result = LINLI_DEVICE_STATE_FAULT;
      break;

    default:
      *detail = g_strdup_printf ("%s: unknown printer-state \"%s\"", dest->name,
                                 state != NULL ? state : "");
      result = LINLI_DEVICE_STATE_FAULT;
      break;
    }

  cupsFreeDests (1, dest);
  return result;
}

static void
linli_printer_finalize (GObject *object)
{
  LinliPrinter *self = LINLI_PRINTER (object);

  g_free (self->queue);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_printer_class_init (LinliPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->finalize = linli_printer_finalize;
  object_class->get_property = linli_printer_get_property;
  object_class->set_property = linli_printer_set_property;
  device_class->probe = linli_printer_probe;

  /* The CUPS queue's name; "" for the default destination. */
  properties[PROP_QUEUE] = g_param_spec_string (
      "queue", NULL, NULL, "", G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_printer_init (LinliPrinter *self)
{
  self->queue = g_strdup ("");
}

/**
 * linli_printer_new:
 * @queue: (nullable): the CUPS queue; %NULL or "" for the default one
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
