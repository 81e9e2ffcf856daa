/* linli-page.c
 *
 * Every screen is a LinliPage. Its template declares, next to what is shown,
 * what is spoken: "announcement" is read when the screen appears (its title
 * and what to do), "help" when the resident presses the help key. Screens
 * with changing content set them from code.
 *
 * What a control says when it takes the keypad focus is its visible text,
 * so speech and screen cannot drift apart; linli_widget_set_speech()
 * overrides it where the visible text alone would not be understood (GTK
 * 4.8 cannot read an accessible label back, hence object data).
 */
#define G_LOG_DOMAIN "linli-page"

#include "linli-page.h"

#include <glib/gi18n.h>

typedef struct
{
  char *announcement;
  char *help;
} LinliPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (LinliPage, linli_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_ANNOUNCEMENT,
  PROP_HELP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SPEECH_KEY "linli-speech"

static void
linli_page_finalize (GObject *object)
{
  LinliPagePrivate *priv = linli_page_get_instance_private (LINLI_PAGE (object));

  g_free (priv->announcement);
  g_free (priv->help);
  G_OBJECT_CLASS (linli_page_parent_class)->finalize (object);
}

static void
linli_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPagePrivate *priv = linli_page_get_instance_private (LINLI_PAGE (object));

  switch (prop_id)
    {
    case PROP_ANNOUNCEMENT:
      g_value_set_string (value, priv->announcement);
      break;
    case PROP_HELP:
      g_value_set_string (value, priv->help);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliPage *self = LINLI_PAGE (object);

  switch (prop_id)
    {
    case PROP_ANNOUNCEMENT:
      linli_page_set_announcement (self, g_value_get_string (value));
      break;
    case PROP_HELP:
      linli_page_set_help (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_page_class_init (LinliPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = linli_page_finalize;
  object_class->get_property = linli_page_get_property;
  object_class->set_property = linli_page_set_property;

  /* Read when the screen appears: its title, then what to do. */
  properties[PROP_ANNOUNCEMENT]
      = g_param_spec_string ("announcement", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Read on the help key: how this screen works. */
  properties[PROP_HELP]
      = g_param_spec_string ("help", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_page_init (LinliPage *self)
{
}

const char *
linli_page_get_announcement (LinliPage *self)
{
  LinliPagePrivate *priv;

  g_return_val_if_fail (LINLI_IS_PAGE (self), NULL);
  priv = linli_page_get_instance_private (self);
  return priv->announcement;
}

void
linli_page_set_announcement (LinliPage *self, const char *announcement)
{
  LinliPagePrivate *priv;

  g_return_if_fail (LINLI_IS_PAGE (self));
  priv = linli_page_get_instance_private (self);
  if (g_strcmp0 (priv->announcement, announcement) == 0)
    return;
  g_free (priv->announcement);
  priv->announcement = g_strdup (announcement);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOUNCEMENT]);
}

const char *
linli_page_get_help (LinliPage *self)
{
  LinliPagePrivate *priv;

  g_return_val_if_fail (LINLI_IS_PAGE (self), NULL);
  priv = linli_page_get_instance_private (self);
  return priv->help;
}

void
linli_page_set_help (LinliPage *self, const char *help)
{
  LinliPagePrivate *priv;

  g_return_if_fail (LINLI_IS_PAGE (self));
  priv = linli_page_get_instance_private (self);
  if (g_strcmp0 (priv->help, help) == 0)
    return;
  g_free (priv->help);
  priv->help = g_strdup (help);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELP]);
}

static void
collect_labels (GtkWidget *widget, GString *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *label = gtk_label_get_text (GTK_LABEL (widget));
      if (label != NULL && *label != '\0')
        {
          if (text->len > 0)
            g_string_append (text, _ ("; "));
          g_string_append (text, label);
        }
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

/**
 * linli_widget_get_speech:
 *
 * Returns: (transfer full) (nullable): what @widget says when it takes the
 * focus: its speech override, else its visible text, followed by what kind
 * of control it is.
 */
char *
linli_widget_get_speech (GtkWidget *widget)
{
  const char *speech;
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  speech = g_object_get_data (G_OBJECT (widget), SPEECH_KEY);
  if (speech != NULL)
    g_string_append (text, speech);
  else
    collect_labels (widget, text);
  if (text->len == 0)
    return NULL;
  /* The role tells a listener that Enter does something here. */
  if (GTK_IS_BUTTON (widget))
    g_string_append_printf (text, _ ("; button"));
  /* A form's answer: which one is chosen is heard, not only seen. */
  if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget)))
    g_string_append_printf (text, _ ("; chosen"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Sets what @widget says when focused, instead of its visible text. The
 * accessible name stays as it is: it serves screen readers, which have
 * their own voices. */
void
linli_widget_set_speech (GtkWidget *widget, const char *speech)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_object_set_data_full (G_OBJECT (widget), SPEECH_KEY, g_strdup (speech), g_free);
}
