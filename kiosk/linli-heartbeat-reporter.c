/* linli-heartbeat-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the heartbeat from what the kiosk holds — version, uptime, each
 * device's state and detail, the printer's paper, the outbox, sessions
 * served, the warnings and criticals logged since the last acknowledged
 * heartbeat — and sends it through the platform client. Nothing personal
 * is in it: device details are written for maintainers, and the counters
 * are counts. A heartbeat that fails is not queued (the next one says
 * everything again); its error count carries over to the next.
 */
#define G_LOG_DOMAIN "linli-heartbeat"

#include "linli-heartbeat-reporter.h"

#include "linli-build-config.h"
#include "linli-device.h"
#include "linli-kiosk-private.h"
#include "linli-printer.h"

struct _LinliHeartbeatReporter
{
  GObject parent_instance;

  LinliKiosk *kiosk; /* unowned: the kiosk owns us */
  LinliLogRing *ring;
  guint interval;
  guint timeout_id;
  GCancellable *cancellable;
  gboolean sending;
  guint64 errors_reported; /* the ring's count at the last success */
  guint64 errors_at_send;
  gint64 last_success;
  char *last_error;
  /* Counted since start; applications, certifications and evaluations
   * stay 0 until the kiosk has those flows (no guess is sent). */
  guint64 identifications;
  guint64 payments_created;
  guint64 payments_paid;
  guint64 applications_submitted;
  guint64 certifications_submitted;
  guint64 evaluations_submitted;
  guint64 receipts_printed;
};

enum
{
  PROP_0,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LinliHeartbeatReporter, linli_heartbeat_reporter, G_TYPE_OBJECT)

static void
linli_heartbeat_reporter_dispose (GObject *object)
{
  LinliHeartbeatReporter *self = LINLI_HEARTBEAT_REPORTER (object);

  linli_heartbeat_reporter_stop (self);
  g_clear_object (&self->ring);
  G_OBJECT_CLASS (linli_heartbeat_reporter_parent_class)->dispose (object);
}

static void
linli_heartbeat_reporter_finalize (GObject *object)
{
  LinliHeartbeatReporter *self = LINLI_HEARTBEAT_REPORTER (object);

  g_free (self->last_error);
  G_OBJECT_CLASS (linli_heartbeat_reporter_parent_class)->finalize (object);
}

