/* linli-camera.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document camera is whatever GStreamer source description the
 * configuration names ("v4l2src device=/dev/video0" in production,
 * "videotestsrc" or a still image in tests and the demo). The camera adds
 * its own part behind it:
 *
 *   SOURCE ! tee ─┬─ queue ! appsink (full size, newest frame kept, for
 *                 │                  captures)
 *                 └─ queue (leaky) ! videorate max-rate ! videoscale
 *                    ! videoconvert ! RGBA, at most W×H ! appsink (preview)
 *
 * Each branch has its queue (without, the first sink to preroll would
 * hold the tee and the other would never preroll). Both sinks are
 * clock-synchronised; the full-size branch's queue does not leak, so a
 * source that is not live (a test pattern, a still image) is paced at its
 * frame rate by that sink instead of spinning. The preview's queue leaks:
 * a slow conversion drops pictures instead of holding up the camera.
 *
 * Threads. The object lives on the context it was made on (its "main"
 * context): properties, state and signals change there only. Preview frames
 * arrive on GStreamer's streaming thread, where the stillness measure is
 * made; the newest frame waits in a one-frame slot and a single idle
 * source hands it over, so a busy main loop gets fewer frames, never a
 * queue of old ones. Bus messages go through a sync handler to idle
 * sources too; the pipeline is only ever brought down to NULL on the main
 * context (never from a streaming thread, where it would deadlock).
 * Captures wait and encode on a worker.
 *
 * The presence probe starts the source up to PAUSED into a fakesink and
 * stops it again; while the preview runs it reports that instead of
 * opening the device a second time.
 */
#define G_LOG_DOMAIN "linli-camera"

#include "linli-camera.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>

#include "linli-device-private.h"

G_DEFINE_QUARK (linli_camera_error_quark, linli_camera_error)

/* The stillness grid: each preview frame is reduced to this many grey
 * cells; a cell whose level moved by more than CELL_DELTA (of 255) since
 * the last frame counts as changed. Averaging a cell smooths sensor noise,
 * and a moving hand or page changes whole cells. */
#define GRID_W     64
#define GRID_H     48
#define CELL_DELTA 10

#define DEFAULT_PREVIEW_WIDTH   1280
#define DEFAULT_PREVIEW_HEIGHT  720
#define DEFAULT_PREVIEW_RATE    25
#define DEFAULT_STILL_THRESHOLD 0.1  /* percent of the cells */
#define DEFAULT_STILL_TIME      800  /* ms */
#define DEFAULT_CAPTURE_TIMEOUT 5000 /* ms */
/* A live camera's first pictures are often dark or blurred while its
 * exposure and focus settle: a one-shot capture skips these many. */
#define LIVE_WARM_UP_FRAMES 5
/* How often a waiting capture looks at cancellation and the bus. */
#define CAPTURE_POLL (100 * GST_MSECOND)

#define PREVIEW_SINK_NAME "linli-preview-sink"
#define FULL_SINK_NAME    "linli-full-sink"
#define CAPTURE_SINK_NAME "linli-capture-sink"

struct _LinliCameraFrame
{
  gatomicrefcount ref;
  GBytes *pixels;
  int width;
  int height;
  gsize stride;
  gint64 time;   /* g_get_monotonic_time() at arrival */
  double motion; /* percent of the grid changed since the frame before */
};

G_DEFINE_BOXED_TYPE (LinliCameraFrame,
                     linli_camera_frame,
                     linli_camera_frame_ref,
                     linli_camera_frame_unref)

/* One preview run: shared by the main context, the streaming threads and
 * the bus handler. It holds no GStreamer object (the pipeline's callbacks
 * hold it), so there is no reference cycle. */
typedef struct
{
  gatomicrefcount ref;
  GWeakRef camera;
  GMainContext *context;

  GMutex lock; /* for what follows, up to the streaming-thread part */
  LinliCameraFrame *pending;
  gboolean pending_still;
  gboolean dispatch_scheduled;
  GError *error; /* the first error the bus saw */
  int stopped;   /* atomic */

  /* The preview's streaming thread only. */
  guint8 grey[GRID_W * GRID_H];
  gboolean have_grey;
  gint64 still_since; /* -1: moving */
  gboolean still;
  double still_threshold;
  gint64 still_time_us;
} Run;

struct _LinliCamera
{
  LinliDevice parent_instance;

  char *source; /* a gst-launch description of the source part */
  int preview_width;
  int preview_height;
  int preview_rate;
  double still_threshold;
  guint still_time;
  guint capture_timeout;

  GMainContext *context; /* where state changes and signals happen */

  GstElement *pipeline; /* while previewing */
  Run *run;
  gboolean have_frame;
  gboolean still;
  double motion;

  GMutex lock;          /* preview_detail is read by the probe's worker */
  char *preview_detail; /* non-NULL while previewing */

  GstDeviceMonitor *monitor;
  GSource *monitor_source;
  GPtrArray *cameras; /* GstDevice, as the monitor reported them */
  char *device_path;  /* the configured v4l2src's device, if any */
};

G_DEFINE_FINAL_TYPE (LinliCamera, linli_camera, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_SOURCE,
  PROP_PREVIEW_WIDTH,
  PROP_PREVIEW_HEIGHT,
  PROP_PREVIEW_RATE,
  PROP_STILL_THRESHOLD,
  PROP_STILL_TIME,
  PROP_CAPTURE_TIMEOUT,
  PROP_PREVIEWING,
  PROP_STILL,
  PROP_N_CAMERAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FRAME,
  SIGNAL_ADDED,
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A camera that has not prerolled by then is reported as faulty rather
 * than keeping the maintenance view waiting. */
#define PROBE_TIMEOUT (3 * GST_SECOND)

#define PROBE_SINK_NAME "linli-probe-sink"

LinliCameraFrame *
linli_camera_frame_ref (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_atomic_ref_count_inc (&frame->ref);
  return frame;
}

void
linli_camera_frame_unref (LinliCameraFrame *frame)
{
  g_return_if_fail (frame != NULL);
  if (!g_atomic_ref_count_dec (&frame->ref))
    return;
  g_bytes_unref (frame->pixels);
  g_free (frame);
}

/* Returns: (transfer none): the RGBA pixels, rows linli_camera_frame_get_stride() apart */
GBytes *
linli_camera_frame_get_pixels (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->pixels;
}

int
linli_camera_frame_get_width (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->width;
}

int
linli_camera_frame_get_height (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->height;
}

gsize
linli_camera_frame_get_stride (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->stride;
}

/* Returns: when the frame arrived, in g_get_monotonic_time()'s microseconds */
gint64
linli_camera_frame_get_time (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->time;
}

/* Returns: the percentage of the stillness grid that changed since the
 * frame before (100 for the first frame) */
double
linli_camera_frame_get_motion (LinliCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->motion;
}

typedef struct
{
  GstVideoFrame video;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->video);
  g_free (mapped);
}

