/* linli-staff-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two steps on the look of the maintainer's PIN pad: the staff number
 * (工号), shown as typed, then the PIN (密码), shown as dots only and kept
 * in a fixed buffer wiped as soon as the model has its copy. The digit pad
 * types both; a hardware keyboard also types the staff number's letters.
 * A wrong staff number and a wrong PIN get the same answer, written and
 * spoken, and a lockout is said with the minutes left: a staff member may
 * be helping the resident, not looking at the screen.
 */
#define G_LOG_DOMAIN "linli-staff-page"

#include "linli-staff-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-digit-pad.h"
#include "linli-pin-check.h"
#include "linli-staff-auth.h"

/* How long the success stays on screen before the page is left. */
#define SIGNED_IN_SHOWN_MS 1500

typedef enum
{
  STEP_STAFF_ID,
  STEP_PIN,
} Step;

struct _LinliStaffPage
{
  LinliPage parent_instance;

  GtkLabel *prompt;
  GtkLabel *field;
  GtkLabel *message;
  GtkGrid *pad;
  GtkButton *back;

  LinliKiosk *kiosk;
  Step step;
  GCancellable *checking; /* while the model checks */
  guint leave_id;         /* the success shown, then ::finished */
  char staff_id[LINLI_STAFF_ID_MAX_LENGTH + 1];
  gsize staff_id_length;
  char pin[LINLI_PIN_MAX_DIGITS + 1];
  gsize pin_length;
};

G_DEFINE_FINAL_TYPE (LinliStaffPage, linli_staff_page, LINLI_TYPE_PAGE)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe (LinliStaffPage *self)
{
  explicit_bzero (self->pin, sizeof self->pin);
  self->pin_length = 0;
  explicit_bzero (self->staff_id, sizeof self->staff_id);
  self->staff_id_length = 0;
}

static void
update_field (LinliStaffPage *self)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->step == STEP_STAFF_ID)
    g_string_append (text, self->staff_id);
  else
    for (gsize i = 0; i < self->pin_length; i++)
      g_string_append (text, "● ");
  if (text->len == 0)
    g_string_append (text, "—");
  gtk_label_set_label (self->field, text->str);
}

static void
say (LinliStaffPage *self, const char *text)
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
  return g_strdup_printf (ngettext ("Too many wrong tries. Sign-in with this staff number is "
                                    "locked for %d more minute.",
                                    "Too many wrong tries. Sign-in with this staff number is "
                                    "locked for %d more minutes.",
                                    (gulong) minutes),
                          (int) minutes);
}

static void
show_step (LinliStaffPage *self, Step step)
{
  self->step = step;
  gtk_label_set_label (self->prompt, step == STEP_STAFF_ID ? _ ("Enter your staff number.")
                                                           : _ ("Enter your PIN."));
  update_field (self);
}

static void
set_busy (LinliStaffPage *self, gboolean busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !busy);
}

