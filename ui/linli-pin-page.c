/* linli-pin-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN is kept only here, in a fixed buffer wiped as soon as it has
 * been handed to the model (which checks it on a worker). What is shown
 * and spoken is the number of digits, never the digits. A wrong PIN and a
 * lockout are said out loud with the time left, because a maintainer may
 * be kneeling at the printer door, not looking at the screen. Left
 * untouched for [maintenance] pin-timeout seconds, the pad goes back to
 * the attract screen (the model times it and audits it).
 */
#define G_LOG_DOMAIN "linli-pin-page"

#include "linli-pin-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-digit-pad.h"
#include "linli-maintainer-auth.h"
#include "linli-pin-check.h"
#include "linli-maintenance-mode.h"

#define PIN_MIN 4
#define PIN_MAX 12

struct _LinliPinPage
{
  LinliPage parent_instance;

  GtkLabel *prompt;
  GtkLabel *dots;
  GtkLabel *message;
  GtkGrid *pad;
  GtkButton *cancel;

  LinliKiosk *kiosk;
  GCancellable *checking; /* while the model checks a PIN */
  char pin[PIN_MAX + 1];
  gsize length;
};

G_DEFINE_FINAL_TYPE (LinliPinPage, linli_pin_page, LINLI_TYPE_PAGE)

static void
wipe_pin (LinliPinPage *self)
{
  explicit_bzero (self->pin, sizeof self->pin);
  self->length = 0;
}

static void
update_dots (LinliPinPage *self)
{
  g_autoptr (GString) dots = g_string_new (NULL);

  for (gsize i = 0; i < self->length; i++)
    g_string_append (dots, "● ");
  if (self->length == 0)
    g_string_append (dots, "—");
  gtk_label_set_label (self->dots, dots->str);
}

static void
say (LinliPinPage *self, const char *text)
{
  gtk_label_set_label (self->message, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
  if (text != NULL)
    linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_ALERT);
}

static char *
locked_text (gint64 seconds)
{
  gint64 minutes = linli_pin_lockout_minutes (seconds);
  return g_strdup_printf (ngettext ("Too many wrong PINs. Maintenance is locked for %d more "
                                    "minute.",
                                    "Too many wrong PINs. Maintenance is locked for %d more "
                                    "minutes.",
                                    (gulong) minutes),
                          (int) minutes);
}

static void
set_busy (LinliPinPage *self, gboolean busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !busy);
}

static void
on_entered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliPinPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 locked = 0;

  if (linli_maintenance_mode_enter_finish (LINLI_MAINTENANCE_MODE (source), result, &locked,
                                           &error))
    {
      /* The window follows the mode's "active" to the maintenance page. */
      g_clear_object (&self->checking);
      set_busy (self, FALSE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->checking);
  set_busy (self, FALSE);
  if (g_error_matches (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT))
    {
      g_autofree char *text = locked_text (locked);
      say (self, text);
    }
  else if (g_error_matches (error, LINLI_MAINTAINER_AUTH_ERROR,
                            LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN))
    say (self, _ ("Wrong PIN. Please try again."));
  else
    {
      /* No audit file, a broken hash: nothing a PIN can fix here. The
       * detail is for the maintainer (no personal data in it). */
      g_autofree char *text
          = g_strdup_printf (_ ("Maintenance mode cannot be entered: %s"), error->message);
      say (self, text);
    }
}

static void
submit (LinliPinPage *self)
{
  LinliMaintenanceMode *mode = linli_kiosk_get_maintenance (self->kiosk);

  if (self->checking != NULL)
    return;
  if (self->length < PIN_MIN)
    {
      say (self, _ ("The PIN has 4 to 12 digits."));
      return;
    }
  self->checking = g_cancellable_new ();
  set_busy (self, TRUE);
  linli_maintenance_mode_enter_async (mode, self->pin, self->checking, on_entered,
                                      g_object_ref (self));
  /* The model copied it. */
  wipe_pin (self);
  update_dots (self);
}

static void
add_digit (LinliPinPage *self, char digit)
{
  if (self->checking != NULL
      || !linli_maintenance_mode_is_configured (linli_kiosk_get_maintenance (self->kiosk)))
    return;
  if (self->length >= PIN_MAX)
    return;
  self->pin[self->length++] = digit;
  update_dots (self);
}

static void
delete_digit (LinliPinPage *self)
{
  if (self->length == 0)
    return;
  self->pin[--self->length] = '\0';
  update_dots (self);
}

static void
action_digit (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *digit = g_variant_get_string (param, NULL);

  if (g_ascii_isdigit (digit[0]))
    add_digit (LINLI_PIN_PAGE (widget), digit[0]);
}

static void
action_delete (GtkWidget *widget, const char *name, GVariant *param)
{
  delete_digit (LINLI_PIN_PAGE (widget));
}