/* Wraps the sample's pixels without copying: the buffer stays mapped (and
 * referenced) as long as the GBytes lives. */
static LinliCameraFrame *
frame_new_from_sample (GstSample *sample)
{
  GstVideoInfo info;
  MappedFrame *mapped;
  LinliCameraFrame *frame;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  gsize size;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps)
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_RGBA)
    return NULL;
  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->video, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }

  frame = g_new0 (LinliCameraFrame, 1);
  g_atomic_ref_count_init (&frame->ref);
  frame->width = GST_VIDEO_FRAME_WIDTH (&mapped->video);
  frame->height = GST_VIDEO_FRAME_HEIGHT (&mapped->video);
  frame->stride = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->video, 0);
  frame->time = g_get_monotonic_time ();
  /* What a consumer may read: the last row need not be padded. */
  size = frame->stride * (gsize) (frame->height - 1) + (gsize) frame->width * 4;
  frame->pixels = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->video, 0), size,
                                              mapped_frame_free, mapped);
  return frame;
}

static Run *
run_new (LinliCamera *self)
{
  Run *run = g_new0 (Run, 1);

  g_atomic_ref_count_init (&run->ref);
  g_weak_ref_init (&run->camera, self);
  run->context = g_main_context_ref (self->context);
  g_mutex_init (&run->lock);
  run->still_since = -1;
  run->still_threshold = self->still_threshold;
  run->still_time_us = (gint64) self->still_time * 1000;
  return run;
}

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref);
  return run;
}

static void
run_unref (gpointer data)
{
  Run *run = data;

  if (!g_atomic_ref_count_dec (&run->ref))
    return;
  g_weak_ref_clear (&run->camera);
  g_main_context_unref (run->context);
  g_clear_pointer (&run->pending, linli_camera_frame_unref);
  g_clear_error (&run->error);
  g_mutex_clear (&run->lock);
  g_free (run);
}

/* The percentage of grid cells whose grey level changed by more than
 * CELL_DELTA since the previous frame; updates the run's stillness. */
static double
run_measure_motion (Run *run, LinliCameraFrame *frame)
{
  const guint8 *pixels = g_bytes_get_data (frame->pixels, NULL);
  guint8 grey[GRID_W * GRID_H];
  guint changed = 0;
  double motion;

  for (int cy = 0; cy < GRID_H; cy++)
    {
      int y0 = cy * frame->height / GRID_H;
      int y1 = MAX (y0 + 1, (cy + 1) * frame->height / GRID_H);

      for (int cx = 0; cx < GRID_W; cx++)
        {
          int x0 = cx * frame->width / GRID_W;
          int x1 = MAX (x0 + 1, (cx + 1) * frame->width / GRID_W);
          guint64 sum = 0;
          guint n = 0;

          /* Every other pixel of every other row: a quarter of the work,
           * the same average. */
          for (int y = y0; y < y1; y += 2)
            {
              const guint8 *row = pixels + (gsize) y * frame->stride;

              for (int x = x0; x < x1; x += 2)
                {
                  const guint8 *p = row + (gsize) x * 4;

                  sum += 77u * p[0] + 150u * p[1] + 29u * p[2];
                  n++;
                }
            }
          grey[cy * GRID_W + cx] = (guint8) (sum / ((guint64) n * 256u));
        }
    }

  if (run->have_grey)
    {
      for (guint i = 0; i < G_N_ELEMENTS (grey); i++)
        if (ABS ((int) grey[i] - (int) run->grey[i]) > CELL_DELTA)
          changed++;
      motion = 100.0 * changed / G_N_ELEMENTS (grey);
    }
  else
    motion = 100.0;
  memcpy (run->grey, grey, sizeof grey);
  run->have_grey = TRUE;

  if (motion <= run->still_threshold)
    {
      if (run->still_since < 0)
        run->still_since = frame->time;
      run->still = frame->time - run->still_since >= run->still_time_us;
    }
  else
    {
      run->still_since = -1;
      run->still = FALSE;
    }
  return motion;
}

/* A maintainer's sentence for an error message of the pipeline, and its
 * code. Never personal data: GStreamer's messages name elements, devices
 * and formats. */
static GError *
error_from_message (GstMessage *message)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  const char *element = GST_MESSAGE_SRC_NAME (message);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    return g_error_new_literal (LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_ENDED,
                                "the camera stopped sending pictures (end of stream)");

  gst_message_parse_error (message, &error, &debug);

  /* v4l2src reports a missing /dev/videoN as NOT_FOUND, one that cannot be
   * opened (unplugged while listed) as OPEN_READ(_WRITE). */
  if (error->domain == GST_RESOURCE_ERROR
      && (error->code == GST_RESOURCE_ERROR_NOT_FOUND || error->code == GST_RESOURCE_ERROR_OPEN_READ
          || error->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE))
    return g_error_new (LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_ABSENT, "camera not found: %s",
                        error->message);

  /* A source whose formats nothing downstream takes fails with a flow
   * error whose debug text names the reason. */
  if ((error->domain == GST_CORE_ERROR && error->code == GST_CORE_ERROR_NEGOTIATION)
      || (debug != NULL && strstr (debug, "not-negotiated") != NULL))
    return g_error_new (
        LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_NOT_NEGOTIATED,
        "the camera's picture format cannot be used (not negotiated, reported by %s)",
        element != NULL ? element : "the source");

  return g_error_new (LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_FAILED, "camera error from %s: %s",
                      element != NULL ? element : "the pipeline", error->message);
}