static gboolean
on_leave (gpointer user_data)
{
  LinliStaffPage *self = user_data;

  self->leave_id = 0;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliStaffPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 locked = 0;

  if (!linli_kiosk_sign_in_staff_finish (LINLI_KIOSK (source), result, &locked, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->checking);
  set_busy (self, FALSE);
  if (error == NULL)
    {
      /* TRANSLATORS: %s is the staff number, e.g. GZ0042 */
      g_autofree char *text = g_strdup_printf (_ ("Signed in: staff number %s"),
                                               linli_kiosk_get_staff_id (self->kiosk));

      wipe (self);
      update_field (self);
      say (self, text);
      g_clear_handle_id (&self->leave_id, g_source_remove);
      self->leave_id = g_timeout_add (SIGNED_IN_SHOWN_MS, on_leave, self);
      return;
    }
  /* Start again from the staff number: which of the two was wrong is not
   * said, so both are typed again. */
  wipe (self);
  show_step (self, STEP_STAFF_ID);
  if (g_error_matches (error, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_LOCKED_OUT))
    {
      g_autofree char *text = locked_text (locked);
      say (self, text);
    }
  else if (g_error_matches (error, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG))
    say (self, _ ("The staff number or PIN is not correct."));
  else if (g_error_matches (error, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_INVALID))
    say (self, _ ("A staff number has 2 to 16 letters or digits."));
  else
    {
      /* No audit file, say: nothing a PIN can fix here. The detail is for
       * the maintainer (no personal data in it). */
      g_autofree char *text
          = g_strdup_printf (_ ("Staff sign-in is not possible: %s"), error->message);
      say (self, text);
    }
}

static void
submit (LinliStaffPage *self)
{
  if (self->checking != NULL || self->leave_id != 0
      || !linli_kiosk_get_staff_configured (self->kiosk))
    return;
  if (self->step == STEP_STAFF_ID)
    {
      if (self->staff_id_length < LINLI_STAFF_ID_MIN_LENGTH)
        {
          say (self, _ ("A staff number has 2 to 16 letters or digits."));
          return;
        }
      say (self, NULL);
      show_step (self, STEP_PIN);
      linli_kiosk_speak (self->kiosk, gtk_label_get_text (self->prompt),
                         LINLI_VOICE_PRIORITY_SCREEN);
      return;
    }
  if (self->pin_length < LINLI_PIN_MIN_DIGITS)
    {
      say (self, _ ("The PIN has 4 to 12 digits."));
      return;
    }
  say (self, NULL);
  self->checking = g_cancellable_new ();
  set_busy (self, TRUE);
  linli_kiosk_sign_in_staff_async (self->kiosk, self->staff_id, self->pin, self->checking,
                                   on_signed_in, g_object_ref (self));
  /* The model copied it. */
  explicit_bzero (self->pin, sizeof self->pin);
  self->pin_length = 0;
  update_field (self);
}

static void
add_char (LinliStaffPage *self, char c)
{
  if (self->checking != NULL || self->leave_id != 0
      || !linli_kiosk_get_staff_configured (self->kiosk))
    return;
  if (self->step == STEP_STAFF_ID)
    {
      if (self->staff_id_length >= LINLI_STAFF_ID_MAX_LENGTH || !g_ascii_isalnum (c))
        return;
      self->staff_id[self->staff_id_length++] = g_ascii_toupper (c);
    }
  else
    {
      if (self->pin_length >= LINLI_PIN_MAX_DIGITS || !g_ascii_isdigit (c))
        return;
      self->pin[self->pin_length++] = c;
    }
  update_field (self);
}

static void
delete_char (LinliStaffPage *self)
{
  if (self->step == STEP_STAFF_ID && self->staff_id_length > 0)
    self->staff_id[--self->staff_id_length] = '\0';
  else if (self->step == STEP_PIN && self->pin_length > 0)
    self->pin[--self->pin_length] = '\0';
  update_field (self);
}

/* The pad's actions count as activity (as the window's keys and touches
 * do): a screen reader's or AT-SPI's press keeps the visit alive too. */
static void
action_digit (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *digit = g_variant_get_string (param, NULL);

  linli_kiosk_user_activity (LINLI_STAFF_PAGE (widget)->kiosk);
  if (g_ascii_isdigit (digit[0]))
    add_char (LINLI_STAFF_PAGE (widget), digit[0]);
}

static void
action_delete (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_user_activity (LINLI_STAFF_PAGE (widget)->kiosk);
  delete_char (LINLI_STAFF_PAGE (widget));
}

static void
action_submit (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_user_activity (LINLI_STAFF_PAGE (widget)->kiosk);
  submit (LINLI_STAFF_PAGE (widget));
}

gboolean
linli_staff_page_handle_key (LinliStaffPage *self, guint keyval)
{
  guint32 c = gdk_keyval_to_unicode (keyval);

  g_return_val_if_fail (LINLI_IS_STAFF_PAGE (self), FALSE);

  if (linli_digit_pad_key_digit (keyval) != 0)
    add_char (self, linli_digit_pad_key_digit (keyval));
  else if (self->step == STEP_STAFF_ID && c < 128 && g_ascii_isalpha ((char) c))
    add_char (self, (char) c);
  else if (keyval == GDK_KEY_BackSpace || keyval == GDK_KEY_KP_Subtract)
    delete_char (self);
  else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    submit (self);
  else
    return FALSE;
  return TRUE;
}

gboolean
linli_staff_page_back (LinliStaffPage *self)
{
  g_return_val_if_fail (LINLI_IS_STAFF_PAGE (self), FALSE);

  if (self->step != STEP_PIN || self->checking != NULL || self->leave_id != 0)
    return FALSE;
  explicit_bzero (self->pin, sizeof self->pin);
  self->pin_length = 0;
  say (self, NULL);
  show_step (self, STEP_STAFF_ID);
  linli_kiosk_speak (self->kiosk, gtk_label_get_text (self->prompt), LINLI_VOICE_PRIORITY_SCREEN);
  return TRUE;
}

/* However the page is left (back, the session's end), nothing typed stays
 * and a check under way counts for nothing. */
static void
linli_staff_page_unmap (GtkWidget *widget)
{
  LinliStaffPage *self = LINLI_STAFF_PAGE (widget);

  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->leave_id, g_source_remove);
  set_busy (self, FALSE);
  wipe (self);
  update_field (self);
  GTK_WIDGET_CLASS (linli_staff_page_parent_class)->unmap (widget);
}

