/* linli-secret.c
 *
 * Personal data (names, ID numbers, photos, form values) lives only in
 * LinliSecret buffers owned by the session. Ending the session wipes every
 * buffer in place, even one that another object still references, so that a
 * forgotten reference can never keep a resident's data readable.
 */
#define G_LOG_DOMAIN "linli-secret"

#include "linli-secret.h"

#include <string.h>

struct _LinliSecret
{
  gsize size;
  gboolean wiped;
  /* One extra byte so that text is always NUL-terminated. */
  guint8 *data;
};

G_DEFINE_BOXED_TYPE (LinliSecret, linli_secret, linli_secret_ref, linli_secret_unref)

/**
 * linli_secret_new:
 * @data: (array length=size): bytes to copy
 * @size: number of bytes
 *
 * Returns: (transfer full): a new secret holding a copy of @data
 */
LinliSecret *
linli_secret_new (gconstpointer data, gsize size)
{
  LinliSecret *self = g_atomic_rc_box_new0 (LinliSecret);

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  self->size = size;
  self->data = g_malloc (size + 1);
  if (size > 0)
    memcpy (self->data, data, size);
  self->data[size] = '\0';
  return self;
}

LinliSecret *
linli_secret_new_string (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return linli_secret_new (text, strlen (text));
}

LinliSecret *
linli_secret_ref (LinliSecret *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
linli_secret_clear (gpointer data)
{
  LinliSecret *self = data;

  explicit_bzero (self->data, self->size + 1);
  g_free (self->data);
}

void
linli_secret_unref (LinliSecret *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, linli_secret_clear);
}

/**
 * linli_secret_get_data:
 * @size: (out) (optional): the number of bytes
 *
 * Returns: the bytes; all zero once the secret has been wiped
 */
gconstpointer
linli_secret_get_data (LinliSecret *self, gsize *size)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (size != NULL)
    *size = self->size;
  return self->data;
}

/* The contents as text; an empty string once wiped. */
const char *
linli_secret_get_string (LinliSecret *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char *) self->data;
}

gsize
linli_secret_get_size (LinliSecret *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

/* Overwrites the contents with zeros. The size is kept so that a test or an
 * auditor can check the whole buffer. */
void
linli_secret_wipe (LinliSecret *self)
{
  g_return_if_fail (self != NULL);
  explicit_bzero (self->data, self->size + 1);
  self->wiped = TRUE;
}

gboolean
linli_secret_is_wiped (LinliSecret *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->wiped;
}
