/* test-camera.c: the camera against real GStreamer pipelines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * There is no /dev/video here: the sources are videotestsrc and a PNG made
 * by the test through imagefreeze. The device monitor is the real
 * GstDeviceMonitor; hot-plugging is shown with a device provider of the
 * test's own, registered with GStreamer like any plugin's.
 */
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>
#include <unistd.h>

#include "linli-camera.h"
#include "probe-sync.h"

static gboolean
have_element (const char *name)
{
  g_autoptr (GstElementFactory) factory = NULL;

  /* The test's own look-up; the camera initialises GStreamer by itself. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  factory = gst_element_factory_find (name);
  if (factory == NULL)
    g_test_skip_printf ("GStreamer element %s not installed", name);
  return factory != NULL;
}

/* A file of plain text, which no camera pipeline can make a frame of. */
static char *
write_text_file (void)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("linli-camera-XXXXXX.txt", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "This is not a picture of a document.\n", -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_test_source (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("videotestsrc");

  g_assert_cmpstr (linli_device_get_name (camera), ==, "Camera");
  g_assert_cmpint (linli_device_get_kind (camera), ==, LINLI_DEVICE_KIND_CAMERA);
  assert_probe_state (camera, LINLI_DEVICE_STATE_READY);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (camera), "started"));
}

/* A real camera is live: it never prerolls in PAUSED. */
static void
test_live_source (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("videotestsrc is-live=true");

  assert_probe_state (camera, LINLI_DEVICE_STATE_READY);
  g_assert_cmpstr (linli_device_get_detail (camera), ==, "live source opened");
}

static void
test_no_such_device (void)
{
  g_autoptr (LinliDevice) camera = NULL;

  if (!have_element ("v4l2src"))
    return;
  camera = linli_camera_new ("v4l2src device=/dev/nonexistent");
  assert_probe_state (camera, LINLI_DEVICE_STATE_ABSENT);
  g_assert_true (strstr (linli_device_get_detail (camera), "/dev/nonexistent") != NULL);
}

static void
test_no_such_element (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("nosuchelement");

  assert_probe_state (camera, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (camera), "bad camera-source: "));
}

static void
test_empty_source (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("");

  assert_probe_state (camera, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (camera), "bad camera-source: "));
}

/* A source that starts but delivers nonsense is a fault, with its message. */
static void
test_stream_error (void)
{
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autoptr (LinliDevice) camera = NULL;

  if (!have_element ("decodebin"))
    return;
  path = write_text_file ();
  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin", path);
  camera = linli_camera_new (description);
  assert_probe_state (camera, LINLI_DEVICE_STATE_FAULT);
  g_unlink (path);
  /* GStreamer's own words, e.g. "Could not determine type of stream." */
  g_assert_false (g_str_has_prefix (linli_device_get_detail (camera), "bad camera-source"));
  g_assert_cmpstr (linli_device_get_detail (camera), !=, "did not start within 3 s");
}

/* A decoder fed garbage reaches end-of-stream without one frame. */
static void
test_no_frame (void)
{
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autoptr (LinliDevice) camera = NULL;

  if (!have_element ("pngdec"))
    return;
  path = write_text_file ();
  description = g_strdup_printf ("filesrc location=\"%s\" ! pngdec", path);
  camera = linli_camera_new (description);
  assert_probe_state (camera, LINLI_DEVICE_STATE_FAULT);
  g_unlink (path);
  g_assert_cmpstr (linli_device_get_detail (camera), ==, "ended without producing a frame");
}

