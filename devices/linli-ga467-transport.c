/* linli-ga467-transport.c: the transport interface's dispatch. */
#define G_LOG_DOMAIN "linli-ga467-transport"

#include "linli-ga467-transport.h"

G_DEFINE_QUARK (linli_ga467_transport_error_quark, linli_ga467_transport_error)

G_DEFINE_INTERFACE (LinliGa467Transport, linli_ga467_transport, G_TYPE_OBJECT)

static void
linli_ga467_transport_default_init (LinliGa467TransportInterface *iface)
{
}

gboolean
linli_ga467_transport_open (LinliGa467Transport *self, GError **error)
{
  g_return_val_if_fail (LINLI_IS_GA467_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return LINLI_GA467_TRANSPORT_GET_IFACE (self)->open (self, error);
}

void
linli_ga467_transport_close (LinliGa467Transport *self)
{
  g_return_if_fail (LINLI_IS_GA467_TRANSPORT (self));

  LINLI_GA467_TRANSPORT_GET_IFACE (self)->close (self);
}

gboolean
linli_ga467_transport_write (
    LinliGa467Transport *self, const guint8 *data, gsize length, guint timeout_ms, GError **error)
{
  g_return_val_if_fail (LINLI_IS_GA467_TRANSPORT (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return LINLI_GA467_TRANSPORT_GET_IFACE (self)->write (self, data, length, timeout_ms, error);
}

gssize
linli_ga467_transport_read (
    LinliGa467Transport *self, guint8 *buffer, gsize max, guint timeout_ms, GError **error)
{
  g_return_val_if_fail (LINLI_IS_GA467_TRANSPORT (self), -1);
  g_return_val_if_fail (buffer != NULL && max > 0, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return LINLI_GA467_TRANSPORT_GET_IFACE (self)->read (self, buffer, max, timeout_ms, error);
}

const char *
linli_ga467_transport_describe (LinliGa467Transport *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_TRANSPORT (self), NULL);

  return LINLI_GA467_TRANSPORT_GET_IFACE (self)->describe (self);
}