static void
linli_heartbeat_reporter_get_property (GObject *object,
                                       guint prop_id,
                                       GValue *value,
                                       GParamSpec *pspec)
{
  LinliHeartbeatReporter *self = LINLI_HEARTBEAT_REPORTER (object);

  switch (prop_id)
    {
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_heartbeat_reporter_class_init (LinliHeartbeatReporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_heartbeat_reporter_dispose;
  object_class->finalize = linli_heartbeat_reporter_finalize;
  object_class->get_property = linli_heartbeat_reporter_get_property;

  properties[PROP_LAST_SUCCESS]
      = g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR]
      = g_param_spec_string ("last-error", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_heartbeat_reporter_init (LinliHeartbeatReporter *self)
{
}

LinliHeartbeatReporter *
linli_heartbeat_reporter_new (LinliKiosk *kiosk, LinliLogRing *ring)
{
  LinliHeartbeatReporter *self;

  g_return_val_if_fail (LINLI_IS_KIOSK (kiosk), NULL);

  self = g_object_new (LINLI_TYPE_HEARTBEAT_REPORTER, NULL);
  self->kiosk = kiosk;
  self->ring = ring != NULL ? g_object_ref (ring) : NULL;
  self->interval = (guint) linli_config_get_int (linli_kiosk_get_config (kiosk), "platform",
                                                 "heartbeat-interval");
  return self;
}

/* The contract's paper values: jammed, offline and stopped are in the
 * printer's device state and detail. */
static const char *
paper_word (LinliPrinterPaper paper)
{
  switch (paper)
    {
    case LINLI_PRINTER_PAPER_READY:
      return "ok";
    case LINLI_PRINTER_PAPER_LOW:
      return "low";
    case LINLI_PRINTER_PAPER_OUT:
      return "out";
    default:
      return "unknown";
    }
}

static LinliHeartbeat *
build_heartbeat (LinliHeartbeatReporter *self)
{
  LinliConfig *config = linli_kiosk_get_config (self->kiosk);
  LinliPlatformLink *link = linli_kiosk_get_platform_link (self->kiosk);
  LinliOutbox *outbox = linli_platform_link_get_outbox (link);
  LinliCatalog *catalog = linli_platform_link_get_catalog (link);
  GListModel *devices = linli_kiosk_get_devices (self->kiosk);
  LinliHeartbeatCounters counters = { 0 };
  LinliHeartbeat *heartbeat
      = linli_heartbeat_new (linli_config_get_string (config, "kiosk", "id"), LINLI_VERSION, NULL,
                             linli_kiosk_get_uptime_seconds (self->kiosk));
  const char *paper = "unknown";

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      g_autofree char *kind = g_strdelimit (
          g_strdup (linli_device_kind_to_string (linli_device_get_kind (device))), "-", '_');
      const char *detail = linli_device_get_detail (device);
      g_autofree char *short_detail = NULL;

      /* The contract allows 200 characters. */
      if (detail != NULL && g_utf8_strlen (detail, -1) > 200)
        detail = short_detail = g_utf8_substring (detail, 0, 200);
      linli_heartbeat_add_device (heartbeat, kind, linli_device_get_name (device),
                                  linli_device_state_to_string (linli_device_get_state (device)),
                                  detail);
      if (LINLI_IS_PRINTER (device))
        paper = paper_word (linli_printer_get_paper (LINLI_PRINTER (device)));
    }
  linli_heartbeat_set_paper (heartbeat, paper);
  if (outbox != NULL)
    {
      g_autoptr (GDateTime) oldest = linli_outbox_get_oldest (outbox);
      linli_heartbeat_set_outbox (heartbeat, linli_outbox_get_depth (outbox), oldest);
    }
  else
    linli_heartbeat_set_outbox (heartbeat, 0, NULL);
  if (catalog != NULL && catalog->etag != NULL)
    linli_heartbeat_set_catalog_etag (heartbeat, catalog->etag);
  counters.sessions = linli_kiosk_get_sessions_served (self->kiosk);
  counters.identifications = self->identifications;
  counters.payments_created = self->payments_created;
  counters.payments_paid = self->payments_paid;
  counters.applications_submitted = self->applications_submitted;
  counters.certifications_submitted = self->certifications_submitted;
  counters.evaluations_submitted = self->evaluations_submitted;
  counters.receipts_printed = self->receipts_printed;
  self->errors_at_send = self->ring != NULL ? linli_log_ring_get_error_count (self->ring) : 0;
  counters.errors = self->errors_at_send - self->errors_reported;
  linli_heartbeat_set_counters (heartbeat, &counters);
  return heartbeat;
}

static void
set_last_error (LinliHeartbeatReporter *self, const char *error)
{
  if (g_strcmp0 (self->last_error, error) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliHeartbeatReporter) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliHeartbeatAck) ack
      = linli_platform_send_heartbeat_finish (LINLI_PLATFORM (source), result, &error);

  self->sending = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ack == NULL)
    {
      /* Once per change: an unreachable platform must not fill the log. */
      if (g_strcmp0 (self->last_error, error->message) != 0)
        g_message ("heartbeat not acknowledged: %s", error->message);
      set_last_error (self, error->message);
      return;
    }
  self->errors_reported = self->errors_at_send;
  self->last_success = g_get_real_time () / G_USEC_PER_SEC;
  set_last_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

void
linli_heartbeat_reporter_send_now (LinliHeartbeatReporter *self)
{
  LinliPlatform *platform;
  g_autoptr (LinliHeartbeat) heartbeat = NULL;

  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));

  platform = linli_platform_link_get_platform (linli_kiosk_get_platform_link (self->kiosk));
  if (platform == NULL || self->sending)
    return;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  heartbeat = build_heartbeat (self);
  self->sending = TRUE;
  linli_platform_send_heartbeat_async (platform, heartbeat, self->cancellable, on_sent,
                                       g_object_ref (self));
}

static gboolean
on_tick (gpointer user_data)
{
  linli_heartbeat_reporter_send_now (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_first (gpointer user_data)
{
  LinliHeartbeatReporter *self = user_data;

  self->timeout_id = g_timeout_add_seconds (self->interval, on_tick, self);
  linli_heartbeat_reporter_send_now (self);
  return G_SOURCE_REMOVE;
}

void
linli_heartbeat_reporter_start (LinliHeartbeatReporter *self)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));

  if (self->interval == 0 || self->timeout_id != 0
      || linli_platform_link_get_platform (linli_kiosk_get_platform_link (self->kiosk)) == NULL)
    return;
  /* The first one a moment after start-up: the devices have been probed
   * by then. */
  self->timeout_id = g_timeout_add_seconds (MIN (self->interval, 2), on_first, self);
}

