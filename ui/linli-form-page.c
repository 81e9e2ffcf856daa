/* linli-form-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One field per screen, in large text, its label spoken: an elderly
 * resident beside the staff member can follow which question is being
 * answered. Numbers are typed on the screen's digit buttons or a keypad;
 * words need a keyboard (staff use one). What is typed goes to the form
 * (kept in the session) when Next is chosen, and is checked there by the
 * catalog's rules; a value that does not fit is said, naming the field.
 * The summary at the end is what the resident confirms, with ID numbers
 * masked.
 */
#define G_LOG_DOMAIN "linli-form-page"

#include "linli-form-page.h"

#include <glib/gi18n.h>

struct _LinliFormPage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkLabel *progress;
  GtkBox *field_box;
  GtkLabel *label;
  GtkLabel *help_text;
  GtkEntry *entry;
  GtkScrolledWindow *text_scroll;
  GtkTextView *text_view;
  GtkGrid *choices;
  GtkLabel *message;
  GtkGrid *pad;
  GtkBox *summary_box;
  GtkGrid *summary;
  GtkLabel *summary_note;
  GtkButton *previous;
  GtkButton *next;
  GtkButton *cancel;

  LinliKiosk *kiosk;
  LinliForm *form;
  guint index;
  gboolean in_summary;
  LinliFormField field;
};

G_DEFINE_FINAL_TYPE (LinliFormPage, linli_form_page, LINLI_TYPE_PAGE)

enum
{
  SIGNAL_FIELDS_DONE,
  SIGNAL_CONFIRMED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
say (LinliFormPage *self, const char *text, LinliVoicePriority priority)
{
  linli_page_set_announcement (LINLI_PAGE (self), text);
  linli_kiosk_speak (self->kiosk, text, priority);
}

static void
show_message (LinliFormPage *self, const char *text)
{
  gtk_label_set_label (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
  if (text != NULL)
    linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_ALERT);
}

static void
empty_inputs (LinliFormPage *self)
{
  GtkWidget *child;

  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choices))) != NULL)
    gtk_grid_remove (self->choices, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary))) != NULL)
    gtk_grid_remove (self->summary, child);
}

/* A date typed as eight digits gets its dashes. */
static char *
normalize (LinliFormInput input, const char *text)
{
  gsize length = strlen (text);
  gboolean digits = length == 8;

  for (gsize i = 0; digits && i < length; i++)
    digits = g_ascii_isdigit (text[i]);
  if (input == LINLI_FORM_INPUT_DATE && digits)
    return g_strdup_printf ("%.4s-%.2s-%.2s", text, text + 4, text + 6);
  return g_strdup (text);
}

/* What the screen holds for the current field, into the form. */
static void
store (LinliFormPage *self)
{
  g_autofree char *text = NULL;

  if (self->form == NULL || self->in_summary)
    return;
  switch (self->field.input)
    {
    case LINLI_FORM_INPUT_CHOICE:
    case LINLI_FORM_INPUT_BOOLEAN:
      /* Stored when a choice is toggled. */
      return;
    case LINLI_FORM_INPUT_MULTILINE:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        break;
      }
    default:
      text = normalize (self->field.input, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
      break;
    }
  linli_form_set_text (self->form, self->index, text);
  explicit_bzero (text, strlen (text));
}

static void
on_choice_toggled (GtkToggleButton *button, LinliFormPage *self)
{
  const char *value = g_object_get_data (G_OBJECT (button), "value");

  g_autofree char *said = NULL;

  if (!gtk_toggle_button_get_active (button) || self->form == NULL)
    return;
  linli_form_set_text (self->form, self->index, value);
  linli_kiosk_user_activity (self->kiosk);
  /* TRANSLATORS: said when an answer of a form is chosen; %s is the answer */
  said = g_strdup_printf (_ ("Chosen: %s"), gtk_button_get_label (GTK_BUTTON (button)));
  linli_kiosk_speak (self->kiosk, said, LINLI_VOICE_PRIORITY_FOCUS);
}