/* appsrc with nobody pushing never prerolls: the probe gives up by itself. */
static void
test_time_out (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("appsrc");
  gint64 start = g_get_monotonic_time ();

  assert_probe_state (camera, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (camera), ==, "did not start within 3 s");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr (LinliDevice) camera = linli_camera_new ("appsrc");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (100, cancel_later, cancellable);
  g_assert_false (probe_sync (camera, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* A cancelled probe leaves the state as it was. */
  g_assert_cmpstr (linli_device_get_detail (camera), ==, "not probed yet");
}

/* ---- Preview, capture, stillness, faults -------------------------------------------------- */

#define WAIT_SECONDS 10

typedef struct
{
  guint n_frames;
  int width;
  int height;
  gsize stride;
  gsize size;
  guint8 first_pixel[4];
  double max_motion;
  double min_motion;
  gboolean ever_still;
} Frames;

static void
on_frame (LinliCamera *camera, LinliCameraFrame *frame, gpointer user_data)
{
  Frames *frames = user_data;
  gsize size = 0;
  const guint8 *pixels = g_bytes_get_data (linli_camera_frame_get_pixels (frame), &size);

  frames->n_frames++;
  frames->width = linli_camera_frame_get_width (frame);
  frames->height = linli_camera_frame_get_height (frame);
  frames->stride = linli_camera_frame_get_stride (frame);
  frames->size = size;
  memcpy (frames->first_pixel, pixels, 4);
  /* The first frame has nothing to compare with. */
  if (frames->n_frames > 1)
    {
      double motion = linli_camera_frame_get_motion (frame);

      frames->max_motion = MAX (frames->max_motion, motion);
      frames->min_motion = frames->n_frames == 2 ? motion : MIN (frames->min_motion, motion);
    }
  if (linli_camera_get_still (camera))
    frames->ever_still = TRUE;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @done (a gboolean or guint to watch) is
 * non-zero or @seconds pass. Returns: whether it became non-zero */
#define wait_for(condition, seconds)                                                     \
  ({                                                                                     \
    gboolean timed_out_ = FALSE;                                                         \
    guint timeout_id_ = g_timeout_add_seconds ((seconds), on_wait_timeout, &timed_out_); \
    while (!(condition) && !timed_out_)                                                  \
      g_main_context_iteration (NULL, TRUE);                                             \
    if (!timed_out_)                                                                     \
      g_source_remove (timeout_id_);                                                     \
    (condition);                                                                         \
  })

/* Runs the main context for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_wait_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static LinliCamera *
camera_previewing (const char *source, Frames *frames)
{
  LinliCamera *camera = LINLI_CAMERA (linli_camera_new (source));
  g_autoptr (GError) error = NULL;

  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), frames);
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_no_error (error);
  g_assert_true (linli_camera_get_previewing (camera));
  return camera;
}

static void
test_preview_capped_size (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera = camera_previewing (
      "videotestsrc pattern=red ! video/x-raw,width=1920,height=1080", &frames);
  guint seen;

  g_assert_true (wait_for (frames.n_frames >= 5, WAIT_SECONDS));
  g_assert_cmpint (frames.width, ==, 1280);
  g_assert_cmpint (frames.height, ==, 720);
  g_assert_cmpuint (frames.stride, >=, 1280 * 4);
  g_assert_cmpuint (frames.size, >=, frames.stride * 719 + 1280 * 4);
  /* RGBA, in that order. */
  g_assert_cmpuint (frames.first_pixel[0], ==, 255);
  g_assert_cmpuint (frames.first_pixel[1], ==, 0);
  g_assert_cmpuint (frames.first_pixel[2], ==, 0);
  g_assert_cmpuint (frames.first_pixel[3], ==, 255);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_BUSY);
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==, "previewing 1280x720 RGBA");

  linli_camera_stop_preview (camera);
  g_assert_false (linli_camera_get_previewing (camera));
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_READY);
  /* Nothing arrives after stop. */
  seen = frames.n_frames;
  spin (300);
  g_assert_cmpuint (frames.n_frames, ==, seen);
}

/* A 4:3 document camera in a 640×480 box keeps its shape. */
static void
test_preview_aspect (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera
      = LINLI_CAMERA (linli_camera_new ("videotestsrc ! video/x-raw,width=2592,height=1944"));
  g_autoptr (GError) error = NULL;

  g_object_set (camera, "preview-width", 1280, "preview-height", 480, NULL);
  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (frames.n_frames >= 2, WAIT_SECONDS));
  g_assert_cmpint (frames.width, ==, 640);
  g_assert_cmpint (frames.height, ==, 480);
}

/* Smaller than the cap: not scaled up. */
static void
test_preview_small_source (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera
      = camera_previewing ("videotestsrc ! video/x-raw,width=320,height=240", &frames);

  g_assert_true (wait_for (frames.n_frames >= 2, WAIT_SECONDS));
  g_assert_cmpint (frames.width, ==, 320);
  g_assert_cmpint (frames.height, ==, 240);
}

/* A 50 fps source previewed at 10 fps: never more than the cap (a slow
 * machine may deliver fewer; that is the benchmark's business). */
