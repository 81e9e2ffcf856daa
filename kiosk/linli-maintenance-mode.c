/* linli-maintenance-mode.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maintenance mode holds no widgets: the screens call it. Entering ends
 * any resident's session first (their data is wiped before a maintainer
 * sees anything), then asks LinliMaintainerAuth. Every action is written
 * to the audit log before it happens; without an audit file nothing can
 * be entered at all. While active, a card placed on a reader does not
 * start a session: armed for a card test, it is described (type and
 * masked number only); otherwise it is ignored.
 */
#define G_LOG_DOMAIN "linli-maintenance"

#include "linli-maintenance-mode.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "linli-audit.h"
#include "linli-build-config.h"
#include "linli-camera.h"
#include "linli-device.h"
#include "linli-heartbeat-reporter.h"
#include "linli-kiosk-private.h"
#include "linli-maintainer-auth.h"
#include "linli-print-test.h"
#include "linli-printer.h"

struct _LinliMaintenanceMode
{
  GObject parent_instance;

  LinliKiosk *kiosk; /* unowned: the kiosk owns us */
  LinliAudit *audit;
  LinliMaintainerAuth *auth;
  gboolean active;
  gboolean card_test_armed;
  gboolean entering; /* the PIN pad is open */
  guint idle_id;     /* the PIN pad's or the page's inactivity timeout */
};

enum
{
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

enum
{
  SIGNAL_CARD_TESTED,
  SIGNAL_ENTRY_TIMED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LinliMaintenanceMode, linli_maintenance_mode, G_TYPE_OBJECT)

static void
linli_maintenance_mode_dispose (GObject *object)
{
  LinliMaintenanceMode *self = LINLI_MAINTENANCE_MODE (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_object (&self->auth);
  g_clear_object (&self->audit);
  G_OBJECT_CLASS (linli_maintenance_mode_parent_class)->dispose (object);
}

static void
linli_maintenance_mode_get_property (GObject *object,
                                     guint prop_id,
                                     GValue *value,
                                     GParamSpec *pspec)
{
  LinliMaintenanceMode *self = LINLI_MAINTENANCE_MODE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_maintenance_mode_class_init (LinliMaintenanceModeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_maintenance_mode_dispose;
  object_class->get_property = linli_maintenance_mode_get_property;

  properties[PROP_ACTIVE]
      = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LinliMaintenanceMode::card-tested:
   * @description: "card type + masked number", fit for the screen
   */
  signals[SIGNAL_CARD_TESTED]
      = g_signal_new ("card-tested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * LinliMaintenanceMode::entry-timed-out:
   *
   * The PIN pad was left untouched for [maintenance] pin-timeout seconds:
   * the screen goes back to the attract screen.
   */
  signals[SIGNAL_ENTRY_TIMED_OUT]
      = g_signal_new ("entry-timed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
}

static void
linli_maintenance_mode_init (LinliMaintenanceMode *self)
{
}

LinliMaintenanceMode *
linli_maintenance_mode_new (LinliKiosk *kiosk)
{
  LinliMaintenanceMode *self;

  g_return_val_if_fail (LINLI_IS_KIOSK (kiosk), NULL);
  self = g_object_new (LINLI_TYPE_MAINTENANCE_MODE, NULL);
  self->kiosk = kiosk;
  return self;
}

static const char *
pin_hash (LinliMaintenanceMode *self)
{
  return linli_config_get_string (linli_kiosk_get_config (self->kiosk), "maintenance", "pin-hash");
}

gboolean
linli_maintenance_mode_is_configured (LinliMaintenanceMode *self)
{
  const char *hash;

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), FALSE);
  hash = pin_hash (self);
  return hash != NULL && hash[0] == '$';
}

gboolean
linli_maintenance_mode_get_active (LinliMaintenanceMode *self)
{
  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), FALSE);
  return self->active;
}

/* Opened on first use: a kiosk that is never maintained never creates it. */
static gboolean
ensure_auth (LinliMaintenanceMode *self, GError **error)
{
  if (self->auth != NULL)
    return TRUE;
  self->audit = linli_audit_open (
      linli_config_get_string (linli_kiosk_get_config (self->kiosk), "maintenance", "audit-db"),
      error);
  if (self->audit == NULL)
    return FALSE;
  self->auth = linli_maintainer_auth_new (self->audit, pin_hash (self));
  return TRUE;
}

gint64
linli_maintenance_mode_get_locked_seconds (LinliMaintenanceMode *self)
{
  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), 0);
  if (!ensure_auth (self, NULL))
    return 0;
  return linli_maintainer_auth_get_locked_seconds (self->auth);
}

