/* linli-camera.h: the document camera (高拍仪), a GStreamer source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_CAMERA_ERROR (linli_camera_error_quark ())
GQuark linli_camera_error_quark (void);

typedef enum
{
  LINLI_CAMERA_ERROR_FAILED,         /* the source reported an error */
  LINLI_CAMERA_ERROR_BAD_SOURCE,     /* the description does not make a pipeline */
  LINLI_CAMERA_ERROR_ABSENT,         /* the device is not there */
  LINLI_CAMERA_ERROR_NOT_NEGOTIATED, /* the source's pictures cannot be converted */
  LINLI_CAMERA_ERROR_ENDED,          /* the source stopped sending pictures */
  LINLI_CAMERA_ERROR_TIMEOUT,        /* no picture in time */
  LINLI_CAMERA_ERROR_STOPPED,        /* the preview stopped during a capture */
  LINLI_CAMERA_ERROR_ENCODE,         /* the picture could not be made a JPEG */
} LinliCameraError;

/* One preview picture: RGBA, 8 bits per channel, rows @stride bytes apart. */
typedef struct _LinliCameraFrame LinliCameraFrame;

#define LINLI_TYPE_CAMERA_FRAME (linli_camera_frame_get_type ())
GType linli_camera_frame_get_type (void) G_GNUC_CONST;

LinliCameraFrame *linli_camera_frame_ref (LinliCameraFrame *frame);
void linli_camera_frame_unref (LinliCameraFrame *frame);
GBytes *linli_camera_frame_get_pixels (LinliCameraFrame *frame);
int linli_camera_frame_get_width (LinliCameraFrame *frame);
int linli_camera_frame_get_height (LinliCameraFrame *frame);
gsize linli_camera_frame_get_stride (LinliCameraFrame *frame);
gint64 linli_camera_frame_get_time (LinliCameraFrame *frame);
double linli_camera_frame_get_motion (LinliCameraFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliCameraFrame, linli_camera_frame_unref)

#define LINLI_TYPE_CAMERA (linli_camera_get_type ())
G_DECLARE_FINAL_TYPE (LinliCamera, linli_camera, LINLI, CAMERA, LinliDevice)

LinliDevice *linli_camera_new (const char *source);

const char *linli_camera_get_source (LinliCamera *self);

gboolean linli_camera_start_preview (LinliCamera *self, GError **error);
void linli_camera_stop_preview (LinliCamera *self);
gboolean linli_camera_get_previewing (LinliCamera *self);
gboolean linli_camera_get_still (LinliCamera *self);
double linli_camera_get_motion (LinliCamera *self);

void linli_camera_capture_async (LinliCamera *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
GBytes *linli_camera_capture_finish (
    LinliCamera *self, GAsyncResult *result, int *width, int *height, GError **error);

gboolean linli_camera_start_monitor (LinliCamera *self, GError **error);
void linli_camera_stop_monitor (LinliCamera *self);
guint linli_camera_get_n_cameras (LinliCamera *self);

G_END_DECLS
