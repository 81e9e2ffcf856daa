/* linli-home-page.c
 *
 * The tiles are a view of linli_kiosk_get_services(): the list comes from
 * data (later the platform catalog), never from widgets written per item.
 */
#define G_LOG_DOMAIN "linli-home-page"

#include "linli-home-page.h"

#include <glib/gi18n.h>

struct _LinliHomePage
{
  LinliPage parent_instance;

  GtkGrid *tiles;
  GtkLabel *greeting;
  GtkLabel *staff_status;
  GtkButton *staff_button;
  LinliKiosk *kiosk;
};

G_DEFINE_FINAL_TYPE (LinliHomePage, linli_home_page, LINLI_TYPE_PAGE)

#define TILES_PER_ROW 3

static GtkWidget *
create_tile (LinliHomePage *self, LinliServiceTile *tile)
{
  const char *language = linli_kiosk_get_language (self->kiosk);
  const char *title = linli_service_tile_get_title (tile, language);
  const char *detail = linli_service_tile_get_detail (tile, language);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *detail_label = gtk_label_new (detail);
  g_autofree char *css_name = g_strdup_printf ("tile-%s", linli_service_tile_get_code (tile));

  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (detail_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (detail_label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (title_label, "tile-title");
  gtk_widget_add_css_class (detail_label, "tile-detail");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), detail_label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "tile");
  gtk_widget_add_css_class (button, css_name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.open-service");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                    linli_service_tile_get_code (tile));
  /* A button whose child is a box has no name of its own for AT-SPI. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail, -1);
  return button;
}

/* The count tells a listener how far the arrow keys will take them. */
static void
update_announcement (LinliHomePage *self)
{
  guint n = g_list_model_get_n_items (linli_kiosk_get_services (self->kiosk));
  g_autofree char *text = g_strdup_printf (
      ngettext ("What would you like to do? There is %u service on this screen. "
                "Move with the arrow keys to hear it, and press Enter to choose.",
                "What would you like to do? There are %u services on this "
                "screen. Move with the arrow keys to hear each one, and press "
                "Enter to choose.",
                n),
      n);

  linli_page_set_announcement (LINLI_PAGE (self), text);
}

/* Greets the resident by masked name only: the screen may be seen by
 * whoever stands behind them. */
static void
update_greeting (LinliHomePage *self)
{
  g_autofree char *text = linli_home_page_dup_greeting (self, FALSE);

  gtk_label_set_label (self->greeting, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->greeting), text != NULL);
}

/* Who acts for the resident is always in view while signed in; the same
 * button then signs them out. */
static void
update_staff (LinliHomePage *self)
{
  const char *staff_id = linli_kiosk_get_staff_id (self->kiosk);
  const char *label = staff_id != NULL ? _ ("End staff assistance") : _ ("Staff assistance");

  if (staff_id != NULL)
    {
      /* TRANSLATORS: %s is the staff number, e.g. GZ0042 */
      g_autofree char *text = g_strdup_printf (_ ("Staff on duty: %s"), staff_id);
      gtk_label_set_label (self->staff_status, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->staff_status), staff_id != NULL);
  gtk_button_set_label (self->staff_button, label);
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self->staff_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
      staff_id != NULL ? _ ("Signs the staff member out; the visit goes on.")
                       : _ ("For community staff: sign in to handle an application for a "
                            "resident."),
      -1);
}

/* A plain grid rather than a GtkFlowBox: flow-box children take the focus
 * themselves, which would add an invisible stop for keypad users. */
static void
rebuild_tiles (LinliHomePage *self)
{
  GListModel *services = linli_kiosk_get_services (self->kiosk);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles))) != NULL)
    gtk_grid_remove (self->tiles, child);

  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr (LinliServiceTile) tile = g_list_model_get_item (services, i);
      gtk_grid_attach (self->tiles, create_tile (self, tile), (int) (i % TILES_PER_ROW),
                       (int) (i / TILES_PER_ROW), 1, 1);
    }
  update_announcement (self);
}

static void
linli_home_page_dispose (GObject *object)
{
  LinliHomePage *self = LINLI_HOME_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_HOME_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_home_page_parent_class)->dispose (object);
}

static void
linli_home_page_class_init (LinliHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_home_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliHomePage, tiles);
  gtk_widget_class_bind_template_child (widget_class, LinliHomePage, greeting);
  gtk_widget_class_bind_template_child (widget_class, LinliHomePage, staff_status);
  gtk_widget_class_bind_template_child (widget_class, LinliHomePage, staff_button);
}

static void
linli_home_page_init (LinliHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliHomePage *
linli_home_page_new (LinliKiosk *kiosk)
{
  LinliHomePage *self = g_object_new (LINLI_TYPE_HOME_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  rebuild_tiles (self);
  g_signal_connect_object (linli_kiosk_get_services (kiosk), "items-changed",
                           G_CALLBACK (rebuild_tiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kiosk, "notify::identity", G_CALLBACK (update_greeting), self,
                           G_CONNECT_SWAPPED);
  update_greeting (self);
  g_signal_connect_object (kiosk, "notify::staff-id", G_CALLBACK (update_staff), self,
                           G_CONNECT_SWAPPED);
  update_staff (self);
  return self;
}

/**
 * linli_home_page_dup_greeting:
 * @full_name: the whole name (for headphones) rather than the masked one
 *
 * Returns: (transfer full) (nullable): "王*明，您好", or NULL without a card
 */
char *
linli_home_page_dup_greeting (LinliHomePage *self, gboolean full_name)
{
  LinliIdentity *identity;
  g_autofree char *masked = NULL;

  g_return_val_if_fail (LINLI_IS_HOME_PAGE (self), NULL);

  identity = linli_kiosk_get_identity (self->kiosk);
  if (identity == NULL || linli_identity_get_name (identity) == NULL)
    return NULL;
  masked = linli_identity_dup_masked_name (identity);
  /* TRANSLATORS: %s is the resident's name, masked on screen (王*明) */
  return g_strdup_printf (_ ("%s, hello"), full_name ? linli_identity_get_name (identity) : masked);
}