static void
audit (LinliMaintenanceMode *self, const char *action, const char *detail)
{
  linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, action, detail);
}

static void restart_idle (LinliMaintenanceMode *self);

static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliMaintenanceMode *self = g_task_get_source_object (task);
  GError *error = NULL;
  gint64 locked = 0;

  if (!linli_maintainer_auth_verify_finish (LINLI_MAINTAINER_AUTH (source), result, &locked,
                                            &error))
    {
      g_task_set_task_data (task, g_memdup2 (&locked, sizeof locked), g_free);
      g_task_return_error (task, error);
      return;
    }
  self->active = TRUE;
  self->card_test_armed = FALSE;
  self->entering = FALSE;
  restart_idle (self);
  audit (self, "maintenance-entered", NULL);
  g_message ("maintenance mode entered");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  g_task_return_boolean (task, TRUE);
}

void
linli_maintenance_mode_enter_async (LinliMaintenanceMode *self,
                                    const char *pin,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  g_task_set_source_tag (task, linli_maintenance_mode_enter_async);

  /* The resident's data is gone before the maintainer sees a thing. */
  if (linli_session_get_state (linli_kiosk_get_session (self->kiosk)) != LINLI_SESSION_STATE_IDLE)
    linli_kiosk_finish_session (self->kiosk);
  if (!ensure_auth (self, &error))
    {
      g_warning ("maintenance mode cannot be entered: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  if (self->active)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  linli_maintainer_auth_verify_async (self->auth, pin, cancellable, on_verified,
                                      g_steal_pointer (&task));
}

gboolean
linli_maintenance_mode_enter_finish (LinliMaintenanceMode *self,
                                     GAsyncResult *result,
                                     gint64 *locked_seconds,
                                     GError **error)
{
  gint64 *locked;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  locked = g_task_get_task_data (G_TASK (result));
  if (locked_seconds != NULL)
    *locked_seconds = locked != NULL ? *locked : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
linli_maintenance_mode_exit (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (!self->active)
    return;
  audit (self, "maintenance-exited", NULL);
  g_message ("maintenance mode left");
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->active = FALSE;
  self->card_test_armed = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* ---- inactivity ---- */

/* A maintainer called away must not leave the PIN pad, or worse the
 * maintenance page, open to the next passer-by: without input the screen
 * goes back to the attract screen, and the audit log says why. */

static guint
idle_seconds (LinliMaintenanceMode *self)
{
  LinliConfig *config = linli_kiosk_get_config (self->kiosk);

  return (guint) linli_config_get_int (config, "maintenance",
                                       self->active ? "idle-timeout" : "pin-timeout");
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  LinliMaintenanceMode *self = user_data;
  g_autofree char *detail = NULL;

  self->idle_id = 0;
  detail
      = g_strdup_printf ("%s after %u s without input",
                         self->active ? "maintenance left" : "PIN pad closed", idle_seconds (self));
  g_message ("maintenance: %s", detail);
  if (self->active)
    {
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_SYSTEM, "maintenance-timeout", detail);
      self->active = FALSE;
      self->card_test_armed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
      return G_SOURCE_REMOVE;
    }
  self->entering = FALSE;
  /* Without a PIN configured the pad opened no audit file: nothing to
   * record, and no file is created for it. */
  if (self->audit != NULL)
    linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_SYSTEM, "maintenance-timeout", detail);
  g_signal_emit (self, signals[SIGNAL_ENTRY_TIMED_OUT], 0);
  return G_SOURCE_REMOVE;
}

static void
restart_idle (LinliMaintenanceMode *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->active || self->entering)
    self->idle_id = g_timeout_add_seconds (idle_seconds (self), on_idle_timeout, self);
}

void
linli_maintenance_mode_begin_entry (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (self->active)
    return;
  self->entering = TRUE;
  restart_idle (self);
}

void
linli_maintenance_mode_end_entry (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (!self->entering)
    return;
  self->entering = FALSE;
  if (!self->active)
    g_clear_handle_id (&self->idle_id, g_source_remove);
}

void
linli_maintenance_mode_note_activity (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (self->idle_id != 0)
    restart_idle (self);
}