static void
add_choices (LinliFormPage *self, const char *current)
{
  GtkToggleButton *first = NULL;

  for (guint i = 0; self->field.choice_values != NULL && self->field.choice_values[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (self->field.choice_labels[i]);

      g_object_set_data_full (G_OBJECT (button), "value", g_strdup (self->field.choice_values[i]),
                              g_free);
      gtk_widget_add_css_class (button, "big");
      gtk_widget_add_css_class (button, "choice");
      if (first != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      else
        first = GTK_TOGGLE_BUTTON (button);
      if (g_strcmp0 (current, self->field.choice_values[i]) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      g_signal_connect (button, "toggled", G_CALLBACK (on_choice_toggled), self);
      /* Two columns: four answers and the buttons below still fit. */
      gtk_grid_attach (self->choices, button, (int) (i % 2), (int) (i / 2), 1, 1);
    }
}

/* The pad works at the end of the text, as a phone's keypad does: what
 * was typed stays in view and in order whatever the cursor did. */
static void
on_pad_clicked (GtkButton *button, LinliFormPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkEditable *editable = GTK_EDITABLE (self->entry);
  g_autofree char *text = g_strdup (gtk_editable_get_text (editable));
  g_autofree char *changed = NULL;
  glong length = g_utf8_strlen (text, -1);
  int max = gtk_entry_get_max_length (self->entry);

  linli_kiosk_user_activity (self->kiosk);
  if (key == NULL)
    {
      if (length == 0)
        return;
      *g_utf8_offset_to_pointer (text, length - 1) = '\0';
      changed = g_strdup (text);
    }
  else if (max > 0 && length >= max)
    return;
  else
    changed = g_strconcat (text, key, NULL);
  gtk_editable_set_text (editable, changed);
  gtk_editable_set_position (editable, -1);
  explicit_bzero (text, strlen (text));
  explicit_bzero (changed, strlen (changed));
}

static GtkWidget *
pad_button (LinliFormPage *self, const char *label, const char *key, const char *accessible)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "digit");
  /* The entry keeps the focus: the pad is for fingers. */
  gtk_widget_set_focus_on_click (button, FALSE);
  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (key), g_free);
  if (accessible != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    accessible, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_pad_clicked), self);
  return button;
}

/* Digits 1–9 and 0, the one other key this input needs (X of an ID
 * number, the point of an amount, the dash of a date), and delete. */
static void
fill_pad (LinliFormPage *self)
{
  GtkWidget *child;
  const char *extra = NULL;
  const char *extra_name = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pad))) != NULL)
    gtk_grid_remove (self->pad, child);
  switch (self->field.input)
    {
    case LINLI_FORM_INPUT_DIGITS:
      extra = "X";
      extra_name = _ ("Letter X");
      break;
    case LINLI_FORM_INPUT_AMOUNT:
      extra = ".";
      extra_name = _ ("Decimal point");
      break;
    case LINLI_FORM_INPUT_DATE:
      extra = "-";
      extra_name = _ ("Dash");
      break;
    default:
      break;
    }
  for (int digit = 1; digit <= 9; digit++)
    {
      char key[2] = { (char) ('0' + digit), '\0' };

      gtk_grid_attach (self->pad, pad_button (self, key, key, NULL), (digit - 1) % 3,
                       (digit - 1) / 3, 1, 1);
    }
  if (extra != NULL)
    gtk_grid_attach (self->pad, pad_button (self, extra, extra, extra_name), 0, 3, 1, 1);
  gtk_grid_attach (self->pad, pad_button (self, "0", "0", NULL), 1, 3, 1, 1);
  gtk_grid_attach (self->pad,
                   pad_button (self, _ ("Delete"), NULL, _ ("Delete the last character")), 2, 3, 1,
                   1);
}

static void
set_buttons (LinliFormPage *self)
{
  gtk_button_set_label (self->previous, self->in_summary   ? _ ("Change")
                                        : self->index == 0 ? _ ("Back")
                                                           : _ ("Previous"));
  gtk_button_set_label (self->next, self->in_summary ? _ ("Confirm and submit") : _ ("Next"));
}

