/* linli-maintenance-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One long page in sections, scrolled by the window: device health (live),
 * the USB inventory, device tests, the platform link, the outbox, recent
 * logs, version and uptime, restart, exit. It holds no state of its own:
 * every line is read from LinliMaintenanceMode and the kiosk, and every
 * button is an action of LinliMaintenanceMode, which audits it. The page
 * is for maintainers, so it is not spoken section by section; results of
 * the tests are spoken, since the maintainer may be at the device.
 */
#define G_LOG_DOMAIN "linli-maintenance-page"

#include "linli-maintenance-page.h"

#include <glib/gi18n.h>

#include "linli-build-config.h"
#include "linli-maintenance-mode.h"
#include "linli-platform-probe.h"

#define LOG_LINES 30

struct _LinliMaintenancePage
{
  LinliPage parent_instance;

  GtkBox *devices;
  GtkLabel *paper;
  GtkBox *usb;
  GtkLabel *print_result;
  GtkLabel *card_result;
  GtkLabel *voice_result;
  GtkLabel *camera_result;
  GtkPicture *camera_picture;
  GtkLabel *heartbeat;
  GtkLabel *probe_result;
  GtkLabel *outbox;
  GtkBox *logs;
  GtkLabel *version;

  LinliKiosk *kiosk;
  LinliMaintenanceMode *mode;
  GListModel *usb_model;
  LinliUsbDescribeFunc usb_describe;
  GCancellable *cancellable; /* test print and probe; cancelled on dispose */
  gboolean printing;
  gboolean snapping;
  gboolean probing;
  guint tick_id;
};

G_DEFINE_FINAL_TYPE (LinliMaintenancePage, linli_maintenance_page, LINLI_TYPE_PAGE)

static GtkWidget *
line (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  return label;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* ---- device health ---- */

static void
update_devices (LinliMaintenancePage *self)
{
  GListModel *devices = linli_kiosk_get_devices (self->kiosk);
  g_autofree char *paper = NULL;

  clear_box (self->devices);
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (GObject) device = g_list_model_get_item (devices, i);
      g_autofree char *text = linli_maintenance_mode_describe_device (self->mode, device);

      gtk_box_append (self->devices, line (text));
    }
  paper = g_strdup_printf (_ ("Paper: %s"), linli_maintenance_mode_get_paper_text (self->mode));
  gtk_label_set_label (self->paper, paper);
}

/* Devices notify all day long while residents use the kiosk: the lines
 * are only rebuilt while someone can see them (refresh rebuilds them on
 * the way in). */
static void
on_device_notify (LinliMaintenancePage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_devices (self);
}

static void
watch_devices (LinliMaintenancePage *self)
{
  GListModel *devices = linli_kiosk_get_devices (self->kiosk);

  /* Any property of any device (state, detail, the printer's paper). */
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (GObject) device = g_list_model_get_item (devices, i);
      g_signal_connect_object (device, "notify", G_CALLBACK (on_device_notify), self,
                               G_CONNECT_SWAPPED);
    }
  update_devices (self);
}

/* ---- USB inventory ---- */

static char *
describe_usb_item (LinliMaintenancePage *self, GObject *item)
{
  char *summary = NULL;

  if (self->usb_describe != NULL)
    return g_strdup (self->usb_describe (item));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (item), "summary") != NULL)
    g_object_get (item, "summary", &summary, NULL);
  return summary != NULL ? summary : g_strdup (G_OBJECT_TYPE_NAME (item));
}

static void
update_usb (LinliMaintenancePage *self)
{
  guint n = self->usb_model != NULL ? g_list_model_get_n_items (self->usb_model) : 0;

  clear_box (self->usb);
  if (self->usb_model == NULL)
    gtk_box_append (self->usb, line (_ ("The USB inventory is not available on this kiosk.")));
  else if (n == 0)
    gtk_box_append (self->usb, line (_ ("No USB devices found.")));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (self->usb_model, i);
      g_autofree char *text = describe_usb_item (self, item);

      gtk_box_append (self->usb, line (text));
    }
}

