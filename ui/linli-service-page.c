/* linli-service-page.c
 *
 * One screen for a home tile and for a catalog item. A category of the
 * platform's catalog lists its items as buttons. Where the kiosk cannot
 * carry a service out (no platform, or a flow this kiosk does not have
 * yet) the screen says so plainly instead of pretending: what the item is,
 * why it cannot be done here, and where to go instead.
 */
#define G_LOG_DOMAIN "linli-service-page"

#include "linli-service-page.h"

#include <glib/gi18n.h>

struct _LinliServicePage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkLabel *detail;
  GtkBox *items;
  GtkLabel *notice;
  GtkLabel *advice;
  GtkButton *back;
  GtkButton *print;
  LinliKiosk *kiosk;
  GCancellable *printing; /* while a certificate is printing */
};

G_DEFINE_FINAL_TYPE (LinliServicePage, linli_service_page, LINLI_TYPE_PAGE)

static void
linli_service_page_dispose (GObject *object)
{
  LinliServicePage *self = LINLI_SERVICE_PAGE (object);

  g_cancellable_cancel (self->printing);
  g_clear_object (&self->printing);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_SERVICE_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_service_page_parent_class)->dispose (object);
}

static void
on_certificate_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliServicePage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean printed = linli_kiosk_print_certificate_finish (LINLI_KIOSK (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->printing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print), TRUE);
  if (printed)
    {
      gtk_label_set_label (self->notice, _ ("Printing has finished. Please take your "
                                            "certificate from the printer."));
      linli_kiosk_speak (self->kiosk, gtk_label_get_text (self->notice),
                         LINLI_VOICE_PRIORITY_SCREEN);
    }
  else
    {
      gtk_label_set_label (self->notice, error->message);
      linli_kiosk_speak (self->kiosk, error->message, LINLI_VOICE_PRIORITY_ALERT);
    }
}

/* Printing takes seconds: the resident is told at once that it started. */
static void
on_print_clicked (LinliServicePage *self)
{
  if (self->printing != NULL)
    return;
  self->printing = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->print), FALSE);
  gtk_label_set_label (self->notice, _ ("Printing, please wait…"));
  linli_kiosk_speak (self->kiosk, gtk_label_get_text (self->notice), LINLI_VOICE_PRIORITY_SCREEN);
  linli_kiosk_user_activity (self->kiosk);
  linli_kiosk_print_certificate_async (self->kiosk, self->printing, on_certificate_printed,
                                       g_object_ref (self));
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
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, items);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, notice);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, back);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, print);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, advice);
}

static void
linli_service_page_init (LinliServicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The screen is read as it is shown: title, what the item is, then either
 * how many services there are to choose from, or the notice and the advice. */
static void
announce (LinliServicePage *self, guint n_items)
{
  g_autofree char *text = NULL;

  if (n_items > 0)
    {
      g_autofree char *count = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "There is %u service. Use the arrow keys to hear it.",
                       "There are %u services. Use the arrow keys to hear them.", n_items),
          n_items);
      text = g_strjoin (_ ("; "), gtk_label_get_text (self->title),
                        gtk_label_get_text (self->detail), count, NULL);
    }
  else
    text = g_strjoin (_ ("; "), gtk_label_get_text (self->title), gtk_label_get_text (self->detail),
                      gtk_label_get_text (self->notice),
                      gtk_widget_get_visible (GTK_WIDGET (self->advice))
                          ? gtk_label_get_text (self->advice)
                          : NULL,
                      NULL);

  linli_page_set_announcement (LINLI_PAGE (self), text);
}

static void
clear_items (LinliServicePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items))) != NULL)
    gtk_box_remove (self->items, child);
}

/* Items are big buttons, one per line, named and spoken by the catalog. */
static guint
fill_items (LinliServicePage *self, GListModel *items)
{
  const char *language = linli_kiosk_get_language (self->kiosk);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliServiceTile) item = g_list_model_get_item (items, i);
      const char *title = linli_service_tile_get_title (item, language);
      GtkWidget *button = gtk_button_new_with_label (title);

      gtk_widget_add_css_class (button, "big");
      gtk_widget_add_css_class (button, "item");
      /* One width for all, wide enough for the longest title. */
      gtk_widget_set_size_request (button, 880, -1);
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.open-service");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                        linli_service_tile_get_code (item));
      linli_widget_set_speech (button, linli_service_tile_get_spoken (item, language));
      gtk_box_append (self->items, button);
    }
  return n;
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
  LinliServiceFlow flow;
  g_autoptr (GListModel) items = NULL;
  guint n_items;

  g_return_if_fail (LINLI_IS_SERVICE_PAGE (self));
  g_return_if_fail (LINLI_IS_SERVICE_TILE (tile));

  language = linli_kiosk_get_language (self->kiosk);
  gtk_label_set_label (self->title, linli_service_tile_get_title (tile, language));
  gtk_label_set_label (self->detail, linli_service_tile_get_detail (tile, language));
  clear_items (self);

  flow = linli_service_tile_get_flow (tile);
  /* From an item, back goes to its category; from a category, home. */
  gtk_button_set_label (self->back,
                        flow == LINLI_SERVICE_FLOW_ITEM ? _ ("Back") : _ ("Back to home"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back),
                                  flow == LINLI_SERVICE_FLOW_ITEM ? "kiosk.back" : "kiosk.home");

  if (flow == LINLI_SERVICE_FLOW_SERVICE)
    items = linli_kiosk_get_category_items (self->kiosk, linli_service_tile_get_code (tile));
  n_items = items != NULL ? fill_items (self, items) : 0;
  /* The buttons name the items: the line above says what to do instead. */
  if (n_items > 0)
    gtk_label_set_label (self->detail, _ ("Choose a service."));
  gtk_widget_set_visible (GTK_WIDGET (self->items), n_items > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), n_items == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->advice), n_items == 0);
  if (n_items > 0)
    {
      announce (self, n_items);
      return;
    }

  /* A new screen forgets a print under way on the last one. */
  g_cancellable_cancel (self->printing);
  g_clear_object (&self->printing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->print),
                          flow == LINLI_SERVICE_FLOW_ITEM
                              && g_strcmp0 (linli_service_tile_get_item_flow (tile), "certificate")
                                     == 0);
  if (gtk_widget_get_visible (GTK_WIDGET (self->print)))
    {
      gtk_label_set_label (self->notice,
                           linli_kiosk_get_identity (self->kiosk) != NULL
                               ? _ ("Choose Print to print your certificate.")
                               : _ ("Please place your ID card on the reader, then choose Print."));
      gtk_widget_set_visible (GTK_WIDGET (self->advice), FALSE);
    }
  else if (flow == LINLI_SERVICE_FLOW_ITEM)
    gtk_label_set_label (self->notice,
                         _ ("This kiosk cannot do this service yet. Staff at the service desk "
                            "can do it for you."));
  else if (flow == LINLI_SERVICE_FLOW_STATUS)
    gtk_label_set_label (self->notice,
                         _ ("Looking up an application needs the county platform. This kiosk is "
                            "not connected to it yet, so it cannot show the status here."));
  else
    gtk_label_set_label (self->notice,
                         _ ("This service needs the county platform. This kiosk is not connected "
                            "to it yet, so the service cannot be done here today."));
  announce (self, 0);
}