static LinliDeviceState
state_for_error (const GError *error)
{
  return g_error_matches (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_ABSENT)
             ? LINLI_DEVICE_STATE_ABSENT
             : LINLI_DEVICE_STATE_FAULT;
}

static void
set_still (LinliCamera *self, gboolean still)
{
  if (self->still == still)
    return;
  self->still = still;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STILL]);
}

/* Main context: ends the preview, if any. */
static void
preview_teardown (LinliCamera *self)
{
  g_autoptr (GstBus) bus = NULL;

  if (self->pipeline == NULL)
    return;

  g_atomic_int_set (&self->run->stopped, TRUE);
  bus = gst_element_get_bus (self->pipeline);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (bus != NULL)
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  g_clear_pointer (&self->pipeline, gst_object_unref);
  g_clear_pointer (&self->run, run_unref);
  self->have_frame = FALSE;
  self->motion = 0;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->preview_detail, g_free);
  g_mutex_unlock (&self->lock);

  set_still (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEWING]);
}

typedef struct
{
  Run *run;
  GstMessage *message;
} BusCall;

static void
bus_call_free (gpointer data)
{
  BusCall *call = data;

  run_unref (call->run);
  gst_message_unref (call->message);
  g_free (call);
}

/* Main context: an error or end-of-stream of the running preview. */
static gboolean
dispatch_bus_message (gpointer data)
{
  BusCall *call = data;
  g_autoptr (LinliCamera) self = g_weak_ref_get (&call->run->camera);
  g_autoptr (GError) error = NULL;

  if (self == NULL || self->run != call->run)
    return G_SOURCE_REMOVE;

  error = error_from_message (call->message);
  g_message ("camera: %s", error->message);
  preview_teardown (self);
  linli_device_set_state (LINLI_DEVICE (self), state_for_error (error), error->message);
  return G_SOURCE_REMOVE;
}

/* Streaming threads: hands errors and end-of-stream to the main context. */
static GstBusSyncReply
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  Run *run = user_data;
  BusCall *call;
  GSource *source;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR
      && GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS)
    return GST_BUS_DROP;

  g_mutex_lock (&run->lock);
  if (run->error == NULL)
    run->error = error_from_message (message);
  g_mutex_unlock (&run->lock);

  call = g_new0 (BusCall, 1);
  call->run = run_ref (run);
  call->message = gst_message_ref (message);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_bus_message, call, bus_call_free);
  g_source_set_static_name (source, "linli-camera-bus");
  g_source_attach (source, run->context);
  g_source_unref (source);
  return GST_BUS_DROP;
}

/* Main context: the newest preview frame, if the run is still current. */
static gboolean
dispatch_frame (gpointer data)
{
  Run *run = data;
  g_autoptr (LinliCamera) self = g_weak_ref_get (&run->camera);
  g_autoptr (LinliCameraFrame) frame = NULL;
  gboolean still;

  g_mutex_lock (&run->lock);
  frame = g_steal_pointer (&run->pending);
  still = run->pending_still;
  run->dispatch_scheduled = FALSE;
  g_mutex_unlock (&run->lock);

  if (self == NULL || self->run != run || frame == NULL)
    return G_SOURCE_REMOVE;

  if (!self->have_frame)
    {
      g_autofree char *detail
          = g_strdup_printf ("previewing %dx%d RGBA", frame->width, frame->height);

      self->have_frame = TRUE;
      g_mutex_lock (&self->lock);
      g_free (self->preview_detail);
      self->preview_detail = g_strdup (detail);
      g_mutex_unlock (&self->lock);
      linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_BUSY, detail);
    }
  self->motion = frame->motion;
  set_still (self, still);
  g_signal_emit (self, signals[SIGNAL_FRAME], 0, frame);
  return G_SOURCE_REMOVE;
}

/* Streaming thread of the preview branch. */
static GstFlowReturn
on_preview_sample (GstAppSink *sink, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  LinliCameraFrame *frame;
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (g_atomic_int_get (&run->stopped))
    return GST_FLOW_OK;
  frame = frame_new_from_sample (sample);
  if (frame == NULL)
    return GST_FLOW_OK;
  frame->motion = run_measure_motion (run, frame);

  /* One slot: a frame the main context has not taken yet is replaced. */
  g_mutex_lock (&run->lock);
  g_clear_pointer (&run->pending, linli_camera_frame_unref);
  run->pending = frame;
  run->pending_still = run->still;
  schedule = !run->dispatch_scheduled;
  run->dispatch_scheduled = TRUE;
  g_mutex_unlock (&run->lock);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      /* Ahead of redraws: a frame shown late is worse than one skipped. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_frame, run_ref (run), run_unref);
      g_source_set_static_name (source, "linli-camera-frame");
      g_source_attach (source, run->context);
      g_source_unref (source);
    }
  return GST_FLOW_OK;
}

static gpointer
init_gstreamer (gpointer data)
{
  GError *error = NULL;

  /* The error, if any, is kept for the life of the process: every later
   * call reports the same. */
  if (!gst_init_check (NULL, NULL, &error))
    return error;
  return NULL;
}

static gboolean
ensure_gstreamer (GError **error)
{
  static GOnce gst_once = G_ONCE_INIT;
  const GError *init_error = g_once (&gst_once, init_gstreamer, NULL);

  if (init_error != NULL)
    {
      g_set_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_FAILED, "GStreamer: %s",
                   init_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Parses "@source ! @tail" into a pipeline that is owned (not floating). */
static GstElement *
parse_pipeline (const char *source, const char *tail, GError **error)
{
  g_autofree char *description = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstElement) pipeline = NULL;

  if (!ensure_gstreamer (error))
    return NULL;
  if (source == NULL || *source == '\0')
    {
      g_set_error_literal (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_BAD_SOURCE,
                           "bad camera-source: empty");
      return NULL;
    }
  description = g_strdup_printf ("%s ! %s", source, tail);
  /* FATAL_ERRORS: a missing element must fail, not leave a half pipeline. */
  pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (pipeline != NULL && g_object_is_floating (pipeline))
    gst_object_ref_sink (pipeline);
  if (pipeline == NULL || local_error != NULL || !GST_IS_PIPELINE (pipeline))
    {
      g_set_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_BAD_SOURCE,
                   "bad camera-source: %s",
                   local_error != NULL ? local_error->message : "not a pipeline");
      return NULL;
    }
  return g_steal_pointer (&pipeline);
}

