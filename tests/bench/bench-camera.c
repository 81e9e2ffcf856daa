/* bench-camera.c: the camera's preview and capture, measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - Preview: frames per second delivered to the main context ("frame"
 *   signal) over SECONDS, and the process's CPU time (getrusage) over the
 *   same time as a share of one core. The source (videotestsrc making
 *   YUY2, as a USB camera's YUYV) costs CPU too, which a real camera does
 *   not: it is measured alone first (into a clocked fakesink) and
 *   subtracted for the camera's own figure.
 * - Capture: request → JPEG in hand, while previewing (the next full-size
 *   picture, encoded on a worker) and one-shot (source opened for it).
 *
 * Budget (DESIGN.md): ≥ 25 fps at 1280×720 using < 50% of one core.
 * Prints figures; fails only when the camera does not work at all.
 */
#include <gst/gst.h>
#include <sys/resource.h>

#include "linli-camera.h"

#define SECONDS  5
#define CAPTURES 10

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
         + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The source alone into a clocked fakesink: its CPU share of one core. */
static double
source_alone (const char *source)
{
  g_autofree char *description = g_strdup_printf ("%s ! fakesink sync=true", source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  double cpu0, cpu1;
  gint64 t0, t1;

  if (pipeline == NULL)
    g_error ("%s: %s", description, error->message);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  spin (500); /* started */
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  spin (SECONDS * 1000);
  cpu1 = cpu_seconds ();
  t1 = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return (cpu1 - cpu0) / ((t1 - t0) / 1e6);
}

typedef struct
{
  guint n_frames;
  int width;
  int height;
} Frames;

static void
on_frame (LinliCamera *camera, LinliCameraFrame *frame, gpointer user_data)
{
  Frames *frames = user_data;

  frames->n_frames++;
  frames->width = linli_camera_frame_get_width (frame);
  frames->height = linli_camera_frame_get_height (frame);
}

typedef struct
{
  GAsyncResult *result;
} Pending;

static void
on_captured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((Pending *) user_data)->result = g_object_ref (result);
}

/* One capture, in ms. */
static double
capture_ms (LinliCamera *camera, int *width, int *height, gsize *size)
{
  Pending pending = { NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  linli_camera_capture_async (camera, NULL, on_captured, &pending);
  while (pending.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  jpeg = linli_camera_capture_finish (camera, pending.result, width, height, &error);
  g_object_unref (pending.result);
  if (jpeg == NULL)
    g_error ("capture: %s", error->message);
  *size = g_bytes_get_size (jpeg);
  return ms;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
captures (LinliCamera *camera, const char *what)
{
  double ms[CAPTURES];
  int width = 0, height = 0;
  gsize size = 0;

  for (guint i = 0; i < CAPTURES; i++)
    ms[i] = capture_ms (camera, &width, &height, &size);
  qsort (ms, CAPTURES, sizeof ms[0], compare_doubles);
  g_print ("  capture %-18s %dx%d JPEG (%zu KiB): median %.1f ms, max %.1f ms over %d\n", what,
           width, height, size / 1024, ms[CAPTURES / 2], ms[CAPTURES - 1], CAPTURES);
}

static void
preview (const char *source, const char *label)
{
  g_autoptr (LinliCamera) camera = LINLI_CAMERA (linli_camera_new (source));
  g_autoptr (GError) error = NULL;
  Frames frames = { 0 };
  double alone = source_alone (source);
  double cpu0, cpu1, share;
  gint64 t0, t1;

  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  if (!linli_camera_start_preview (camera, &error))
    g_error ("%s: %s", source, error->message);
  spin (1000); /* started, first frames */
  if (frames.n_frames == 0)
    g_error ("%s: no preview frame in 1 s: %s", source,
             linli_device_get_detail (LINLI_DEVICE (camera)));
  frames.n_frames = 0;
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  spin (SECONDS * 1000);
  cpu1 = cpu_seconds ();
  t1 = g_get_monotonic_time ();
  share = (cpu1 - cpu0) / ((t1 - t0) / 1e6);

  g_print ("%s\n", label);
  g_print ("  preview %dx%d: %.1f fps delivered to the main context over %.1f s\n", frames.width,
           frames.height, frames.n_frames / ((t1 - t0) / 1e6), (t1 - t0) / 1e6);
  g_print ("  CPU: %.0f%% of one core in all; the test source alone %.0f%%; "
           "the camera's own %.0f%% (budget: >= 25 fps, < 50%%)\n",
           100 * share, 100 * alone, 100 * (share - alone));
  captures (camera, "while previewing");
  linli_camera_stop_preview (camera);
  captures (camera, "one-shot");
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);

  preview ("videotestsrc ! video/x-raw,format=YUY2,width=1280,height=720,framerate=30/1",
           "camera 1280x720 YUY2 at 30 fps (videotestsrc)");
  preview ("videotestsrc ! video/x-raw,format=YUY2,width=1920,height=1080,framerate=30/1",
           "camera 1920x1080 YUY2 at 30 fps (videotestsrc), preview scaled to 1280x720");
  preview ("videotestsrc ! video/x-raw,format=YUY2,width=2592,height=1944,framerate=15/1",
           "document camera 2592x1944 YUY2 at 15 fps (videotestsrc), preview scaled to 960x720");
  return 0;
}