void
linli_form_page_show_field (LinliFormPage *self, LinliForm *form, const char *title, guint index)
{
  const char *language;
  const char *current;
  g_autofree char *progress = NULL;
  g_autofree char *announcement = NULL;
  gboolean typed;

  g_return_if_fail (LINLI_IS_FORM_PAGE (self));
  g_return_if_fail (LINLI_IS_FORM (form));

  g_set_object (&self->form, form);
  empty_inputs (self);
  linli_form_field_clear (&self->field);
  self->in_summary = FALSE;
  self->index = index;
  language = linli_kiosk_get_language (self->kiosk);
  gtk_label_set_label (self->title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->field_box), TRUE);
  show_message (self, NULL);
  if (!linli_form_get_field (form, index, language, &self->field))
    return;

  progress = g_strdup_printf (self->field.required ? _ ("Question %u of %u (required)")
                                                   : _ ("Question %u of %u (may be left empty)"),
                              index + 1, linli_form_get_n_fields (form));
  gtk_label_set_label (self->progress, progress);
  gtk_label_set_label (self->label, self->field.label);
  gtk_label_set_label (self->help_text, self->field.help != NULL ? self->field.help : "");
  gtk_widget_set_visible (GTK_WIDGET (self->help_text), self->field.help != NULL);

  current = linli_form_get_text (form, index);
  typed = self->field.input != LINLI_FORM_INPUT_CHOICE
          && self->field.input != LINLI_FORM_INPUT_BOOLEAN
          && self->field.input != LINLI_FORM_INPUT_MULTILINE;
  gtk_widget_set_visible (GTK_WIDGET (self->entry), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->pad), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->text_scroll),
                          self->field.input == LINLI_FORM_INPUT_MULTILINE);
  gtk_widget_set_visible (GTK_WIDGET (self->choices),
                          !typed && self->field.input != LINLI_FORM_INPUT_MULTILINE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->field.label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->field.label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choices), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->field.label, -1);
  if (typed)
    {
      gtk_entry_set_max_length (self->entry, MAX (self->field.max_length, 0));
      gtk_editable_set_text (GTK_EDITABLE (self->entry), current);
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
      fill_pad (self);
    }
  else if (self->field.input == LINLI_FORM_INPUT_MULTILINE)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), current, -1);
  else
    add_choices (self, current);
  set_buttons (self);

  announcement = g_strjoin (_ ("; "), progress, self->field.spoken, NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
  /* Shown by the window (which says the announcement), or a step within
   * the page (said here). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      say (self, announcement, LINLI_VOICE_PRIORITY_SCREEN);
      if (typed)
        gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      else if (self->field.input == LINLI_FORM_INPUT_MULTILINE)
        gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      else
        gtk_widget_child_focus (GTK_WIDGET (self->choices), GTK_DIR_TAB_FORWARD);
    }
}

void
linli_form_page_show_summary (LinliFormPage *self, LinliForm *form, const char *title)
{
  g_auto (GStrv) labels = NULL;
  g_auto (GStrv) values = NULL;
  g_autoptr (GString) spoken = g_string_new (NULL);
  guint n;

  g_return_if_fail (LINLI_IS_FORM_PAGE (self));
  g_return_if_fail (LINLI_IS_FORM (form));

  g_set_object (&self->form, form);
  empty_inputs (self);
  linli_form_field_clear (&self->field);
  self->in_summary = TRUE;
  gtk_label_set_label (self->title, title);
  gtk_label_set_label (self->progress, _ ("Please check the application"));
  gtk_widget_set_visible (GTK_WIDGET (self->field_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_box), TRUE);
  show_message (self, NULL);
  n = linli_form_get_summary (form, linli_kiosk_get_language (self->kiosk), &labels, &values);
  g_string_append (spoken, _ ("Please check the application"));
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *name = gtk_label_new (labels[i]);
      GtkWidget *value = gtk_label_new (values[i]);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (value), 20);
      gtk_widget_add_css_class (value, "result-value");
      gtk_grid_attach (self->summary, name, 0, (int) i, 1, 1);
      gtk_grid_attach (self->summary, value, 1, (int) i, 1, 1);
      g_string_append_printf (spoken, _ ("; %s: %s"), labels[i], values[i]);
    }
  g_string_append_printf (spoken, _ ("; %s"), gtk_label_get_text (self->summary_note));
  set_buttons (self);
  linli_page_set_announcement (LINLI_PAGE (self), spoken->str);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      say (self, spoken->str, LINLI_VOICE_PRIORITY_SCREEN);
      gtk_widget_grab_focus (GTK_WIDGET (self->next));
    }
  /* The spoken summary held the values: not left in memory. */
  explicit_bzero (spoken->str, spoken->len);
}