static void
test_preview_rate (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (
      linli_camera_new ("videotestsrc ! video/x-raw,width=320,height=240,framerate=50/1"));
  g_autoptr (GError) error = NULL;
  gint64 start;
  double seconds;

  g_object_set (camera, "preview-rate", 10, NULL);
  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_true (wait_for (frames.n_frames >= 1, WAIT_SECONDS));
  start = g_get_monotonic_time ();
  frames.n_frames = 0;
  spin (1500);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("%u frames in %.2f s", frames.n_frames, seconds);
  g_assert_cmpuint (frames.n_frames, >, 0);
  g_assert_cmpfloat (frames.n_frames, <=, 10 * seconds + 2);
}

static void
test_preview_restart (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera
      = camera_previewing ("videotestsrc ! video/x-raw,width=320,height=240", &frames);
  g_autoptr (GError) error = NULL;

  g_assert_true (wait_for (frames.n_frames >= 1, WAIT_SECONDS));
  linli_camera_stop_preview (camera);
  frames.n_frames = 0;
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (frames.n_frames >= 2, WAIT_SECONDS));
}

static void
test_probe_while_previewing (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera
      = camera_previewing ("videotestsrc ! video/x-raw,width=320,height=240", &frames);

  g_assert_true (wait_for (frames.n_frames >= 1, WAIT_SECONDS));
  assert_probe_state (LINLI_DEVICE (camera), LINLI_DEVICE_STATE_BUSY);
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==, "previewing 320x240 RGBA");
}

typedef struct
{
  GAsyncResult *result;
} Pending;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *pending = user_data;

  pending->result = g_object_ref (result);
}

static GBytes *
capture_sync (
    LinliCamera *camera, GCancellable *cancellable, int *width, int *height, GError **error)
{
  Pending pending = { NULL };
  GBytes *jpeg;

  linli_camera_capture_async (camera, cancellable, on_done, &pending);
  g_assert_true (wait_for (pending.result != NULL, 30));
  jpeg = linli_camera_capture_finish (camera, pending.result, width, height, error);
  g_object_unref (pending.result);
  return jpeg;
}

/* Decodes @jpeg with GStreamer's jpegdec into RGBA; checks it is one whole
 * JPEG (SOI ... EOI) first. */
static GstSample *
decode_jpeg (GBytes *jpeg)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autoptr (GstElement) sink = NULL;
  GstSample *sample;

  g_assert_cmpuint (size, >, 4);
  g_assert_cmphex (data[0], ==, 0xff);
  g_assert_cmphex (data[1], ==, 0xd8);
  g_assert_cmphex (data[size - 2], ==, 0xff);
  g_assert_cmphex (data[size - 1], ==, 0xd9);

  pipeline = gst_parse_launch ("appsrc name=src caps=image/jpeg ! jpegdec ! videoconvert "
                               "! video/x-raw,format=RGBA ! appsink name=sink sync=false",
                               &error);
  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src), gst_buffer_new_wrapped_bytes (jpeg)),
                   ==, GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_nonnull (sample);
  return sample;
}

/* The decoded picture's size, and its centre pixel (a saturated colour comes back
 * a few dozen levels off through JPEG's YUV). */
static void
check_jpeg (GBytes *jpeg, int width, int height, const guint8 rgb[3])
{
  g_autoptr (GstSample) sample = decode_jpeg (jpeg);
  GstVideoInfo info;
  GstVideoFrame frame;
  const guint8 *centre;

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&info), ==, width);
  g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&info), ==, height);
  if (rgb == NULL)
    return;
  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
  centre = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
           + (gsize) (height / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0)
           + (gsize) (width / 2) * 4;
  for (int c = 0; c < 3; c++)
    g_assert_cmpint (ABS ((int) centre[c] - (int) rgb[c]), <=, 48);
  gst_video_frame_unmap (&frame);
}