/**
 * linli_camera_start_preview:
 *
 * Starts the camera: preview frames (RGBA, at most preview-width ×
 * preview-height, at most preview-rate per second) arrive as the "frame"
 * signal on the camera's context, and captures take the newest
 * full-size picture. Errors later on (the camera unplugged, end of stream)
 * stop the preview and set the state to fault (or absent) with the reason.
 *
 * Returns: whether the pipeline started; %FALSE with @error (and the
 * state set) when the source is not a pipeline or cannot start
 */
gboolean
linli_camera_start_preview (LinliCamera *self, GError **error)
{
  g_autofree char *tail = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) preview_sink = NULL;
  g_autoptr (GstElement) full_sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  GstAppSinkCallbacks callbacks = { 0 };
  Run *run;

  g_return_val_if_fail (LINLI_IS_CAMERA (self), FALSE);

  if (self->pipeline != NULL)
    return TRUE;

  tail = g_strdup_printf (
      "tee name=linli-tee "
      "linli-tee. ! queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 "
      "! appsink name=" FULL_SINK_NAME " "
      "linli-tee. ! queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 leaky=downstream "
      "! videorate max-rate=%d drop-only=true ! videoscale ! videoconvert "
      "! video/x-raw,format=RGBA,width=[1,%d],height=[1,%d],pixel-aspect-ratio=1/1 "
      "! appsink name=" PREVIEW_SINK_NAME,
      self->preview_rate, self->preview_width, self->preview_height);
  pipeline = parse_pipeline (self->source, tail, &local_error);
  if (pipeline == NULL)
    {
      linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_FAULT, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  preview_sink = gst_bin_get_by_name (GST_BIN (pipeline), PREVIEW_SINK_NAME);
  full_sink = gst_bin_get_by_name (GST_BIN (pipeline), FULL_SINK_NAME);
  /* The full-size branch keeps only the newest picture and never blocks
   * the camera; no copy of it is kept beyond that. */
  g_object_set (full_sink, "max-buffers", 1, "drop", TRUE, "sync", TRUE, "enable-last-sample",
                FALSE, NULL);
  /* Nobody pulls the full-size picture unless capturing: an appsink that
   * waited for that at end-of-stream would never post it. */
  g_object_set (full_sink, "wait-on-eos", FALSE, NULL);
  g_object_set (preview_sink, "wait-on-eos", FALSE, NULL);
  g_object_set (preview_sink, "max-buffers", 1, "drop", TRUE, "sync", TRUE, "enable-last-sample",
                FALSE, NULL);

  run = run_new (self);
  callbacks.new_sample = on_preview_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (preview_sink), &callbacks, run_ref (run), run_unref);
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, on_bus_message, run_ref (run), run_unref);

  self->pipeline = g_steal_pointer (&pipeline);
  self->run = run;
  self->have_frame = FALSE;
  g_mutex_lock (&self->lock);
  g_free (self->preview_detail);
  self->preview_detail = g_strdup ("preview starting");
  g_mutex_unlock (&self->lock);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_mutex_lock (&run->lock);
      local_error = run->error != NULL
                        ? g_error_copy (run->error)
                        : g_error_new_literal (LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_FAILED,
                                               "the camera could not be started");
      g_mutex_unlock (&run->lock);
      preview_teardown (self);
      linli_device_set_state (LINLI_DEVICE (self), state_for_error (local_error),
                              local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEWING]);
  return TRUE;
}

/**
 * linli_camera_stop_preview:
 *
 * Stops the preview and closes the camera; no "frame" is emitted after
 * this returns. A camera in fault stays in fault.
 */
void
linli_camera_stop_preview (LinliCamera *self)
{
  g_return_if_fail (LINLI_IS_CAMERA (self));

  if (self->pipeline == NULL)
    return;
  preview_teardown (self);
  if (linli_device_get_state (LINLI_DEVICE (self)) == LINLI_DEVICE_STATE_BUSY)
    linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_READY, "preview stopped");
}

gboolean
linli_camera_get_previewing (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), FALSE);
  return self->pipeline != NULL;
}

/* Returns: whether the picture has changed less than still-threshold for
 * still-time; FALSE when not previewing */
gboolean
linli_camera_get_still (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), FALSE);
  return self->still;
}

/* Returns: the motion of the last preview frame delivered (percent of the
 * stillness grid that changed) */
double
linli_camera_get_motion (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), 0);
  return self->motion;
}

typedef struct
{
  char *source;     /* one-shot capture: the source to open */
  GstElement *sink; /* capture from the preview: its full-size sink */
  Run *run;         /* ... and its run, to notice it stopping */
  guint timeout_ms;
  int width;
  int height;
  gboolean device_error; /* the failure says something about the device */
} CaptureData;

static void
capture_data_free (gpointer data)
{
  CaptureData *capture = data;

  g_free (capture->source);
  g_clear_pointer (&capture->sink, gst_object_unref);
  g_clear_pointer (&capture->run, run_unref);
  g_free (capture);
}

/* Takes the first error or end-of-stream waiting on @bus, if any. */
static GError *
pop_bus_error (GstBus *bus)
{
  g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

  return message != NULL ? error_from_message (message) : NULL;
}

/* Worker: waits for a full-size picture from @sink, the preview's or a
 * one-shot pipeline's (@bus non-NULL), until @deadline (monotonic µs). */
static GstSample *
wait_for_sample (CaptureData *capture,
                 GstAppSink *sink,
                 GstBus *bus,
                 guint skip,
                 gint64 deadline,
                 GCancellable *cancellable,
                 GError **error)
{
  for (;;)
    {
      g_autoptr (GstSample) sample = gst_app_sink_try_pull_sample (sink, CAPTURE_POLL);
      g_autoptr (GError) bus_error = NULL;

      if (sample != NULL && skip == 0)
        return g_steal_pointer (&sample);
      if (sample != NULL)
        {
          skip--;
          continue;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (bus != NULL && (bus_error = pop_bus_error (bus)) != NULL)
        {
          capture->device_error = TRUE;
          g_propagate_error (error, g_steal_pointer (&bus_error));
          return NULL;
        }
      if (capture->run != NULL && g_atomic_int_get (&capture->run->stopped))
        {
          g_set_error_literal (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_STOPPED,
                               "the preview stopped before a picture was taken");
          return NULL;
        }
      if (gst_app_sink_is_eos (sink))
        {
          capture->device_error = TRUE;
          g_set_error_literal (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_ENDED,
                               "the camera stopped sending pictures (end of stream)");
          return NULL;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          capture->device_error = TRUE;
          g_set_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_TIMEOUT,
                       "no picture from the camera within %u ms", capture->timeout_ms);
          return NULL;
        }
    }
}