static void
action_submit (GtkWidget *widget, const char *name, GVariant *param)
{
  submit (LINLI_PIN_PAGE (widget));
}

gboolean
linli_pin_page_handle_key (LinliPinPage *self, guint keyval)
{
  g_return_val_if_fail (LINLI_IS_PIN_PAGE (self), FALSE);

  if (linli_digit_pad_key_digit (keyval) != 0)
    add_digit (self, linli_digit_pad_key_digit (keyval));
  else if (keyval == GDK_KEY_BackSpace || keyval == GDK_KEY_KP_Subtract)
    delete_digit (self);
  else if (keyval == GDK_KEY_KP_Enter)
    submit (self);
  else
    return FALSE;
  return TRUE;
}

/* Shown: its inactivity time starts. */
static void
linli_pin_page_map (GtkWidget *widget)
{
  LinliPinPage *self = LINLI_PIN_PAGE (widget);

  GTK_WIDGET_CLASS (linli_pin_page_parent_class)->map (widget);
  linli_maintenance_mode_begin_entry (linli_kiosk_get_maintenance (self->kiosk));
}

/* The pad is closed however it is left (cancel, the back key, the timeout,
 * entering): the model stops timing it. */
static void
linli_pin_page_unmap (GtkWidget *widget)
{
  LinliPinPage *self = LINLI_PIN_PAGE (widget);

  if (self->kiosk != NULL)
    linli_maintenance_mode_end_entry (linli_kiosk_get_maintenance (self->kiosk));
  wipe_pin (self);
  update_dots (self);
  GTK_WIDGET_CLASS (linli_pin_page_parent_class)->unmap (widget);
}

static void
on_entry_timed_out (LinliPinPage *self)
{
  /* The same way out as its Cancel button. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.back", NULL);
}

static void
linli_pin_page_dispose (GObject *object)
{
  LinliPinPage *self = LINLI_PIN_PAGE (object);

  wipe_pin (self);
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_PIN_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_pin_page_parent_class)->dispose (object);
}

static void
linli_pin_page_class_init (LinliPinPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_pin_page_dispose;
  widget_class->map = linli_pin_page_map;
  widget_class->unmap = linli_pin_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-pin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliPinPage, prompt);
  gtk_widget_class_bind_template_child (widget_class, LinliPinPage, dots);
  gtk_widget_class_bind_template_child (widget_class, LinliPinPage, message);
  gtk_widget_class_bind_template_child (widget_class, LinliPinPage, pad);
  gtk_widget_class_bind_template_child (widget_class, LinliPinPage, cancel);
  gtk_widget_class_install_action (widget_class, "pin.digit", "s", action_digit);
  gtk_widget_class_install_action (widget_class, "pin.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "pin.submit", NULL, action_submit);
}

static void
linli_pin_page_init (LinliPinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  linli_digit_pad_fill (self->pad, "pin");
  update_dots (self);
}

LinliPinPage *
linli_pin_page_new (LinliKiosk *kiosk)
{
  LinliPinPage *self = g_object_new (LINLI_TYPE_PIN_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  g_signal_connect_object (linli_kiosk_get_maintenance (kiosk), "entry-timed-out",
                           G_CALLBACK (on_entry_timed_out), self, G_CONNECT_SWAPPED);
  linli_pin_page_reset (self);
  return self;
}

void
linli_pin_page_reset (LinliPinPage *self)
{
  LinliMaintenanceMode *mode;
  gboolean configured;
  g_autofree char *announcement = NULL;

  g_return_if_fail (LINLI_IS_PIN_PAGE (self));

  mode = linli_kiosk_get_maintenance (self->kiosk);
  configured = linli_maintenance_mode_is_configured (mode);
  wipe_pin (self);
  update_dots (self);
  gtk_widget_set_visible (GTK_WIDGET (self->prompt), configured);
  gtk_widget_set_visible (GTK_WIDGET (self->dots), configured);
  gtk_widget_set_visible (GTK_WIDGET (self->pad), configured);
  gtk_button_set_label (self->cancel, configured ? _ ("Cancel") : _ ("Back"));
  gtk_label_set_label (self->message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  if (!configured)
    {
      gtk_label_set_label (self->message,
                           _ ("Maintenance mode is not set up on this kiosk: there is no "
                              "maintainer PIN in its configuration. See the maintenance "
                              "documentation (docs/maintenance.md)."));
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  else if (linli_maintenance_mode_get_locked_seconds (mode) > 0)
    {
      g_autofree char *text = locked_text (linli_maintenance_mode_get_locked_seconds (mode));
      gtk_label_set_label (self->message, text);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  announcement = g_strjoin (
      _ ("; "), _ ("Maintenance"), configured ? gtk_label_get_text (self->prompt) : "",
      gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : "",
      NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
}
