/* linli-a11y-bar.c
 *
 * The bar under every screen. Each button's label says the current setting
 * in words ("Text size: larger"), because a toggle's pressed look is easy to
 * miss for a low-vision user and is not spoken by itself.
 */
#define G_LOG_DOMAIN "linli-a11y-bar"

#include "linli-a11y-bar.h"

#include <glib/gi18n.h>

#include "linli-page.h"

struct _LinliA11yBar
{
  GtkBox parent_instance;

  GtkButton *text_size;
  GtkButton *contrast;
  GtkButton *voice;
  GtkButton *volume;
  GtkButton *repeat;
  GtkButton *more_time;
  GtkButton *finish;
  GtkButton *language;

  LinliKiosk *kiosk;
};

G_DEFINE_FINAL_TYPE (LinliA11yBar, linli_a11y_bar, GTK_TYPE_BOX)

static void
set_pressed (GtkButton *button, gboolean pressed)
{
  if (pressed)
    gtk_widget_add_css_class (GTK_WIDGET (button), "on");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "on");
  gtk_accessible_update_state (
      GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
      pressed ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
}

/* Eight buttons share the width of the screen: a long label (in English,
 * at the largest size) wraps onto two lines instead of widening the bar. */
static void
wrap_labels (LinliA11yBar *self)
{
  for (GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (self)); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));
      if (GTK_IS_LABEL (label))
        {
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
        }
    }
}

static void
update (LinliA11yBar *self)
{
  const char *sizes[]
      = { N_ ("Text size: large"), N_ ("Text size: larger"), N_ ("Text size: largest") };
  LinliSession *session = linli_kiosk_get_session (self->kiosk);
  gboolean contrast = linli_kiosk_get_high_contrast (self->kiosk);
  gboolean voice = linli_kiosk_get_voice_enabled (self->kiosk);
  gboolean more_time = linli_session_get_more_time (session);
  g_autofree char *volume = NULL;

  gtk_button_set_label (self->text_size, _ (sizes[linli_kiosk_get_text_size (self->kiosk) - 1]));
  gtk_button_set_label (self->contrast,
                        contrast ? _ ("High contrast: on") : _ ("High contrast: off"));
  set_pressed (self->contrast, contrast);
  if (!linli_kiosk_get_voice_available (self->kiosk))
    {
      /* Said in words on the button itself: a resident who expected speech
       * sees why there is none. Touching it asks the device again. */
      gtk_button_set_label (self->voice, _ ("Voice: unavailable"));
      set_pressed (self->voice, FALSE);
    }
  else
    {
      gtk_button_set_label (self->voice, voice ? _ ("Voice: on") : _ ("Voice: off"));
      set_pressed (self->voice, voice);
    }
  /* The button also shows where the voice goes: with headphones plugged
   * in, personal details may be read out, and the resident should know. */
  if (linli_kiosk_get_headphones (self->kiosk))
    /* TRANSLATORS: the volume level in headphone mode, e.g. "Headphones 6/8" */
    volume = g_strdup_printf (_ ("Headphones %d/%d"), linli_kiosk_get_volume_step (self->kiosk) + 1,
                              LINLI_VOICE_VOLUME_STEPS);
  else
    /* TRANSLATORS: the volume level, e.g. "Volume 6/8" */
    volume = g_strdup_printf (_ ("Volume %d/%d"), linli_kiosk_get_volume_step (self->kiosk) + 1,
                              LINLI_VOICE_VOLUME_STEPS);
  gtk_button_set_label (self->volume, volume);
  /* Volume and repeat mean nothing without speech; greyed-out buttons
   * would be hard to read, so they go away instead. */
  gtk_widget_set_visible (GTK_WIDGET (self->volume),
                          voice && linli_kiosk_get_voice_available (self->kiosk));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat),
                          voice && linli_kiosk_get_voice_available (self->kiosk));
  wrap_labels (self);
  gtk_button_set_label (self->more_time, more_time ? _ ("More time: given") : _ ("More time"));
  set_pressed (self->more_time, more_time);
  /* The language button is written in the language it switches to. */
  gtk_button_set_label (
      self->language,
      g_str_has_prefix (linli_kiosk_get_language (self->kiosk), "en") ? "中文" : "English");
  /* Spoken in the current language's voice: the Mandarin voice reads
   * Latin letters as pinyin, so "English" would come out garbled. */
  linli_widget_set_speech (GTK_WIDGET (self->language),
                           g_str_has_prefix (linli_kiosk_get_language (self->kiosk), "en")
                               ? _ ("Switch to Chinese")
                               : _ ("Switch to English"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->language), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  g_str_has_prefix (linli_kiosk_get_language (self->kiosk), "en")
                                      ? "中文 (Chinese)"
                                      : "English (英语)",
                                  -1);
}

static void
linli_a11y_bar_dispose (GObject *object)
{
  LinliA11yBar *self = LINLI_A11Y_BAR (object);

  if (self->kiosk != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->kiosk, self);
      g_signal_handlers_disconnect_by_data (linli_kiosk_get_session (self->kiosk), self);
    }
  g_clear_object (&self->kiosk);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_A11Y_BAR);
  G_OBJECT_CLASS (linli_a11y_bar_parent_class)->dispose (object);
}

static void
linli_a11y_bar_class_init (LinliA11yBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_a11y_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-a11y-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, text_size);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, contrast);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, voice);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, volume);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, repeat);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, more_time);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, finish);
  gtk_widget_class_bind_template_child (widget_class, LinliA11yBar, language);
}

static void
linli_a11y_bar_init (LinliA11yBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LinliA11yBar *
linli_a11y_bar_new (LinliKiosk *kiosk)
{
  LinliA11yBar *self = g_object_new (LINLI_TYPE_A11Y_BAR, NULL);

  self->kiosk = g_object_ref (kiosk);
  g_signal_connect_swapped (kiosk, "notify", G_CALLBACK (update), self);
  g_signal_connect_swapped (linli_kiosk_get_session (kiosk), "notify::more-time",
                            G_CALLBACK (update), self);
  update (self);
  return self;
}

/* "More time" and "finish" mean nothing on the attract screen, where no
 * session runs; during one, "finish" is on every screen, never scrolled away. */
void
linli_a11y_bar_set_in_session (LinliA11yBar *self, gboolean in_session)
{
  g_return_if_fail (LINLI_IS_A11Y_BAR (self));
  gtk_widget_set_visible (GTK_WIDGET (self->more_time), in_session);
  gtk_widget_set_visible (GTK_WIDGET (self->finish), in_session);
}
