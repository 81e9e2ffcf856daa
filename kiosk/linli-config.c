/* linli-config.c
 *
 * Every key the kiosk reads is declared once in key_specs[] with its type,
 * default and limits. A bad value never stops the kiosk: it is reported as a
 * "problem" naming the key, and the default is used instead. Maintainers see
 * the problems on stderr, in the journal and with `linli-diag config`.
 */
#define G_LOG_DOMAIN "linli-config"

#include "linli-config.h"

#include <stdlib.h>

#include "linli-usb-inventory.h"

G_DEFINE_QUARK (linli_config_error_quark, linli_config_error)

typedef enum
{
  KEY_STRING,
  KEY_BOOLEAN,
  KEY_INT,
  KEY_CHOICE,
  KEY_USB_IDS, /* "VVVV:PPPP[;VVVV:PPPP…]", see linli_usb_inventory_parse_ids() */
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType type;
  const char *fallback;
  int min;
  int max;
  const char *const *choices;
} KeySpec;

static const char *const languages[] = { "zh_CN", "en", NULL };
static const char *const headphone_modes[] = { "auto", "always", "never", NULL };
static const char *const printer_formats[] = { "pdf", "escpos", NULL };

/* Keep packaging/kiosk.conf.example in step: a unit test compares them. */
static const KeySpec key_specs[] = {
  { "kiosk", "id", KEY_STRING, "LL-DEMO-0001" },
  { "kiosk", "county-name", KEY_STRING, "示范县" },
  { "kiosk", "centre-name", KEY_STRING, "示范社区党群服务中心" },
  { "kiosk", "staff-desk", KEY_STRING, "" },
  { "kiosk", "language", KEY_CHOICE, "zh_CN", 0, 0, languages },
  /* Receipts kept by application or order number for a reprint
   * (docs/receipts.md); empty: none kept. */
  { "kiosk", "receipt-index", KEY_STRING, "/var/lib/linli/receipts.sqlite" },
  { "kiosk", "receipt-days", KEY_INT, "30", 1, 365 },
  { "display", "fullscreen", KEY_BOOLEAN, "true" },
  { "display", "hide-pointer", KEY_BOOLEAN, "false" },
  { "display", "text-size", KEY_INT, "1", 1, 3 },
  { "display", "high-contrast", KEY_BOOLEAN, "false" },
  { "session", "inactivity-timeout", KEY_INT, "90", 5, 3600 },
  { "session", "warning-countdown", KEY_INT, "30", 20, 600 },
  { "session", "more-time-factor", KEY_INT, "2", 1, 5 },
  { "voice", "enabled", KEY_BOOLEAN, "true" },
  { "voice", "rate", KEY_INT, "150", 80, 300 },
  { "voice", "volume", KEY_INT, "5", 0, 7 },
  { "voice", "sink", KEY_STRING, "" },
  { "voice", "headphones", KEY_CHOICE, "auto", 0, 0, headphone_modes },
  { "voice", "headphone-sink", KEY_STRING, "" },
  { "devices", "pcsc-reader", KEY_STRING, "" },
  { "devices", "id-reader-serial", KEY_STRING, "" },
  { "devices", "id-reader-usb", KEY_STRING, "" },
  { "devices", "id-reader-poll-ms", KEY_INT, "150", 50, 5000 },
  { "devices", "printer", KEY_STRING, "" },
  { "devices", "printer-format", KEY_CHOICE, "pdf", 0, 0, printer_formats },
  { "devices", "camera-source", KEY_STRING, "v4l2src device=/dev/video0" },
  { "platform", "url", KEY_STRING, "" },
  { "platform", "ca", KEY_STRING, "/etc/linli/platform-ca.pem" },
  { "platform", "cert", KEY_STRING, "/etc/linli/kiosk.pem" },
  { "platform", "key", KEY_STRING, "/etc/linli/kiosk.key" },
  { "platform", "outbox", KEY_STRING, "/var/lib/linli/outbox.sqlite" },
  { "platform", "cache-dir", KEY_STRING, "/var/lib/linli/cache" },
  /* The USB inventory (docs/usb-inventory.md): vendor:product ids per role. */
  { "usb", "id-reader", KEY_USB_IDS, "" },
  { "usb", "printer", KEY_USB_IDS, "" },
  { "usb", "camera", KEY_USB_IDS, "" },
  { "usb", "keypad", KEY_USB_IDS, "" },
  { "usb", "poll-interval", KEY_INT, "5", 1, 3600 },
  { "platform", "heartbeat-interval", KEY_INT, "60", 0, 86400 },
  { "maintenance", "pin-hash", KEY_STRING, "" },
  { "maintenance", "audit-db", KEY_STRING, "/var/lib/linli/audit.db" },
  { "maintenance", "idle-timeout", KEY_INT, "300", 2, 86400 },
  { "maintenance", "pin-timeout", KEY_INT, "60", 2, 3600 },
};

struct _LinliConfig
{
  GObject parent_instance;

  GKeyFile *values;
  GHashTable *strings; /* "group/key" → value, so get_string can lend it */
  GPtrArray *problems;
  char *source;
};