/* Worker: opens the source on its own, takes one picture, closes it. */
static GstSample *
capture_one_shot (CaptureData *capture, gint64 deadline, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  GstStateChangeReturn change;
  GstSample *sample;

  pipeline = parse_pipeline (capture->source, "appsink name=" CAPTURE_SINK_NAME, error);
  if (pipeline == NULL)
    {
      capture->device_error = TRUE;
      return NULL;
    }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), CAPTURE_SINK_NAME);
  /* Not dropping: a source that is not live then waits for us instead of
   * making pictures nobody takes. */
  g_object_set (sink, "max-buffers", 1, "drop", FALSE, "sync", FALSE, "enable-last-sample", FALSE,
                NULL);
  bus = gst_element_get_bus (pipeline);

  change = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (change == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr (GError) bus_error = pop_bus_error (bus);

      capture->device_error = TRUE;
      if (bus_error != NULL)
        g_propagate_error (error, g_steal_pointer (&bus_error));
      else
        g_set_error_literal (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_FAILED,
                             "the camera could not be started");
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }

  sample = wait_for_sample (capture, GST_APP_SINK (sink), bus,
                            change == GST_STATE_CHANGE_NO_PREROLL ? LIVE_WARM_UP_FRAMES : 0,
                            deadline, cancellable, error);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return sample;
}

/* Worker: the sample as a JPEG, in a GBytes of its own. */
static GBytes *
encode_jpeg (GstSample *sample, gint64 deadline, GError **error)
{
  g_autoptr (GstCaps) jpeg_caps = gst_caps_new_empty_simple ("image/jpeg");
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstSample) jpeg = NULL;
  GstClockTime timeout = MAX (deadline - g_get_monotonic_time (), 1000) * GST_USECOND;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  jpeg = gst_video_convert_sample (sample, jpeg_caps, timeout, &local_error);
  buffer = jpeg != NULL ? gst_sample_get_buffer (jpeg) : NULL;
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_set_error (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_ENCODE,
                   "the picture could not be encoded as JPEG: %s",
                   local_error != NULL ? local_error->message : "no output");
      return NULL;
    }
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return bytes;
}

static void
capture_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  CaptureData *capture = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstSample) sample = NULL;
  GBytes *jpeg;
  gint64 deadline = g_get_monotonic_time () + (gint64) capture->timeout_ms * 1000;
  GstVideoInfo info;

  if (capture->sink != NULL)
    {
      /* The picture waiting in the sink may be from before the request:
       * take the next one. */
      g_autoptr (GstSample) stale = gst_app_sink_try_pull_sample (GST_APP_SINK (capture->sink), 0);

      sample = wait_for_sample (capture, GST_APP_SINK (capture->sink), NULL, 0, deadline,
                                cancellable, &error);
    }
  else
    sample = capture_one_shot (capture, deadline, cancellable, &error);
  if (sample == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (gst_sample_get_caps (sample) == NULL
      || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    {
      capture->device_error = TRUE;
      g_task_return_new_error (task, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_NOT_NEGOTIATED,
                               "the camera-source does not end in raw video");
      return;
    }
  capture->width = GST_VIDEO_INFO_WIDTH (&info);
  capture->height = GST_VIDEO_INFO_HEIGHT (&info);

  jpeg = encode_jpeg (sample, deadline, &error);
  if (jpeg == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jpeg, (GDestroyNotify) g_bytes_unref);
}

/**
 * linli_camera_capture_async:
 *
 * Takes one picture at the camera's full resolution and encodes it as a
 * JPEG, on a worker. While the preview runs the picture is the next one
 * the camera sends; otherwise the source is opened for this one picture
 * (a live camera's first few pictures are skipped while it settles) and
 * closed again. Gives up after capture-timeout.
 */
void
linli_camera_capture_async (LinliCamera *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  CaptureData *capture;

  g_return_if_fail (LINLI_IS_CAMERA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_camera_capture_async);
  capture = g_new0 (CaptureData, 1);
  capture->timeout_ms = self->capture_timeout;
  if (self->pipeline != NULL)
    {
      capture->sink = gst_bin_get_by_name (GST_BIN (self->pipeline), FULL_SINK_NAME);
      capture->run = run_ref (self->run);
    }
  else
    capture->source = g_strdup (self->source);
  g_task_set_task_data (task, capture, capture_data_free);
  g_task_run_in_thread (task, capture_thread);
}

/**
 * linli_camera_capture_finish:
 * @width: (out) (optional): the picture's width
 * @height: (out) (optional): its height
 *
 * A one-shot capture that fails because of the camera also sets its
 * state (fault or absent, with the reason).
 *
 * Returns: (transfer full): the JPEG, or %NULL with @error
 */
GBytes *
linli_camera_capture_finish (
    LinliCamera *self, GAsyncResult *result, int *width, int *height, GError **error)
{
  CaptureData *capture;
  g_autoptr (GError) local_error = NULL;
  GBytes *jpeg;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  capture = g_task_get_task_data (G_TASK (result));
  jpeg = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (jpeg == NULL)
    {
      if (capture->sink == NULL && capture->device_error && self->pipeline == NULL)
        linli_device_set_state (LINLI_DEVICE (self), state_for_error (local_error),
                                local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (width != NULL)
    *width = capture->width;
  if (height != NULL)
    *height = capture->height;
  return jpeg;
}

/* The device node a GstDevice stands for ("/dev/video0"), if it says. */
static char *
device_path (GstDevice *device)
{
  g_autoptr (GstStructure) props = gst_device_get_properties (device);
  const char *keys[] = { "api.v4l2.path", "device.path" };

  if (props == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *path = gst_structure_get_string (props, keys[i]);

      if (path != NULL)
        return g_strdup (path);
    }
  return NULL;
}

/* The device property of the configured source's v4l2src, if it has one:
 * what the monitor's reports are matched against. */
static char *
configured_device_path (const char *source)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) element = NULL;
  g_autoptr (GstIterator) iter = NULL;
  GValue item = G_VALUE_INIT;
  char *path = NULL;

  if (source == NULL || *source == '\0')
    return NULL;
  element = gst_parse_launch_full (source, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (element == NULL)
    return NULL;
  if (g_object_is_floating (element))
    gst_object_ref_sink (element);

  if (!GST_IS_BIN (element))
    {
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "device") != NULL
          && g_str_equal (G_OBJECT_TYPE_NAME (element), "GstV4l2Src"))
        g_object_get (element, "device", &path, NULL);
      return path;
    }

  iter = gst_bin_iterate_recurse (GST_BIN (element));
  while (path == NULL && gst_iterator_next (iter, &item) == GST_ITERATOR_OK)
    {
      GstElement *child = g_value_get_object (&item);

      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GstV4l2Src"))
        g_object_get (child, "device", &path, NULL);
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return path;
}

static void
add_camera (LinliCamera *self, GstDevice *device)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (g_ptr_array_find (self->cameras, device, NULL))
    return;
  g_ptr_array_add (self->cameras, gst_object_ref (device));
  name = gst_device_get_display_name (device);
  path = device_path (device);
  g_debug ("camera added: %s (%s)", name, path != NULL ? path : "no device node");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CAMERAS]);
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, name, path);

  /* The configured camera came back: it can be used again. */
  if (self->device_path != NULL && g_strcmp0 (path, self->device_path) == 0
      && linli_device_get_state (LINLI_DEVICE (self)) == LINLI_DEVICE_STATE_ABSENT)
    {
      g_autofree char *detail = g_strdup_printf ("connected: %s (%s)", name, path);

      linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_READY, detail);
    }
}