static void
linli_staff_page_dispose (GObject *object)
{
  LinliStaffPage *self = LINLI_STAFF_PAGE (object);

  wipe (self);
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->leave_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_STAFF_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_staff_page_parent_class)->dispose (object);
}

static void
linli_staff_page_class_init (LinliStaffPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_staff_page_dispose;
  widget_class->unmap = linli_staff_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliStaffPage, prompt);
  gtk_widget_class_bind_template_child (widget_class, LinliStaffPage, field);
  gtk_widget_class_bind_template_child (widget_class, LinliStaffPage, message);
  gtk_widget_class_bind_template_child (widget_class, LinliStaffPage, pad);
  gtk_widget_class_bind_template_child (widget_class, LinliStaffPage, back);
  gtk_widget_class_install_action (widget_class, "staff.digit", "s", action_digit);
  gtk_widget_class_install_action (widget_class, "staff.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "staff.submit", NULL, action_submit);

  /**
   * LinliStaffPage::finished:
   * @signed_in: TRUE after a sign-in, FALSE when left with Back
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
linli_staff_page_init (LinliStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  linli_digit_pad_fill (self->pad, "staff");
}

LinliStaffPage *
linli_staff_page_new (LinliKiosk *kiosk)
{
  LinliStaffPage *self = g_object_new (LINLI_TYPE_STAFF_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  linli_staff_page_reset (self);
  return self;
}

void
linli_staff_page_reset (LinliStaffPage *self)
{
  gboolean configured;
  g_autofree char *announcement = NULL;

  g_return_if_fail (LINLI_IS_STAFF_PAGE (self));

  configured = linli_kiosk_get_staff_configured (self->kiosk);
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->leave_id, g_source_remove);
  set_busy (self, FALSE);
  wipe (self);
  show_step (self, STEP_STAFF_ID);
  gtk_widget_set_visible (GTK_WIDGET (self->prompt), configured);
  gtk_widget_set_visible (GTK_WIDGET (self->field), configured);
  gtk_widget_set_visible (GTK_WIDGET (self->pad), configured);
  gtk_label_set_label (self->message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  if (!configured)
    {
      gtk_label_set_label (self->message,
                           _ ("Staff sign-in is not set up on this kiosk: there is no staff "
                              "roster in its configuration. See the staff sign-in "
                              "documentation (docs/staff.md)."));
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  announcement = g_strjoin (
      _ ("; "), _ ("Staff sign-in"), configured ? gtk_label_get_text (self->prompt) : "",
      gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : "",
      NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
}