static void
test_capture_one_shot (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (
      linli_camera_new ("videotestsrc pattern=blue ! video/x-raw,width=1920,height=1080"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  const guint8 blue[3] = { 0, 0, 255 };
  int width = 0;
  int height = 0;

  jpeg = capture_sync (camera, NULL, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 1920);
  g_assert_cmpint (height, ==, 1080);
  check_jpeg (jpeg, 1920, 1080, blue);
  g_assert_false (linli_camera_get_previewing (camera));
}

/* Full size while the preview is scaled down. */
static void
test_capture_while_previewing (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera = camera_previewing (
      "videotestsrc pattern=green ! video/x-raw,width=2048,height=1536", &frames);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  const guint8 green[3] = { 0, 255, 0 };
  int width = 0;
  int height = 0;

  g_assert_true (wait_for (frames.n_frames >= 1, WAIT_SECONDS));
  jpeg = capture_sync (camera, NULL, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 2048);
  g_assert_cmpint (height, ==, 1536);
  check_jpeg (jpeg, 2048, 1536, green);
  g_assert_cmpint (frames.width, ==, 960);
  g_assert_cmpint (frames.height, ==, 720);
  /* The preview carries on. */
  frames.n_frames = 0;
  g_assert_true (wait_for (frames.n_frames >= 2, WAIT_SECONDS));
}

/* A PNG of @width × @height made with GStreamer; the caller unlinks it. */
static char *
write_png (const char *pattern, int width, int height)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  g_autofree char *description = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("linli-camera-XXXXXX.png", &path, &error);

  g_assert_no_error (error);
  close (fd);
  description = g_strdup_printf ("videotestsrc num-buffers=1 pattern=%s "
                                 "! video/x-raw,width=%d,height=%d ! pngenc "
                                 "! filesink location=\"%s\"",
                                 pattern, width, height, path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return path;
}

static void
test_capture_image (void)
{
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  g_autoptr (LinliCamera) camera = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  int width = 0;
  int height = 0;

  if (!have_element ("pngdec") || !have_element ("imagefreeze"))
    return;
  path = write_png ("smpte", 1600, 1200);
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze", path);
  camera = LINLI_CAMERA (linli_camera_new (source));
  jpeg = capture_sync (camera, NULL, &width, &height, &error);
  g_unlink (path);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 1600);
  g_assert_cmpint (height, ==, 1200);
  check_jpeg (jpeg, 1600, 1200, NULL);
}

/* A colour PNG where only grey may pass: pngdec's template allows GRAY8,
 * so it links, and fails once it sees the picture. The caller unlinks
 * *path. */
static char *
not_negotiated_source (char **path)
{
  *path = write_png ("smpte", 64, 48);
  return g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! video/x-raw,format=GRAY8", *path);
}

static void
test_capture_not_negotiated (void)
{
  g_autofree char *path = NULL;
  g_autofree char *source = not_negotiated_source (&path);
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new (source));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = capture_sync (camera, NULL, NULL, NULL, &error);

  g_unlink (path);
  g_assert_null (jpeg);
  g_assert_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_NOT_NEGOTIATED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==, error->message);
}

static void
test_capture_bad_source (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new ("nosuchelement"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = capture_sync (camera, NULL, NULL, NULL, &error);

  g_assert_null (jpeg);
  g_assert_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_BAD_SOURCE);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_FAULT);
}

/* appsrc with nobody pushing sends nothing: the capture gives up. */
static void
test_capture_time_out (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new ("appsrc"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  gint64 start = g_get_monotonic_time ();

  g_object_set (camera, "capture-timeout", 500, NULL);
  jpeg = capture_sync (camera, NULL, NULL, NULL, &error);
  g_assert_null (jpeg);
  g_assert_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_FAULT);
}

static void
test_capture_cancel (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new ("appsrc"));
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (100, cancel_later, cancellable);
  jpeg = capture_sync (camera, cancellable, NULL, NULL, &error);
  g_assert_null (jpeg);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* A cancelled capture says nothing about the camera. */
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==, "not probed yet");
}

static void
on_still_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  gint64 *became_still = user_data;

  if (linli_camera_get_still (LINLI_CAMERA (object)) && *became_still == 0)
    *became_still = g_get_monotonic_time ();
}

