/* test-camera.c: the camera's probe against real GStreamer pipelines. */
#include <glib/gstdio.h>
#include <gst/gst.h>
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/camera/test-source", test_test_source);
  g_test_add_func ("/camera/live-source", test_live_source);
  g_test_add_func ("/camera/no-such-device", test_no_such_device);
  g_test_add_func ("/camera/no-such-element", test_no_such_element);
  g_test_add_func ("/camera/empty-source", test_empty_source);
  g_test_add_func ("/camera/stream-error", test_stream_error);
  g_test_add_func ("/camera/no-frame", test_no_frame);
  g_test_add_func ("/camera/time-out", test_time_out);
  g_test_add_func ("/camera/cancel", test_cancel);

  return g_test_run ();
}