void
linli_maintenance_page_set_usb_model (LinliMaintenancePage *self,
                                      GListModel *model,
                                      LinliUsbDescribeFunc describe)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_PAGE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->usb_model != NULL)
    g_signal_handlers_disconnect_by_data (self->usb_model, self);
  g_set_object (&self->usb_model, model);
  self->usb_describe = describe;
  if (model != NULL)
    g_signal_connect_swapped (model, "items-changed", G_CALLBACK (update_usb), self);
  update_usb (self);
}

/* ---- what changes by itself: platform, outbox, uptime ---- */

static char *
format_unix (gint64 seconds)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static void
update_status (LinliMaintenancePage *self)
{
  gint64 last = linli_maintenance_mode_get_last_heartbeat (self->mode);
  const char *error = linli_maintenance_mode_get_last_heartbeat_error (self->mode);
  guint64 uptime = linli_kiosk_get_uptime_seconds (self->kiosk);
  g_autofree char *success = last > 0 ? format_unix (last) : NULL;
  g_autofree char *heartbeat = NULL;
  g_autofree char *outbox = NULL;
  g_autofree char *version = NULL;

  heartbeat = g_strdup_printf (_ ("Last heartbeat accepted: %s"),
                               success != NULL ? success : _ ("none yet"));
  if (error != NULL && *error != '\0')
    {
      g_autofree char *with_error
          = g_strdup_printf (_ ("%s\nLast heartbeat error: %s"), heartbeat, error);
      g_free (heartbeat);
      heartbeat = g_steal_pointer (&with_error);
    }
  gtk_label_set_label (self->heartbeat, heartbeat);

  outbox = g_strdup_printf (_ ("Submissions waiting to be sent: %u"),
                            linli_maintenance_mode_get_outbox_depth (self->mode));
  gtk_label_set_label (self->outbox, outbox);

  version = g_strdup_printf (_ ("Version %s · running for %u h %02u min %02u s"), LINLI_VERSION,
                             (guint) (uptime / 3600), (guint) (uptime / 60 % 60),
                             (guint) (uptime % 60));
  gtk_label_set_label (self->version, version);
}

static gboolean
on_tick (gpointer user_data)
{
  update_status (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_logs (LinliMaintenancePage *self)
{
  g_autoptr (GPtrArray) entries = linli_maintenance_mode_dup_logs (self->mode);
  guint shown = 0;

  clear_box (self->logs);
  /* Newest first: the ring keeps them oldest first. */
  for (guint i = entries->len; i > 0 && shown < LOG_LINES; i--, shown++)
    {
      LinliLogEntry *entry = g_ptr_array_index (entries, i - 1);
      g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (entry->time / G_USEC_PER_SEC);
      g_autofree char *when = time != NULL ? g_date_time_format (time, "%H:%M:%S") : NULL;
      g_autofree char *text = g_strdup_printf (
          "%s %s %s: %s", when != NULL ? when : "?", linli_log_level_to_string (entry->level),
          entry->domain != NULL ? entry->domain : "-", entry->message);

      gtk_box_append (self->logs, line (text));
    }
  if (shown == 0)
    gtk_box_append (self->logs, line (_ ("No messages logged yet.")));
}

/* ---- platform reachability ---- */

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliMaintenancePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPlatformProbe) probe = linli_platform_probe_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->probing = FALSE;
  if (probe == NULL)
    text = g_strdup_printf (_ ("Not checked: %s"), error->message);
  else if (probe->error != NULL)
    text = g_strdup_printf (_ ("%s\nNot reachable: %s"), probe->url, probe->error);
  else
    text = g_strdup_printf (_ ("%s\nReachable in %.0f ms (connection and TLS handshake)\n"
                               "%s, %s\nServer: %s\nIssued by: %s\nValid until: %s"),
                            probe->url, probe->round_trip_ms, probe->protocol,
                            probe->cipher != NULL ? probe->cipher : "?",
                            probe->server_subject != NULL ? probe->server_subject : "?",
                            probe->server_issuer != NULL ? probe->server_issuer : "?",
                            probe->server_valid_until != NULL ? probe->server_valid_until : "?");
  gtk_label_set_label (self->probe_result, text);
}