/* A page lying on the table: still after still-time. */
static void
test_still_image (void)
{
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  g_autoptr (LinliCamera) camera = NULL;
  g_autoptr (GError) error = NULL;
  Frames frames = { 0 };
  gint64 became_still = 0;
  gint64 start;

  if (!have_element ("pngdec") || !have_element ("imagefreeze"))
    return;
  path = write_png ("smpte", 640, 480);
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze", path);
  camera = LINLI_CAMERA (linli_camera_new (source));
  g_object_set (camera, "still-time", 300, NULL);
  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_signal_connect (camera, "notify::still", G_CALLBACK (on_still_notify), &became_still);
  start = g_get_monotonic_time ();
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (became_still != 0, WAIT_SECONDS));
  g_unlink (path);
  g_test_message ("still after %" G_GINT64_FORMAT " ms, %u frames, max motion %.2f %%",
                  (became_still - start) / 1000, frames.n_frames, frames.max_motion);
  /* Not before still-time has passed. */
  g_assert_cmpint (became_still - start, >=, 300 * 1000);
  g_assert_cmpfloat (frames.max_motion, ==, 0.0);
  g_assert_cmpfloat (linli_camera_get_motion (camera), ==, 0.0);
}

/* A bouncing ball is never still. */
static void
test_still_ball (void)
{
  Frames frames = { 0 };
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (
      linli_camera_new ("videotestsrc pattern=ball ! video/x-raw,width=640,height=480"));
  g_autoptr (GError) error = NULL;
  double threshold = 0;

  g_object_set (camera, "still-time", 300, NULL);
  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (linli_camera_start_preview (camera, &error));
  g_assert_true (wait_for (frames.n_frames >= 1, WAIT_SECONDS));
  spin (2000);
  g_test_message ("%u frames, motion %.2f %% to %.2f %%", frames.n_frames, frames.min_motion,
                  frames.max_motion);
  g_assert_cmpuint (frames.n_frames, >=, 3);
  g_assert_false (frames.ever_still);
  g_assert_false (linli_camera_get_still (camera));
  g_object_get (camera, "still-threshold", &threshold, NULL);
  g_assert_cmpfloat (frames.min_motion, >, threshold);
}

static void
on_state_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  gboolean *faulted = user_data;
  LinliDeviceState state = linli_device_get_state (LINLI_DEVICE (object));

  if (state == LINLI_DEVICE_STATE_FAULT || state == LINLI_DEVICE_STATE_ABSENT)
    *faulted = TRUE;
}

/* Starts a preview of @source and waits for it to fail by itself. */
static LinliCamera *
preview_until_fault (const char *source)
{
  LinliCamera *camera = LINLI_CAMERA (linli_camera_new (source));
  g_autoptr (GError) error = NULL;
  gboolean faulted = FALSE;
  gulong id = g_signal_connect (camera, "notify::state", G_CALLBACK (on_state_notify), &faulted);

  /* Failing at once or a moment later are both fine, as long as it says. */
  if (!linli_camera_start_preview (camera, &error))
    g_test_message ("failed at start: %s", error->message);
  g_assert_true (wait_for (faulted, 5));
  g_signal_handler_disconnect (camera, id);
  g_test_message ("%s", linli_device_get_detail (LINLI_DEVICE (camera)));
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_FAULT);
  g_assert_false (linli_camera_get_previewing (camera));
  return camera;
}

static void
test_fault_end_of_stream (void)
{
  g_autoptr (LinliCamera) camera = preview_until_fault ("videotestsrc num-buffers=5");

  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==,
                   "the camera stopped sending pictures (end of stream)");
}

static void
test_fault_error_after (void)
{
  g_autoptr (LinliCamera) camera
      = preview_until_fault ("videotestsrc is-live=true ! identity name=broken error-after=5");

  g_assert_true (g_str_has_prefix (linli_device_get_detail (LINLI_DEVICE (camera)),
                                   "camera error from broken: "));
}

static void
test_fault_not_negotiated (void)
{
  g_autofree char *path = NULL;
  g_autofree char *source = not_negotiated_source (&path);
  g_autoptr (LinliCamera) camera = preview_until_fault (source);

  g_unlink (path);

  g_assert_nonnull (strstr (linli_device_get_detail (LINLI_DEVICE (camera)), "not negotiated"));
}

static void
test_fault_bad_source (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new ("videotestsrc ! nosuchelement"));
  g_autoptr (GError) error = NULL;

  g_assert_false (linli_camera_start_preview (camera, &error));
  g_assert_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_BAD_SOURCE);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_FAULT);
  g_assert_false (linli_camera_get_previewing (camera));
}

/* ---- Device monitor ----------------------------------------------------------------------- */

/* A device provider of the test's own: the monitor starts it with the
 * system's (v4l2 finds nothing here), and the test plugs its cameras in
 * and out through GStreamer's provider API. */