/* ---- actions ---- */

static LinliDevice *
find_printer (LinliMaintenanceMode *self)
{
  GListModel *devices = linli_kiosk_get_devices (self->kiosk);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      if (LINLI_IS_PRINTER (device))
        return device;
    }
  return NULL;
}

static void
on_test_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliMaintenanceMode *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!linli_printer_print_finish (LINLI_PRINTER (source), result, &error))
    {
      audit (self, "test-print-failed", error->message);
      g_task_return_error (task, error);
      return;
    }
  audit (self, "test-print-completed", NULL);
  g_task_return_boolean (task, TRUE);
}

void
linli_maintenance_mode_test_print_async (LinliMaintenanceMode *self,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliConfig *config = linli_kiosk_get_config (self->kiosk);
  LinliDevice *printer = find_printer (self);
  gboolean escpos
      = g_str_equal (linli_config_get_string (config, "devices", "printer-format"), "escpos");
  g_autoptr (GBytes) document = NULL;
  GError *error = NULL;
  const char *queue;

  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  g_task_set_source_tag (task, linli_maintenance_mode_test_print_async);
  if (!self->active || printer == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               self->active ? "this kiosk has no printer"
                                            : "not in maintenance mode");
      return;
    }
  queue = linli_printer_get_queue (LINLI_PRINTER (printer));
  audit (self, "test-print", queue);
  document = linli_print_test_render (linli_config_get_string (config, "kiosk", "id"),
                                      queue != NULL && *queue != '\0' ? queue : "CUPS default",
                                      escpos, &error);
  if (document == NULL)
    {
      audit (self, "test-print-failed", error->message);
      g_task_return_error (task, error);
      return;
    }
  linli_printer_print_async (LINLI_PRINTER (printer), document,
                             escpos ? LINLI_PRINTER_FORMAT_RAW : LINLI_PRINTER_FORMAT_PDF,
                             "Linli print test", cancellable, on_test_printed,
                             g_steal_pointer (&task));
}

gboolean
linli_maintenance_mode_test_print_finish (LinliMaintenanceMode *self,
                                          GAsyncResult *result,
                                          GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
linli_maintenance_mode_arm_card_test (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (!self->active)
    return;
  audit (self, "card-test", "waiting for a card");
  self->card_test_armed = TRUE;
}

/* The card's kind in the screen's language (the audit keeps the
 * program's word). */
static const char *
card_type_words (const char *card_type)
{
  if (g_strcmp0 (card_type, "resident_id") == 0)
    return _ ("Resident ID card");
  if (g_strcmp0 (card_type, "foreign_permanent_resident") == 0)
    return _ ("Foreign permanent resident ID card");
  if (g_strcmp0 (card_type, "hk_macao_taiwan_resident") == 0)
    return _ ("Hong Kong, Macao and Taiwan resident permit");
  if (g_strcmp0 (card_type, "social_security") == 0)
    return _ ("Social security card");
  return card_type;
}

gboolean
linli_maintenance_mode_take_card (LinliMaintenanceMode *self,
                                  const char *card_type,
                                  const char *masked_number)
{
  g_autofree char *description = NULL;

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), FALSE);
  if (!self->active)
    return FALSE;
  if (!self->card_test_armed)
    {
      g_info ("a card was read in maintenance mode; ignored");
      return TRUE;
    }
  self->card_test_armed = FALSE;
  /* The type only in the audit: even a masked number is the resident's. */
  audit (self, "card-test-read", card_type);
  description = g_strdup_printf ("%s %s", card_type_words (card_type),
                                 masked_number != NULL ? masked_number : "");
  g_signal_emit (self, signals[SIGNAL_CARD_TESTED], 0, description);
  return TRUE;
}

void
linli_maintenance_mode_voice_test (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (!self->active)
    return;
  audit (self, "voice-test", NULL);
  linli_kiosk_speak (self->kiosk, _ ("This is a voice test of the kiosk."),
                     LINLI_VOICE_PRIORITY_ALERT);
}

guint
linli_maintenance_mode_get_outbox_depth (LinliMaintenanceMode *self)
{
  LinliOutbox *outbox;

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), 0);
  outbox = linli_platform_link_get_outbox (linli_kiosk_get_platform_link (self->kiosk));
  return outbox != NULL ? linli_outbox_get_depth (outbox) : 0;
}