static void
remove_camera (LinliCamera *self, GstDevice *device)
{
  g_autoptr (GstDevice) removed = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint index;

  if (!g_ptr_array_find (self->cameras, device, &index))
    return;
  removed = g_ptr_array_steal_index (self->cameras, index);
  name = gst_device_get_display_name (removed);
  path = device_path (removed);
  g_debug ("camera removed: %s (%s)", name, path != NULL ? path : "no device node");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CAMERAS]);
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0, name, path);

  if (self->device_path != NULL && g_strcmp0 (path, self->device_path) == 0)
    {
      g_autofree char *detail = g_strdup_printf ("unplugged: %s (%s)", name, path);

      preview_teardown (self);
      linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_ABSENT, detail);
    }
}

/* Main context: the monitor's bus. */
static gboolean
on_monitor_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  LinliCamera *self = user_data;
  g_autoptr (GstDevice) device = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_camera (self, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_camera (self, device);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/**
 * linli_camera_start_monitor:
 *
 * Watches the system's video sources (GstDeviceMonitor, class
 * Video/Source): "added" and "removed" tell of cameras plugged in and
 * out, n-cameras counts them, and when the configured camera's device
 * (v4l2src device=…) goes away the state becomes absent (and the preview
 * stops), ready again when it comes back. The cameras present at the
 * start are reported as added.
 *
 * Returns: %FALSE with @error when no device provider could start
 */
gboolean
linli_camera_start_monitor (LinliCamera *self, GError **error)
{
  g_autoptr (GstDeviceMonitor) monitor = NULL;
  g_autoptr (GstBus) bus = NULL;
  GList *devices;

  g_return_val_if_fail (LINLI_IS_CAMERA (self), FALSE);

  if (self->monitor != NULL)
    return TRUE;
  if (!ensure_gstreamer (error))
    return FALSE;

  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  if (!gst_device_monitor_start (monitor))
    {
      g_set_error_literal (error, LINLI_CAMERA_ERROR, LINLI_CAMERA_ERROR_FAILED,
                           "no GStreamer device provider for cameras could start");
      return FALSE;
    }

  g_free (self->device_path);
  self->device_path = configured_device_path (self->source);
  self->monitor = g_steal_pointer (&monitor);
  bus = gst_device_monitor_get_bus (self->monitor);
  self->monitor_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->monitor_source, G_SOURCE_FUNC (on_monitor_message), self, NULL);
  g_source_set_static_name (self->monitor_source, "linli-camera-monitor");
  g_source_attach (self->monitor_source, self->context);

  /* Providers also post "added" for these; add_camera() ignores repeats. */
  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    add_camera (self, l->data);
  g_list_free_full (devices, gst_object_unref);
  return TRUE;
}

void
linli_camera_stop_monitor (LinliCamera *self)
{
  g_return_if_fail (LINLI_IS_CAMERA (self));

  if (self->monitor == NULL)
    return;
  gst_device_monitor_stop (self->monitor);
  g_source_destroy (self->monitor_source);
  g_clear_pointer (&self->monitor_source, g_source_unref);
  g_clear_object (&self->monitor);
  if (self->cameras->len > 0)
    {
      g_ptr_array_set_size (self->cameras, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CAMERAS]);
    }
}

/* Returns: how many video sources the monitor sees (0 when not monitoring) */
guint
linli_camera_get_n_cameras (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), 0);
  return self->cameras->len;
}

/* Wakes the bus wait below when the probe is cancelled. */
static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GstBus *bus = user_data;

  gst_bus_post (
      bus, gst_message_new_application (NULL, gst_structure_new_empty ("linli-probe-cancelled")));
}

/* "video/x-raw 320x240", or NULL when a live source has not negotiated yet. */
static char *
describe_caps (GstElement *pipeline)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), PROBE_SINK_NAME);
  g_autoptr (GstPad) pad = NULL;
  g_autoptr (GstCaps) caps = NULL;
  const GstStructure *structure;
  int width = 0;
  int height = 0;

  if (sink == NULL)
    return NULL;
  pad = gst_element_get_static_pad (sink, "sink");
  caps = pad != NULL ? gst_pad_get_current_caps (pad) : NULL;
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return NULL;

  structure = gst_caps_get_structure (caps, 0);
  if (gst_structure_get_int (structure, "width", &width)
      && gst_structure_get_int (structure, "height", &height))
    return g_strdup_printf ("%s %dx%d", gst_structure_get_name (structure), width, height);
  return g_strdup (gst_structure_get_name (structure));
}