typedef struct
{
  GstDevice parent_instance;
} TestCameraDevice;

typedef struct
{
  GstDeviceClass parent_class;
} TestCameraDeviceClass;

static GType test_camera_device_get_type (void);
G_DEFINE_TYPE (TestCameraDevice, test_camera_device, GST_TYPE_DEVICE)

static void
test_camera_device_class_init (TestCameraDeviceClass *klass)
{
}

static void
test_camera_device_init (TestCameraDevice *self)
{
}

typedef struct
{
  GstDeviceProvider parent_instance;
} TestCameraProvider;

typedef struct
{
  GstDeviceProviderClass parent_class;
} TestCameraProviderClass;

static GType test_camera_provider_get_type (void);
G_DEFINE_TYPE (TestCameraProvider, test_camera_provider, GST_TYPE_DEVICE_PROVIDER)

static gboolean
test_camera_provider_start (GstDeviceProvider *provider)
{
  return TRUE;
}

static void
test_camera_provider_stop (GstDeviceProvider *provider)
{
}

static void
test_camera_provider_class_init (TestCameraProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->start = test_camera_provider_start;
  provider_class->stop = test_camera_provider_stop;
  gst_device_provider_class_set_static_metadata (
      provider_class, "Linli test cameras", "Video/Source", "Cameras the test plugs in", "Linli");
}

static void
test_camera_provider_init (TestCameraProvider *self)
{
}

static gboolean
test_plugin_init (GstPlugin *plugin)
{
  return gst_device_provider_register (plugin, "linlitestcameras", GST_RANK_PRIMARY,
                                       test_camera_provider_get_type ());
}

static void
register_test_provider (void)
{
  g_assert_true (gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR, "linlitest",
                                             "Linli test cameras", test_plugin_init, "1.0", "LGPL",
                                             "test-camera.c", "linli", "https://example.invalid/"));
}

static GstDevice *
test_camera_new (const char *name, const char *path)
{
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");
  g_autoptr (GstStructure) props
      = gst_structure_new ("linli-test", "device.path", G_TYPE_STRING, path, NULL);

  return g_object_new (test_camera_device_get_type (), "display-name", name, "device-class",
                       "Video/Source", "caps", caps, "properties", props, NULL);
}

typedef struct
{
  GPtrArray *log;
} Hotplug;

static void
on_added (LinliCamera *camera, const char *name, const char *path, gpointer user_data)
{
  Hotplug *hotplug = user_data;

  g_ptr_array_add (hotplug->log, g_strdup_printf ("added %s %s", name, path));
}

static void
on_removed (LinliCamera *camera, const char *name, const char *path, gpointer user_data)
{
  Hotplug *hotplug = user_data;

  g_ptr_array_add (hotplug->log, g_strdup_printf ("removed %s %s", name, path));
}

/* There is no /dev/video here: the monitor starts and sees none. */
static void
test_monitor_no_cameras (void)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new ("v4l2src device=/dev/video0"));
  g_autoptr (GError) error = NULL;
  Hotplug hotplug = { g_ptr_array_new_with_free_func (g_free) };

  g_signal_connect (camera, "added", G_CALLBACK (on_added), &hotplug);
  g_assert_true (linli_camera_start_monitor (camera, &error));
  g_assert_no_error (error);
  spin (300);
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 0);
  g_assert_cmpuint (hotplug.log->len, ==, 0);
  linli_camera_stop_monitor (camera);
  g_ptr_array_unref (hotplug.log);
}