void
linli_maintenance_mode_retry_outbox (LinliMaintenanceMode *self)
{
  LinliOutbox *outbox;
  g_autofree char *detail = NULL;

  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (!self->active)
    return;
  outbox = linli_platform_link_get_outbox (linli_kiosk_get_platform_link (self->kiosk));
  detail = g_strdup_printf ("%u waiting", outbox != NULL ? linli_outbox_get_depth (outbox) : 0);
  audit (self, "outbox-retry", detail);
  if (outbox != NULL && linli_outbox_is_started (outbox))
    linli_outbox_kick (outbox);
  linli_platform_link_refresh (linli_kiosk_get_platform_link (self->kiosk));
}

GPtrArray *
linli_maintenance_mode_dup_logs (LinliMaintenanceMode *self)
{
  LinliLogRing *ring = linli_log_ring_get_default ();

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), NULL);
  if (ring == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) linli_log_entry_free);
  return linli_log_ring_dup_entries (ring);
}

gint64
linli_maintenance_mode_get_last_heartbeat (LinliMaintenanceMode *self)
{
  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), 0);
  return linli_heartbeat_reporter_get_last_success (
      linli_kiosk_get_heartbeat_reporter (self->kiosk));
}

const char *
linli_maintenance_mode_get_last_heartbeat_error (LinliMaintenanceMode *self)
{
  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), NULL);
  return linli_heartbeat_reporter_get_last_error (linli_kiosk_get_heartbeat_reporter (self->kiosk));
}

const char *
linli_maintenance_mode_get_paper_text (LinliMaintenanceMode *self)
{
  LinliDevice *printer;

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), NULL);
  printer = find_printer (self);
  if (printer == NULL)
    return _ ("No printer");
  switch (linli_printer_get_paper (LINLI_PRINTER (printer)))
    {
    case LINLI_PRINTER_PAPER_READY:
      return _ ("Paper OK");
    case LINLI_PRINTER_PAPER_LOW:
      return _ ("Paper low");
    case LINLI_PRINTER_PAPER_OUT:
      return _ ("Out of paper");
    case LINLI_PRINTER_PAPER_JAMMED:
      return _ ("Paper jam");
    case LINLI_PRINTER_PAPER_OFFLINE:
      return _ ("Printer offline");
    case LINLI_PRINTER_PAPER_STOPPED:
      return _ ("Printer stopped");
    case LINLI_PRINTER_PAPER_UNKNOWN:
    default:
      return _ ("Paper state not known yet");
    }
}

static const char *
kind_text (LinliDeviceKind kind)
{
  switch (kind)
    {
    case LINLI_DEVICE_KIND_ID_READER:
      return _ ("ID card reader");
    case LINLI_DEVICE_KIND_CARD_READER:
      return _ ("Social security card reader");
    case LINLI_DEVICE_KIND_PRINTER:
      return _ ("Printer");
    case LINLI_DEVICE_KIND_CAMERA:
      return _ ("Document camera");
    case LINLI_DEVICE_KIND_VOICE:
    default:
      return _ ("Voice");
    }
}

static const char *
state_text (LinliDeviceState state)
{
  switch (state)
    {
    case LINLI_DEVICE_STATE_READY:
      return _ ("ready");
    case LINLI_DEVICE_STATE_BUSY:
      return _ ("busy");
    case LINLI_DEVICE_STATE_FAULT:
      return _ ("fault");
    case LINLI_DEVICE_STATE_ABSENT:
    default:
      return _ ("not connected");
    }
}

/* devices/ names a device in English for logs and linli-diag ("Printer
 * (queue)", "ID card reader (/dev/ttyUSB0)"); the screen names it by its
 * kind in the resident's language and keeps only what tells two of a kind
 * apart: the part in brackets (a queue, a port, a USB address). */
static char *
device_specifics (LinliDevice *device)
{
  const char *name = linli_device_get_name (device);
  const char *open;

  if (name != NULL && (open = strrchr (name, '(')) != NULL && g_str_has_suffix (open, ")"))
    return g_strndup (open + 1, strlen (open) - 2);
  if (linli_device_get_kind (device) == LINLI_DEVICE_KIND_CARD_READER)
    return g_strdup ("PC/SC");
  return NULL;
}

