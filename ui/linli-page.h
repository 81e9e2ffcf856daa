/* linli-page.h: a screen of the kiosk, and what it says when it appears. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LINLI_TYPE_PAGE (linli_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (LinliPage, linli_page, LINLI, PAGE, GtkBox)

struct _LinliPageClass
{
  GtkBoxClass parent_class;

  gpointer padding[4];
};

const char *linli_page_get_announcement (LinliPage *self);
void linli_page_set_announcement (LinliPage *self, const char *announcement);
const char *linli_page_get_help (LinliPage *self);
void linli_page_set_help (LinliPage *self, const char *help);

char *linli_widget_get_speech (GtkWidget *widget);
void linli_widget_set_speech (GtkWidget *widget, const char *speech);

G_END_DECLS
