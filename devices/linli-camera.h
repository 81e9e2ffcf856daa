/* linli-camera.h: the document camera (高拍仪), a GStreamer source. */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_TYPE_CAMERA (linli_camera_get_type ())
G_DECLARE_FINAL_TYPE (LinliCamera, linli_camera, LINLI, CAMERA, LinliDevice)

LinliDevice *linli_camera_new (const char *source);

const char *linli_camera_get_source (LinliCamera *self);

G_END_DECLS
