/* linli-device.h: what every device of the kiosk has in common. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  LINLI_DEVICE_STATE_ABSENT,
  LINLI_DEVICE_STATE_READY,
  LINLI_DEVICE_STATE_BUSY,
  LINLI_DEVICE_STATE_FAULT,
} LinliDeviceState;

typedef enum
{
  LINLI_DEVICE_KIND_ID_READER,   /* GA 467 resident-ID reader */
  LINLI_DEVICE_KIND_CARD_READER, /* PC/SC reader for social-security cards */
  LINLI_DEVICE_KIND_PRINTER,
  LINLI_DEVICE_KIND_CAMERA,
  LINLI_DEVICE_KIND_VOICE,
} LinliDeviceKind;

GType linli_device_state_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_DEVICE_STATE (linli_device_state_get_type ())
GType linli_device_kind_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_DEVICE_KIND (linli_device_kind_get_type ())

const char *linli_device_state_to_string (LinliDeviceState state);
const char *linli_device_kind_to_string (LinliDeviceKind kind);

#define LINLI_TYPE_DEVICE (linli_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (LinliDevice, linli_device, LINLI, DEVICE, GObject)

struct _LinliDeviceClass
{
  GObjectClass parent_class;

  /* Runs on a worker thread: may block on the device's library. Returns the
   * state found and a detail for maintainers (never personal data). */
  LinliDeviceState (*probe) (LinliDevice *self, char **detail, GCancellable *cancellable);

  gpointer padding[8];
};

LinliDeviceKind linli_device_get_kind (LinliDevice *self);
const char *linli_device_get_name (LinliDevice *self);
LinliDeviceState linli_device_get_state (LinliDevice *self);
const char *linli_device_get_detail (LinliDevice *self);

void linli_device_probe_async (LinliDevice *self,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean linli_device_probe_finish (LinliDevice *self, GAsyncResult *result, GError **error);

G_END_DECLS
