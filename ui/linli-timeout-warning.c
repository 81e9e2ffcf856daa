/* linli-timeout-warning.c
 *
 * Covers the whole screen while the session counts down, so that one touch
 * anywhere (caught by the window) keeps the resident's session.
 */
#define G_LOG_DOMAIN "linli-timeout-warning"

#include "linli-timeout-warning.h"

#include <glib/gi18n.h>

struct _LinliTimeoutWarning
{
  GtkBox parent_instance;

  GtkLabel *countdown;
  GtkButton *continue_button;
  LinliSession *session;
};

G_DEFINE_FINAL_TYPE (LinliTimeoutWarning, linli_timeout_warning, GTK_TYPE_BOX)

static void
update (LinliTimeoutWarning *self)
{
  guint seconds = linli_session_get_seconds_left (self->session);
  g_autofree char *text = NULL;

  text = g_strdup_printf (ngettext ("In %u second this session ends and your information is "
                                    "cleared. Touch the screen to continue.",
                                    "In %u seconds this session ends and your information is "
                                    "cleared. Touch the screen to continue.",
                                    seconds),
                          seconds);
  gtk_label_set_label (self->countdown, text);
}

static void
linli_timeout_warning_dispose (GObject *object)
{
  LinliTimeoutWarning *self = LINLI_TIMEOUT_WARNING (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_TIMEOUT_WARNING);
  G_OBJECT_CLASS (linli_timeout_warning_parent_class)->dispose (object);
}

static void
linli_timeout_warning_class_init (LinliTimeoutWarningClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_timeout_warning_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-timeout-warning.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliTimeoutWarning, countdown);
  gtk_widget_class_bind_template_child (widget_class, LinliTimeoutWarning, continue_button);
}

static void
linli_timeout_warning_init (LinliTimeoutWarning *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliTimeoutWarning *
linli_timeout_warning_new (LinliSession *session)
{
  LinliTimeoutWarning *self = g_object_new (LINLI_TYPE_TIMEOUT_WARNING, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::seconds-left", G_CALLBACK (update), self);
  update (self);
  return self;
}

/* Returns: (transfer full): what is said when the warning appears */
char *
linli_timeout_warning_get_announcement (LinliTimeoutWarning *self)
{
  g_return_val_if_fail (LINLI_IS_TIMEOUT_WARNING (self), NULL);
  update (self);
  return g_strjoin (" ", _ ("Are you still there?"), gtk_label_get_text (self->countdown),
                    _ ("Or press any key."), NULL);
}

void
linli_timeout_warning_focus (LinliTimeoutWarning *self)
{
  g_return_if_fail (LINLI_IS_TIMEOUT_WARNING (self));
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}
