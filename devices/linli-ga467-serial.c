/* linli-ga467-serial.c: the serial transport of a GA/T 467 reader.
 *
 * The port is non-blocking and every wait is a poll() with a time-out, so a
 * reader that stops answering costs a time-out, never a hung thread. An
 * unplugged USB-serial adapter shows up as POLLHUP/POLLERR, or as EIO,
 * ENXIO or ENODEV from read() and write(); all of them mean "gone".
 */
#define G_LOG_DOMAIN "linli-ga467-serial"

#include "linli-ga467-serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

struct _LinliGa467Serial
{
  GObject parent_instance;

  char *path;
  char *description;
  int fd; /* -1 when closed */
};

static void linli_ga467_serial_transport_init (LinliGa467TransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LinliGa467Serial,
                               linli_ga467_serial,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LINLI_TYPE_GA467_TRANSPORT,
                                                      linli_ga467_serial_transport_init))

static gboolean
errno_is_gone (int saved_errno)
{
  return saved_errno == EIO || saved_errno == ENXIO || saved_errno == ENODEV;
}

static void
set_gone (LinliGa467Serial *self, GError **error)
{
  g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_GONE,
               "the reader on %s went away (unplugged?)", self->path);
}

static void
set_errno_error (LinliGa467Serial *self, int saved_errno, const char *what, GError **error)
{
  if (errno_is_gone (saved_errno))
    set_gone (self, error);
  else
    g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                 "cannot %s %s: %s", what, self->path, g_strerror (saved_errno));
}

static void
linli_ga467_serial_close (LinliGa467Transport *transport)
{
  LinliGa467Serial *self = LINLI_GA467_SERIAL (transport);

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

static gboolean
configure (LinliGa467Serial *self, GError **error)
{
  struct termios tio;

  if (tcgetattr (self->fd, &tio) < 0)
    {
      set_errno_error (self, errno, "configure", error);
      return FALSE;
    }
  /* Raw bytes: no echo, no line editing, no CR/LF translation, no XON/XOFF
   * (0x11 and 0x13 occur in frames), 8 data bits, no parity, one stop bit,
   * no RTS/CTS (the readers wire only RX, TX and ground). */
  cfmakeraw (&tio);
  tio.c_cflag &= ~(CSIZE | PARENB | CSTOPB | CRTSCTS);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_iflag &= ~(IXON | IXOFF | IXANY);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  if (cfsetispeed (&tio, B115200) < 0 || cfsetospeed (&tio, B115200) < 0
      || tcsetattr (self->fd, TCSANOW, &tio) < 0)
    {
      set_errno_error (self, errno, "configure", error);
      return FALSE;
    }
  /* Whatever a previous user left in the buffers is not for us. */
  tcflush (self->fd, TCIOFLUSH);
  return TRUE;
}

static gboolean
linli_ga467_serial_open (LinliGa467Transport *transport, GError **error)
{
  LinliGa467Serial *self = LINLI_GA467_SERIAL (transport);
  int saved_errno;

  if (self->fd >= 0)
    return TRUE;

  /* O_NOCTTY: the kiosk must never acquire the reader as its controlling
   * terminal. O_NONBLOCK: open() must not wait for modem lines, and reads
   * wait in poll() where they have a time-out. */
  self->fd = open (self->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (self->fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT || saved_errno == ENXIO || saved_errno == ENODEV)
        g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_NOT_FOUND,
                     "no such device: %s", self->path);
      else if (saved_errno == EACCES || saved_errno == EPERM)
        g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_ACCESS,
                     "permission denied on %s (is the kiosk's user in the dialout group?)",
                     self->path);
      else
        set_errno_error (self, saved_errno, "open", error);
      return FALSE;
    }

  /* A path to something else than a serial port is a configuration mistake
   * that the protocol would only report as a time-out. */
  if (!isatty (self->fd))
    {
      linli_ga467_serial_close (transport);
      g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                   "%s is not a serial port", self->path);
      return FALSE;
    }

  /* Two programs talking to one reader interleave frames and both get
   * garbage; the kiosk and linli-diag read-id must not share it. flock()
   * rather than TIOCEXCL, which root ignores. */
  if (flock (self->fd, LOCK_EX | LOCK_NB) < 0)
    {
      saved_errno = errno;
      linli_ga467_serial_close (transport);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
                     "%s is in use by another program (the kiosk?)", self->path);
      else
        set_errno_error (self, saved_errno, "lock", error);
      return FALSE;
    }

  if (!configure (self, error))
    {
      linli_ga467_serial_close (transport);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_open (LinliGa467Serial *self, GError **error)
{
  if (self->fd >= 0)
    return TRUE;
  g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_FAILED,
               "%s is not open", self->path);
  return FALSE;
}

