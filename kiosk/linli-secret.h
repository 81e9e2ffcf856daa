/* linli-secret.h: a reference-counted buffer for personal data that is
 * wiped with explicit_bzero() when its owner says so, and always when freed. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LINLI_TYPE_SECRET (linli_secret_get_type ())

typedef struct _LinliSecret LinliSecret;

GType linli_secret_get_type (void) G_GNUC_CONST;

LinliSecret *linli_secret_new (gconstpointer data, gsize size);
LinliSecret *linli_secret_new_string (const char *text);
LinliSecret *linli_secret_ref (LinliSecret *self);
void linli_secret_unref (LinliSecret *self);

gconstpointer linli_secret_get_data (LinliSecret *self, gsize *size);
const char *linli_secret_get_string (LinliSecret *self);
gsize linli_secret_get_size (LinliSecret *self);
void linli_secret_wipe (LinliSecret *self);
gboolean linli_secret_is_wiped (LinliSecret *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliSecret, linli_secret_unref)

G_END_DECLS