G_DEFINE_FINAL_TYPE (LinliConfig, linli_config, G_TYPE_OBJECT)

/* Groups whose keys are data, not settings: the staff roster's keys are
 * staff numbers. Kept as written; their reader checks them. */
static const char *const free_groups[] = { "staff", NULL };

static const KeySpec *
find_spec (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (key_specs); i++)
    if (g_str_equal (key_specs[i].group, group) && g_str_equal (key_specs[i].key, key))
      return &key_specs[i];
  return NULL;
}

static gboolean
group_is_known (const char *group)
{
  if (g_strv_contains (free_groups, group))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (key_specs); i++)
    if (g_str_equal (key_specs[i].group, group))
      return TRUE;
  return FALSE;
}

static void
reset_to_defaults (LinliConfig *self)
{
  g_clear_pointer (&self->values, g_key_file_unref);
  self->values = g_key_file_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (key_specs); i++)
    g_key_file_set_value (self->values, key_specs[i].group, key_specs[i].key,
                          key_specs[i].fallback);
  g_ptr_array_set_size (self->problems, 0);
  g_hash_table_remove_all (self->strings);
}

static void
linli_config_finalize (GObject *object)
{
  LinliConfig *self = LINLI_CONFIG (object);

  g_clear_pointer (&self->values, g_key_file_unref);
  g_clear_pointer (&self->strings, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->source, g_free);

  G_OBJECT_CLASS (linli_config_parent_class)->finalize (object);
}

static void
linli_config_class_init (LinliConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_config_finalize;
}

static void
linli_config_init (LinliConfig *self)
{
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->source = g_strdup ("built-in defaults");
  reset_to_defaults (self);
}

/* Returns: (transfer full): a configuration holding the built-in defaults */
LinliConfig *
linli_config_new (void)
{
  return g_object_new (LINLI_TYPE_CONFIG, NULL);
}

static void G_GNUC_PRINTF (4, 5)
    add_problem (LinliConfig *self, const char *group, const char *key, const char *format, ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  if (key != NULL)
    g_ptr_array_add (self->problems,
                     g_strdup_printf ("%s: [%s] %s: %s", self->source, group, key, why));
  else
    g_ptr_array_add (self->problems, g_strdup_printf ("%s: [%s]: %s", self->source, group, why));
}

/* Checks one value against its spec; returns the value to keep, or NULL to
 * fall back to the default. */
static char *
validate (LinliConfig *self, const KeySpec *spec, GKeyFile *file)
{
  g_autoptr (GError) error = NULL;

  switch (spec->type)
    {
    case KEY_STRING:
      {
        g_autofree char *value = g_key_file_get_string (file, spec->group, spec->key, &error);
        if (value == NULL)
          {
            add_problem (self, spec->group, spec->key, "%s; using \"%s\"", error->message,
                         spec->fallback);
            return NULL;
          }
        return g_strstrip (g_steal_pointer (&value));
      }

    case KEY_BOOLEAN:
      {
        gboolean value = g_key_file_get_boolean (file, spec->group, spec->key, &error);
        if (error != NULL)
          {
            add_problem (self, spec->group, spec->key, "must be true or false; using %s",
                         spec->fallback);
            return NULL;
          }
        return g_strdup (value ? "true" : "false");
      }

    case KEY_INT:
      {
        g_autofree char *raw = g_key_file_get_value (file, spec->group, spec->key, NULL);
        gint64 value = 0;

        if (raw == NULL
            || !g_ascii_string_to_signed (g_strstrip (raw), 10, spec->min, spec->max, &value, NULL))
          {
            add_problem (self, spec->group, spec->key,
                         "\"%s\" is not a whole number from %d to %d; using %s", raw ? raw : "",
                         spec->min, spec->max, spec->fallback);
            return NULL;
          }
        return g_strdup_printf ("%" G_GINT64_FORMAT, value);
      }

    case KEY_CHOICE:
      {
        g_autofree char *value = g_key_file_get_string (file, spec->group, spec->key, NULL);

        if (value != NULL && g_strv_contains (spec->choices, g_strstrip (value)))
          return g_steal_pointer (&value);

        g_autofree char *allowed = g_strjoinv (", ", (char **) spec->choices);
        add_problem (self, spec->group, spec->key, "\"%s\" is not one of %s; using %s",
                     value ? value : "", allowed, spec->fallback);
        return NULL;
      }

    case KEY_USB_IDS:
      {
        g_autofree char *value = g_key_file_get_value (file, spec->group, spec->key, NULL);

        if (value != NULL && linli_usb_inventory_parse_ids (g_strstrip (value), NULL, &error))
          return g_steal_pointer (&value);
        add_problem (self, spec->group, spec->key, "%s; using \"%s\"",
                     error != NULL ? error->message : "no value", spec->fallback);
        return NULL;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
apply_key_file (LinliConfig *self, GKeyFile *file)
{
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);

  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) keys = NULL;

      if (!group_is_known (groups[g]))
        {
          add_problem (self, groups[g], NULL, "unknown group, ignored");
          continue;
        }

      keys = g_key_file_get_keys (file, groups[g], NULL, NULL);
      if (g_strv_contains (free_groups, groups[g]))
        {
          for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
            {
              g_autofree char *raw = g_key_file_get_value (file, groups[g], keys[k], NULL);
              g_key_file_set_value (self->values, groups[g], keys[k], raw != NULL ? raw : "");
            }
          continue;
        }
      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          const KeySpec *spec = find_spec (groups[g], keys[k]);
          g_autofree char *value = NULL;

          if (spec == NULL)
            {
              add_problem (self, groups[g], keys[k], "unknown key, ignored");
              continue;
            }
          value = validate (self, spec, file);
          if (value != NULL)
            g_key_file_set_value (self->values, spec->group, spec->key, value);
        }
    }
}