static void
test_monitor_hotplug (void)
{
  g_autoptr (LinliCamera) camera
      = LINLI_CAMERA (linli_camera_new ("v4l2src device=/dev/video-linli-test"));
  g_autoptr (GstDeviceProvider) provider
      = gst_device_provider_factory_get_by_name ("linlitestcameras");
  g_autoptr (GstDevice) other = test_camera_new ("Other camera", "/dev/video-other");
  g_autoptr (GstDevice) ours = test_camera_new ("Document camera", "/dev/video-linli-test");
  g_autoptr (GError) error = NULL;
  Hotplug hotplug = { g_ptr_array_new_with_free_func (g_free) };

  if (!have_element ("v4l2src"))
    return;
  g_assert_nonnull (provider);
  g_signal_connect (camera, "added", G_CALLBACK (on_added), &hotplug);
  g_signal_connect (camera, "removed", G_CALLBACK (on_removed), &hotplug);
  g_assert_true (linli_camera_start_monitor (camera, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 0);
  /* The camera has not been seen yet. */
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_ABSENT);

  gst_device_provider_device_add (provider, g_object_ref (other));
  g_assert_true (wait_for (hotplug.log->len >= 1, WAIT_SECONDS));
  g_assert_cmpstr (g_ptr_array_index (hotplug.log, 0), ==, "added Other camera /dev/video-other");
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 1);
  /* Not the configured one: no change. */
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_ABSENT);

  gst_device_provider_device_add (provider, g_object_ref (ours));
  g_assert_true (wait_for (hotplug.log->len >= 2, WAIT_SECONDS));
  g_assert_cmpstr (g_ptr_array_index (hotplug.log, 1), ==,
                   "added Document camera /dev/video-linli-test");
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 2);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_READY);
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==,
                   "connected: Document camera (/dev/video-linli-test)");

  gst_device_provider_device_remove (provider, ours);
  g_assert_true (wait_for (hotplug.log->len >= 3, WAIT_SECONDS));
  g_assert_cmpstr (g_ptr_array_index (hotplug.log, 2), ==,
                   "removed Document camera /dev/video-linli-test");
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 1);
  g_assert_cmpint (linli_device_get_state (LINLI_DEVICE (camera)), ==, LINLI_DEVICE_STATE_ABSENT);
  g_assert_cmpstr (linli_device_get_detail (LINLI_DEVICE (camera)), ==,
                   "unplugged: Document camera (/dev/video-linli-test)");

  gst_device_provider_device_remove (provider, other);
  g_assert_true (wait_for (hotplug.log->len >= 4, WAIT_SECONDS));
  g_assert_cmpuint (linli_camera_get_n_cameras (camera), ==, 0);
  linli_camera_stop_monitor (camera);
  g_ptr_array_unref (hotplug.log);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  register_test_provider ();

  g_test_add_func ("/camera/test-source", test_test_source);
  g_test_add_func ("/camera/live-source", test_live_source);
  g_test_add_func ("/camera/no-such-device", test_no_such_device);
  g_test_add_func ("/camera/no-such-element", test_no_such_element);
  g_test_add_func ("/camera/empty-source", test_empty_source);
  g_test_add_func ("/camera/stream-error", test_stream_error);
  g_test_add_func ("/camera/no-frame", test_no_frame);
  g_test_add_func ("/camera/time-out", test_time_out);
  g_test_add_func ("/camera/cancel", test_cancel);

  g_test_add_func ("/camera/preview/capped-size", test_preview_capped_size);
  g_test_add_func ("/camera/preview/aspect", test_preview_aspect);
  g_test_add_func ("/camera/preview/small-source", test_preview_small_source);
  g_test_add_func ("/camera/preview/rate", test_preview_rate);
  g_test_add_func ("/camera/preview/restart", test_preview_restart);
  g_test_add_func ("/camera/probe-while-previewing", test_probe_while_previewing);
  g_test_add_func ("/camera/capture/one-shot", test_capture_one_shot);
  g_test_add_func ("/camera/capture/while-previewing", test_capture_while_previewing);
  g_test_add_func ("/camera/capture/image", test_capture_image);
  g_test_add_func ("/camera/capture/not-negotiated", test_capture_not_negotiated);
  g_test_add_func ("/camera/capture/bad-source", test_capture_bad_source);
  g_test_add_func ("/camera/capture/time-out", test_capture_time_out);
  g_test_add_func ("/camera/capture/cancel", test_capture_cancel);
  g_test_add_func ("/camera/still/image", test_still_image);
  g_test_add_func ("/camera/still/ball", test_still_ball);
  g_test_add_func ("/camera/fault/end-of-stream", test_fault_end_of_stream);
  g_test_add_func ("/camera/fault/error-after", test_fault_error_after);
  g_test_add_func ("/camera/fault/not-negotiated", test_fault_not_negotiated);
  g_test_add_func ("/camera/fault/bad-source", test_fault_bad_source);
  g_test_add_func ("/camera/monitor/no-cameras", test_monitor_no_cameras);
  g_test_add_func ("/camera/monitor/hotplug", test_monitor_hotplug);

  return g_test_run ();
}
