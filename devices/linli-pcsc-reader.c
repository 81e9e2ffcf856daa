/* linli-pcsc-reader.c
 *
 * The reader for social-security cards, reached through pcscd. So far only
 * the presence probe; card sessions (SCardGetStatusChange on a worker,
 * SCardCancel to unblock it) grow from here.
 */
#define G_LOG_DOMAIN "linli-pcsc-reader"

#include "linli-pcsc-reader.h"

#include <string.h>
#include <winscard.h>

#include "linli-device-private.h"

struct _LinliPcscReader
{
  LinliDevice parent_instance;

  char *reader_name; /* "" means: whichever reader pcscd offers */
};

G_DEFINE_FINAL_TYPE (LinliPcscReader, linli_pcsc_reader, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_READER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Splits a PC/SC multi-string ("a\0b\0\0") into a vector. */
static GStrv
split_multi_string (const char *multi)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *p = multi; p != NULL && *p != '\0'; p += strlen (p) + 1)
    g_strv_builder_add (builder, p);
  return g_strv_builder_end (builder);
}

static LinliDeviceState
linli_pcsc_reader_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliPcscReader *self = LINLI_PCSC_READER (device);
  SCARDCONTEXT context = 0;
  LPSTR multi = NULL;
  DWORD length = SCARD_AUTOALLOCATE;
  g_auto (GStrv) readers = NULL;
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  if (rv != SCARD_S_SUCCESS)
    {
      if (rv == (LONG) SCARD_E_NO_SERVICE)
        *detail = g_strdup ("pcscd is not running");
      else
        *detail = g_strdup_printf ("PC/SC: %s", pcsc_stringify_error (rv));
      return LINLI_DEVICE_STATE_FAULT;
    }

  /* Let the library allocate: a reader plugged in between a size query and
   * the real call would otherwise give SCARD_E_INSUFFICIENT_BUFFER. */
  rv = SCardListReaders (context, NULL, (LPSTR) &multi, &length);
  if (rv == SCARD_S_SUCCESS)
    {
      readers = split_multi_string (multi);
      SCardFreeMemory (context, multi);
    }
  SCardReleaseContext (context);

  if (rv == (LONG) SCARD_E_NO_READERS_AVAILABLE)
    readers = g_new0 (char *, 1);
  else if (rv != SCARD_S_SUCCESS)
    {
      *detail = g_strdup_printf ("PC/SC: %s", pcsc_stringify_error (rv));
      return LINLI_DEVICE_STATE_FAULT;
    }

  if (self->reader_name[0] != '\0')
    {
      if (g_strv_contains ((const char *const *) readers, self->reader_name))
        {
          *detail = g_strdup_printf ("reader \"%s\" present", self->reader_name);
          return LINLI_DEVICE_STATE_READY;
        }
      *detail = g_strdup_printf ("no PC/SC reader named \"%s\"", self->reader_name);
      return LINLI_DEVICE_STATE_ABSENT;
    }

  if (readers[0] == NULL)
    {
      *detail = g_strdup ("no PC/SC reader");
      return LINLI_DEVICE_STATE_ABSENT;
    }

  {
    g_autofree char *list = g_strjoinv (", ", readers);
    guint n = g_strv_length (readers);

    *detail = g_strdup_printf ("%u reader%s: %s", n, n == 1 ? "" : "s", list);
  }
  return LINLI_DEVICE_STATE_READY;
}

static void
linli_pcsc_reader_finalize (GObject *object)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  g_free (self->reader_name);

  G_OBJECT_CLASS (linli_pcsc_reader_parent_class)->finalize (object);
}

static void
linli_pcsc_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  switch (prop_id)
    {
    case PROP_READER_NAME:
      g_value_set_string (value, self->reader_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_pcsc_reader_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  LinliPcscReader *self = LINLI_PCSC_READER (object);

  switch (prop_id)
    {
    case PROP_READER_NAME:
      g_free (self->reader_name);
      self->reader_name = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_pcsc_reader_class_init (LinliPcscReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->finalize = linli_pcsc_reader_finalize;
  object_class->get_property = linli_pcsc_reader_get_property;
  object_class->set_property = linli_pcsc_reader_set_property;
  device_class->probe = linli_pcsc_reader_probe;

  /* The reader's name as pcscd lists it, e.g. "Virtual PCD 00 00". */
  properties[PROP_READER_NAME]
      = g_param_spec_string ("reader-name", NULL, NULL, "",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_pcsc_reader_init (LinliPcscReader *self)
{
  self->reader_name = g_strdup ("");
}

/**
 * linli_pcsc_reader_new:
 * @reader_name: (nullable): the PC/SC reader to use; %NULL or "" for any
 *
 * Returns: (transfer full): a card reader device
 */
LinliDevice *
linli_pcsc_reader_new (const char *reader_name)
{
  return g_object_new (LINLI_TYPE_PCSC_READER, "kind", LINLI_DEVICE_KIND_CARD_READER, "name",
                       "PC/SC reader", "reader-name", reader_name, NULL);
}

const char *
linli_pcsc_reader_get_reader_name (LinliPcscReader *self)
{
  g_return_val_if_fail (LINLI_IS_PCSC_READER (self), NULL);
  return self->reader_name;
}
