/* linli-help-page.c
 *
 * Tells the resident where staff are (the [kiosk] staff-desk key) and, until
 * a call system is connected, that the kiosk cannot alert them by itself.
 */
#define G_LOG_DOMAIN "linli-help-page"

#include "linli-help-page.h"

#include <glib/gi18n.h>

struct _LinliHelpPage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkLabel *where;
  GtkLabel *notice;
};

G_DEFINE_FINAL_TYPE (LinliHelpPage, linli_help_page, LINLI_TYPE_PAGE)

static void
linli_help_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_HELP_PAGE);
  G_OBJECT_CLASS (linli_help_page_parent_class)->dispose (object);
}

static void
linli_help_page_class_init (LinliHelpPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_help_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-help-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliHelpPage, title);
  gtk_widget_class_bind_template_child (widget_class, LinliHelpPage, where);
  gtk_widget_class_bind_template_child (widget_class, LinliHelpPage, notice);
}

static void
linli_help_page_init (LinliHelpPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliHelpPage *
linli_help_page_new (LinliKiosk *kiosk)
{
  LinliHelpPage *self = g_object_new (LINLI_TYPE_HELP_PAGE, NULL);
  g_autofree char *announcement = NULL;
  const char *desk
      = linli_config_get_string (linli_kiosk_get_config (kiosk), "kiosk", "staff-desk");

  if (*desk != '\0')
    {
      /* TRANSLATORS: %s is the place configured as [kiosk] staff-desk */
      g_autofree char *text = g_strdup_printf (_ ("Staff are at: %s"), desk);
      gtk_label_set_label (self->where, text);
    }
  else
    gtk_label_set_label (self->where, _ ("Staff are at the service desk in this hall."));

  announcement
      = g_strjoin (_ ("; "), gtk_label_get_text (self->title), gtk_label_get_text (self->where),
                   gtk_label_get_text (self->notice), NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
  return self;
}
