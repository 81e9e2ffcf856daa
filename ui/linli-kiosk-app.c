/* linli-kiosk-app.c
 *
 * One window, one kiosk model. The application loads the configuration
 * (reporting bad keys on stderr), the CSS, and quits only on SIGTERM or
 * SIGINT: a resident cannot close it.
 */
#define G_LOG_DOMAIN "linli-application"

#include "linli-build-config.h"

#include "linli-kiosk-app.h"
#include "linli-log-ring.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "linli-kiosk.h"
#include "linli-watchdog.h"
#include "linli-window.h"

struct _LinliKioskApp
{
  GtkApplication parent_instance;

  char *config_path;
  gboolean report_first_frame;
  LinliKiosk *kiosk;
};

G_DEFINE_FINAL_TYPE (LinliKioskApp, linli_kiosk_app, GTK_TYPE_APPLICATION)

static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* systemd's READY=1 waits for the first frame actually drawn, not for the
 * window to exist. */
static void
on_first_paint (GdkFrameClock *clock, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, user_data);
  linli_watchdog_ready ();
}

static void
on_window_map (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_first_paint),
                    NULL);
}

static LinliConfig *
load_config (const char *path)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;
  const char *file = path != NULL ? path : LINLI_SYSCONF_CONFIG;
  GPtrArray *problems;

  if (!linli_config_load_file (config, file, &error))
    {
      /* No file at the default place just means the built-in defaults. */
      if (path != NULL || !g_error_matches (error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_READ)
          || g_file_test (file, G_FILE_TEST_EXISTS))
        g_printerr ("linli-kiosk: %s; using built-in defaults\n", error->message);
    }

  problems = linli_config_get_problems (config);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("linli-kiosk: %s\n", (const char *) g_ptr_array_index (problems, i));
  return g_steal_pointer (&config);
}

static void
linli_kiosk_app_startup (GApplication *application)
{
  LinliKioskApp *self = LINLI_KIOSK_APP (application);
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr (LinliConfig) config = NULL;

  G_APPLICATION_CLASS (linli_kiosk_app_parent_class)->startup (application);
  linli_watchdog_start ();

  gtk_css_provider_load_from_resource (css, "/cn/linli/Kiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* The maintenance screen's recent logs, and the heartbeat's error count. */
  if (linli_log_ring_get_default () == NULL)
    {
      g_autoptr (LinliLogRing) ring = linli_log_ring_new (LINLI_LOG_RING_CAPACITY);
      linli_log_ring_install (ring);
    }
  config = load_config (self->config_path);
  self->kiosk = linli_kiosk_new (config);
  linli_kiosk_refresh_devices (self->kiosk);
  linli_kiosk_start_readers (self->kiosk);
  linli_kiosk_start_platform (self->kiosk);

  g_unix_signal_add (SIGTERM, on_quit_signal, self);
  g_unix_signal_add (SIGINT, on_quit_signal, self);
}

static void
linli_kiosk_app_activate (GApplication *application)
{
  LinliKioskApp *self = LINLI_KIOSK_APP (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (linli_window_new (self, self->kiosk, self->report_first_frame));
      /* Each item is read through its "summary" property. */
      linli_window_set_usb_model (LINLI_WINDOW (window),
                                  linli_kiosk_get_usb_inventory (self->kiosk), NULL);
      g_signal_connect (window, "map", G_CALLBACK (on_window_map), NULL);
    }
  gtk_window_present (window);
}

static void
linli_kiosk_app_shutdown (GApplication *application)
{
  LinliKioskApp *self = LINLI_KIOSK_APP (application);

  linli_watchdog_stopping ();
  /* Ends any running session, which wipes its personal data. */
  g_clear_object (&self->kiosk);

  G_APPLICATION_CLASS (linli_kiosk_app_parent_class)->shutdown (application);
}

static int
linli_kiosk_app_handle_local_options (GApplication *application, GVariantDict *options)
{
  LinliKioskApp *self = LINLI_KIOSK_APP (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("linli-kiosk %s\n", LINLI_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "config", "^ay", &self->config_path);
  self->report_first_frame = g_variant_dict_contains (options, "report-first-frame");
  return -1;
}

static void
linli_kiosk_app_finalize (GObject *object)
{
  LinliKioskApp *self = LINLI_KIOSK_APP (object);

  g_free (self->config_path);

  G_OBJECT_CLASS (linli_kiosk_app_parent_class)->finalize (object);
}

static void
linli_kiosk_app_class_init (LinliKioskAppClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = linli_kiosk_app_finalize;
  app_class->startup = linli_kiosk_app_startup;
  app_class->activate = linli_kiosk_app_activate;
  app_class->shutdown = linli_kiosk_app_shutdown;
  app_class->handle_local_options = linli_kiosk_app_handle_local_options;
}

static void
linli_kiosk_app_init (LinliKioskApp *self)
{
  static const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Read the configuration from PATH"),
      N_ ("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { "report-first-frame", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Print the wall-clock time of the first frame (for benchmarks)"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

LinliKioskApp *
linli_kiosk_app_new (void)
{
  /* NON_UNIQUE: the kiosk must never hand its start-up to another instance
   * over D-Bus; each start is its own process that systemd supervises. */
  return g_object_new (LINLI_TYPE_KIOSK_APP, "application-id", "cn.linli.Kiosk", "flags",
                       G_APPLICATION_NON_UNIQUE, NULL);
}