void
linli_heartbeat_reporter_stop (LinliHeartbeatReporter *self)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->sending = FALSE;
}

gint64
linli_heartbeat_reporter_get_last_success (LinliHeartbeatReporter *self)
{
  g_return_val_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self), 0);
  return self->last_success;
}

const char *
linli_heartbeat_reporter_get_last_error (LinliHeartbeatReporter *self)
{
  g_return_val_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self), NULL);
  return self->last_error;
}

guint
linli_heartbeat_reporter_get_interval (LinliHeartbeatReporter *self)
{
  g_return_val_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self), 0);
  return self->interval;
}

/* ---- counters ---- */

void
linli_heartbeat_reporter_count_identification (LinliHeartbeatReporter *self)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));
  self->identifications++;
}

void
linli_heartbeat_reporter_count_receipt (LinliHeartbeatReporter *self)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));
  self->receipts_printed++;
}

/* A submission written to the outbox at this kiosk (its delivery is the
 * outbox's depth, reported apart). */
void
linli_heartbeat_reporter_count_submission (LinliHeartbeatReporter *self, const char *kind)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));
  if (g_strcmp0 (kind, LINLI_OUTBOX_KIND_APPLICATION) == 0)
    self->applications_submitted++;
  else if (g_strcmp0 (kind, LINLI_OUTBOX_KIND_PENSION_CERTIFICATION) == 0)
    self->certifications_submitted++;
  else if (g_strcmp0 (kind, LINLI_OUTBOX_KIND_EVALUATION) == 0)
    self->evaluations_submitted++;
}

void
linli_heartbeat_reporter_get_submissions (LinliHeartbeatReporter *self,
                                          guint64 *applications,
                                          guint64 *certifications,
                                          guint64 *evaluations)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));
  if (applications != NULL)
    *applications = self->applications_submitted;
  if (certifications != NULL)
    *certifications = self->certifications_submitted;
  if (evaluations != NULL)
    *evaluations = self->evaluations_submitted;
}

#define COUNTED_CREATED "linli-heartbeat-counted-created"
#define COUNTED_PAID    "linli-heartbeat-counted-paid"

/* The order exists once the QR code is shown (or, quick as it may be,
 * once it is paid); a payment refused while being created made none. */
static void
on_payment_step (LinliPayment *payment, GParamSpec *pspec, LinliHeartbeatReporter *self)
{
  LinliPaymentStep step = linli_payment_get_step (payment);

  if ((step == LINLI_PAYMENT_STEP_WAITING || step == LINLI_PAYMENT_STEP_PAID)
      && g_object_get_data (G_OBJECT (payment), COUNTED_CREATED) == NULL)
    {
      g_object_set_data (G_OBJECT (payment), COUNTED_CREATED, GINT_TO_POINTER (1));
      self->payments_created++;
    }
  if (step == LINLI_PAYMENT_STEP_PAID
      && g_object_get_data (G_OBJECT (payment), COUNTED_PAID) == NULL)
    {
      g_object_set_data (G_OBJECT (payment), COUNTED_PAID, GINT_TO_POINTER (1));
      self->payments_paid++;
    }
}

LinliPayment *
linli_heartbeat_reporter_watch_payment (LinliHeartbeatReporter *self, LinliPayment *payment)
{
  g_return_val_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self), payment);
  if (payment == NULL)
    return NULL;
  g_signal_connect_object (payment, "notify::step", G_CALLBACK (on_payment_step), self, 0);
  on_payment_step (payment, NULL, self);
  return payment;
}

void
linli_heartbeat_reporter_get_counters (LinliHeartbeatReporter *self,
                                       guint64 *identifications,
                                       guint64 *payments_created,
                                       guint64 *payments_paid,
                                       guint64 *receipts_printed)
{
  g_return_if_fail (LINLI_IS_HEARTBEAT_REPORTER (self));
  if (identifications != NULL)
    *identifications = self->identifications;
  if (payments_created != NULL)
    *payments_created = self->payments_created;
  if (payments_paid != NULL)
    *payments_paid = self->payments_paid;
  if (receipts_printed != NULL)
    *receipts_printed = self->receipts_printed;
}