static void
check_platform (LinliMaintenancePage *self)
{
  if (self->probing)
    return;
  self->probing = TRUE;
  gtk_label_set_label (self->probe_result, _ ("Checking the county platform…"));
  linli_maintenance_mode_note_platform_check (self->mode);
  linli_platform_probe_async (linli_kiosk_get_config (self->kiosk), self->cancellable, on_probed,
                              g_object_ref (self));
}

/* ---- actions ---- */

static void
report (LinliMaintenancePage *self, GtkLabel *label, const char *text)
{
  gtk_label_set_label (label, text);
  linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_ALERT);
}

static void
on_test_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliMaintenancePage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!linli_maintenance_mode_test_print_finish (LINLI_MAINTENANCE_MODE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_ ("Test print failed: %s"), error->message);
      self->printing = FALSE;
      report (self, self->print_result, text);
      return;
    }
  self->printing = FALSE;
  report (self, self->print_result, _ ("The test page has been printed."));
}

static void
action_test_print (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  if (self->printing)
    return;
  self->printing = TRUE;
  gtk_label_set_label (self->print_result, _ ("Printing the test page…"));
  linli_maintenance_mode_test_print_async (self->mode, self->cancellable, on_test_printed,
                                           g_object_ref (self));
}

static void
on_card_tested (LinliMaintenancePage *self, const char *description)
{
  g_autofree char *text = g_strdup_printf (_ ("Card read: %s"), description);

  report (self, self->card_result, text);
}

static void
action_test_card (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  linli_maintenance_mode_arm_card_test (self->mode);
  report (self, self->card_result, _ ("Place a card on a reader."));
}

static void
action_voice_test (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  gtk_label_set_label (self->voice_result,
                       linli_kiosk_get_voice_available (self->kiosk)
                           ? _ ("Playing the voice test. Listen at the loudspeaker.")
                           : _ ("The voice does not work: see the voice line under device "
                                "health."));
  linli_maintenance_mode_voice_test (self->mode);
}

/* The picture lives in the texture only: never a file, and it is
 * dropped when the page is refreshed or left. */
static void
clear_snapshot (LinliMaintenancePage *self)
{
  gtk_picture_set_paintable (self->camera_picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_picture), FALSE);
}

static void
on_snapshot (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliMaintenancePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *text = NULL;
  int width = 0, height = 0;

  jpeg = linli_maintenance_mode_camera_snapshot_finish (LINLI_MAINTENANCE_MODE (source), result,
                                                        &width, &height, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->snapping = FALSE;
  if (jpeg != NULL)
    texture = gdk_texture_new_from_bytes (jpeg, &error);
  if (texture == NULL)
    {
      text = g_strdup_printf (_ ("Camera snapshot failed: %s"), error->message);
      report (self, self->camera_result, text);
      return;
    }
  gtk_picture_set_paintable (self->camera_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->camera_picture), TRUE);
  text = g_strdup_printf (_ ("Camera snapshot taken: %d × %d pixels."), width, height);
  report (self, self->camera_result, text);
}

static void
action_camera_snapshot (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  if (self->snapping)
    return;
  self->snapping = TRUE;
  clear_snapshot (self);
  gtk_label_set_label (self->camera_result, _ ("Taking a picture with the camera…"));
  linli_maintenance_mode_camera_snapshot_async (self->mode, self->cancellable, on_snapshot,
                                                g_object_ref (self));
}

static void
action_check_platform (GtkWidget *widget, const char *name, GVariant *param)
{
  check_platform (LINLI_MAINTENANCE_PAGE (widget));
}

static void
action_retry (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  linli_maintenance_mode_retry_outbox (self->mode);
  update_status (self);
}

static void
action_logs (GtkWidget *widget, const char *name, GVariant *param)
{
  update_logs (LINLI_MAINTENANCE_PAGE (widget));
}

