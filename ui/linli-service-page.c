/* linli-service-page.c
 *
 * Until the platform client exists (issue 5) a service item cannot be
 * carried out at the kiosk, and this screen says so plainly instead of
 * pretending: what the item is, that the kiosk is not connected to the
 * county platform yet, and where to go instead.
 */
#define G_LOG_DOMAIN "linli-service-page"

#include "linli-service-page.h"

#include <glib/gi18n.h>

struct _LinliServicePage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkLabel *detail;
  GtkLabel *notice;
  GtkLabel *advice;
  LinliKiosk *kiosk;
};

G_DEFINE_FINAL_TYPE (LinliServicePage, linli_service_page, LINLI_TYPE_PAGE)

static void
linli_service_page_dispose (GObject *object)
{
  LinliServicePage *self = LINLI_SERVICE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_SERVICE_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_service_page_parent_class)->dispose (object);
}

static void
linli_service_page_class_init (LinliServicePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_service_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, title);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, detail);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, notice);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, advice);
}

static void
linli_service_page_init (LinliServicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The screen is read as it is shown: title, what the item is, the notice
 * and the advice. */
static void
announce (LinliServicePage *self)
{
  g_autofree char *text
      = g_strjoin (_ ("; "), gtk_label_get_text (self->title), gtk_label_get_text (self->detail),
                   gtk_label_get_text (self->notice), gtk_label_get_text (self->advice), NULL);

  linli_page_set_announcement (LINLI_PAGE (self), text);
}

LinliServicePage *
linli_service_page_new (LinliKiosk *kiosk)
{
  LinliServicePage *self = g_object_new (LINLI_TYPE_SERVICE_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  return self;
}

void
linli_service_page_set_tile (LinliServicePage *self, LinliServiceTile *tile)
{
  const char *language;

  g_return_if_fail (LINLI_IS_SERVICE_PAGE (self));
  g_return_if_fail (LINLI_IS_SERVICE_TILE (tile));

  language = linli_kiosk_get_language (self->kiosk);
  gtk_label_set_label (self->title, linli_service_tile_get_title (tile, language));
  gtk_label_set_label (self->detail, linli_service_tile_get_detail (tile, language));
  if (linli_service_tile_get_flow (tile) == LINLI_SERVICE_FLOW_STATUS)
    gtk_label_set_label (self->notice,
                         _ ("Looking up an application needs the county platform. This kiosk is "
                            "not connected to it yet, so it cannot show the status here."));
  else
    gtk_label_set_label (self->notice,
                         _ ("This service needs the county platform. This kiosk is not connected "
                            "to it yet, so the service cannot be done here today."));
  announce (self);
}