/* Whether a frame reached the probe's sink. */
static gboolean
has_frame (GstElement *pipeline)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), PROBE_SINK_NAME);
  g_autoptr (GstSample) sample = NULL;

  if (sink == NULL)
    return FALSE;
  g_object_get (sink, "last-sample", &sample, NULL);
  return sample != NULL;
}

static LinliDeviceState
state_from_error (GstMessage *message, char **detail)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &error, &debug);
  *detail = g_strdup (error->message);

  /* v4l2src reports a missing /dev/videoN as NOT_FOUND, one that cannot be
   * opened (unplugged while listed) as OPEN_READ(_WRITE). */
  if (error->domain == GST_RESOURCE_ERROR
      && (error->code == GST_RESOURCE_ERROR_NOT_FOUND || error->code == GST_RESOURCE_ERROR_OPEN_READ
          || error->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE))
    return LINLI_DEVICE_STATE_ABSENT;
  return LINLI_DEVICE_STATE_FAULT;
}

/* The pipeline reached PAUSED: a frame, or end-of-stream, is in the sink. */
static LinliDeviceState
state_when_prerolled (GstElement *pipeline, char **detail)
{
  g_autofree char *caps = NULL;

  /* A sink also prerolls on end-of-stream: a source that ends without one
   * frame (a decoder fed garbage) is no camera. */
  if (!has_frame (pipeline))
    {
      *detail = g_strdup ("ended without producing a frame");
      return LINLI_DEVICE_STATE_FAULT;
    }
  caps = describe_caps (pipeline);
  *detail = caps != NULL ? g_strdup_printf ("started, %s", caps) : g_strdup ("started");
  return LINLI_DEVICE_STATE_READY;
}

/* Waits for the pipeline to preroll, fail, time out or be cancelled. */
static LinliDeviceState
wait_for_preroll (GstElement *pipeline, GstBus *bus, char **detail)
{
  GstClockTime deadline = g_get_monotonic_time () * GST_USECOND + PROBE_TIMEOUT;

  for (;;)
    {
      GstClockTime now = g_get_monotonic_time () * GST_USECOND;
      g_autoptr (GstMessage) message = NULL;

      if (now < deadline)
        message = gst_bus_timed_pop_filtered (bus, deadline - now,
                                              GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE
                                                  | GST_MESSAGE_APPLICATION);
      if (message == NULL)
        {
          *detail
              = g_strdup_printf ("did not start within %u s", (guint) (PROBE_TIMEOUT / GST_SECOND));
          return LINLI_DEVICE_STATE_FAULT;
        }

      switch (GST_MESSAGE_TYPE (message))
        {
        case GST_MESSAGE_ERROR:
          return state_from_error (message, detail);

        case GST_MESSAGE_ASYNC_DONE:
          return state_when_prerolled (pipeline, detail);

        case GST_MESSAGE_APPLICATION:
          if (gst_message_has_name (message, "linli-probe-cancelled"))
            {
              /* linli_device_probe_finish() reports the cancellation. */
              *detail = g_strdup ("probe cancelled");
              return LINLI_DEVICE_STATE_FAULT;
            }
          break;

        default:
          break;
        }
    }
}

static LinliDeviceState
linli_camera_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliCamera *self = LINLI_CAMERA (device);
  g_autoptr (GError) init_error = NULL;
  g_autofree char *preview_detail = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  gulong cancel_id = 0;
  LinliDeviceState result;

  /* The preview has the device open: opening it twice would fail. */
  g_mutex_lock (&self->lock);
  preview_detail = g_strdup (self->preview_detail);
  g_mutex_unlock (&self->lock);
  if (preview_detail != NULL)
    {
      *detail = g_steal_pointer (&preview_detail);
      return LINLI_DEVICE_STATE_BUSY;
    }

  if (!ensure_gstreamer (&init_error))
    {
      *detail = g_strdup (init_error->message);
      return LINLI_DEVICE_STATE_FAULT;
    }

  /* FATAL_ERRORS: a missing element must fail, not leave a half pipeline. */
  description = g_strdup_printf ("%s ! fakesink name=" PROBE_SINK_NAME, self->source);
  pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (pipeline == NULL || error != NULL)
    {
      *detail = g_strdup_printf ("bad camera-source: %s",
                                 error != NULL ? error->message : "no pipeline");
      return LINLI_DEVICE_STATE_FAULT;
    }
  /* The description's top-level bin comes back floating: own it. */
  if (g_object_is_floating (pipeline))
    gst_object_ref_sink (pipeline);

  bus = gst_element_get_bus (pipeline);
  if (bus == NULL)
    {
      *detail = g_strdup ("bad camera-source: not a pipeline");
      return LINLI_DEVICE_STATE_FAULT;
    }

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), gst_object_ref (bus),
                                       gst_object_unref);

  switch (gst_element_set_state (pipeline, GST_STATE_PAUSED))
    {
    case GST_STATE_CHANGE_FAILURE:
      /* The element posted its error before set_state() returned. */
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (message != NULL)
        result = state_from_error (message, detail);
      else
        {
          *detail = g_strdup ("could not be started");
          result = LINLI_DEVICE_STATE_FAULT;
        }
      break;

    case GST_STATE_CHANGE_NO_PREROLL:
      /* A live source (a real camera) is open once in PAUSED; it only
       * produces frames in PLAYING, which the probe does not need. */
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (message != NULL)
        result = state_from_error (message, detail);
      else
        {
          *detail = g_strdup ("live source opened");
          result = LINLI_DEVICE_STATE_READY;
        }
      break;

    case GST_STATE_CHANGE_SUCCESS:
      result = state_when_prerolled (pipeline, detail);
      break;

    case GST_STATE_CHANGE_ASYNC:
    default:
      result = wait_for_preroll (pipeline, bus, detail);
      break;
    }

  g_cancellable_disconnect (cancellable, cancel_id);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return result;
}