static void
action_restart (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_maintenance_mode_restart (LINLI_MAINTENANCE_PAGE (widget)->mode);
}

static void
action_exit (GtkWidget *widget, const char *name, GVariant *param)
{
  /* The window follows "active" back to the attract screen. */
  linli_maintenance_mode_exit (LINLI_MAINTENANCE_PAGE (widget)->mode);
}

/* ---- life ---- */

static void
linli_maintenance_page_map (GtkWidget *widget)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  GTK_WIDGET_CLASS (linli_maintenance_page_parent_class)->map (widget);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
}

static void
linli_maintenance_page_unmap (GtkWidget *widget)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  clear_snapshot (self);
  GTK_WIDGET_CLASS (linli_maintenance_page_parent_class)->unmap (widget);
}

static void
linli_maintenance_page_dispose (GObject *object)
{
  LinliMaintenancePage *self = LINLI_MAINTENANCE_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->usb_model != NULL)
    g_signal_handlers_disconnect_by_data (self->usb_model, self);
  g_clear_object (&self->usb_model);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_MAINTENANCE_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_maintenance_page_parent_class)->dispose (object);
}

static void
linli_maintenance_page_class_init (LinliMaintenancePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_maintenance_page_dispose;
  widget_class->map = linli_maintenance_page_map;
  widget_class->unmap = linli_maintenance_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-maintenance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, devices);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, paper);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, usb);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, print_result);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, card_result);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, voice_result);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, camera_result);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, camera_picture);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, heartbeat);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, probe_result);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, outbox);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, logs);
  gtk_widget_class_bind_template_child (widget_class, LinliMaintenancePage, version);
  gtk_widget_class_install_action (widget_class, "maint.test-print", NULL, action_test_print);
  gtk_widget_class_install_action (widget_class, "maint.test-card", NULL, action_test_card);
  gtk_widget_class_install_action (widget_class, "maint.voice-test", NULL, action_voice_test);
  gtk_widget_class_install_action (widget_class, "maint.camera-snapshot", NULL,
                                   action_camera_snapshot);
  gtk_widget_class_install_action (widget_class, "maint.check-platform", NULL,
                                   action_check_platform);
  gtk_widget_class_install_action (widget_class, "maint.retry-outbox", NULL, action_retry);
  gtk_widget_class_install_action (widget_class, "maint.logs", NULL, action_logs);
  gtk_widget_class_install_action (widget_class, "maint.restart", NULL, action_restart);
  gtk_widget_class_install_action (widget_class, "maint.exit", NULL, action_exit);
}

static void
linli_maintenance_page_init (LinliMaintenancePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

LinliMaintenancePage *
linli_maintenance_page_new (LinliKiosk *kiosk)
{
  LinliMaintenancePage *self = g_object_new (LINLI_TYPE_MAINTENANCE_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  self->mode = linli_kiosk_get_maintenance (kiosk);
  g_signal_connect_object (self->mode, "card-tested", G_CALLBACK (on_card_tested), self,
                           G_CONNECT_SWAPPED);
  watch_devices (self);
  update_usb (self);
  update_status (self);
  update_logs (self);
  return self;
}

void
linli_maintenance_page_refresh (LinliMaintenancePage *self)
{
  g_return_if_fail (LINLI_IS_MAINTENANCE_PAGE (self));

  gtk_label_set_label (self->print_result, NULL);
  gtk_label_set_label (self->card_result, NULL);
  gtk_label_set_label (self->voice_result, NULL);
  gtk_label_set_label (self->camera_result, NULL);
  clear_snapshot (self);
  /* Fresh states now rather than at the next idle poll. */
  linli_kiosk_refresh_devices (self->kiosk);
  update_devices (self);
  update_status (self);
  update_logs (self);
  if (*linli_config_get_string (linli_kiosk_get_config (self->kiosk), "platform", "url") != '\0')
    check_platform (self);
  else
    gtk_label_set_label (self->probe_result,
                         _ ("No county platform is configured ([platform] url)."));
}
