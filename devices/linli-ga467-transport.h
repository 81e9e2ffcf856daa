/* linli-ga467-transport.h: how bytes reach a GA/T 467 reader. The frame
 * codec and the reader logic sit above; a transport only moves bytes. Two
 * implementations: serial (a tty, 115200 8N1 through termios) and libusb
 * (bulk or interrupt endpoints found from the descriptors). Every call
 * blocks and runs on the reader's worker thread, never the main thread. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_GA467_TRANSPORT_ERROR (linli_ga467_transport_error_quark ())
GQuark linli_ga467_transport_error_quark (void);

typedef enum
{
  LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND, /* no such tty / no such USB device */
  LINLI_GA467_TRANSPORT_ERROR_ACCESS,    /* permission denied */
  LINLI_GA467_TRANSPORT_ERROR_TIMEOUT,   /* nothing arrived in time */
  LINLI_GA467_TRANSPORT_ERROR_GONE,      /* unplugged while open */
  LINLI_GA467_TRANSPORT_ERROR_FAILED,
} LinliGa467TransportError;

#define LINLI_TYPE_GA467_TRANSPORT (linli_ga467_transport_get_type ())
G_DECLARE_INTERFACE (LinliGa467Transport, linli_ga467_transport, LINLI, GA467_TRANSPORT, GObject)

struct _LinliGa467TransportInterface
{
  GTypeInterface parent_iface;

  gboolean (*open) (LinliGa467Transport *self, GError **error);
  void (*close) (LinliGa467Transport *self);
  /* Writes all of @data (one command frame). */
  gboolean (*write) (LinliGa467Transport *self,
                     const guint8 *data,
                     gsize length,
                     guint timeout_ms,
                     GError **error);
  /* Reads what is available, at most @max bytes, waiting up to @timeout_ms
   * for the first byte; returns the count, or -1 with @error set. */
  gssize (*read) (
      LinliGa467Transport *self, guint8 *buffer, gsize max, guint timeout_ms, GError **error);
  /* For maintainers: "serial /dev/ttyUSB0", "usb 0400:c35a bus 1 device 2". */
  const char *(*describe) (LinliGa467Transport *self);
};

gboolean linli_ga467_transport_open (LinliGa467Transport *self, GError **error);
void linli_ga467_transport_close (LinliGa467Transport *self);
gboolean linli_ga467_transport_write (
    LinliGa467Transport *self, const guint8 *data, gsize length, guint timeout_ms, GError **error);
gssize linli_ga467_transport_read (
    LinliGa467Transport *self, guint8 *buffer, gsize max, guint timeout_ms, GError **error);
const char *linli_ga467_transport_describe (LinliGa467Transport *self);

G_END_DECLS
