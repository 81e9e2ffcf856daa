/* linli-ga467-reader.c
 *
 * The resident-ID card reader (a GA 467 SAM module) behind a USB-serial
 * adapter. So far the probe only checks that the serial port opens: the
 * reader's own protocol (the SAM status command) comes with the driver.
 */
#define G_LOG_DOMAIN "linli-ga467-reader"

#include "linli-ga467-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "linli-device-private.h"

struct _LinliGa467Reader
{
  LinliDevice parent_instance;

  char *path; /* e.g. /dev/ttyUSB0 */
};

G_DEFINE_FINAL_TYPE (LinliGa467Reader, linli_ga467_reader, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LinliDeviceState
linli_ga467_reader_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliGa467Reader *self = LINLI_GA467_READER (device);
  int fd;
  int saved_errno;

  if (self->path == NULL || self->path[0] == '\0')
    {
      *detail = g_strdup ("no serial port configured");
      return LINLI_DEVICE_STATE_FAULT;
    }

  /* O_NONBLOCK: a port whose modem lines are down must not block open();
   * O_NOCTTY: the kiosk must never acquire the reader as its terminal. */
  fd = open (self->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        {
          *detail = g_strdup ("no such device");
          return LINLI_DEVICE_STATE_ABSENT;
        }
      *detail = g_strdup (g_strerror (saved_errno));
      return LINLI_DEVICE_STATE_FAULT;
    }

  /* A path to something else than a serial port is a configuration mistake
   * that the protocol would only report as a time-out. */
  if (!isatty (fd))
    {
      close (fd);
      *detail = g_strdup ("not a serial port");
      return LINLI_DEVICE_STATE_FAULT;
    }

  close (fd);
  *detail = g_strdup ("serial port opened; reader protocol not checked yet");
  return LINLI_DEVICE_STATE_READY;
}

static void
linli_ga467_reader_finalize (GObject *object)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  g_free (self->path);

  G_OBJECT_CLASS (linli_ga467_reader_parent_class)->finalize (object);
}

static void
linli_ga467_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_ga467_reader_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  LinliGa467Reader *self = LINLI_GA467_READER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_ga467_reader_class_init (LinliGa467ReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->finalize = linli_ga467_reader_finalize;
  object_class->get_property = linli_ga467_reader_get_property;
  object_class->set_property = linli_ga467_reader_set_property;
  device_class->probe = linli_ga467_reader_probe;

  /* The serial port's device node, e.g. /dev/ttyUSB0. */
  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_ga467_reader_init (LinliGa467Reader *self)
{
}

/**
 * linli_ga467_reader_new:
 * @path: the serial port the reader is on, e.g. /dev/ttyUSB0
 *
 * Returns: (transfer full): a resident-ID reader device
 */
LinliDevice *
linli_ga467_reader_new (const char *path)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  name = g_strdup_printf ("ID card reader (%s)", path);
  return g_object_new (LINLI_TYPE_GA467_READER, "kind", LINLI_DEVICE_KIND_ID_READER, "name", name,
                       "path", path, NULL);
}

const char *
linli_ga467_reader_get_path (LinliGa467Reader *self)
{
  g_return_val_if_fail (LINLI_IS_GA467_READER (self), NULL);
  return self->path;
}