/**
 * linli_config_load_data:
 * @source: a name for the data in problem reports (usually the file path)
 *
 * Replaces the configuration with the defaults overlaid with @data. Values
 * that fail validation are reported in linli_config_get_problems() and keep
 * their default.
 *
 * Returns: %FALSE if @data is not a key file at all (the defaults then apply)
 */
gboolean
linli_config_load_data (
    LinliConfig *self, const char *data, gssize length, const char *source, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (LINLI_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  g_free (self->source);
  self->source = g_strdup (source != NULL ? source : "configuration");
  reset_to_defaults (self);

  if (!g_key_file_load_from_data (file, data, length < 0 ? (gsize) -1 : (gsize) length,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_SYNTAX, "%s: %s", self->source,
                   local_error->message);
      return FALSE;
    }

  apply_key_file (self, file);
  return TRUE;
}

gboolean
linli_config_load_file (LinliConfig *self, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (LINLI_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_free (self->source);
      self->source = g_strdup (path);
      reset_to_defaults (self);
      g_set_error (error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_READ, "%s", local_error->message);
      return FALSE;
    }

  return linli_config_load_data (self, contents, (gssize) length, path, error);
}

/* Where the values came from: a path, or "built-in defaults". */
const char *
linli_config_get_source (LinliConfig *self)
{
  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  return self->source;
}

/**
 * linli_config_get_problems:
 *
 * Returns: (transfer none) (element-type utf8): one line per bad or unknown key
 */
GPtrArray *
linli_config_get_problems (LinliConfig *self)
{
  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  return self->problems;
}

static const KeySpec *
lookup (const char *group, const char *key, KeyType type)
{
  const KeySpec *spec = find_spec (group, key);

  /* Asking for an undeclared key is a programming error, not a runtime fault. */
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (
      spec->type == type
          || (type == KEY_STRING && (spec->type == KEY_CHOICE || spec->type == KEY_USB_IDS)),
      NULL);
  return spec;
}

/* Returns: (transfer none): the value, valid until the next load */
const char *
linli_config_get_string (LinliConfig *self, const char *group, const char *key)
{
  g_autofree char *id = NULL;
  char *value;

  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  if (lookup (group, key, KEY_STRING) == NULL)
    return NULL;

  /* GKeyFile has no borrowed accessor: keep each value the first time it is
   * asked for, owned by the configuration. */
  id = g_strconcat (group, "/", key, NULL);
  value = g_hash_table_lookup (self->strings, id);
  if (value == NULL)
    {
      value = g_key_file_get_string (self->values, group, key, NULL);
      g_hash_table_insert (self->strings, g_steal_pointer (&id), value);
    }
  return value;
}

int
linli_config_get_int (LinliConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (LINLI_IS_CONFIG (self), 0);
  if (lookup (group, key, KEY_INT) == NULL)
    return 0;
  return g_key_file_get_integer (self->values, group, key, NULL);
}

gboolean
linli_config_get_boolean (LinliConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (LINLI_IS_CONFIG (self), FALSE);
  if (lookup (group, key, KEY_BOOLEAN) == NULL)
    return FALSE;
  return g_key_file_get_boolean (self->values, group, key, NULL);
}

/**
 * linli_config_dup_keys:
 * @group: a free-form group ("staff")
 *
 * Returns: (transfer full): the group's keys in file order; empty when the
 *   file has no such group
 */
GStrv
linli_config_dup_keys (LinliConfig *self, const char *group)
{
  char **keys;

  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  g_return_val_if_fail (g_strv_contains (free_groups, group), NULL);
  keys = g_key_file_get_keys (self->values, group, NULL, NULL);
  return keys != NULL ? keys : g_new0 (char *, 1);
}

/* Returns: (transfer full) (nullable): a free-form group's value, as
 * written (surrounding blanks removed) */
char *
linli_config_dup_value (LinliConfig *self, const char *group, const char *key)
{
  char *value;

  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  g_return_val_if_fail (g_strv_contains (free_groups, group), NULL);
  value = g_key_file_get_value (self->values, group, key, NULL);
  return value != NULL ? g_strstrip (value) : NULL;
}

/* Returns: (transfer full): the effective configuration as key-file text */
char *
linli_config_dump (LinliConfig *self)
{
  g_return_val_if_fail (LINLI_IS_CONFIG (self), NULL);
  return g_key_file_to_data (self->values, NULL, NULL);
}