static void
linli_camera_dispose (GObject *object)
{
  LinliCamera *self = LINLI_CAMERA (object);

  preview_teardown (self);
  linli_camera_stop_monitor (self);

  G_OBJECT_CLASS (linli_camera_parent_class)->dispose (object);
}

static void
linli_camera_finalize (GObject *object)
{
  LinliCamera *self = LINLI_CAMERA (object);

  g_free (self->source);
  g_free (self->device_path);
  g_free (self->preview_detail);
  g_ptr_array_unref (self->cameras);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (linli_camera_parent_class)->finalize (object);
}

static void
linli_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliCamera *self = LINLI_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_PREVIEW_WIDTH:
      g_value_set_int (value, self->preview_width);
      break;
    case PROP_PREVIEW_HEIGHT:
      g_value_set_int (value, self->preview_height);
      break;
    case PROP_PREVIEW_RATE:
      g_value_set_int (value, self->preview_rate);
      break;
    case PROP_STILL_THRESHOLD:
      g_value_set_double (value, self->still_threshold);
      break;
    case PROP_STILL_TIME:
      g_value_set_uint (value, self->still_time);
      break;
    case PROP_CAPTURE_TIMEOUT:
      g_value_set_uint (value, self->capture_timeout);
      break;
    case PROP_PREVIEWING:
      g_value_set_boolean (value, self->pipeline != NULL);
      break;
    case PROP_STILL:
      g_value_set_boolean (value, self->still);
      break;
    case PROP_N_CAMERAS:
      g_value_set_uint (value, self->cameras->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_camera_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliCamera *self = LINLI_CAMERA (object);

  /* The preview settings apply from the next start_preview(). */
  switch (prop_id)
    {
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_PREVIEW_WIDTH:
      self->preview_width = g_value_get_int (value);
      break;
    case PROP_PREVIEW_HEIGHT:
      self->preview_height = g_value_get_int (value);
      break;
    case PROP_PREVIEW_RATE:
      self->preview_rate = g_value_get_int (value);
      break;
    case PROP_STILL_THRESHOLD:
      self->still_threshold = g_value_get_double (value);
      break;
    case PROP_STILL_TIME:
      self->still_time = g_value_get_uint (value);
      break;
    case PROP_CAPTURE_TIMEOUT:
      self->capture_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_camera_class_init (LinliCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = linli_camera_dispose;
  object_class->finalize = linli_camera_finalize;
  object_class->get_property = linli_camera_get_property;
  object_class->set_property = linli_camera_set_property;
  device_class->probe = linli_camera_probe;

  /* The source part of a gst-launch description, ending in raw video,
   * e.g. "v4l2src device=/dev/video0"; the camera adds the rest. */
  properties[PROP_SOURCE]
      = g_param_spec_string ("source", NULL, NULL, "",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The preview is scaled down (aspect kept) to fit these. */
  properties[PROP_PREVIEW_WIDTH]
      = g_param_spec_int ("preview-width", NULL, NULL, 16, 8192, DEFAULT_PREVIEW_WIDTH, rw);
  properties[PROP_PREVIEW_HEIGHT]
      = g_param_spec_int ("preview-height", NULL, NULL, 16, 8192, DEFAULT_PREVIEW_HEIGHT, rw);
  /* Frames per second at most; a slower camera gives fewer. */
  properties[PROP_PREVIEW_RATE]
      = g_param_spec_int ("preview-rate", NULL, NULL, 1, 120, DEFAULT_PREVIEW_RATE, rw);
  /* Percent of the stillness grid that may change between two frames of a
   * still picture. */
  properties[PROP_STILL_THRESHOLD]
      = g_param_spec_double ("still-threshold", NULL, NULL, 0, 100, DEFAULT_STILL_THRESHOLD, rw);
  /* How long (ms) the picture must stay under the threshold to be still. */
  properties[PROP_STILL_TIME]
      = g_param_spec_uint ("still-time", NULL, NULL, 0, 60000, DEFAULT_STILL_TIME, rw);
  properties[PROP_CAPTURE_TIMEOUT]
      = g_param_spec_uint ("capture-timeout", NULL, NULL, 100, 600000, DEFAULT_CAPTURE_TIMEOUT, rw);
  properties[PROP_PREVIEWING] = g_param_spec_boolean ("previewing", NULL, NULL, FALSE, ro);
  /* For automatic capture: the page has stopped moving. */
  properties[PROP_STILL] = g_param_spec_boolean ("still", NULL, NULL, FALSE, ro);
  properties[PROP_N_CAMERAS] = g_param_spec_uint ("n-cameras", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LinliCamera::frame:
   * @frame: the newest preview picture (RGBA)
   *
   * On the camera's context; frames the context was too busy to take are
   * skipped, not queued.
   */
  signals[SIGNAL_FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, LINLI_TYPE_CAMERA_FRAME);
  /**
   * LinliCamera::added:
   * @name: the camera's name for people
   * @path: (nullable): its device node
   */
  signals[SIGNAL_ADDED]
      = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_REMOVED]
      = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
linli_camera_init (LinliCamera *self)
{
  self->source = g_strdup ("");
  self->preview_width = DEFAULT_PREVIEW_WIDTH;
  self->preview_height = DEFAULT_PREVIEW_HEIGHT;
  self->preview_rate = DEFAULT_PREVIEW_RATE;
  self->still_threshold = DEFAULT_STILL_THRESHOLD;
  self->still_time = DEFAULT_STILL_TIME;
  self->capture_timeout = DEFAULT_CAPTURE_TIMEOUT;
  self->context = g_main_context_ref_thread_default ();
  self->cameras = g_ptr_array_new_with_free_func (gst_object_unref);
  g_mutex_init (&self->lock);
}

/**
 * linli_camera_new:
 * @source: a GStreamer source description, e.g. "v4l2src device=/dev/video0"
 *
 * Returns: (transfer full): a camera device
 */
LinliDevice *
linli_camera_new (const char *source)
{
  return g_object_new (LINLI_TYPE_CAMERA, "kind", LINLI_DEVICE_KIND_CAMERA, "name", "Camera",
                       "source", source, NULL);
}

const char *
linli_camera_get_source (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), NULL);
  return self->source;
}
