/* linli-attract-page.c
 *
 * The attract screen says in very large text what to do first, shows a
 * card moving onto the reader (a CSS animation, no timer on the main loop),
 * and offers a start without a card and a call for help.
 */
#define G_LOG_DOMAIN "linli-attract-page"

#include "linli-attract-page.h"

#include <glib/gi18n.h>

struct _LinliAttractPage
{
  LinliPage parent_instance;

  GtkLabel *place_label;
  GtkLabel *notice;
  guint notice_timeout_id;
};

G_DEFINE_FINAL_TYPE (LinliAttractPage, linli_attract_page, LINLI_TYPE_PAGE)

static void
linli_attract_page_dispose (GObject *object)
{
  LinliAttractPage *self = LINLI_ATTRACT_PAGE (object);

  g_clear_handle_id (&self->notice_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_ATTRACT_PAGE);
  G_OBJECT_CLASS (linli_attract_page_parent_class)->dispose (object);
}

static void
linli_attract_page_class_init (LinliAttractPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_attract_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-attract-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliAttractPage, place_label);
  gtk_widget_class_bind_template_child (widget_class, LinliAttractPage, notice);
}

static void
linli_attract_page_init (LinliAttractPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliAttractPage *
linli_attract_page_new (LinliKiosk *kiosk)
{
  LinliAttractPage *self = g_object_new (LINLI_TYPE_ATTRACT_PAGE, NULL);
  LinliConfig *config = linli_kiosk_get_config (kiosk);
  const char *county = linli_config_get_string (config, "kiosk", "county-name");
  const char *centre = linli_config_get_string (config, "kiosk", "centre-name");

  /* The place names are the county's own words, shown as configured. */
  if (*county != '\0' || *centre != '\0')
    {
      g_autofree char *place = g_strdup_printf ("%s %s · %s", county, centre, _ ("Self-service"));
      gtk_label_set_label (self->place_label, g_strstrip (place));
    }
  return self;
}

static gboolean
hide_notice (gpointer user_data)
{
  LinliAttractPage *self = user_data;

  self->notice_timeout_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->notice), FALSE);
  return G_SOURCE_REMOVE;
}

/* Shows @text (why a card did not start a session, or to take a card) for
 * long enough to read it slowly twice; NULL hides it. */
void
linli_attract_page_show_notice (LinliAttractPage *self, const char *text)
{
  g_return_if_fail (LINLI_IS_ATTRACT_PAGE (self));

  g_clear_handle_id (&self->notice_timeout_id, g_source_remove);
  gtk_label_set_label (self->notice, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice), text != NULL);
  if (text != NULL)
    self->notice_timeout_id = g_timeout_add_seconds (20, hide_notice, self);
}
