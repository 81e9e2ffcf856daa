/* linli-a11y-bar.h: text size, contrast, voice, more time, language. */
#pragma once

#include <gtk/gtk.h>

#include "linli-kiosk.h"

G_BEGIN_DECLS

#define LINLI_TYPE_A11Y_BAR (linli_a11y_bar_get_type ())
G_DECLARE_FINAL_TYPE (LinliA11yBar, linli_a11y_bar, LINLI, A11Y_BAR, GtkBox)

LinliA11yBar *linli_a11y_bar_new (LinliKiosk *kiosk);
void linli_a11y_bar_set_in_session (LinliA11yBar *self, gboolean in_session);

G_END_DECLS