char *
linli_maintenance_mode_describe_device (LinliMaintenanceMode *self, gpointer device)
{
  LinliDevice *d = device;
  g_autofree char *specifics = NULL;
  g_autofree char *name = NULL;
  const char *detail;

  g_return_val_if_fail (LINLI_IS_MAINTENANCE_MODE (self), NULL);
  g_return_val_if_fail (LINLI_IS_DEVICE (device), NULL);
  specifics = device_specifics (d);
  /* TRANSLATORS: a device's kind, then what tells it apart (a print
   * queue, a serial port), e.g. "Printer (linli-receipt)". */
  name = specifics != NULL && *specifics != '\0'
             ? g_strdup_printf (_ ("%s (%s)"), kind_text (linli_device_get_kind (d)), specifics)
             : g_strdup (kind_text (linli_device_get_kind (d)));
  detail = linli_device_get_detail (d);
  /* The detail stays as devices/ wrote it: maintainers read it, and it is
   * what the logs and the heartbeat carry. */
  return g_strdup_printf (_ ("%s: %s%s%s"), name, state_text (linli_device_get_state (d)),
                          detail != NULL && *detail != '\0' ? " — " : "",
                          detail != NULL ? detail : "");
}

/* ---- camera snapshot ---- */

typedef struct
{
  int width;
  int height;
} SnapshotSize;

static LinliDevice *
find_camera (LinliMaintenanceMode *self)
{
  GListModel *devices = linli_kiosk_get_devices (self->kiosk);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      if (LINLI_IS_CAMERA (device))
        return device;
    }
  return NULL;
}

static void
on_snapshot (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliMaintenanceMode *self = g_task_get_source_object (task);
  SnapshotSize *size = g_new0 (SnapshotSize, 1);
  GError *error = NULL;
  GBytes *jpeg;
  g_autofree char *detail = NULL;

  jpeg = linli_camera_capture_finish (LINLI_CAMERA (source), result, &size->width, &size->height,
                                      &error);
  if (jpeg == NULL)
    {
      g_free (size);
      audit (self, "camera-snapshot-failed", error->message);
      g_task_return_error (task, error);
      return;
    }
  /* Its size only: the picture itself is never stored, not even in the
   * audit log (it may show whoever stood in front of the kiosk). */
  detail = g_strdup_printf ("%d×%d JPEG, %zu bytes", size->width, size->height,
                            g_bytes_get_size (jpeg));
  audit (self, "camera-snapshot-taken", detail);
  g_task_set_task_data (task, size, g_free);
  g_task_return_pointer (task, jpeg, (GDestroyNotify) g_bytes_unref);
}

void
linli_maintenance_mode_camera_snapshot_async (LinliMaintenanceMode *self,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliDevice *camera;

  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  g_task_set_source_tag (task, linli_maintenance_mode_camera_snapshot_async);
  camera = find_camera (self);
  if (!self->active || camera == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               self->active ? "this kiosk has no camera"
                                            : "not in maintenance mode");
      return;
    }
  audit (self, "camera-snapshot", linli_camera_get_source (LINLI_CAMERA (camera)));
  /* The camera bounds the wait itself (its capture-timeout). */
  linli_camera_capture_async (LINLI_CAMERA (camera), cancellable, on_snapshot,
                              g_steal_pointer (&task));
}

GBytes *
linli_maintenance_mode_camera_snapshot_finish (
    LinliMaintenanceMode *self, GAsyncResult *result, int *width, int *height, GError **error)
{
  GBytes *jpeg;
  SnapshotSize *size;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  jpeg = g_task_propagate_pointer (G_TASK (result), error);
  size = g_task_get_task_data (G_TASK (result));
  if (width != NULL)
    *width = jpeg != NULL && size != NULL ? size->width : 0;
  if (height != NULL)
    *height = jpeg != NULL && size != NULL ? size->height : 0;
  return jpeg;
}

void
linli_maintenance_mode_note_platform_check (LinliMaintenanceMode *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_MODE (self));
  if (self->active)
    audit (self, "platform-check", NULL);
}

void
linli_maintenance_mode_restart (LinliMaintenanceMode *self)
{
  /* On disk before the process goes (the audit commits synchronously). */
  if (self != NULL && self->audit != NULL)
    audit (self, "restart", NULL);
  g_message ("restarting at the maintainer's request (exit status %d)",
             LINLI_MAINTENANCE_EXIT_RESTART);
  exit (LINLI_MAINTENANCE_EXIT_RESTART);
}