static void
on_next_clicked (LinliFormPage *self)
{
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;

  if (self->form == NULL)
    return;
  linli_kiosk_user_activity (self->kiosk);
  if (self->in_summary)
    {
      linli_form_confirm (self->form);
      g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0);
      return;
    }
  store (self);
  if (self->index < linli_form_get_n_fields (self->form)
      && !linli_form_check_field (self->form, self->index, linli_kiosk_get_language (self->kiosk),
                                  &message))
    {
      show_message (self, message);
      return;
    }
  if (self->index + 1 < linli_form_get_n_fields (self->form))
    {
      title = g_strdup (gtk_label_get_text (self->title));
      linli_form_page_show_field (self, self->form, title, self->index + 1);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_FIELDS_DONE], 0);
}

void
linli_form_page_back (LinliFormPage *self)
{
  g_autofree char *title = NULL;
  guint n_fields;

  g_return_if_fail (LINLI_IS_FORM_PAGE (self));
  if (self->form == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
      return;
    }
  n_fields = linli_form_get_n_fields (self->form);
  title = g_strdup (gtk_label_get_text (self->title));
  if (self->in_summary && n_fields > 0)
    /* Change: from the first question, each kept as it was. */
    linli_form_page_show_field (self, self->form, title, 0);
  else if (!self->in_summary && self->index > 0)
    {
      store (self);
      linli_form_page_show_field (self, self->form, title, self->index - 1);
    }
  else
    g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_previous_clicked (LinliFormPage *self)
{
  linli_kiosk_user_activity (self->kiosk);
  linli_form_page_back (self);
}

static void
on_cancel_clicked (LinliFormPage *self)
{
  linli_kiosk_user_activity (self->kiosk);
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

void
linli_form_page_clear (LinliFormPage *self)
{
  g_return_if_fail (LINLI_IS_FORM_PAGE (self));
  empty_inputs (self);
  linli_form_field_clear (&self->field);
  g_clear_object (&self->form);
  self->in_summary = FALSE;
  self->index = 0;
}

static void
linli_form_page_dispose (GObject *object)
{
  LinliFormPage *self = LINLI_FORM_PAGE (object);

  linli_form_field_clear (&self->field);
  g_clear_object (&self->form);
  g_clear_object (&self->kiosk);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_FORM_PAGE);
  G_OBJECT_CLASS (linli_form_page_parent_class)->dispose (object);
}

static void
linli_form_page_class_init (LinliFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = linli_form_page_dispose;

  signals[SIGNAL_FIELDS_DONE]
      = g_signal_new ("fields-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CONFIRMED] = g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, title);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, progress);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, field_box);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, label);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, help_text);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, entry);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, text_scroll);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, choices);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, message);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, pad);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, summary_box);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, summary);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, summary_note);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, previous);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, next);
  gtk_widget_class_bind_template_child (widget_class, LinliFormPage, cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
linli_form_page_init (LinliFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliFormPage *
linli_form_page_new (LinliKiosk *kiosk)
{
  LinliFormPage *self = g_object_new (LINLI_TYPE_FORM_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  return self;
}
