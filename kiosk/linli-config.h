/* linli-config.h: the kiosk's configuration (/etc/linli/kiosk.conf). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LINLI_CONFIG_ERROR (linli_config_error_quark ())

typedef enum
{
  LINLI_CONFIG_ERROR_READ,
  LINLI_CONFIG_ERROR_SYNTAX,
} LinliConfigError;

GQuark linli_config_error_quark (void);

#define LINLI_TYPE_CONFIG (linli_config_get_type ())
G_DECLARE_FINAL_TYPE (LinliConfig, linli_config, LINLI, CONFIG, GObject)

LinliConfig *linli_config_new (void);
gboolean linli_config_load_file (LinliConfig *self, const char *path, GError **error);
gboolean linli_config_load_data (
    LinliConfig *self, const char *data, gssize length, const char *source, GError **error);

const char *linli_config_get_source (LinliConfig *self);
GPtrArray *linli_config_get_problems (LinliConfig *self);

const char *linli_config_get_string (LinliConfig *self, const char *group, const char *key);
int linli_config_get_int (LinliConfig *self, const char *group, const char *key);
gboolean linli_config_get_boolean (LinliConfig *self, const char *group, const char *key);

char *linli_config_dump (LinliConfig *self);

/* Free-form groups ([staff]: staff number = PIN hash): read by key. */
GStrv linli_config_dup_keys (LinliConfig *self, const char *group);
char *linli_config_dup_value (LinliConfig *self, const char *group, const char *key);

G_END_DECLS
