/* linli-digit-pad.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the maintainer's PIN pad and staff sign-in, so both look and
 * answer the same. Plain buttons in the page's own grid (the grid and its
 * CSS class come from each page's template); each button names a page
 * action, so touch, keys and AT-SPI take the same path.
 */
#define G_LOG_DOMAIN "linli-digit-pad"

#include "linli-digit-pad.h"

#include <glib/gi18n.h>

static GtkWidget *
pad_button (const char *label, const char *action, const char *digit)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "digit");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (digit != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", digit);
  return button;
}

void
linli_digit_pad_fill (GtkGrid *pad, const char *prefix)
{
  g_autofree char *digit_action = g_strconcat (prefix, ".digit", NULL);
  g_autofree char *delete_action = g_strconcat (prefix, ".delete", NULL);
  g_autofree char *submit_action = g_strconcat (prefix, ".submit", NULL);

  g_return_if_fail (GTK_IS_GRID (pad));

  /* A telephone's layout: 1 2 3 at the top, then delete, 0, OK. */
  for (int i = 0; i < 9; i++)
    {
      char digit[2] = { (char) ('1' + i), '\0' };
      gtk_grid_attach (pad, pad_button (digit, digit_action, digit), i % 3, i / 3, 1, 1);
    }
  gtk_grid_attach (pad, pad_button (_ ("Delete"), delete_action, NULL), 0, 3, 1, 1);
  gtk_grid_attach (pad, pad_button ("0", digit_action, "0"), 1, 3, 1, 1);
  gtk_grid_attach (pad, pad_button (_ ("OK"), submit_action, NULL), 2, 3, 1, 1);
}

char
linli_digit_pad_key_digit (guint keyval)
{
  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    return (char) ('0' + (keyval - GDK_KEY_0));
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return (char) ('0' + (keyval - GDK_KEY_KP_0));
  return 0;
}