/* Waits for @events; FALSE with @error on time-out, hang-up or failure. */
static gboolean
wait_for (LinliGa467Serial *self, short events, gint64 deadline, GError **error)
{
  for (;;)
    {
      struct pollfd pfd = { self->fd, events, 0 };
      gint64 remaining = MAX (0, deadline - g_get_monotonic_time ());
      int ready = poll (&pfd, 1, (int) ((remaining + 999) / 1000));

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready < 0)
        {
          set_errno_error (self, errno, "wait on", error);
          return FALSE;
        }
      if (ready == 0)
        {
          g_set_error (error, LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_TRANSPORT_ERROR_TIMEOUT,
                       "nothing from %s in time", self->path);
          return FALSE;
        }
      /* Data still buffered is read before a hang-up is reported. */
      if (pfd.revents & events)
        return TRUE;
      if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
        {
          set_gone (self, error);
          return FALSE;
        }
    }
}

static gboolean
linli_ga467_serial_write (LinliGa467Transport *transport,
                          const guint8 *data,
                          gsize length,
                          guint timeout_ms,
                          GError **error)
{
  LinliGa467Serial *self = LINLI_GA467_SERIAL (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize done = 0;

  if (!check_open (self, error))
    return FALSE;

  while (done < length)
    {
      ssize_t n;

      if (!wait_for (self, POLLOUT, deadline, error))
        return FALSE;
      n = write (self->fd, data + done, length - done);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          set_errno_error (self, errno, "write to", error);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static gssize
linli_ga467_serial_read (
    LinliGa467Transport *transport, guint8 *buffer, gsize max, guint timeout_ms, GError **error)
{
  LinliGa467Serial *self = LINLI_GA467_SERIAL (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (!check_open (self, error))
    return -1;

  for (;;)
    {
      ssize_t n;

      if (!wait_for (self, POLLIN, deadline, error))
        return -1;
      n = read (self->fd, buffer, max);
      if (n > 0)
        return n;
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      /* Readable but nothing there: the far end hung up (a pty whose
       * master closed, an adapter pulled out). */
      if (n == 0)
        {
          set_gone (self, error);
          return -1;
        }
      set_errno_error (self, errno, "read from", error);
      return -1;
    }
}

static const char *
linli_ga467_serial_describe (LinliGa467Transport *transport)
{
  return LINLI_GA467_SERIAL (transport)->description;
}

static void
linli_ga467_serial_transport_init (LinliGa467TransportInterface *iface)
{
  iface->open = linli_ga467_serial_open;
  iface->close = linli_ga467_serial_close;
  iface->write = linli_ga467_serial_write;
  iface->read = linli_ga467_serial_read;
  iface->describe = linli_ga467_serial_describe;
}

static void
linli_ga467_serial_finalize (GObject *object)
{
  LinliGa467Serial *self = LINLI_GA467_SERIAL (object);

  linli_ga467_serial_close (LINLI_GA467_TRANSPORT (self));
  g_free (self->path);
  g_free (self->description);

  G_OBJECT_CLASS (linli_ga467_serial_parent_class)->finalize (object);
}

static void
linli_ga467_serial_class_init (LinliGa467SerialClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_ga467_serial_finalize;
}

static void
linli_ga467_serial_init (LinliGa467Serial *self)
{
  self->fd = -1;
}

/**
 * linli_ga467_serial_new:
 * @path: the tty, e.g. /dev/ttyUSB0 or a udev symlink
 *
 * Returns: (transfer full): a closed serial transport
 */
LinliGa467Transport *
linli_ga467_serial_new (const char *path)
{
  LinliGa467Serial *self;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  self = g_object_new (LINLI_TYPE_GA467_SERIAL, NULL);
  self->path = g_strdup (path);
  self->description = g_strdup_printf ("serial %s", path);
  return LINLI_GA467_TRANSPORT (self);
}

const char *
linli_ga467_serial_get_path (LinliGa467Serial *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_SERIAL (self), NULL);
  return self->path;
}
